#!/usr/bin/env bash
# Runs examples/legacy.php with the built extension against the SMTP sink
# (tests/servers/sink.py on a free loopback port) and prints what arrived.
# The sink is always stopped on exit.
#   SENDMAIL_SO  the extension (default target/release/libsendmail.so)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PHP=${PHP:-php}
SO=${SENDMAIL_SO:-target/release/libsendmail.so}
[[ "$SO" = /* ]] || SO="$ROOT/$SO"
[[ -f "$SO" ]] || { echo "demo: $SO not found (run 'make build')" >&2; exit 2; }

. "$ROOT/tests/sink.sh"
start_sink demo
PORT=$SINK_PORT

# An installed copy (make install) would be loaded twice: skip the ini files then.
NOINI=()
"$PHP" -r 'exit(extension_loaded("sendmail") ? 0 : 1);' 2>/dev/null && NOINI=(-n)

status=0
for example in examples/*.php; do
    echo "=== php $example (sink on 127.0.0.1:$PORT) ==="
    SENDMAIL_DEMO_PORT=$PORT "$PHP" "${NOINI[@]}" -d "extension=$SO" -d "sendmail.host=127.0.0.1:$PORT" "$example" || status=$?
    echo
done

shopt -s nullglob
found=0
for eml in "$WORK"/maildir/*.eml; do
    found=1
    echo
    echo "=== received by the sink: $(basename "$eml") ==="
    cat "$eml"
    echo "=== envelope: $(basename "${eml%.eml}.json") ==="
    cat "${eml%.eml}.json"
    echo
done
if ((!found)); then
    echo
    echo "=== the sink received no message ==="
    status=1
fi
exit "$status"
