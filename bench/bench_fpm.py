#!/usr/bin/env python3
"""Mail sent from PHP-FPM requests, the common case: `make bench-fpm` (bench/run-fpm.sh).

php-fpm with 4 static workers runs bench/fpm-page.php; each request sends one ~1 KB message over
STARTTLS with AUTH to the aiosmtpd sink (tests/servers/sink.py: PIPELINING, CHUNKING beside
DATA, AUTH PLAIN LOGIN, certificates from tests/certs.sh), through the delay proxy of bench.py
(round trip 20 ms, the TCP handshake included) or straight to it (0 ms). Contenders: PHPMailer
and Symfony Mailer (both with TCP_NODELAY), SendMail with a new connection per request, and
SendMail with setPersistent(true). For each contender a fresh pool:

  1. counting: COUNT requests one after another through the proxy (20 ms), a pause of 3 RTT
     between them; the proxy's round trips (server bytes after client bytes, plus one for each
     TCP connect) fall into the request they happened in. A worker's first request is its
     first mail (connect, TLS, AUTH …); the others show the steady state.
  2. load: 4 requests in flight (one per worker, closed loop) for SECONDS: per-request latency
     as the FastCGI client sees it (median, p99), requests/s, and the round trips of the whole
     run divided by its requests.
  3. the same load with 0 ms, straight to the sink (no proxy), on a fresh pool.
The sink's .json of each message says its connection, TLS version and whether the TLS session
was resumed: handshakes full and resumed are counted per connection. Every request must answer
{"ok": true} and every message arrive exactly once, or the contender's row says it failed.

Writes its section into bench/README.md (between the bench-fpm markers; `make bench` keeps it)
and bench/fpm.svg. Standard library only (the sink needs the .venv's aiosmtpd).
"""

import argparse
import concurrent.futures
import datetime
import glob
import html
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "fpm"))
sys.path.insert(0, HERE)
import fastcgi  # noqa: E402
from bench import FPM_BEGIN as BEGIN, FPM_END as END, DelayProxy, build_of, cpu_model, sh  # noqa: E402
from fpm import Fpm  # noqa: E402

PAGE = os.path.join(HERE, "fpm-page.php")
WORKERS = 4
USER, PASSWORD = "bench@example.com", "bench-s3cret"


def log(*a):
    print("bench-fpm:", *a, file=sys.stderr, flush=True)


class Contender:
    def __init__(self, key, label, mode, listener, config, ext=False, short=None):
        self.key, self.label, self.mode, self.listener, self.config = key, label, mode, listener, config
        self.short = short or label
        self.ext = ext
        self.results = {}      # rtt -> dict
        self.error = None
        self.placeholder = None


def contenders(has_persistent):
    cs = [
        Contender("phpmailer", "PHPMailer", "phpmailer", "chunking",
                  "PHPMailer %s: `isSMTP()`, `SMTPSecure = 'tls'` (STARTTLS), `SMTPAuth`, `SMTPKeepAlive` off "
                  "(its default: QUIT after the message), `SMTPOptions` with the CA file and `tcp_nodelay`."),
        Contender("symfony", "Symfony Mailer", "symfony", "chunking",
                  "Symfony Mailer %s: `new EsmtpTransport('127.0.0.1', PORT, false)` (STARTTLS when offered), "
                  "`setUsername()`, `setPassword()`, stream options with the CA file and `tcp_nodelay`, "
                  "`(new Mailer($transport))->send($email)`; QUIT when the transport goes, inside the request."),
        Contender("ext-new", "SendMail, a new connection each request", "ext-new", "chunking",
                  "`(new SendMail('127.0.0.1:PORT'))->setTls('required')->setCaFile($ca)->setAuth($user, $password)`, "
                  "`sendMessage(new SendMail\\Message …)`.", ext=True, short="SendMail, new connection"),
        Contender("ext-persistent", "SendMail, persistent", "ext-persistent", "chunking",
                  "the same plus `setPersistent(true)`: the worker keeps the connection for its next request.",
                  ext=True, short="SendMail, persistent"),
        Contender("ext-new-data", "SendMail, a new connection each request (DATA only)", "ext-new", "data",
                  "as *SendMail, a new connection each request*, to a listener without CHUNKING.", ext=True,
                  short="SendMail, new connection, DATA"),
        Contender("ext-persistent-data", "SendMail, persistent (DATA only)", "ext-persistent", "data",
                  "as *SendMail, persistent*, to a listener without CHUNKING.", ext=True,
                  short="SendMail, persistent, DATA"),
    ]
    for c in cs:
        if c.mode == "ext-persistent" and not has_persistent:
            c.placeholder = "not measured: `SendMail::setPersistent()` is not in this build"
    return cs


