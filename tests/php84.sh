#!/usr/bin/env bash
# make test-php84: the extension built for PHP 8.4 and the whole PHPT suite run on it.
#
# Debian 12 has PHP 8.2 only; Debian 13's PHP 8.4 packages run in a root made with debootstrap
# from Debian's own mirror (the one apt uses here), kept in .cache/debian13 between runs. The
# extension is built outside (bindgen reads the root's headers, ext-php-rs asks the root's
# php -i), the test servers run outside, and run-tests.php runs PHP 8.4 inside the root, which
# sees the working tree at the same path (a bind mount) and shares the loopback network.
# Needs root (debootstrap, chroot, mount); elsewhere it says so and stops.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROOTFS=${PHP84_ROOTFS:-$ROOT/.cache/debian13}
SUITE=trixie
# ca-certificates: a system with trusted roots, as the tests of the system store expect.
PACKAGES=php8.4-cli,php8.4-cgi,php8.4-dev,python3,ca-certificates

if [[ $(id -u) -ne 0 ]]; then
    echo "test-php84: needs root (debootstrap, chroot, bind mounts): skipped"
    exit 0
fi

# The root, once (again when the package list changes): Debian 13 with PHP 8.4, from the
# mirror apt already uses.
if [[ "$(cat "$ROOTFS/.packages" 2>/dev/null)" != "$PACKAGES" ]]; then
    command -v debootstrap >/dev/null || { echo "test-php84: debootstrap missing (make deps)" >&2; exit 2; }
    mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | awk '/^URIs:/ && !/security/ { print $2; exit } /^deb / && !/security/ { print $2; exit }' || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    echo "test-php84: making a Debian 13 root with PHP 8.4 in $ROOTFS (from $mirror)"
    rm -rf "$ROOTFS.new"
    mkdir -p "$(dirname "$ROOTFS")"
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS.new" "$mirror" >"$ROOTFS.log" 2>&1 \
        || { tail -20 "$ROOTFS.log" >&2; exit 2; }
    echo "$PACKAGES" >"$ROOTFS.new/.packages"
    rm -rf "$ROOTFS"
    mv "$ROOTFS.new" "$ROOTFS"
fi

WORK=$(mktemp -d "$ROOT/.cache/php84-run.XXXXXX")
MOUNTS=()
cleanup() {
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTS[i]}" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
bind() {
    mkdir -p "$ROOTFS$2"
    mount --bind "$1" "$ROOTFS$2"
    MOUNTS+=("$ROOTFS$2")
}
bind "$ROOT" "$ROOT"
bind /dev /dev
mkdir -p "$ROOTFS/proc"
mount -t proc proc "$ROOTFS/proc"
MOUNTS+=("$ROOTFS/proc")

# php and php-config of the root, for the build and for run-tests.php.
cat >"$WORK/php" <<SH
#!/bin/sh
# PHP 8.4 of the Debian 13 root, in the caller's folder (the same path inside; a folder
# that is not inside, such as a cargo build script's, falls back to /).
exec chroot "$ROOTFS" /bin/sh -c 'cd "\$0" 2>/dev/null || cd /; exec /usr/bin/php8.4 "\$@"' "\$PWD" "\$@"
SH
cat >"$WORK/php-config" <<SH
#!/bin/sh
# php-config of the root; header paths as seen from outside it.
chroot "$ROOTFS" /usr/bin/php-config8.4 "\$@" | sed "s# -I/# -I$ROOTFS/#g; s#^-I/#-I$ROOTFS/#"
SH
chmod +x "$WORK/php" "$WORK/php-config"

echo "test-php84: $("$WORK/php" -r 'echo PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";'), building the extension for it"
PHP="$WORK/php" PHP_CONFIG="$WORK/php-config" CARGO_TARGET_DIR="$ROOT/target/php84" \
    cargo build --release --locked
SO="$ROOT/target/php84/release/libsendmail.so"

# The suite: servers outside, PHP inside; paths under the working tree are the same on both
# sides. Inside, the test helpers run the root's python3 (the standard library is all they need).
mkdir -p "$WORK/tmp"
TMPDIR="$WORK/tmp" PHP="$WORK/php" PHP_CONFIG="$WORK/php-config" SENDMAIL_PHP_ROOTFS="$ROOTFS" \
    TEST_PHP_EXECUTABLE=/usr/bin/php8.4 PHPT_PYTHON=/usr/bin/python3 SENDMAIL_SO="$SO" \
    bash tests/run-phpt.sh "$@"
