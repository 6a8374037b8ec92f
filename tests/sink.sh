# Sourced by tests/run-phpt.sh and tests/demo.sh: a temporary work folder and the SMTP sink
# (tests/servers/sink.py) on free loopback ports, both gone when the script exits.
#   make_work NAME    sets WORK (a fresh folder, with WORK/maildir) unless already set
#   start_sink NAME [LISTENERS_JSON [DKIM_RECORDS_JSON]]
#                     calls make_work, starts the sink and sets SINK_PORT, or exits 2 with
#                     the sink's log. Without LISTENERS_JSON one plain listener; with it
#                     (sink.py --listeners: {"NAME": {options}, ...}) one process serving
#                     them all on one maildir, ports in SINK_PORTS[NAME], and SINK_PORT is
#                     SINK_PORTS[plain]

SINK_PID=
WORK=
declare -gA SINK_PORTS=()
stop_sink() {
    if [[ -n "$SINK_PID" ]]; then
        kill "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
    fi
    [[ -z "$WORK" ]] || rm -rf "$WORK"
}

make_work() {
    [[ -z "$WORK" ]] || return 0
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/sendmail-$1.XXXXXX")
    trap stop_sink EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    mkdir "$WORK/maildir"
}

start_sink() {
    make_work "$1"
    local listeners=() dkim=()
    [[ -z "${2:-}" ]] || listeners=(--listeners "$2")
    [[ -z "${3:-}" ]] || dkim=(--dkim-records "$3")
    "$ROOT/.venv/bin/python" "$ROOT/tests/servers/sink.py" --maildir "$WORK/maildir" \
        --port-file "$WORK/port" "${listeners[@]}" "${dkim[@]}" 2>"$WORK/sink.log" &
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
    if ((${#listeners[@]})); then
        local name port
        while read -r name port; do
            SINK_PORTS[$name]=$port
        done <"$WORK/port"
        SINK_PORT=${SINK_PORTS[plain]:-}
    else
        SINK_PORT=$(cat "$WORK/port")
    fi
}
