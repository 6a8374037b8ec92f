#!/usr/bin/env python3
"""PHP-FPM with the extension loaded, for tests and the benchmark (standard library only).

Starts Debian's php-fpm (php-fpmX.Y) in the foreground with a throw-away configuration: one
pool, pm=static with N workers (pm.max_requests=0: a worker lives as long as the pool, so
what it keeps between requests stays), listening on a unix socket in a fresh work folder (on
127.0.0.1 and a free port with listen="tcp"), run as root with -R when root, its error log
and PHP's in that folder. The system's php.ini and conf.d are read as usual; the extension
and any further settings come from one more .ini file in a scan folder of the harness (a
copy of conf.d without an installed sendmail .ini, so the extension never loads twice), so
that `ini={"sendmail.persistent": "1"}` is a php.ini setting as a site would write it.
clear_env=no: the workers see the environment of this process (plus `env`).

As a module:

    with Fpm(so="/abs/libsendmail.so", workers=4, ini={"sendmail.persistent": "1"}) as fpm:
        r = fpm.request("/abs/script.php", query="id=1")   # a fastcgi.Response
        fpm.worker_pids(), fpm.rss_kib()                    # {pid: VmRSS in KiB}

The pool is stopped on leaving the block, at interpreter exit and on SIGTERM/SIGINT of a
CLI run: SIGQUIT first (a graceful stop: each worker finishes its request and runs PHP's
shutdown, where persistent connections send QUIT), SIGTERM, then SIGKILL after a grace time.

As a command (the PHPT tests' driver): runs the requests one after another (or all at once
with --concurrent), stops the pool, and prints one JSON object: "responses" (status, body,
stderr, seconds, or error), "workers" (PIDs), "stopped" (how the pool ended), "log" (lines of
the FPM and PHP error logs that are not routine notices).

    fpm.py --so SO --workers 1 --ini sendmail.persistent=1 --script /abs/a.php \\
           --request 'n=1' --request 'n=2'
    fpm.py --which [--php-version 8.2]     prints the php-fpm binary, or why there is none (exit 1)
"""

import argparse
import atexit
import concurrent.futures
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fastcgi  # noqa: E402

ROUTINE = re.compile(r"NOTICE: (fpm is running|ready to handle|Terminating|exiting, bye|Finishing|"
                     r"systemd monitor|\[pool \w+\] child \d+ (started|exited with code 0))")


class FpmError(Exception):
    """php-fpm is missing, did not start, or did not stop."""


