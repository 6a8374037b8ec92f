#!/usr/bin/env bash
# Installs those of the named Debian packages that are missing (apt, with sudo when not root);
# a fast no-op when all are there.
#   tests/apt-ensure.sh WHO PACKAGE...    WHO prefixes the line that says what is installed
set -euo pipefail
who=$1
shift
missing=()
for p in "$@"; do
    dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
done
((${#missing[@]})) || exit 0
SUDO=
[[ $(id -u) -eq 0 ]] || SUDO=sudo
echo "$who: installing ${missing[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
