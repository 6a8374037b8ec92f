#!/usr/bin/env bash
# The PIE / PECL way, on a clean copy of the sources: phpize, ./configure, make, make install
# (into a scratch INSTALL_ROOT), then the installed module must load and report its version;
# make install must not run cargo again.
#   CARGO_TARGET_DIR  shared with the main build by default (target/), so the dependencies
#                     are not compiled twice; the copy's own crate is built anew.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PHPIZE=${PHPIZE:-phpize}
PHP_CONFIG=${PHP_CONFIG:-php-config}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sendmail-phpize.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
SRC="$WORK/sendmail"
mkdir "$SRC"
# The files git tracks, as they are in the working tree.
(cd "$ROOT" && git ls-files -z | xargs -0 cp --parents -t "$SRC")

# composer.json's php-ext build-path: PIE runs the build in ext/.
cd "$SRC/ext"
"$PHPIZE" >"$WORK/phpize.log" 2>&1 || { cat "$WORK/phpize.log" >&2; exit 1; }
./configure --with-php-config="$(command -v "$PHP_CONFIG")" >"$WORK/configure.log" 2>&1 \
    || { tail -20 "$WORK/configure.log" >&2; exit 1; }
make >"$WORK/make.log" 2>&1 || { tail -30 "$WORK/make.log" >&2; exit 1; }
[[ -f modules/sendmail.so ]] || { echo "phpize-build: make left no modules/sendmail.so" >&2; exit 1; }
if make -n install | grep -q 'cargo'; then
    echo "phpize-build: make install would run cargo again" >&2
    exit 1
fi
make install INSTALL_ROOT="$WORK/root" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; exit 1; }
SO="$WORK/root$("$PHP_CONFIG" --extension-dir)/sendmail.so"
[[ -f "$SO" ]] || { echo "phpize-build: make install put nothing at $SO" >&2; exit 1; }

want=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)
got=$("$("$PHP_CONFIG" --php-binary)" -n -d "extension=$SO" -r 'echo phpversion("sendmail"), " ", class_exists("SendMail") ? "SendMail" : "-";')
if [[ "$got" != "$want SendMail" ]]; then
    echo "phpize-build: the installed module says '$got', expected '$want SendMail'" >&2
    exit 1
fi
echo "phpize-build: phpize, configure, make, make install: $SO loads, version $want"