def find_fpm(version=None):
    """The php-fpm binary: $SENDMAIL_FPM, else php-fpmX.Y for VERSION ("8.2"), else php-fpm,
    else the newest php-fpmX.Y on PATH or in /usr/sbin. Raises FpmError when there is none."""
    env = os.environ.get("SENDMAIL_FPM")
    if env:
        if not os.access(env, os.X_OK):
            raise FpmError(f"SENDMAIL_FPM={env} is not executable")
        return env
    path = os.environ.get("PATH", "") + ":/usr/sbin:/usr/local/sbin"
    names = ([f"php-fpm{version}"] if version else []) + ["php-fpm"]
    for name in names:
        found = shutil.which(name, path=path)
        if found:
            return found
    if not version:
        found = sorted({os.path.basename(f) for d in path.split(":") if d
                        for f in glob.glob(os.path.join(d, "php-fpm[0-9]*"))},
                       key=lambda n: [int(x) for x in re.findall(r"\d+", n)])
        if found:
            return shutil.which(found[-1], path=path)
    want = f"php-fpm{version}" if version else "php-fpm"
    raise FpmError(f"{want} is not installed (Debian: apt-get install php{version or ''}-fpm)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid):
    """PIDs whose parent is PID (from /proc)."""
    out = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                text = f.read()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            out.append(int(stat.split("/")[2]))
    return sorted(out)


def rss_kib(pid):
    """VmRSS of PID in KiB (None when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Fpm:
    """One php-fpm master with one static pool; see the module's text."""

    def __init__(self, so, workers=1, ini=None, env=None, work=None, binary=None, listen="unix",
                 php_version=None, max_requests=0, start_timeout=15.0):
        self.so = os.path.abspath(so)
        if not os.path.isfile(self.so):
            raise FpmError(f"{self.so} not found (run 'make build')")
        self.workers = workers
        self.ini = dict(ini or {})
        self.env = dict(env or {})
        self.binary = binary or find_fpm(php_version)
        self.max_requests = max_requests
        self.start_timeout = start_timeout
        self.own_work = work is None
        self.work = work or tempfile.mkdtemp(prefix="sendmail-fpm-")
        os.makedirs(self.work, exist_ok=True)
        sock = os.path.join(self.work, "fpm.sock")
        if listen == "unix" and len(sock) < 100:
            self.address, self.listen = sock, sock
        else:
            port = _free_port()
            self.address, self.listen = ("127.0.0.1", port), f"127.0.0.1:{port}"
        self.proc = None
        self.stopped = None
        self.log_file = os.path.join(self.work, "fpm.log")
        self.php_log = os.path.join(self.work, "php.log")

    # -- configuration ------------------------------------------------------------------------

    def _system_scan_dir(self):
        try:
            info = subprocess.run([self.binary, "-i"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            return None
        m = re.search(r"^Scan this dir for additional \.ini files => (.+)$", info, re.M)
        return m.group(1).strip() if m and m.group(1).strip() != "(none)" else None

    def _write_config(self):
        scan = os.path.join(self.work, "conf.d")
        shutil.rmtree(scan, ignore_errors=True)
        os.makedirs(scan)
        system = self._system_scan_dir()
        loads_sendmail = re.compile(r'^\s*extension\s*=\s*"?([^"]*/)?(lib)?sendmail(\.so)?"?\s*$', re.M)
        for path in sorted(glob.glob(os.path.join(system, "*.ini"))) if system else []:
            with open(path, errors="replace") as f:
                if loads_sendmail.search(f.read()):
                    continue
            os.symlink(path, os.path.join(scan, os.path.basename(path)))
        lines = [f"extension={self.so}"] + [f"{k}={json.dumps(str(v))}" for k, v in self.ini.items()]
        with open(os.path.join(scan, "99-sendmail-fpm-test.ini"), "w") as f:
            f.write("\n".join(lines) + "\n")
        self.scan_dir = scan
        conf = os.path.join(self.work, "php-fpm.conf")
        with open(conf, "w") as f:
            f.write(f"""[global]
pid = {self.work}/fpm.pid
error_log = {self.log_file}
log_level = notice
daemonize = no
; a graceful stop waits this long for a worker's request and shutdown
process_control_timeout = 10s

[test]
listen = {self.listen}
listen.backlog = 4096
pm = static
pm.max_children = {self.workers}
pm.max_requests = {self.max_requests}
clear_env = no
catch_workers_output = yes
decorate_workers_output = no
request_terminate_timeout = 120s
php_admin_value[error_log] = {self.php_log}
php_admin_flag[log_errors] = on
""")
        return conf

    # -- life cycle ---------------------------------------------------------------------------

    def start(self):
        conf = self._write_config()
        argv = [self.binary, "-F", "-O", "-y", conf, "-p", self.work]
        if os.geteuid() == 0:
            argv.append("-R")
        env = dict(os.environ, PHP_INI_SCAN_DIR=self.scan_dir, **self.env)
        self.stderr = open(os.path.join(self.work, "fpm.stderr"), "wb")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.stderr, stderr=self.stderr,
                                     env=env, start_new_session=True)
        _LIVE.add(self)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.proc.poll() is not None:
                self._close_files()
                raise FpmError(f"php-fpm exited with {self.proc.returncode}:\n{self.errors(everything=True)}")
            if len(self.worker_pids()) >= self.workers and self._listening():
                break
            if time.monotonic() > deadline:
                self.stop()
                raise FpmError(f"php-fpm did not start {self.workers} workers within {self.start_timeout:g} s:\n"
                               f"{self.errors(everything=True)}")
            time.sleep(0.02)
        return self

    def _listening(self):
        try:
            fastcgi.connect(self.address, 1.0).close()
            return True
        except OSError:
            return False

    def stop(self, grace=15.0):
        """Stops the pool (SIGQUIT, then SIGTERM, then SIGKILL); returns how: "graceful",
        "terminated" or "killed". Idempotent."""
        if self.proc is None or self.stopped:
            return self.stopped
        how = "graceful"
        for sig, wait in ((signal.SIGQUIT, grace), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                self.proc.send_signal(sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                how = {signal.SIGQUIT: "terminated", signal.SIGTERM: "killed"}.get(sig, how)
        if how == "killed":
            try:  # the workers too, should any outlive their master
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
        self.stopped = how
        self._close_files()
        _LIVE.discard(self)
        return how

    def _close_files(self):
        if getattr(self, "stderr", None):
            self.stderr.close()
            self.stderr = None

    def cleanup(self):
        """Stops the pool and removes the work folder if this object made it."""
        self.stop()
        if self.own_work:
            shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    # -- use ----------------------------------------------------------------------------------

    def request(self, script, query="", **kw):
        """One request (fastcgi.request with this pool's address)."""
        return fastcgi.request(self.address, os.path.abspath(script), query, **kw)

    def worker_pids(self):
        return _children(self.proc.pid) if self.proc else []

    def rss_kib(self):
        """{worker pid: VmRSS in KiB}."""
        return {pid: rss_kib(pid) for pid in self.worker_pids()}

    def errors(self, everything=False):
        """The lines of the FPM and PHP error logs (and php-fpm's stderr) that are not routine
        notices (everything=True: all of them)."""
        out = []
        for path in (self.log_file, self.php_log, os.path.join(self.work, "fpm.stderr")):
            try:
                with open(path, errors="replace") as f:
                    for line in f:
                        line = line.rstrip("\n")
                        if line and (everything or not ROUTINE.search(line)):
                            out.append(line)
            except OSError:
                pass
        return "\n".join(out)


_LIVE = set()


def _stop_all(*_):
    for fpm in list(_LIVE):
        fpm.stop(grace=5.0)


atexit.register(_stop_all)


def main():
    ap = argparse.ArgumentParser(description="Start PHP-FPM with the extension, run requests, stop it.")
    ap.add_argument("--which", action="store_true", help="print the php-fpm binary (exit 1: none)")
    ap.add_argument("--php-version", help='prefer php-fpmX.Y, e.g. "8.2"')
    ap.add_argument("--so", help="the extension (.so)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--ini", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--script", help="the PHP script every request runs (absolute path)")
    ap.add_argument("--request", action="append", default=[], metavar="QUERY",
                    help="one request with this query string (repeat; in order)")
    ap.add_argument("--concurrent", action="store_true", help="send all requests at once")
    ap.add_argument("--listen", choices=["unix", "tcp"], default="unix")
    ap.add_argument("--timeout", type=float, default=30.0, help="per request")
    args = ap.parse_args()
    if args.which:
        try:
            print(find_fpm(args.php_version))
            return 0
        except FpmError as e:
            print(e)
            return 1
    if not args.so or not args.script:
        ap.error("--so and --script are needed")
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: sys.exit(130))
    pairs = lambda items: dict(i.split("=", 1) for i in items)  # noqa: E731
    fpm = Fpm(args.so, args.workers, ini=pairs(args.ini), env=pairs(args.env), listen=args.listen,
              php_version=args.php_version)
    out = {"responses": [], "workers": []}
    try:
        fpm.start()
        out["workers"] = fpm.worker_pids()

        def one(query):
            try:
                r = fpm.request(args.script, query, timeout=args.timeout)
                return {"status": r.status, "body": r.text, "stderr": r.stderr, "seconds": round(r.seconds, 3)}
            except fastcgi.FastCGIError as e:
                return {"error": str(e)}

        if args.concurrent:
            with concurrent.futures.ThreadPoolExecutor(len(args.request) or 1) as ex:
                out["responses"] = list(ex.map(one, args.request))
        else:
            out["responses"] = [one(q) for q in args.request]
    except FpmError as e:
        out["error"] = str(e)
    finally:
        out["stopped"] = fpm.stop()
        out["log"] = fpm.errors()
        fpm.cleanup()
    print(json.dumps(out))
    return 0 if "error" not in out else 2


if __name__ == "__main__":
    sys.exit(main())
