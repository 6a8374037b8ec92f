# Sourced by bench/run.sh and bench/memory-loop.sh: Postfix's smtp-sink on a free loopback port.
#   start_smtp_sink NAME BIN DIR   starts BIN (smtp-sink) with its log in DIR/sink.log and sets
#                                  SINK_PID and SINK_PORT; returns 1 (with the log on stderr)
#                                  when it did not start after five tries
#   stop_smtp_sink                 stops it, if it runs
SINK_PID=
SINK_PORT=

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_smtp_sink() {
    local name=$1 bin=$2 dir=$3 user=nobody attempt
    id "$user" >/dev/null 2>&1 || user=root
    for attempt in 1 2 3 4 5; do
        SINK_PORT=$(free_port)
        # -u: smtp-sink refuses to run as root without dropping to a user; backlog 1000.
        "$bin" -u "$user" "127.0.0.1:$SINK_PORT" 1000 >"$dir/sink.log" 2>&1 &
        SINK_PID=$!
        for _ in $(seq 50); do
            if python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' \
                "$SINK_PORT" 2>/dev/null; then
                echo "$name: smtp-sink (pid $SINK_PID) on 127.0.0.1:$SINK_PORT"
                return 0
            fi
            kill -0 "$SINK_PID" 2>/dev/null || break
            sleep 0.1
        done
        stop_smtp_sink
        echo "$name: smtp-sink did not start on port $SINK_PORT (attempt $attempt): $(tail -n 3 "$dir/sink.log")" >&2
    done
    echo "$name: could not start smtp-sink" >&2
    return 1
}

stop_smtp_sink() {
    if [[ -n "$SINK_PID" ]] && kill -0 "$SINK_PID" 2>/dev/null; then
        kill "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
    fi
    SINK_PID=
}
