#!/usr/bin/env python3
"""Throughput and memory of the sendmail extension against the PHP mailers and smtp-source.

Run by bench/run.sh (which installs the peers, starts Postfix's smtp-sink and stops it again);
writes bench/README.md and bench/results.svg. Standard library only.

Every contender sends the same ~1 KB message to the sink on 127.0.0.1. Each contender's message
count is calibrated so that one run takes about BENCH_SECONDS; the runs are interleaved (run 1 of
every contender, then run 2, ...) so that a slow spell of the machine hits all of them alike, and
the median of BENCH_RUNS runs is reported.
"""

import argparse
import datetime
import html
import json
import math
import os
import platform
import queue
import re
import select
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

FROM = "bench-sender@example.com"
TO = "bench-rcpt@example.com"
SUBJECT = "Benchmark message"
HERE = os.path.dirname(os.path.abspath(__file__))
CONTENDERS_PHP = os.path.join(HERE, "contenders.php")
SMTP_SOURCE = shutil.which("smtp-source") or "/usr/sbin/smtp-source"
# Around the section of bench/README.md that make bench-fpm writes and make bench keeps.
FPM_BEGIN = "<!-- bench-fpm: begin (written by make bench-fpm, kept by make bench) -->"
FPM_END = "<!-- bench-fpm: end -->"


def body_lines():
    """The body the PHP contenders send (bench/message.inc), line by line (keep the two in step)."""
    return ["Line %02d of the benchmark body: the quick brown fox jumps over the lazy dog." % i
            for i in range(1, 13)]


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Contenders


class Contender:
    def __init__(self, key, label, group, argv, config, session=True):
        self.key = key            # short id, also the BENCH_ONLY filter
        self.label = label        # row label in the table and chart
        self.group = group        # "ext" | "peer" | "ref" (smtp-source)
        self.argv = argv          # fn(port, count) -> argv
        self.config = config      # how it was configured, for the README
        self.session = session    # one connection for all messages (else one per message)
        self.count = None
        self.rates = []
        self.error = None
        self.placeholder = None   # a row kept for a mode this build lacks
        self.turns = None         # round trips per message, counted on the wire
        self.wire_bytes = None    # client bytes per message, counted on the wire
        self.steps = None         # the client's commands, one entry per round trip

    @property
    def median(self):
        return statistics.median(self.rates) if self.rates else None


def build_contenders(args, msgfile, has_batch):
    php_ext = [args.php] + args.noini + ["-d", "extension=" + args.so, "-d", "memory_limit=-1",
                                         CONTENDERS_PHP]
    php_peer = [args.php, "-d", "memory_limit=-1", CONTENDERS_PHP]

    def ext(mode, *opts):
        return lambda port, n: php_ext + [mode, str(port), str(n), *opts]

    def peer(mode, *opts):
        return lambda port, n: php_peer + [mode, str(port), str(n), *opts]

    def source(keep):
        def argv(port, n):
            return ([SMTP_SOURCE, "-s", "1", "-m", str(n), "-M", "localhost", "-f", FROM, "-t", TO,
                     "-F", msgfile] + (["-d"] if keep else []) + ["127.0.0.1:%d" % port])
        return argv

    cs = [
        Contender("ext-legacy", "sendmail: send(), new connection each", "ext", ext("ext-legacy"),
                  "`new SendMail(\"127.0.0.1:PORT\")`, `setTls(\"off\")`, `send($to, $from, $subject, $body)` "
                  "per message: connect, EHLO, transaction, QUIT each time.", session=False),
        Contender("ext-keepalive", "sendmail: send(), keep-alive", "ext", ext("ext-keepalive"),
                  "as above plus `setKeepAlive(true)`: one connection; MAIL+RCPT pipelined "
                  "(the sink offers PIPELINING); `close()` at the end (timed)."),
        Contender("ext-message", "sendmail: sendMessage(), keep-alive", "ext", ext("ext-message"),
                  "a new `SendMail\\Message` (from/to/subject/text) per message, built inside the timed "
                  "loop, `sendMessage()` on a keep-alive connection; MAIL+RCPT+DATA pipelined."),
    ]
    for n in (1, 2, 4):
        c = Contender("ext-batch-%d" % n, "sendmail: sendBatch(), %d connection%s" % (n, "s" if n > 1 else ""),
                      "ext", ext("ext-batch", "conn=%d" % n),
                      "all the messages built as `SendMail\\Message` objects (timed), then "
                      "`$m->sendBatch($messages, %d)`; every result checked to be a Receipt." % n)
        if not has_batch:
            c.placeholder = ("not measured: skipped with `BENCH_BATCH=off`" if args.batch == "off" else
                             "not measured: `SendMail::sendBatch()` is not in this build; "
                             "`make bench` picks it up once it is (or `BENCH_BATCH=on`)")
        cs.append(c)
    cs += [
        Contender("source-keep", "smtp-source -d (C, one connection)", "ref", source(True),
                  "`smtp-source -s 1 -d -m N -F msg.txt`: one session, messages back to back; "
                  "no PIPELINING (smtp-source has none), HELO.", ),
        Contender("source-new", "smtp-source (C, new connection each)", "ref", source(False),
                  "`smtp-source -s 1 -m N -F msg.txt`: a new connection per message.", session=False),
        Contender("phpmailer-new", "PHPMailer, new connection each", "peer", peer("phpmailer", "keep=0", "nodelay=0"),
                  "PHPMailer out of the box: `isSMTP()`, `SMTPAutoTLS=false`, `SMTPKeepAlive=false`.",
                  session=False),
        Contender("phpmailer-new-nodelay", "PHPMailer, new connection each, TCP_NODELAY", "peer",
                  peer("phpmailer", "keep=0", "nodelay=1"),
                  "as above plus `SMTPOptions = ['socket' => ['tcp_nodelay' => true]]`.", session=False),
        Contender("phpmailer-keep", "PHPMailer, keep-alive", "peer", peer("phpmailer", "keep=1", "nodelay=0"),
                  "`SMTPKeepAlive=true` (one connection), otherwise out of the box; `smtpClose()` at the end."),
        Contender("phpmailer-keep-nodelay", "PHPMailer, keep-alive, TCP_NODELAY", "peer",
                  peer("phpmailer", "keep=1", "nodelay=1"),
                  "`SMTPKeepAlive=true` and `SMTPOptions = ['socket' => ['tcp_nodelay' => true]]`."),
        Contender("symfony", "Symfony Mailer", "peer", peer("symfony", "nodelay=0"),
                  "`new EsmtpTransport('127.0.0.1', PORT, false)` + `new Mailer($transport)` (no bus: sends "
                  "at once), a new `Email` per message. Out of the box it keeps the connection but "
                  "restarts it every 100 messages (its default restart threshold)."),
        Contender("symfony-nodelay", "Symfony Mailer, TCP_NODELAY", "peer", peer("symfony", "nodelay=1"),
                  "as above plus `$transport->getStream()->setStreamOptions(['socket' => ['tcp_nodelay' => true]])`."),
        Contender("pear", "PEAR Mail/Net_SMTP", "peer", peer("pear", "nodelay=0"),
                  "`Mail::factory('smtp', ['persist' => true, ...])` (include_path /usr/share/php), "
                  "which drives Net_SMTP over one connection; pipelining off (its default)."),
        Contender("pear-nodelay", "PEAR Mail/Net_SMTP, TCP_NODELAY", "peer", peer("pear", "nodelay=1"),
                  "as above plus `'socket_options' => ['socket' => ['tcp_nodelay' => true]]`."),
        Contender("pear-nodelay-pipe", "PEAR Mail/Net_SMTP, TCP_NODELAY + pipelining", "peer",
                  peer("pear", "nodelay=1", "pipelining=1"),
                  "as above plus `'pipelining' => true` (Net_SMTP's RFC 2920 mode)."),
    ]
    if args.only:
        rx = re.compile(args.only)
        cs = [c for c in cs if rx.search(c.key)]
    return cs


