#!/usr/bin/env bash
# The benchmark behind `make bench-fpm`: installs, on Debian and only when missing, PHPMailer,
# Symfony Mailer and php-fpm, then runs bench/bench_fpm.py, which starts (and always stops) its
# aiosmtpd sink and php-fpm pools and writes its section of bench/README.md and bench/fpm.svg.
#   SENDMAIL_SO   the extension (default target/release/libsendmail.so)
#   BENCH_FPM_SECONDS, BENCH_FPM_COUNT, BENCH_FPM_ONLY, BENCH_FPM_RTTS: see bench/README.md
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SO=${SENDMAIL_SO:-target/release/libsendmail.so}
[[ "$SO" = /* ]] || SO="$ROOT/$SO"
[[ -f "$SO" ]] || { echo "bench-fpm: $SO not found (run 'make build')" >&2; exit 2; }
[[ -x .venv/bin/python ]] || { echo "bench-fpm: .venv missing (run 'make deps')" >&2; exit 2; }

bash tests/apt-ensure.sh bench-fpm libphp-phpmailer php-symfony-mailer php-fpm
exec .venv/bin/python bench/bench_fpm.py --so "$SO" ${BENCH_FPM_RESULTS:+--results "$BENCH_FPM_RESULTS"}