# ------------------------------------------------------------------------------------------
# The sink


class Sink:
    def __init__(self, work, certs):
        self.work = work
        self.maildir = os.path.join(work, "maildir")
        python = os.path.join(ROOT, ".venv", "bin", "python")
        cert = {"tls-cert": os.path.join(certs, "server.pem"), "tls-key": os.path.join(certs, "server.key")}
        common = {**cert, "auth": f"{USER}:{PASSWORD}", "auth-require-tls": True, "auth-required": True,
                  "mechanisms": "PLAIN,LOGIN", "pipelining": True}
        listeners = os.path.join(work, "listeners.json")
        with open(listeners, "w") as f:
            json.dump({"chunking": {**common, "chunking": True}, "data": common}, f)
        port_file = os.path.join(work, "sink.ports")
        self.log = open(os.path.join(work, "sink.log"), "wb")
        self.proc = subprocess.Popen([python, os.path.join(ROOT, "tests/servers/sink.py"), "--maildir", self.maildir,
                                      "--listeners", listeners, "--port-file", port_file],
                                     stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("bench-fpm: the sink did not start: "
                                 + open(os.path.join(work, "sink.log"), errors="replace").read()[-2000:])
            time.sleep(0.05)
        self.ports = {}
        for line in open(port_file):
            name, port = line.split()
            self.ports[name] = int(port)
        self.seen = set()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()

    def new_messages(self):
        """The .json of every message stored since the last call."""
        out = []
        for path in sorted(glob.glob(os.path.join(self.maildir, "*.json"))):
            if path in self.seen:
                continue
            self.seen.add(path)
            with open(path) as f:
                out.append(json.load(f))
        return out


def server_view(messages):
    """From the sink's records: connections, TLS handshakes full and resumed, TLS versions."""
    conns = {}
    for m in messages:
        conns.setdefault(m["connection"], m)
    versions = sorted({m["tls_version"] or "none" for m in conns.values()})
    return {"messages": len(messages), "connections": len(conns),
            "full": sum(1 for m in conns.values() if m["tls"] and not m["tls_resumed"]),
            "resumed": sum(1 for m in conns.values() if m["tls_resumed"]),
            "tls_versions": versions}


# ------------------------------------------------------------------------------------------
# Runs


class Run:
    def __init__(self, fpm, mode, port, tag):
        self.fpm, self.mode, self.port, self.tag = fpm, mode, port, tag
        self.lock = threading.Lock()
        self.n = 0
        self.failures = []

    def one(self, extra=""):
        with self.lock:
            self.n += 1
            i = self.n
        query = f"mode={self.mode}&port={self.port}&id={self.tag}-{i}" + extra
        t0 = time.monotonic()
        try:
            r = self.fpm.request(PAGE, query, timeout=60)
            body = json.loads(r.body) if r.body[:1] == b"{" else {"ok": False, "error": f"status {r.status}: {r.text[:200]} {r.stderr[:200]}"}
        except (fastcgi.FastCGIError, ValueError) as e:
            body = {"ok": False, "error": str(e)}
        t1 = time.monotonic()
        body.update(t0=t0, t1=t1, id=f"{self.tag}-{i}")
        if not body.get("ok"):
            with self.lock:
                self.failures.append(body.get("error", "?"))
        return body


def count_phase(fpm, c, proxy, port, count, rtt):
    """Requests one at a time through the counting proxy; each one's round trips and connections."""
    run = Run(fpm, c.mode, port, f"{c.key}-count")
    gap = max(0.05, 3 * rtt / 1000)
    rows = []
    for i in range(count):
        with proxy.lock:
            t_before = len(proxy.turns), len(proxy.accepts)
        r = run.one("&transcript=1" if c.ext else "")
        time.sleep(gap)
        with proxy.lock:
            turns = [t for t in proxy.turns[t_before[0]:] if t[0] <= r["t1"] + gap / 2]
            accepts = [a for a in proxy.accepts[t_before[1]:] if a[0] <= r["t1"]]
        r["turns"] = len(turns) + len(accepts)      # + 1 per TCP connect
        r["connects"] = len(accepts)
        rows.append(r)
    seen = set()
    first, warm = [], []
    for r in rows:
        (warm if r.get("pid") in seen else first).append(r)
        seen.add(r.get("pid"))
    return run, rows, first, warm


def load_phase(fpm, c, port, seconds, tag):
    run = Run(fpm, c.mode, port, tag)
    rows = []
    stop_at = time.monotonic() + seconds
    t_start = time.monotonic()

    def loop():
        out = []
        while time.monotonic() < stop_at:
            out.append(run.one())
        return out

    with concurrent.futures.ThreadPoolExecutor(WORKERS) as ex:
        for part in ex.map(lambda _: loop(), range(WORKERS)):
            rows.extend(part)
    wall = max(r["t1"] for r in rows) - t_start
    return run, rows, wall


def pct(values, p):
    v = sorted(values)
    if not v:
        return None
    k = (len(v) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def measure(c, sink, args, env, rtt):
    """One contender at one RTT on a fresh pool: its numbers, or raises RuntimeError."""
    port = sink.ports[c.listener]
    res = {}
    with Fpm(args.so, WORKERS, env=env, php_version=args.php_version) as fpm:
        proxy = None
        if rtt:
            proxy = DelayProxy(port, rtt, connect_rtt=True)
        try:
            if rtt:
                run, rows, first, warm = count_phase(fpm, c, proxy, proxy.port, args.count, rtt)
                if run.failures:
                    raise RuntimeError(run.failures[0])
                view = server_view(sink.new_messages())
                if view["messages"] != len(rows):
                    raise RuntimeError(f"{len(rows)} sent, {view['messages']} arrived")
                res["first"] = [r["turns"] for r in first]
                res["first_connects"] = [r["connects"] for r in first]
                res["warm"] = [r["turns"] for r in warm]
                res["count_view"] = view
                if c.ext:
                    res["transcripts"] = {"first": first[0].get("transcript", ""),
                                          "warm": warm[-1].get("transcript", "") if warm else ""}
                with proxy.lock:
                    t0 = (len(proxy.turns), len(proxy.accepts))
            run, rows, wall = load_phase(fpm, c, proxy.port if proxy else port, args.seconds, f"{c.key}-{rtt:g}ms")
            if run.failures:
                raise RuntimeError(f"{len(run.failures)} of {len(rows)} requests failed: {run.failures[0]}")
            view = server_view(sink.new_messages())
            if view["messages"] != len(rows):
                raise RuntimeError(f"{len(rows)} sent, {view['messages']} arrived")
            lat = [(r["t1"] - r["t0"]) * 1000 for r in rows]
            res.update(requests=len(rows), wall=wall, rps=len(rows) / wall, median=statistics.median(lat),
                       p99=pct(lat, 99), view=view)
            if proxy:
                time.sleep(0.2)
                with proxy.lock:
                    res["run_turns"] = (len(proxy.turns) - t0[0] + len(proxy.accepts) - t0[1]) / len(rows)
        finally:
            if proxy:
                proxy.close()
        stopped = fpm.stop()
        errors = fpm.errors()
    if errors:
        raise RuntimeError("php-fpm logged: " + errors[-500:])
    if stopped != "graceful":
        raise RuntimeError(f"php-fpm did not stop gracefully ({stopped})")
    sink.new_messages()
    return res


# ------------------------------------------------------------------------------------------
# Output


def machine(args, fpm_binary):
    cpu, vm = cpu_model()
    pkg = lambda name: sh(f"dpkg-query -W -f '${{Version}}' {name}")  # noqa: E731
    aiosmtpd = sh(f"{ROOT}/.venv/bin/python -c 'import aiosmtpd; print(aiosmtpd.__version__)'")
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": sh("nproc"), "cpu": cpu + (" (virtual machine: the `hypervisor` CPU flag is set)" if vm else ""),
        "kernel": platform.release(),
        "php": sh(f"{fpm_binary} -v").splitlines()[0] if sh(f"{fpm_binary} -v") else "",
        "so": build_of(args.so),
        "phpmailer": pkg("libphp-phpmailer"), "symfony": pkg("php-symfony-mailer"), "aiosmtpd": aiosmtpd,
        "load": open("/proc/loadavg").read().split()[:3],
    }


def fmt_ms(x):
    return "–" if x is None else ("%.1f" % x if x < 100 else "%.0f" % x)


def fmt_ratio(x):
    return "%.2f×" % x if x < 10 else ("%.1f×" % x if x < 100 else "%.0f×" % x)


def fmt_rt(values):
    if not values:
        return "–"
    lo, hi = min(values), max(values)
    return "%d" % lo if lo == hi else "%d–%d" % (lo, hi)


def nice_step(hi, ticks=5):
    """A round step (1, 2 or 5 × 10^k) that divides 0..hi into at most TICKS parts."""
    raw = hi / ticks
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)