def run_once(c, port, count, timeout=60):
    """One run: (seconds, sent). smtp-source is timed from outside, the PHP scripts time themselves."""
    argv = c.argv(port, count)
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError((p.stderr.strip() or p.stdout.strip() or "exit %d" % p.returncode)[-400:])
    if c.group == "ref":
        return wall, count
    out = json.loads(p.stdout.strip().splitlines()[-1])
    return out["seconds"], out["sent"]


def nice_count(x):
    """x rounded to two significant digits, at least 10."""
    x = max(10, int(x))
    digits = len(str(x)) - 2
    return int(round(x / 10 ** digits) * 10 ** digits) if digits > 0 else x


def calibrate(c, port, target):
    n = 10
    while True:
        sec, _ = run_once(c, port, n)
        if sec >= 0.3 or n >= 400000:
            break
        n = min(n * 16, max(n * 2, int(n * 0.4 / max(sec, 1e-4))))
    return nice_count(n / sec * target)


# --------------------------------------------------------------------------------------------
# Round trips on the wire


class ClientVerbs:
    """Follows the client's side of one SMTP session: the command verbs it sends, with a whole
    message (DATA ... "." or a BDAT chunk) shown as one step."""

    def __init__(self):
        self.buf = b""
        self.in_data = False
        self.skip = 0
        self.verbs = []

    def feed(self, data):
        self.buf += data
        while True:
            if self.skip:
                n = min(self.skip, len(self.buf))
                self.buf, self.skip = self.buf[n:], self.skip - n
                if self.skip:
                    return
                self.verbs.append("‹chunk›")
            if b"\n" not in self.buf:
                return
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.rstrip(b"\r")
            if self.in_data:
                if line == b".":
                    self.in_data = False
                    self.verbs.append("‹message›")
                continue
            words = line.split()
            verb = words[0].split(b":")[0].upper().decode("ascii", "replace") if words else "?"
            self.verbs.append(verb)
            if verb == "DATA":
                self.in_data = True
            elif verb == "BDAT" and len(words) > 1 and words[1].isdigit():
                self.skip = int(words[1])
                if not self.skip:
                    self.verbs.append("‹chunk›")

    def take(self):
        v, self.verbs = self.verbs, []
        return v


class CountingProxy:
    """A loopback TCP proxy in front of the sink that counts round trips per connection.

    A round trip is one wait of the client for the server: server bytes that follow client bytes
    (the connect + greeting counts as one). The client's bytes are gathered until it has been
    quiet for QUIET seconds before they are passed on, so commands written back to back in
    several writes without waiting for a reply (pipelining) count as one turn, never more.
    """

    QUIET = 0.005

    def __init__(self, upstream_port):
        self.upstream = upstream_port
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(256)
        self.port = self.lsock.getsockname()[1]
        self.lock = threading.Lock()
        self.sessions = []
        self.active = 0
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.closed = True
        self.lsock.close()

    def reset(self):
        with self.lock:
            self.sessions = []

    def totals(self):
        deadline = time.time() + 10
        while time.time() < deadline:
            with self.lock:
                if self.active == 0:
                    break
            time.sleep(0.01)
        with self.lock:
            return {"sessions": len(self.sessions),
                    "turns": sum(s["turns"] for s in self.sessions),
                    "c2s": sum(s["c2s"] for s in self.sessions),
                    "steps": max((s["steps"] for s in self.sessions), key=len, default=[])}

    def _accept(self):
        while not self.closed:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            with self.lock:
                self.active += 1
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        st = {"turns": 0, "c2s": 0, "steps": []}
        verbs = ClientVerbs()
        pending = ["connect"]
        s = None
        try:
            s = socket.create_connection(("127.0.0.1", self.upstream))
            for x in (c, s):
                x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client_spoke = True  # connecting is the client's move; the greeting answers it
            done = False
            while not done:
                r, _, _ = select.select([c, s], [], [])
                if s in r:  # first: these bytes answer what the client sent before
                    data = s.recv(65536)
                    if not data:
                        break
                    c.sendall(data)
                    if client_spoke:
                        st["turns"] += 1
                        st["steps"].append(" ".join(pending + verbs.take()))
                        pending = []
                        client_spoke = False
                if c in r:
                    data = c.recv(65536)
                    if not data:
                        break
                    chunks = [data]
                    while True:
                        rr, _, _ = select.select([c], [], [], self.QUIET)
                        if not rr:
                            break
                        more = c.recv(65536)
                        if not more:
                            done = True
                            break
                        chunks.append(more)
                    payload = b"".join(chunks)
                    s.sendall(payload)
                    verbs.feed(payload)
                    st["c2s"] += len(payload)
                    client_spoke = True
        except OSError:
            pass
        finally:
            for x in (c, s):
                if x is not None:
                    try:
                        x.close()
                    except OSError:
                        pass
            with self.lock:
                self.sessions.append(st)
                self.active -= 1


