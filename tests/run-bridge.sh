#!/usr/bin/env bash
# Runs the Symfony Mailer bridge's PHPUnit suite (bridge/symfony-mailer/) against the built
# extension, with Debian's phpunit and php-symfony-mailer, and an SMTP sink (plain and
# CHUNKING listeners) for the end-to-end tests.
#   SENDMAIL_SO   the extension to test (default target/release/libsendmail.so)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PHP=${PHP:-php}
SO=${SENDMAIL_SO:-target/release/libsendmail.so}
[[ "$SO" = /* ]] || SO="$ROOT/$SO"
PHPUNIT=$(command -v phpunit) || { echo "run-bridge: phpunit not found (run 'make deps')" >&2; exit 2; }

. "$ROOT/tests/sink.sh"
make_work bridge
printf '{"plain": {}, "chunking": {"chunking": true}}' >"$WORK/listeners.json"
start_sink bridge "$WORK/listeners.json"
export SENDMAIL_TEST_PORT=$SINK_PORT
export SENDMAIL_TEST_CHUNKING_PORT=${SINK_PORTS[chunking]}
export SENDMAIL_TEST_MAILDIR="$WORK/maildir"

"$PHP" -d "extension=$SO" -d memory_limit=512M -d include_path=.:/usr/share/php \
    "$PHPUNIT" -c "$ROOT/bridge/symfony-mailer/phpunit.xml.dist" "$@"
