#!/usr/bin/env bash
# Memory over long send loops (bench/memory-loop.php) against a local sink: is memory flat
# after warm-up? Starts Postfix's smtp-sink on a free loopback port (as bench/run.sh does), or,
# when smtp-sink is not installed, the aiosmtpd sink of the tests (tests/sink.sh; it stores every
# message in a temporary maildir, so it is slower), then runs:
#   1. legacy send(), keep-alive off
#   2. legacy send(), keep-alive on
#   3. sendMessage(), keep-alive on
#   4. one sendBatch() call with all the messages
# and prints each run's samples and a summary. Everything it started is stopped on exit.
#   SENDMAIL_SO      the extension (default target/release/libsendmail.so)
#   PHP              the PHP CLI (default php)
#   MEMLOOP_COUNT    messages per run (default 10000)
#   MEMLOOP_SINK     smtp-sink (default when installed) or aiosmtpd
#   MEMLOOP_WARMUP, MEMLOOP_MAX_HEAP, MEMLOOP_MAX_RSS: see bench/memory-loop.php
# Exit status: 0 when every run was flat, 1 when one grew, 2 when one could not send.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PHP=${PHP:-php}
SO=${SENDMAIL_SO:-target/release/libsendmail.so}
[[ "$SO" = /* ]] || SO="$ROOT/$SO"
[[ -f "$SO" ]] || { echo "memory-loop: $SO not found (run 'make build')" >&2; exit 2; }
COUNT=${MEMLOOP_COUNT:-10000}

# An installed copy of the extension would be loaded twice: skip the ini files then.
NOINI=()
"$PHP" -r 'exit(extension_loaded("sendmail") ? 0 : 1);' 2>/dev/null && NOINI=(-n)

SINK_BIN=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
if [[ ${MEMLOOP_SINK:-smtp-sink} != aiosmtpd && -x "$SINK_BIN" ]]; then
    WORK=$(mktemp -d /tmp/sendmail-memory-loop.XXXXXX)
    . "$ROOT/bench/smtp-sink.sh"
    cleanup() {
        local rc=$?
        stop_smtp_sink
        rm -rf "$WORK"
        exit "$rc"
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    start_smtp_sink memory-loop "$SINK_BIN" "$WORK" || exit 1
else
    [[ -x "$ROOT/.venv/bin/python" ]] || { echo "memory-loop: neither smtp-sink nor .venv (make deps) found" >&2; exit 2; }
    . "$ROOT/tests/sink.sh"
    start_sink memory-loop
    echo "memory-loop: the aiosmtpd sink (pid $SINK_PID) on 127.0.0.1:$SINK_PORT"
fi

RUNS=("off send" "on send" "on message" "off batch")
LABELS=("send(), keep-alive off" "send(), keep-alive on" "sendMessage(), keep-alive on" "sendBatch() of $COUNT in one call")
status=0
summary=()
for i in "${!RUNS[@]}"; do
    echo
    echo "=== ${LABELS[$i]}"
    read -r ka mode <<<"${RUNS[$i]}"
    set +e
    "$PHP" "${NOINI[@]}" -d "extension=$SO" -d memory_limit=-1 bench/memory-loop.php \
        "127.0.0.1:$SINK_PORT" "$COUNT" "$ka" "$mode" | tee "$WORK/run-$i.out"
    rc=${PIPESTATUS[0]}
    set -e
    ((rc > status)) && status=$rc
    summary+=("$(printf '%-34s %s' "${LABELS[$i]}:" "$(sed -n 's/^verdict: growth after warm-up: //p' "$WORK/run-$i.out")")")
done
echo
echo "=== summary ($COUNT messages per run)"
printf '%s\n' "${summary[@]}"
exit "$status"