class DelayProxy:
    """A loopback TCP proxy that holds every chunk for DELAY seconds in each direction, so that the
    sink looks like a server RTT = 2 x DELAY away (a relay in a nearby data centre), where the
    number of round trips, not the CPU, sets the rate. Order and bytes are kept as they are.

    It also counts round trips: a turn is server bytes that follow client bytes on a connection
    (accepting the connection is the client's first move, so the greeting is one); `turns` holds
    (time, connection number) of each as the proxy saw it, `accepts` (time, connection number)
    of each connection. With connect_rtt the greeting comes 1.5 RTT later, what a TCP handshake
    (SYN, SYN-ACK, ACK) costs before a server's greeting can leave: the client's connect()
    returns at once, but the greeting reaches it 2 RTT after, as it would over a network."""

    def __init__(self, upstream_port, rtt_ms, connect_rtt=False):
        self.upstream = upstream_port
        self.delay = rtt_ms / 2000.0
        self.connect_wait = 3 * self.delay if connect_rtt else 0.0
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(256)
        self.port = self.lsock.getsockname()[1]
        self.closed = False
        self.lock = threading.Lock()
        self.turns = []
        self.accepts = []
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.closed = True
        self.lsock.close()

    def _accept(self):
        while not self.closed:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            with self.lock:
                number = len(self.accepts)
                self.accepts.append((time.monotonic(), number))
            threading.Thread(target=self._pair, args=(c, number), daemon=True).start()

    def _pair(self, c, number):
        if self.connect_wait:
            time.sleep(self.connect_wait)
        try:
            s = socket.create_connection(("127.0.0.1", self.upstream))
            for x in (c, s):
                x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            c.close()
            return
        left = [2]
        lock = threading.Lock()
        spoke = {"client": True}

        def done():
            with lock:
                left[0] -= 1
                if left[0] == 0:
                    c.close()
                    s.close()

        def seen(from_client):
            with lock:
                if from_client:
                    spoke["client"] = True
                elif spoke["client"]:
                    spoke["client"] = False
                    with self.lock:
                        self.turns.append((time.monotonic(), number))
        for src, dst, from_client in ((c, s, True), (s, c, False)):
            q = queue.Queue()
            threading.Thread(target=self._read, args=(src, q, lambda f=from_client: seen(f)), daemon=True).start()
            threading.Thread(target=self._write, args=(dst, q, done), daemon=True).start()

    def _read(self, src, q, seen=None):
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if data and seen:
                seen()
            q.put((time.monotonic() + self.delay, data))
            if not data:
                return

    def _write(self, dst, q, done):
        try:
            while True:
                due, data = q.get()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if not data:
                    dst.shutdown(socket.SHUT_WR)
                    return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            done()


def count_round_trips(c, proxy, extra=20):
    """Per message: (turns, client bytes) of n0+extra messages minus those of n0 messages,
    divided by extra, where n0 gives every connection of the mode one message. So for a mode with
    one connection this is the steady state of a reused connection; for a connection per message
    it includes connect, greeting, EHLO and QUIT."""
    n0 = int(re.search(r"(\d+)$", c.key).group(1)) if c.key.startswith("ext-batch") else 1
    res = []
    for n in (n0, n0 + extra, 2 * n0):
        proxy.reset()
        run_once(c, proxy.port, n)
        res.append(proxy.totals())
    turns = (res[1]["turns"] - res[0]["turns"]) / extra
    wire = (res[1]["c2s"] - res[0]["c2s"]) / extra
    # The dialogue of the longest session of a run with two messages per connection (one message
    # where each message has its own connection).
    return turns, wire, res[1]["sessions"], res[2]["steps"]


# --------------------------------------------------------------------------------------------
# Large attachments


