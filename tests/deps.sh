#!/usr/bin/env bash
# Installs what building and testing need, when missing: Debian packages
# (PHP with its headers, clang for ext-php-rs's bindgen, python3-venv, ...)
# and a Python venv in .venv/ with aiosmtpd for the test SMTP servers.
# A fast no-op when everything is present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# php-symfony-mailer, phpunit and composer: the Symfony bridge's tests (bridge/symfony-mailer);
# debootstrap: the Debian 13 root with PHP 8.4 (tests/php84.sh); opendkim-tools: OpenDKIM's
# verifier (opendkim-testmsg) for the DKIM tests; php-fpm: persistent connections across the
# requests of a worker (php-tests/09*, tests/fpm/).
PKGS=(php-cli php-cgi php-dev clang libclang-dev python3-venv build-essential openssl valgrind
      php-symfony-mailer phpunit composer debootstrap opendkim-tools php-fpm)
AIOSMTPD='aiosmtpd>=1.4.6,<2'
# dkimpy verifies DKIM signatures (PyNaCl for ed25519-sha256).
DKIMPY=('dkimpy>=1.1,<2' 'PyNaCl>=1.5,<2')

bash tests/apt-ensure.sh deps "${PKGS[@]}"

if ! .venv/bin/python -c 'import aiosmtpd' 2>/dev/null; then
    if ! .venv/bin/python -c '' 2>/dev/null; then
        rm -rf .venv
        python3 -m venv .venv
    fi
    echo "deps: installing $AIOSMTPD into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check "$AIOSMTPD"
fi
if ! .venv/bin/python -c 'import dkim, nacl' 2>/dev/null; then
    echo "deps: installing ${DKIMPY[*]} into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check "${DKIMPY[@]}"
fi
