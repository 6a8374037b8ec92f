#!/usr/bin/env bash
# Installs (or with "uninstall", removes) the built extension for the PHP in
# use: copies the .so to PHP's extension dir as sendmail.so and enables it with
# a sendmail.ini (Debian: mods-available + phpenmod; else PHP's scan dir).
#   SENDMAIL_SO  the .so to install (default target/release/libsendmail.so)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ACTION=${1:-install}
PHP=${PHP:-php}
PHP_CONFIG=${PHP_CONFIG:-php-config}
SO=${SENDMAIL_SO:-target/release/libsendmail.so}
EXT_DIR=$("$PHP_CONFIG" --extension-dir)
VER=$("$PHP" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
MODS=/etc/php/$VER/mods-available
SCAN=$("$PHP" --ini | sed -n 's/^Scan for additional .ini files in: *//p')
SUDO=
[[ $(id -u) -eq 0 ]] || SUDO=sudo

debian=
command -v phpenmod >/dev/null && [[ -d $MODS ]] && debian=1

case $ACTION in
install)
    [[ -f $SO ]] || { echo "install: $SO not found (run 'make build')" >&2; exit 1; }
    $SUDO install -m 0644 "$SO" "$EXT_DIR/sendmail.so"
    if [[ -n $debian ]]; then
        printf '; priority=20\nextension=sendmail\n' | $SUDO tee "$MODS/sendmail.ini" >/dev/null
        $SUDO phpenmod -v "$VER" sendmail
        echo "installed $EXT_DIR/sendmail.so, enabled with $MODS/sendmail.ini"
    elif [[ -n $SCAN && $SCAN != "(none)" ]]; then
        printf 'extension=sendmail\n' | $SUDO tee "$SCAN/sendmail.ini" >/dev/null
        echo "installed $EXT_DIR/sendmail.so, enabled with $SCAN/sendmail.ini"
    else
        echo "installed $EXT_DIR/sendmail.so; PHP scans no ini dir: add extension=sendmail to php.ini" >&2
    fi
    ;;
uninstall)
    if [[ -n $debian ]]; then
        [[ -f $MODS/sendmail.ini ]] && $SUDO phpdismod -v "$VER" sendmail
        $SUDO rm -f "$MODS/sendmail.ini"
    fi
    if [[ -n $SCAN && $SCAN != "(none)" && -f $SCAN/sendmail.ini ]]; then
        $SUDO rm -f "$SCAN/sendmail.ini"
    fi
    $SUDO rm -f "$EXT_DIR/sendmail.so"
    echo "uninstalled sendmail"
    ;;
*)
    echo "usage: $0 install|uninstall" >&2
    exit 2
    ;;
esac