def attachment_runs(args, port, work, sizes_mib, runs):
    php_ext = [args.php] + args.noini + ["-d", "extension=" + args.so, "-d", "memory_limit=-1", CONTENDERS_PHP]
    php_peer = [args.php, "-d", "memory_limit=-1", CONTENDERS_PHP]
    # The DKIM rows sign with a throw-away RSA 2048 key: the signature is computed over the
    # whole message, attachment included, before it is sent.
    dkim_key = os.path.join(work, "dkim.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", dkim_key], check=True, capture_output=True)
    who = [("sendmail: Message::attach()", php_ext, "ext-attach", runs, []),
           ("sendmail: Message::attach(), DKIM rsa-sha256", php_ext, "ext-attach", runs, ["dkim=" + dkim_key]),
           ("PHPMailer: addAttachment() (TCP_NODELAY)", php_peer, "phpmailer-attach", 1, []),
           ("Symfony Mailer: attachFromPath() (TCP_NODELAY)", php_peer, "symfony-attach", 1, [])]
    if args.only and not re.search(args.only, "attach"):
        return []
    timefile = os.path.join(work, "time.txt")

    def one(argv):
        p = subprocess.run(["/usr/bin/time", "-v", "-o", timefile] + argv, capture_output=True, text=True,
                           timeout=300)
        if p.returncode != 0:
            raise RuntimeError((p.stderr.strip() or "exit %d" % p.returncode)[-400:])
        secs = json.loads(p.stdout.strip().splitlines()[-1])["seconds"]
        with open(timefile) as f:
            rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read()).group(1))
        return secs, rss

    rows = []
    for label, php, mode, n_runs, extra in who:
        try:
            _, base_rss = one(php + [mode, str(port), "1", "file=none"] + extra)
        except Exception as e:  # noqa: BLE001 - reported in the README
            rows.append({"who": label, "error": str(e)})
            continue
        for mib in sizes_mib:
            path = os.path.join(work, "attach-%dM.bin" % mib)
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    for _ in range(mib):
                        f.write(os.urandom(1 << 20))
            row = {"who": label, "mib": mib, "base_rss": base_rss, "runs": n_runs}
            try:
                res = [one(php + [mode, str(port), "1", "file=" + path] + extra) for _ in range(n_runs)]
                row["seconds"] = statistics.median(r[0] for r in res)
                row["rss"] = max(r[1] for r in res)
            except Exception as e:  # noqa: BLE001
                row["error"] = str(e)
            log("attach %-45s %4d MiB: %s" % (label, mib, row.get("error") or
                                                 "%.2f s, peak RSS %d MiB" % (row["seconds"], row["rss"] // 1024)))
            rows.append(row)
    for mib in sizes_mib:
        path = os.path.join(work, "attach-%dM.bin" % mib)
        if os.path.exists(path):
            os.remove(path)
    return rows


# --------------------------------------------------------------------------------------------
# Machine, sink


def sink_capabilities(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"EHLO bench.localhost\r\n")
    caps = []
    while True:
        line = f.readline().decode().rstrip("\r\n")
        caps.append(line[4:])
        if line[3:4] != "-":
            break
    s.sendall(b"QUIT\r\n")
    f.readline()
    s.close()
    return [c for c in caps[1:] if c.strip()]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # noqa: BLE001
        return ""


def cpu_model():
    """The CPU's model name, and whether the machine is virtual (the `hypervisor` flag)."""
    cpu, vm = "", False
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and not cpu:
                cpu = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                vm = vm or "hypervisor" in line.split()
    return cpu, vm


def build_of(so):
    """The extension measured: its path and the commit it was built from."""
    root = os.path.dirname(HERE)
    head = sh("git -C %s rev-parse --short HEAD" % root)
    dirty = sh("git -C %s status --porcelain -- src Cargo.toml Cargo.lock" % root)
    return "%s (git %s%s)" % (os.path.relpath(so, root), head,
                              ", with uncommitted changes to src/ or Cargo.*" if dirty else "")


def machine(args):
    cpu, vm = cpu_model()
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024 // 1024

    def pkg(name):
        return sh("dpkg-query -W -f '${Version}' %s" % name)

    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": sh("nproc"),
        "cpu": cpu,
        "vm": vm,
        "mem": "%d GiB" % mem,
        "kernel": platform.release(),
        "php": sh("%s -r 'echo PHP_VERSION;'" % args.php),
        "so": build_of(args.so),
        "postfix": pkg("postfix"),
        "phpmailer": pkg("libphp-phpmailer"),
        "symfony": pkg("php-symfony-mailer"),
        "netsmtp": pkg("php-net-smtp"),
        "mail": pkg("php-mail"),
        "load": open("/proc/loadavg").read().split()[:3],
    }


# --------------------------------------------------------------------------------------------
# Output



def fmt_rate(x):
    if x is None:
        return "–"
    return "{:,.0f}".format(x) if x >= 100 else "{:,.1f}".format(x)


def fmt_ratio(x):
    return "{:.2f}×".format(x) if x < 10 else "{:.0f}×".format(x)


def md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def svg_panel(out, y0, title, rows, left, bar_w):
    """One horizontal bar chart (log scale) starting at y0; returns the y below it."""
    row_h = 22
    measured = [c.median for c in rows if c.median]
    lo = 10 ** math.floor(math.log10(min(measured))) if measured else 10
    hi = 10 ** math.ceil(math.log10(max(measured))) if measured else 10000
    if hi <= lo:
        hi = lo * 10

    def x_of(v):
        v = min(max(v, lo), hi)
        return left + bar_w * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    colors = {"ext": "#2563eb", "ref": "#d97706", "peer": "#9ca3af"}
    out.append('<text x="12" y="%d" font-size="13" font-weight="bold">%s</text>' % (y0 + 14, html.escape(title)))
    top = y0 + 34
    bottom = top + row_h * len(rows)
    v = lo
    while v <= hi:
        x = x_of(v)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e5e7eb"/>' % (x, top - 6, x, bottom))
        lab = "{:,}".format(v) if v < 1000 else "{:,}k".format(v // 1000)
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#666">%s</text>' % (x, bottom + 14, lab))
        if v == lo:
            out.append('<text x="%d" y="%d" text-anchor="end" fill="#666">messages/s</text>' % (left - 24, bottom + 14))
        v *= 10
    for i, c in enumerate(rows):
        y = top + i * row_h
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 8, y + 11, html.escape(c.label)))
        if c.median:
            x1 = x_of(c.median)
            out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>'
                       % (left, y, max(x1 - left, 1), row_h - 7, colors[c.group]))
            out.append('<text x="%.1f" y="%d" fill="#111">%s</text>' % (x1 + 5, y + 11, fmt_rate(c.median)))
        else:
            why = "not measured" if c.placeholder else "failed"
            out.append('<text x="%d" y="%d" fill="#b91c1c" font-style="italic">%s</text>' % (left + 4, y + 11, why))
    return bottom + 40