def write_svg(path, cs, rtts, info):
    left, bar_w, right, row_h = 300, 420, 270, 22
    width = left + bar_w + right
    out = []
    y = 56
    for rtt in rtts:
        rows = [c for c in cs if rtt in c.results or c.placeholder]
        out.append('<text x="12" y="%d" font-size="13" font-weight="bold">%s</text>' % (
            y + 14, html.escape("Round trip %g ms%s: median latency of a request (bar), p99 (tick)"
                                % (rtt, ", TCP handshake included" if rtt else ", straight to the sink"))))
        top = y + 32
        bottom = top + row_h * len(rows)
        step = nice_step(max((c.results[rtt]["p99"] for c in rows if rtt in c.results), default=1))
        hi = step * math.ceil(max((c.results[rtt]["p99"] for c in rows if rtt in c.results), default=1) / step)
        v = 0.0
        while v <= hi + step / 2:
            x = left + bar_w * v / hi
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e5e7eb"/>' % (x, top - 6, x, bottom))
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#666">%s</text>' % (x, bottom + 14, "%g" % v))
            v += step
        out.append('<text x="%d" y="%d" text-anchor="end" fill="#666">ms</text>' % (left - 12, bottom + 14))
        for i, c in enumerate(rows):
            yy = top + i * row_h
            out.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 8, yy + 11, html.escape(c.short)))
            if rtt not in c.results:
                out.append('<text x="%d" y="%d" fill="#b91c1c" font-style="italic">not measured</text>' % (left + 4, yy + 11))
                continue
            r = c.results[rtt]
            color = "#2563eb" if c.ext else "#9ca3af"
            w = bar_w * r["median"] / hi
            out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (left, yy, max(w, 1), row_h - 7, color))
            xp = left + bar_w * r["p99"] / hi
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#111" stroke-width="2"/>' % (xp, yy - 2, xp, yy + row_h - 5))
            note = "%s ms · p99 %s · %.0f req/s" % (fmt_ms(r["median"]), fmt_ms(r["p99"]), r["rps"])
            if "warm" in r:
                note += " · %s RT" % fmt_rt(r["warm"])
            out.append('<text x="%.1f" y="%d" fill="#111">%s</text>' % (max(left + w, xp) + 6, yy + 11, html.escape(note)))
        y = bottom + 40
    out.append('<rect x="%d" y="%d" width="12" height="12" fill="#2563eb"/><text x="%d" y="%d">sendmail extension</text>'
               % (left, y - 10, left + 17, y))
    out.append('<rect x="%d" y="%d" width="12" height="12" fill="#9ca3af"/><text x="%d" y="%d">PHP mailers (TCP_NODELAY)</text>'
               % (left + 170, y - 10, left + 187, y))
    height = y + 16
    head = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
            'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">' % (width, height, width, height),
            '<rect width="100%" height="100%" fill="#ffffff"/>',
            '<text x="12" y="20" font-size="15" font-weight="bold">One ~1 KB mail per PHP-FPM request, STARTTLS + AUTH, '
            '%d workers</text>' % WORKERS,
            '<text x="12" y="38" fill="#444">%s · %s CPUs · %s · %s · RT: round trips of a warm worker\'s mail</text>'
            % (html.escape(info["cpu"].split(" (")[0]), info["nproc"], html.escape(info["php"].split(" (")[0]), info["date"])]
    with open(path, "w") as f:
        f.write("\n".join(head + out + ["</svg>"]) + "\n")


