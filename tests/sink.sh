# Sourced by tests/run-phpt.sh and tests/demo.sh: a temporary work folder and the SMTP sink
# (tests/servers/sink.py) on a free loopback port, both gone when the script exits.
#   start_sink NAME   sets WORK (with WORK/maildir) and SINK_PORT, or exits 2 with the sink's log

SINK_PID=
WORK=
stop_sink() {
    if [[ -n "$SINK_PID" ]]; then
        kill "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
    fi
    [[ -z "$WORK" ]] || rm -rf "$WORK"
}

start_sink() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/sendmail-$1.XXXXXX")
    trap stop_sink EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    mkdir "$WORK/maildir"
    "$ROOT/.venv/bin/python" "$ROOT/tests/servers/sink.py" --maildir "$WORK/maildir" \
        --port-file "$WORK/port" 2>"$WORK/sink.log" &
    SINK_PID=$!
    for _ in $(seq 100); do
        [[ -s "$WORK/port" ]] && break
        kill -0 "$SINK_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [[ ! -s "$WORK/port" ]]; then
        echo "$1: the SMTP sink did not start:" >&2
        cat "$WORK/sink.log" >&2
        exit 2
    fi
    SINK_PORT=$(cat "$WORK/port")
}