def write_svg(path, panels, info):
    left, bar_w, right = 340, 480, 80
    width = left + bar_w + right
    out = []
    y = 52
    for title, rows in panels:
        y = svg_panel(out, y, title, rows, left, bar_w)
    colors = (("#2563eb", "sendmail extension"), ("#d97706", "Postfix smtp-source (C)"), ("#9ca3af", "PHP mailers"))
    for j, (col, name) in enumerate(colors):
        lx = left + j * 170
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (lx, y - 10, col))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 17, y, name))
    height = y + 16
    head = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
            'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">' % (width, height, width, height),
            '<rect width="100%" height="100%" fill="#ffffff"/>',
            '<text x="12" y="20" font-size="15" font-weight="bold">sendmail extension vs PHP mailers and '
            'smtp-source: messages/s, ~1 KB messages, log scale</text>',
            '<text x="12" y="38" fill="#444">%s · %s CPUs · Linux %s · PHP %s · %s · median of each row\'s runs</text>'
            % (html.escape(info["cpu"]), info["nproc"], html.escape(info["kernel"]), info["php"], info["date"])]
    with open(path, "w") as f:
        f.write("\n".join(head + out + ["</svg>"]) + "\n")


def rate_table(a, cs, with_wire):
    if with_wire:
        a("| contender | msg/s (median) | min – max | messages/run | round trips/msg | client bytes/msg |")
        a("|---|---:|---:|---:|---:|---:|")
    else:
        a("| contender | msg/s (median) | min – max | messages/run |")
        a("|---|---:|---:|---:|")
    blank = " | | | |" if with_wire else " | |"
    for c in cs:
        if c.placeholder:
            a("| %s | *%s* |%s" % (c.label, c.placeholder, blank))
        elif c.error and not c.rates:
            a("| %s | **failed**: %s |%s" % (c.label, md(c.error), blank))
        else:
            row = "| %s | **%s** | %s – %s | %s |" % (c.label, fmt_rate(c.median), fmt_rate(min(c.rates)),
                                                      fmt_rate(max(c.rates)), "{:,}".format(c.count))
            if with_wire:
                row += " %s | %s |" % ("–" if c.turns is None else "%.1f" % c.turns,
                                        "–" if c.wire_bytes is None else "{:,.0f}".format(c.wire_bytes))
            a(row)
    a("")


def ratio_table(a, cs):
    exts = [c for c in cs if c.group == "ext" and c.median]
    peers = [c for c in cs if c.group != "ext" and c.median]
    if not (exts and peers):
        return
    a("| peer | msg/s | " + " | ".join(c.label.replace("sendmail: ", "") for c in exts) + " |")
    a("|---|---:|" + "---:|" * len(exts))
    for p in peers:
        a("| %s | %s | " % (p.label, fmt_rate(p.median)) + " | ".join(fmt_ratio(c.median / p.median) for c in exts) + " |")
    a("")