def section(cs, rtts, info, args, caps, notes):
    L = []
    a = L.append
    a(BEGIN)
    a("## Mail from PHP-FPM requests: STARTTLS, AUTH, a relay 20 ms away")
    a("")
    a("**Generated by `make bench-fpm` (`bench/bench_fpm.py`) on %s: do not edit by hand, re-run it.**" % info["date"])
    a("")
    a("Most PHP mail leaves from inside a web request: a PHP-FPM worker, a relay a network hop away, "
      "STARTTLS and AUTH. Here php-fpm runs %d static workers; a FastCGI client (tests/fpm/fastcgi.py) "
      "requests `bench/fpm-page.php`, which sends one ~1 KB message (the body of the loopback runs above) "
      "to an aiosmtpd sink over STARTTLS with AUTH, the certificate checked against the test CA." % WORKERS)
    a("")
    a("![latency per request](fpm.svg)")
    a("")
    a("| | |")
    a("|---|---|")
    a("| date | %s |" % info["date"])
    a("| CPUs (`nproc`) | %s |" % info["nproc"])
    a("| CPU model | %s |" % info["cpu"])
    a("| kernel | %s |" % info["kernel"])
    a("| PHP-FPM | %s; pm=static, %d workers, opcache as Debian ships it |" % (info["php"], WORKERS))
    a("| extension | %s |" % info["so"])
    a("| peers (Debian packages) | libphp-phpmailer %s, php-symfony-mailer %s |" % (info["phpmailer"], info["symfony"]))
    a("| sink | aiosmtpd %s (tests/servers/sink.py), one process; EHLO after STARTTLS offers %s (the DATA-only "
      "listener the same without CHUNKING) |" % (info["aiosmtpd"], ", ".join(caps)))
    a("| load average at start / end | %s / %s |" % (" ".join(info["load"]), " ".join(info["load_end"])))
    a("")
    for rtt in rtts:
        rows = [c for c in cs if rtt in c.results or c.placeholder or (c.error and rtt in c.error)]
        if rtt:
            a("### Round trip %g ms" % rtt)
            a("")
            a("Through the delay proxy of bench.py (%g ms each way; a connection's greeting comes 2 RTT after "
              "the connect, as over a TCP handshake). Round trips are counted in the proxy: a flight of the "
              "client followed by a flight of the server, plus one for each TCP connect. *First mail*: "
              "the first request of each of the %d workers, one request at a time; *warm*: the %d requests after "
              "those; *in the run*: all round trips of the load run ÷ its requests. Latency: %d requests in "
              "flight (one per worker) for %g s, measured by the FastCGI client around each request. TLS "
              "handshakes: per connection, as the sink saw them, in the load run."
              % (rtt / 2, WORKERS, args.count - WORKERS, WORKERS, args.seconds))
            a("")
            a("| contender | median (ms) | p99 (ms) | PHPMailer's median ÷ this | requests/s | requests | round trips: "
              "first mail | warm | in the run | TLS handshakes full / resumed | connections | TLS |")
            a("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        else:
            a("### Round trip 0 ms (loopback, no proxy)")
            a("")
            a("The same, straight to the sink: what is left is CPU (PHP, TLS, the Python sink, all on %s cores)."
              % info["nproc"])
            a("")
            a("| contender | median (ms) | p99 (ms) | PHPMailer's median ÷ this | requests/s | requests "
              "| TLS handshakes full / resumed | connections |")
            a("|---|---:|---:|---:|---:|---:|---:|---:|")
        pm = next((c.results[rtt]["median"] for c in cs if c.key == "phpmailer" and rtt in c.results), None)
        for c in rows:
            if c.placeholder:
                a("| %s | *%s* |" % (c.label, c.placeholder) + " |" * (10 if rtt else 6))
                continue
            if rtt not in c.results:
                a("| %s | **failed**: %s |" % (c.label, c.error.replace("|", "\\|")) + " |" * (10 if rtt else 6))
                continue
            r = c.results[rtt]
            v = r["view"]
            ratio = fmt_ratio(pm / r["median"]) if pm else "–"
            if rtt:
                a("| %s | **%s** | %s | %s | %.1f | %d | %s | %s | %.2f | %d / %d | %d | %s |" % (
                    c.label, fmt_ms(r["median"]), fmt_ms(r["p99"]), ratio, r["rps"], r["requests"], fmt_rt(r["first"]),
                    fmt_rt(r["warm"]), r["run_turns"], v["full"], v["resumed"], v["connections"],
                    ", ".join(v["tls_versions"])))
            else:
                a("| %s | **%s** | %s | %s | %.0f | %d | %d / %d | %d |" % (
                    c.label, fmt_ms(r["median"]), fmt_ms(r["p99"]), ratio, r["rps"], r["requests"], v["full"],
                    v["resumed"], v["connections"]))
        a("")
    by = {c.key: c for c in cs}
    rtt = rtts[0] if rtts and rtts[0] else None
    a("### Issue 14's targets")
    a("")
    a("| target | measured | |")
    a("|---|---|---|")

    def get(key, field):
        c = by.get(key)
        return c.results.get(rtt, {}).get(field) if c and rtt else None

    def target(text, value, ok, shown):
        a("| %s | %s | %s |" % (text, shown if value is not None else "–",
                                 "not measured" if value is None else ("met" if ok else "**not met**")))

    w = get("ext-persistent", "warm")
    target("a warm persistent worker's mail, PIPELINING + CHUNKING: ≤ 1.2 round trips", w,
           w and statistics.mean(w) <= 1.2, w and "%.2f (mean of %d)" % (statistics.mean(w), len(w)))
    w = get("ext-persistent-data", "warm")
    target("the same with DATA only: ≤ 2.2 round trips", w, w and statistics.mean(w) <= 2.2,
           w and "%.2f (mean of %d)" % (statistics.mean(w), len(w)))
    m1, m2 = get("phpmailer", "median"), get("ext-persistent", "median")
    target("median latency at %g ms: persistent ≥ 5× below PHPMailer" % (rtt or 0), m1 and m2,
           m1 and m2 and m1 / m2 >= 5, m1 and m2 and "%.1f× (%s ms against %s ms)" % (m1 / m2, fmt_ms(m2), fmt_ms(m1)))
    f = get("ext-persistent", "first")
    target("a worker's first mail: ≤ 8 round trips", f, f and max(f) <= 8, f and "%s (the %d workers)" % (fmt_rt(f), len(f)))
    a("")
    def first(key):
        r = by.get(key) and by[key].results.get(rtt, {}).get("first")
        return fmt_rt(r) if r else "–"

    a("What the round trips of a worker's first mail are, one step each (the dialogues as the clients "
      "log them: the extension's `getTranscript()`, PHPMailer's `SMTPDebug`, Symfony's "
      "`SentMessage::getDebug()`):")
    a("")
    a("- SendMail, persistent (%s counted): TCP connect · greeting · EHLO · STARTTLS · TLS handshake (TLS 1.3: "
      "one) · EHLO · AUTH PLAIN · MAIL, RCPT, `BDAT n LAST` and the message in one write. A warm mail is that "
      "last step alone; with a new connection each request QUIT follows (%s); with DATA only, MAIL, RCPT and "
      "DATA go together and the message follows the 354 (%s, warm %s)."
      % (first("ext-persistent"), first("ext-new"), first("ext-persistent-data"),
         fmt_rt(get("ext-persistent-data", "warm") or [])))
    a("- PHPMailer (%s) and Symfony Mailer (%s): TCP connect · greeting · EHLO · STARTTLS · TLS handshake · "
      "EHLO · AUTH LOGIN · user name · password · MAIL · RCPT · DATA · the message · QUIT. Both prefer "
      "CRAM-MD5, then LOGIN, then PLAIN: the server offers PLAIN and LOGIN, as submission servers commonly "
      "do, so they take LOGIN; neither pipelines; every request starts afresh with "
      "a full TLS handshake (PHP's streams keep no TLS sessions between requests)."
      % (first("phpmailer"), first("symfony")))
    a("")
    tr = by.get("ext-persistent") and by["ext-persistent"].results.get(rtt, {}).get("transcripts")
    if tr and tr.get("warm"):
        a("The extension's transcript (`getTranscript()`) of a warm persistent request: the three commands "
          "and the message leave in one write, and the three replies come back together:")
        a("")
        a("```")
        a(re.sub(r"\n{2,}", "\n", tr["warm"]).strip()[:1500])
        a("```")
        a("")
    a("How each contender sends:")
    a("")
    for c in cs:
        cfg = c.config
        if "%s" in cfg:
            cfg = cfg % (info["phpmailer"] if c.key == "phpmailer" else info["symfony"])
        a("- **%s**: %s" % (c.label, cfg))
    a("")
    try:
        busy = float(info["load"][0]) > 0.5 * int(info["nproc"])
    except (ValueError, KeyError, IndexError):
        busy = False
    if busy:
        notes = ["**The machine was busy** with other work (load average %s at the start on %s cores): the 0 ms "
                 "rows, where CPU is all that counts, are slower than on an idle machine; the 20 ms rows are "
                 "set by round trips and barely move." % (info["load"][0], info["nproc"])] + list(notes)
    for n in notes:
        a("- " + n)
    if notes:
        a("")
    a("```")
    a("make bench-fpm                               # build, install the peers if missing, run (~%d min)" % max(1, round(args.expected / 60)))
    a("BENCH_FPM_SECONDS=4 BENCH_FPM_COUNT=8 make bench-fpm   # quicker, noisier")
    a("BENCH_FPM_ONLY='ext-' make bench-fpm         # only the contenders whose key matches (a regex)")
    a("BENCH_FPM_RTTS=20 make bench-fpm             # only these round trips (ms, comma-separated)")
    a("BENCH_FPM_RESULTS=/tmp/r.json make bench-fpm # also keep the raw numbers; then, measuring nothing:")
    a(".venv/bin/python bench/bench_fpm.py --replot /tmp/r.json   # rewrite this section and the chart")
    a("```")
    a(END)
    return "\n".join(L) + "\n"


def write_readme(path, text):
    old = open(path).read() if os.path.exists(path) else ""
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN)] + text + old[old.index(END) + len(END) + 1:]
    else:
        marker = "\n## Running it\n"
        new = old.replace(marker, "\n" + text + marker, 1) if marker in old else old.rstrip("\n") + "\n\n" + text
    with open(path, "w") as f:
        f.write(new)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--so", default=os.environ.get("SENDMAIL_SO", os.path.join(ROOT, "target/release/libsendmail.so")))
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_FPM_SECONDS", "10")))
    ap.add_argument("--count", type=int, default=int(os.environ.get("BENCH_FPM_COUNT", "16")),
                    help="requests of the counting phase (the first %d are the workers' first)" % WORKERS)
    ap.add_argument("--rtts", default=os.environ.get("BENCH_FPM_RTTS", "20,0"))
    ap.add_argument("--only", default=os.environ.get("BENCH_FPM_ONLY", ""))
    ap.add_argument("--results", help="also write the raw numbers to this JSON file")
    ap.add_argument("--replot", metavar="JSON", help="write the README section and chart from a --results file, "
                    "measuring nothing")
    args = ap.parse_args()
    if args.replot:
        return replot(args)
    args.so = os.path.abspath(args.so)
    rtts = [float(x) for x in args.rtts.split(",") if x.strip()]
    t_start = time.time()
    args.php_version = sh("php -r 'echo PHP_MAJOR_VERSION, \".\", PHP_MINOR_VERSION;'") or None
    has_persistent = subprocess.run(["php", "-n", "-d", "extension=" + args.so, "-r",
                                     "exit(method_exists('SendMail', 'setPersistent') ? 0 : 1);"],
                                    capture_output=True).returncode == 0
    cs = contenders(has_persistent)
    if args.only:
        cs = [c for c in cs if re.search(args.only, c.key)]
    args.expected = len(cs) * len(rtts) * (args.seconds + 3) + len(cs) * args.count * 0.5
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="sendmail-bench-fpm-", dir=base)
    sink = None
    try:
        certs = os.path.join(work, "certs")
        subprocess.run(["bash", os.path.join(ROOT, "tests/certs.sh"), certs], check=True)
        sink = Sink(work, certs)
        env = {"BENCH_CA": os.path.join(certs, "ca.pem"), "BENCH_USER": USER, "BENCH_PASSWORD": PASSWORD}
        from fpm import find_fpm
        info = machine(args, find_fpm(args.php_version))
        caps = [x for x in sink_caps_after_tls(sink, certs)]
        log("sink ports %s; %d contenders × RTT %s ms" % (sink.ports, len(cs), rtts))
        for rtt in rtts:
            for c in cs:
                if c.placeholder:
                    continue
                try:
                    c.results[rtt] = measure(c, sink, args, env, rtt)
                    r = c.results[rtt]
                    log("RTT %g ms %-20s median %s ms, p99 %s ms, %.1f req/s%s" % (
                        rtt, c.key, fmt_ms(r["median"]), fmt_ms(r["p99"]), r["rps"],
                        ", round trips first %s warm %s run %.2f" % (fmt_rt(r["first"]), fmt_rt(r["warm"]), r["run_turns"])
                        if rtt else ""))
                except RuntimeError as e:
                    c.error = "RTT %g ms: %s" % (rtt, e)
                    log("RTT %g ms %-20s FAILED: %s" % (rtt, c.key, e))
        info["load_end"] = open("/proc/loadavg").read().split()[:3]
    finally:
        if sink:
            sink.stop()
        shutil.rmtree(work, ignore_errors=True)
    notes = []
    if any(c.placeholder for c in cs):
        notes.append("`SendMail::setPersistent()` was not in the extension when this ran: its rows are placeholders; "
                     "`make bench-fpm` measures them once it is there.")
    notes.append("Client, proxy, php-fpm and the sink share the machine's %s cores; the whole run took %.0f s."
                 % (info["nproc"], time.time() - t_start))
    if args.results:
        with open(args.results, "w") as f:
            json.dump({"info": info, "caps": caps, "notes": notes, "rtts": rtts, "count": args.count,
                       "seconds": args.seconds, "expected": args.expected,
                       "results": {c.key: {"%g" % k: v for k, v in c.results.items()} for c in cs},
                       "errors": {c.key: c.error for c in cs},
                       "placeholders": {c.key: c.placeholder for c in cs}}, f, indent=1)
    write_outputs(args, cs, rtts, info, caps, notes)
    return 0


