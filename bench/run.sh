#!/usr/bin/env bash
# The benchmark behind `make bench`: installs what it needs on Debian when missing, starts
# Postfix's smtp-sink on a free loopback port, runs bench/bench.py (which writes bench/README.md
# and bench/results.svg), and stops everything it started on exit, failure included.
#   SENDMAIL_SO   the extension (default target/release/libsendmail.so)
#   PHP           the PHP CLI (default php)
#   BENCH_RUNS, BENCH_SECONDS, BENCH_ATTACH_RUNS, BENCH_ONLY, BENCH_BATCH: see bench/README.md
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PHP=${PHP:-php}
SO=${SENDMAIL_SO:-target/release/libsendmail.so}
[[ "$SO" = /* ]] || SO="$ROOT/$SO"
[[ -f "$SO" ]] || { echo "bench: $SO not found (run 'make build')" >&2; exit 2; }
START=$(date +%s)

SUDO=
[[ $(id -u) -eq 0 ]] || SUDO=sudo

postfix_running() { $SUDO postfix status >/dev/null 2>&1; }

# --- packages -------------------------------------------------------------------------------
PKGS=(postfix libphp-phpmailer php-symfony-mailer php-net-smtp php-mail time python3)
missing=()
for p in "${PKGS[@]}"; do
    dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    postfix_was_running=0
    command -v postfix >/dev/null && postfix_running && postfix_was_running=1
    echo "bench: installing ${missing[*]}"
    echo "postfix postfix/main_mailer_type select Local only" | $SUDO debconf-set-selections
    echo "postfix postfix/mailname string localhost" | $SUDO debconf-set-selections
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Only the test programs are wanted: a daemon the install started is stopped again.
    if ((!postfix_was_running)) && postfix_running; then
        echo "bench: stopping the postfix daemon the install started"
        $SUDO postfix stop >/dev/null 2>&1 || true
    fi
fi
SINK_BIN=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
[[ -x "$SINK_BIN" ]] || { echo "bench: smtp-sink not found" >&2; exit 2; }

# --- scratch directory and the sink, both gone on exit -----------------------------------------
WORK=$(mktemp -d /tmp/sendmail-bench.XXXXXX)
. "$ROOT/bench/smtp-sink.sh"
BENCH_PID=
cleanup() {
    local rc=$?
    if [[ -n "$BENCH_PID" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
        kill "$BENCH_PID" 2>/dev/null || true
        wait "$BENCH_PID" 2>/dev/null || true
    fi
    stop_smtp_sink
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_smtp_sink bench "$SINK_BIN" "$WORK" || exit 1
PORT=$SINK_PORT

# In the background and waited for, so that a signal reaches the trap at once.
PHP="$PHP" python3 "$ROOT/bench/bench.py" --port "$PORT" --sink-pid "$SINK_PID" --so "$SO" --php "$PHP" \
    --work "$WORK" --out "$ROOT/bench" &
BENCH_PID=$!
wait "$BENCH_PID"
BENCH_PID=
echo "bench: done in $(( $(date +%s) - START )) s; results in bench/README.md and bench/results.svg"