def write_readme(path, cs, lat, pinned, info, attach, caps, notes, args):
    L = []
    a = L.append
    a("# Benchmark: the sendmail extension against the PHP mailers and Postfix's smtp-source")
    a("")
    a("**Generated by `make bench` (`bench/run.sh`) on %s: do not edit by hand, re-run it.**" % info["date"])
    a("")
    a("![messages per second](results.svg)")
    a("")
    a("## Machine")
    a("")
    a("| | |")
    a("|---|---|")
    a("| date | %s |" % info["date"])
    a("| CPUs (`nproc`) | %s |" % info["nproc"])
    a("| CPU model (/proc/cpuinfo) | %s%s |" % (info["cpu"], " (virtual machine: the `hypervisor` CPU flag is set)"
                                                if info["vm"] else ""))
    a("| memory | %s |" % info["mem"])
    a("| kernel | %s |" % info["kernel"])
    a("| PHP | %s |" % info["php"])
    a("| extension | %s |" % info["so"])
    a("| load average at start / end | %s / %s |" % (" ".join(info["load"]), " ".join(info["load_end"])))
    a("| sink | Postfix %s `smtp-sink -u nobody 127.0.0.1:PORT 1000`; EHLO offers %s |"
      % (info["postfix"], ", ".join(caps)))
    a("| peers (Debian packages) | libphp-phpmailer %s, php-symfony-mailer %s, php-net-smtp %s, php-mail %s, "
      "smtp-source from postfix %s |" % (info["phpmailer"], info["symfony"], info["netsmtp"], info["mail"],
                                          info["postfix"]))
    a("")
    a("## Throughput on loopback: identical ~1 KB messages")
    a("")
    a("Median of %d runs; each run sends a fixed count sized by a short calibration run to take about "
      "%.1f s; the runs of all contenders are interleaved (run 1 of each, then run 2 …). Round trips and "
      "client bytes are per message, counted on the wire (see below)." % (args.runs, args.seconds))
    a("")
    rate_table(a, cs, True)
    a("### Ratios on loopback (extension ÷ peer, medians of this run)")
    a("")
    ratio_table(a, cs)
    if lat:
        a("## Throughput with a %g ms round trip to the server" % args.latency_ms)
        a("")
        a("On loopback a round trip costs microseconds and two cores are shared by PHP and the sink. A real "
          "relay is some distance away; here a "
          "proxy in front of the same sink holds every chunk %g ms in each direction (RTT %g ms, a relay in a "
          "nearby data centre), so round trips set the rate. Median of %d runs of about %.1f s each."
          % (args.latency_ms / 2, args.latency_ms, args.latency_runs, args.latency_seconds))
        a("")
        rate_table(a, lat, False)
        a("### Ratios with a %g ms round trip (extension ÷ peer)" % args.latency_ms)
        a("")
        ratio_table(a, lat)
    if pinned:
        by = {c.key: c for c in cs}
        a("## Loopback with the client and the sink on one CPU")
        a("")
        a("The same loopback runs, but the sink and the client both pinned to CPU 0 (`taskset`), median of "
          "%d runs of about %.1f s. On a virtual machine a process that wakes another on an *idle* CPU pays "
          "for waking that CPU; on one CPU, or on a busy machine, that cost is gone, so this shows how much "
          "of the loopback numbers above is wake-up latency per round trip rather than work."
          % (args.latency_runs, args.latency_seconds))
        a("")
        a("| contender | msg/s, one CPU | msg/s, both CPUs (above) | one CPU ÷ both | round trips/msg |")
        a("|---|---:|---:|---:|---:|")
        for c in pinned:
            both = by.get(c.key)
            if not c.median:
                a("| %s | **failed**: %s | | | |" % (c.label, md(c.error or "")))
                continue
            a("| %s | %s | %s | %s | %s |" % (
                c.label, fmt_rate(c.median), fmt_rate(both.median if both else None),
                fmt_ratio(c.median / both.median) if both and both.median else "–",
                "%.1f" % both.turns if both and both.turns is not None else "–"))
        a("")
    by = {c.key: c for c in cs}
    lby = {c.key: c for c in lat}
    targets = []

    def target(text, table, num, den, factor):
        if num in table and den in table and table[num].median and table[den].median:
            r = table[num].median / table[den].median
            targets.append("| %s | %s | %s |" % (text, fmt_ratio(r), "met" if r >= factor else "**not met**"))
        else:
            targets.append("| %s | – | not measured |" % text)

    target("loopback: keep-alive `send()` ≥ smtp-source on one connection", by, "ext-keepalive", "source-keep", 1.0)
    target("loopback: keep-alive `sendMessage()` ≥ smtp-source on one connection", by, "ext-message", "source-keep", 1.0)
    target("loopback: `send()`, new connection each ≥ 1.5× PHPMailer + TCP_NODELAY, new connection each", by,
           "ext-legacy", "phpmailer-new-nodelay", 1.5)
    target("loopback: `send()`, new connection each ≥ 1.5× PHPMailer + TCP_NODELAY, keep-alive", by,
           "ext-legacy", "phpmailer-keep-nodelay", 1.5)
    target("loopback: `sendBatch()`, 4 connections ≥ 1.5× `sendBatch()`, 1 connection", by, "ext-batch-4",
           "ext-batch-1", 1.5)
    if lat:
        target("RTT %g ms: `sendBatch()`, 4 connections ≥ 1.5× `sendBatch()`, 1 connection" % args.latency_ms, lby,
               "ext-batch-4", "ext-batch-1", 1.5)
        target("RTT %g ms: `sendBatch()`, 4 connections ≥ 1.5× keep-alive `sendMessage()`" % args.latency_ms, lby,
               "ext-batch-4", "ext-message", 1.5)
    a("## Issue 6's targets")
    a("")
    a("| target | ratio | |")
    a("|---|---:|---|")
    L.extend(targets)
    a("")
    a("## Large attachments")
    a("")
    a("One message with a short text body and one attachment of random bytes (made at run time in /tmp, "
      "removed after), sent to the loopback sink. Time: measured in PHP around building and sending the "
      "message; the median of %d sends for the extension, one send for each peer. Peak RSS: of the whole "
      "PHP process (`/usr/bin/time -v`, the largest of the runs); *baseline* is the same script sending "
      "the message without the attachment. The DKIM rows sign with a throw-away RSA 2048 key "
      "(`setDkim()`): the message is produced twice, once into the signature and once onto the wire, "
      "the attachment read in chunks both times. The peers are there for scale: both use TCP_NODELAY here."
      % args.attach_runs)
    a("")
    a("| sender | attachment | time (s) | MiB/s | peak RSS (MiB) | baseline RSS (MiB) | growth (MiB) |")
    a("|---|---:|---:|---:|---:|---:|---:|")
    for r in attach:
        if "error" in r:
            a("| %s | %s | **failed**: %s | | | | |" % (r["who"], ("%d MiB" % r["mib"]) if "mib" in r else "",
                                                        md(r["error"])))
            continue
        a("| %s | %d MiB | %.2f | %.0f | %.1f | %.1f | %.1f |" % (
            r["who"], r["mib"], r["seconds"], r["mib"] / r["seconds"], r["rss"] / 1024, r["base_rss"] / 1024,
            (r["rss"] - r["base_rss"]) / 1024))
    a("")
    a("## How each contender was configured")
    a("")
    a("All send From `%s`, To `%s`, Subject `%s` and the same 12-line, 924-byte ASCII body "
      "(`bench/contenders.php`; smtp-source gets the same header and body from a file with `-F`). "
      "No TLS (the sink offers none; the extension has `setTls(\"off\")`), no AUTH. Each library adds "
      "its own headers (Date, Message-ID, MIME-Version, X-Mailer …), hence the different byte counts. "
      "A PHP contender times only its sending loop inside PHP (`hrtime()`), connecting and the final "
      "QUIT included, PHP's start-up and the loading of the library not; smtp-source is timed from "
      "outside (its process start-up, about a millisecond, included). Every send's result is checked: "
      "a run in which any message is not accepted fails." % (FROM, TO, SUBJECT))
    a("")
    for c in cs:
        a("- **%s**: %s" % (c.label, c.config))
    a("")
    a("## How round trips were counted")
    a("")
    a("`bench.py` puts a small TCP proxy (Python, loopback) between the contender and the sink and counts, "
      "per connection, the times the client waits for the server: server bytes that arrive after the "
      "client has sent something (connecting and waiting for the greeting counts as one). The proxy "
      "gathers the client's bytes until the client has been quiet for %d ms before passing them on, so "
      "commands written back to back without waiting for a reply count as one turn. Each contender runs "
      "once with one message per connection and once with 20 more; the difference divided by 20 is what "
      "one more message costs: on a reused connection its steady state, with a connection per message "
      "everything including connect, EHLO and QUIT. The same difference of client→server bytes is "
      "*client bytes/msg* (envelope commands, headers, body, the final dot). The proxy is used for this "
      "count only, never in the timed runs." % int(CountingProxy.QUIET * 1000))
    a("")
    a("What the client sent before each wait, in a session with two messages (a connection per message: "
      "one); `·` separates round trips, `‹message›` is the message text up to its final dot:")
    a("")
    a("A step that holds both `‹message›` and the next `MAIL` is a client that sends the next envelope "
      "before the reply to the final dot (RFC 2920 allows it): one round trip per message on a reused "
      "connection.")
    a("")
    a("| contender | round trips/msg | the dialogue, one step per round trip |")
    a("|---|---:|---|")
    for c in cs:
        if c.steps:
            a("| %s | %.1f | %s |" % (c.label, c.turns, md(" · ".join(c.steps))))
    a("")
    a("## Notes")
    a("")
    for n in notes:
        a("- " + n)
    a("")
    # The PHP-FPM section is make bench-fpm's (bench/bench_fpm.py): kept as it is.
    try:
        with open(path) as f:
            old = f.read()
        if FPM_BEGIN in old and FPM_END in old:
            L.extend(old[old.index(FPM_BEGIN):old.index(FPM_END) + len(FPM_END)].split("\n"))
            a("")
    except OSError:
        pass
    a("## Running it")
    a("")
    a("```")
    a("make bench                                   # build, install the peers if missing, run everything (~6 min)")
    a("BENCH_RUNS=3 BENCH_SECONDS=1 make bench      # quicker, noisier")
    a("BENCH_ONLY='ext-|source' make bench          # only the contenders whose key matches (a regex)")
    a("BENCH_BATCH=off make bench                   # placeholder rows for sendBatch() even when it exists")
    a("BENCH_LATENCY_MS=0 make bench                # skip the added-latency table")
    a("BENCH_PINNED=0 make bench                    # skip the one-CPU table")
    a("BENCH_IDLE_WAIT=0 make bench                 # do not wait for an idle machine first (default: up to 60 s)")
    a("```")
    a("")
    a("`bench/run.sh` installs, on Debian and only when missing, postfix (preseeded `Local only`; the "
      "postfix daemon is stopped again if the install started it), libphp-phpmailer, php-symfony-mailer, "
      "php-net-smtp, php-mail and time; starts `smtp-sink` on a free loopback port and stops it on exit, "
      "failure included. `bench/bench.py` runs the contenders (`bench/contenders.php`, and smtp-source), "
      "and writes this file and `results.svg`.")
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