def write_outputs(args, cs, rtts, info, caps, notes):
    write_svg(os.path.join(args.out, "fpm.svg"), cs, [r for r in rtts if any(r in c.results for c in cs)], info)
    write_readme(os.path.join(args.out, "README.md"), section(cs, rtts, info, args, caps, notes))
    log("wrote %s (its bench-fpm section) and %s" % (os.path.join(args.out, "README.md"),
                                                     os.path.join(args.out, "fpm.svg")))


def replot(args):
    with open(args.replot) as f:
        d = json.load(f)
    cs = [c for c in contenders(True) if c.key in d["results"]]
    for c in cs:
        c.results = {float(k): v for k, v in d["results"][c.key].items()}
        c.error = d.get("errors", {}).get(c.key)
        c.placeholder = d.get("placeholders", {}).get(c.key)
    args.count, args.seconds = d.get("count", args.count), d.get("seconds", args.seconds)
    args.expected = d.get("expected", len(cs) * len(d["rtts"]) * (args.seconds + 3) + len(cs) * args.count * 0.5)
    write_outputs(args, cs, d["rtts"], d["info"], d["caps"], d["notes"])
    return 0


def sink_caps_after_tls(sink, certs):
    """The chunking listener's EHLO after STARTTLS."""
    import socket
    import ssl
    ctx = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
    s = socket.create_connection(("127.0.0.1", sink.ports["chunking"]), timeout=5)
    f = s.makefile("rb")
    f.readline()

    def ehlo(sock, fh):
        sock.sendall(b"EHLO bench.localhost\r\n")
        caps = []
        while True:
            line = fh.readline().decode().rstrip("\r\n")
            caps.append(line[4:])
            if line[3:4] != "-":
                return caps[1:]
    ehlo(s, f)
    s.sendall(b"STARTTLS\r\n")
    f.readline()
    t = ctx.wrap_socket(s, server_hostname="localhost")
    tf = t.makefile("rb")
    caps = ehlo(t, tf)
    t.sendall(b"QUIT\r\n")
    tf.readline()
    t.close()
    return caps


if __name__ == "__main__":
    sys.exit(main())
