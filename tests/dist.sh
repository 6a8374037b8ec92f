#!/usr/bin/env bash
# make dist: the release asset PIE's pre-packaged-binary download looks for, for the PHP that
# php-config belongs to: dist/php_sendmail-{version}_php{X.Y}-{arch}-{os}-{libc}[-debug][-zts].zip
# with sendmail.so at its root. Prints the file's path.
#   SENDMAIL_SO   the built module (default target/release/libsendmail.so)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PHP_CONFIG=${PHP_CONFIG:-php-config}
SO=${SENDMAIL_SO:-target/release/libsendmail.so}
PY=${PYTHON:-python3}
[[ -f "$SO" ]] || { echo "dist: $SO not found (run 'make build')" >&2; exit 2; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
php_bin=$("$PHP_CONFIG" --php-binary)
php_version=$("$php_bin" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
flags=$("$php_bin" -n -r 'echo PHP_DEBUG ? "-debug" : "", PHP_ZTS ? "-zts" : "";')
case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=arm64 ;;
    i?86) arch=x86 ;;
    *) arch=$(uname -m) ;;
esac
case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *BSD) os=bsd ;;
    *) os=unknown ;;
esac
libc=glibc
if [[ $os = linux ]] && ldd --version 2>&1 | grep -qi musl; then
    libc=musl
elif [[ $os != linux ]]; then
    libc=bsdlibc
fi

mkdir -p dist
name="php_sendmail-${version}_php${php_version}-${arch}-${os}-${libc}${flags}.zip"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$SO" "$stage/sendmail.so"
rm -f "dist/$name"
(cd "$stage" && "$PY" -m zipfile -c "$ROOT/dist/$name" sendmail.so)
echo "dist/$name"