# --------------------------------------------------------------------------------------------


def cpu_idle_fraction(seconds=1.0):
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return v[3] + v[4], sum(v)
    i0, t0 = snap()
    time.sleep(seconds)
    i1, t1 = snap()
    return (i1 - i0) / max(t1 - t0, 1)


def wait_for_idle(max_wait):
    """Waits (up to max_wait s) until the CPUs are at least 90% idle for a second; returns the last idle share."""
    deadline = time.time() + max_wait
    idle = cpu_idle_fraction()
    while idle < 0.9 and time.time() < deadline:
        log("waiting for an idle machine (CPU %.0f%% idle)" % (idle * 100))
        time.sleep(4)
        idle = cpu_idle_fraction()
    return idle


def measure(cs, port, runs, seconds, tag):
    active = [c for c in cs if not c.placeholder]
    log("%s: calibrating %d contenders for ~%.1f s runs" % (tag, len(active), seconds))
    for c in active:
        try:
            c.count = calibrate(c, port, seconds)
            log("  %-24s %8d messages/run" % (c.key, c.count))
        except Exception as e:  # noqa: BLE001 - a failed contender is reported, the others go on
            c.error = str(e)
            log("  %-24s FAILED: %s" % (c.key, c.error))
    for r in range(runs):
        for c in active:
            if c.error:
                continue
            try:
                sec, sent = run_once(c, port, c.count, timeout=max(30, 10 * seconds))
                c.rates.append(sent / sec)
            except Exception as e:  # noqa: BLE001
                c.error = "run %d: %s" % (r + 1, e)
                log("  %-24s FAILED: %s" % (c.key, c.error))
        log("%s run %d/%d: " % (tag, r + 1, runs) + ", ".join(
            "%s %s" % (c.key, fmt_rate(c.rates[-1])) for c in active if len(c.rates) == r + 1))
    return active


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True, help="the smtp-sink on 127.0.0.1")
    ap.add_argument("--so", required=True)
    ap.add_argument("--php", default=os.environ.get("PHP", "php"))
    ap.add_argument("--work", required=True, help="scratch directory (removed by run.sh)")
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "2.5")))
    ap.add_argument("--attach-runs", type=int, default=int(os.environ.get("BENCH_ATTACH_RUNS", "3")))
    ap.add_argument("--latency-ms", type=float, default=float(os.environ.get("BENCH_LATENCY_MS", "5")))
    ap.add_argument("--latency-runs", type=int, default=int(os.environ.get("BENCH_LATENCY_RUNS", "3")))
    ap.add_argument("--latency-seconds", type=float, default=float(os.environ.get("BENCH_LATENCY_SECONDS", "2")))
    ap.add_argument("--sink-pid", type=int, default=0, help="pinned to CPU 0 for the pinned table")
    ap.add_argument("--pinned", type=int, default=int(os.environ.get("BENCH_PINNED", "1")))
    ap.add_argument("--idle-wait", type=float, default=float(os.environ.get("BENCH_IDLE_WAIT", "60")))
    ap.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""))
    ap.add_argument("--batch", default=os.environ.get("BENCH_BATCH", "auto"), choices=["auto", "on", "off"])
    args = ap.parse_args()
    args.so = os.path.abspath(args.so)
    t_start = time.time()

    # An installed copy of the extension would be loaded twice: skip the ini files then.
    loaded = subprocess.run([args.php, "-r", 'exit(extension_loaded("sendmail") ? 0 : 1);'],
                            capture_output=True).returncode == 0
    args.noini = ["-n"] if loaded else []
    has_batch = subprocess.run([args.php] + args.noini + ["-d", "extension=" + args.so, "-r",
                                "exit(method_exists('SendMail', 'sendBatch') ? 0 : 1);"],
                               capture_output=True).returncode == 0
    if args.batch != "auto":
        has_batch = args.batch == "on"

    caps = sink_capabilities(args.port)
    capnames = [c.split()[0].upper() for c in caps]
    if "PIPELINING" not in capnames:
        sys.exit("bench: the sink does not offer PIPELINING: %s" % caps)
    idle = wait_for_idle(args.idle_wait) if args.idle_wait > 0 else None
    info = machine(args)
    info["runs"] = args.runs
    notes = []
    if idle is not None and idle < 0.9:
        notes.append("**The machine was busy** when the runs began (CPU %.0f%% idle after waiting %d s): other "
                     "work on its %s cores slowed some runs; compare the min – max spread."
                     % (idle * 100, args.idle_wait, info["nproc"]))
    if "CHUNKING" in capnames:
        notes.append("The sink offers CHUNKING: the extension's rows used BDAT wherever the extension supports "
                     "it; smtp-sink has no switch to hide it, so there is no without-CHUNKING row.")
    else:
        notes.append("CHUNKING (BDAT, RFC 3030): this smtp-sink (Postfix %s) does not offer it (nor has it a "
                     "switch to), so there is no with/without-CHUNKING comparison; every extension row used "
                     "PIPELINING." % info["postfix"])
    if not has_batch and args.batch != "off":
        notes.append("`SendMail::sendBatch()` was not in the extension when this ran: its rows are placeholders. "
                     "`make bench` looks for it (`method_exists`) and measures it once it is there.")

    msgfile = os.path.join(args.work, "msg.txt")
    with open(msgfile, "w") as f:
        f.write("From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <bench.smtp-source@example.com>\n\n"
                % (FROM, TO, SUBJECT, time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())))
        f.write("\n".join(body_lines()) + "\n")

    cs = build_contenders(args, msgfile, has_batch)
    active = measure(cs, args.port, args.runs, args.seconds, "loopback")
    for c in active:
        if c.error and c.rates:
            notes.append("%s failed after %d good runs (%s); its median is of those." % (c.label, len(c.rates), md(c.error)))
        elif c.error:
            notes.append("%s failed: %s" % (c.label, md(c.error)))

    log("counting round trips through a proxy")
    proxy = CountingProxy(args.port)
    try:
        for c in active:
            if c.error and not c.rates:
                continue
            try:
                c.turns, c.wire_bytes, sessions, c.steps = count_round_trips(c, proxy)
                log("  %-24s %.2f round trips/msg, %.0f bytes/msg (%d connections)" % (c.key, c.turns, c.wire_bytes, sessions))
            except Exception as e:  # noqa: BLE001
                log("  %-24s round trips not counted: %s" % (c.key, e))
    finally:
        proxy.close()

    lat = []
    if args.latency_ms > 0:
        keys = ("ext-legacy", "ext-keepalive", "ext-message", "ext-batch-1", "ext-batch-2", "ext-batch-4",
                "source-keep", "phpmailer-keep-nodelay", "pear-nodelay-pipe")
        lat = [c for c in build_contenders(args, msgfile, has_batch) if c.key in keys]
        delay = DelayProxy(args.port, args.latency_ms)
        try:
            measure(lat, delay.port, args.latency_runs, args.latency_seconds, "RTT %g ms" % args.latency_ms)
        finally:
            delay.close()
        for c in lat:
            if c.error:
                notes.append("With added latency, %s failed: %s" % (c.label, md(c.error)))

    pinned = []
    if args.pinned and args.sink_pid and shutil.which("taskset"):
        keys = ("ext-keepalive", "ext-message", "ext-batch-4", "source-keep", "phpmailer-keep-nodelay",
                "pear-nodelay-pipe")
        pinned = [c for c in build_contenders(args, msgfile, has_batch) if c.key in keys]
        for c in pinned:
            c.argv = (lambda f: lambda port, n: ["taskset", "-c", "0"] + f(port, n))(c.argv)
        mask = sh("taskset -p %d" % args.sink_pid).rsplit(":", 1)[-1].strip()
        try:
            subprocess.run(["taskset", "-a", "-p", "-c", "0", str(args.sink_pid)], check=True, capture_output=True)
            measure(pinned, args.port, args.latency_runs, args.latency_seconds, "one CPU")
        finally:
            if mask:
                subprocess.run(["taskset", "-a", "-p", mask, str(args.sink_pid)], capture_output=True)
        for c in pinned:
            if c.error:
                notes.append("Pinned to one CPU, %s failed: %s" % (c.label, md(c.error)))

    log("large attachments")
    attach = attachment_runs(args, args.port, args.work, (10, 100), args.attach_runs)

    info["load_end"] = open("/proc/loadavg").read().split()[:3]
    by = {c.key: c for c in cs}
    b1, b4 = by.get("ext-batch-1"), by.get("ext-batch-4")
    note = ("Client and sink share the %s cores and smtp-sink is a single process. A loopback round trip "
            "costs no network time, but on this virtual machine it costs the wake-up of an idle CPU (see "
            "the one-CPU table), so the loopback rates depend on other load: a busy machine makes them "
            "*faster*. That is why the run first waits for an idle machine, and why the added-latency "
            "table exists." % info["nproc"])
    if b1 and b4 and b1.median and b4.median:
        note += (" Here `sendBatch()` with 4 connections ran at %s× its 1-connection rate on loopback"
                 % fmt_ratio(b4.median / b1.median).rstrip("×"))
        if lat:
            lb = {c.key: c for c in lat}
            if lb.get("ext-batch-1") and lb["ext-batch-1"].median and lb.get("ext-batch-4") and lb["ext-batch-4"].median:
                note += " and at %s× with the added latency" % fmt_ratio(
                    lb["ext-batch-4"].median / lb["ext-batch-1"].median).rstrip("×")
        note += "."
    notes.append(note)
    notes.append("The whole run took %.0f s (without installing and building)." % (time.time() - t_start))
    os.makedirs(args.out, exist_ok=True)
    panels = [("Loopback: Postfix smtp-sink on 127.0.0.1", cs)]
    if lat:
        panels.append(("Same sink behind a proxy adding %g ms of round-trip time" % args.latency_ms, lat))
    write_svg(os.path.join(args.out, "results.svg"), panels, info)
    write_readme(os.path.join(args.out, "README.md"), cs, lat, pinned, info, attach, caps, notes, args)
    log("wrote %s and %s" % (os.path.join(args.out, "README.md"), os.path.join(args.out, "results.svg")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
