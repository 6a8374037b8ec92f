#!/usr/bin/env python3
"""Scripted fake SMTP server for failures real servers don't produce on demand.

Standard library only. Binds 127.0.0.1 on a free port, writes the port to
--port-file (atomically), then serves --connections connections one after
another, running the same JSON script (a list of steps) on each:

  {"send": "220 hi\\r\\n"}          write the string, UTF-8 encoded
  {"send_hex": "3232300d0a"}       write raw bytes
  {"expect": "EHLO "}              read one line (CRLF or bare LF ends it) and
                                   check its prefix; on mismatch note it in
                                   <log>.err and close the connection
  {"read_data": true}              read up to and including CRLF.CRLF
  {"sleep": 1.5}                   pause
  {"drip": "220 x\\r\\n", "interval": 1.0}   send one byte per interval
  {"close": true}                  close the connection now
  {"read_until_close": true}       read until the client closes
  {"flood": 10485760}              send that many 'A's, no CRLF; stop quietly
                                   if the client goes away

After the last step (unless closed) it reads until the client closes or 5 s
pass. --log gets every byte the client sent, raw, appended and flushed as it
arrives, and nothing else; protocol notes go to <log>.err. --max-seconds
(default 30) is a hard deadline for the whole process.
"""

import argparse
import json
import os
import signal
import socket
import sys
import threading
import time

TAIL_SECONDS = 5.0
CHUNK = 65536


class Closed(Exception):
    """The connection is over (peer closed, error, or the script closed it)."""


class Conn:
    """One client connection. A reader thread records every byte the client
    sends into the log as soon as it arrives and buffers it for the steps."""

    def __init__(self, sock, log, err, index):
        self.sock = sock
        self.log = log
        self.err = err
        self.index = index
        self.buf = b""
        self.eof = False
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._reader, daemon=True)
        self.reader.start()

    def _reader(self):
        while True:
            try:
                data = self.sock.recv(CHUNK)
            except OSError:
                data = b""
            with self.cond:
                if data:
                    self.log.write(data)
                    self.log.flush()
                    self.buf += data
                else:
                    self.eof = True
                self.cond.notify_all()
            if not data:
                return

    def note(self, text, step):
        self.err.write(f"{text} (connection {self.index}, step {step})\n")
        self.err.flush()

    def _take(self, find, timeout=None):
        """Wait until find(buf) gives an end offset; consume and return
        buf[:end]. Raises Closed on EOF, returns None on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.cond:
            while True:
                end = find(self.buf)
                if end is not None:
                    out, self.buf = self.buf[:end], self.buf[end:]
                    return out
                if self.eof:
                    raise Closed("eof")
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self.cond.wait(left)

    def read_line(self):
        def find(buf):
            i = buf.find(b"\n")
            return None if i < 0 else i + 1
        return self._take(find)

    def read_data(self):
        # DATA content starts right after the CRLF of the DATA command, so an
        # immediate ".\r\n" is an empty message.
        def find(buf):
            i = (b"\r\n" + buf).find(b"\r\n.\r\n")
            return None if i < 0 else i + 3
        return self._take(find)

    def drain(self, seconds=None):
        """Record everything until the client closes (or `seconds` pass)."""
        try:
            self._take(lambda buf: None, seconds)
        except Closed:
            pass

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError as e:
            raise Closed(f"send failed: {e}")

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.reader.join(2.0)
        self.sock.close()


def run_steps(conn, steps):
    for n, step in enumerate(steps):
        if "send" in step:
            conn.send(step["send"].encode("utf-8"))
        elif "send_hex" in step:
            conn.send(bytes.fromhex(step["send_hex"]))
        elif "expect" in step:
            prefix = step["expect"]
            try:
                line = conn.read_line()
            except Closed:
                conn.note(f"!! expected {prefix!r} got EOF", n)
                raise
            text = line.decode("utf-8", errors="backslashreplace")
            if not text.startswith(prefix):
                conn.note(f"!! expected {prefix!r} got {text!r}", n)
                raise Closed("expectation failed")
        elif "read_data" in step:
            try:
                conn.read_data()
            except Closed:
                conn.note(f"!! expected DATA terminated by CRLF.CRLF got EOF", n)
                raise
        elif "sleep" in step:
            time.sleep(float(step["sleep"]))
        elif "drip" in step:
            interval = float(step.get("interval", 1.0))
            for b in step["drip"].encode("utf-8"):
                conn.send(bytes([b]))
                time.sleep(interval)
        elif "close" in step:
            raise Closed("closed by script")
        elif "read_until_close" in step:
            conn.drain()
            raise Closed("client closed")
        elif "flood" in step:
            left = int(step["flood"])
            block = b"A" * CHUNK
            try:
                while left > 0:
                    k = min(left, CHUNK)
                    conn.sock.sendall(block[:k])
                    left -= k
            except OSError:
                raise Closed("client went away during flood")
        else:
            conn.note(f"!! unknown step {step!r}", n)
            raise Closed("bad script")
    conn.drain(TAIL_SECONDS)


def write_atomic(path, text):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--script", required=True)
    p.add_argument("--port-file")
    p.add_argument("--log", required=True)
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--max-seconds", type=float, default=30.0)
    args = p.parse_args()

    def deadline(signum, frame):
        os._exit(3)

    signal.signal(signal.SIGALRM, deadline)
    signal.setitimer(signal.ITIMER_REAL, args.max_seconds)
    signal.signal(signal.SIGTERM, lambda s, f: os._exit(0))
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    with open(args.script, encoding="utf-8") as f:
        steps = json.load(f)

    log = open(args.log, "ab", buffering=0)
    err = open(args.log + ".err", "a", encoding="utf-8")

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    if args.port_file:
        write_atomic(args.port_file, f"{srv.getsockname()[1]}\n")

    for index in range(1, args.connections + 1):
        sock, _ = srv.accept()
        conn = Conn(sock, log, err, index)
        try:
            run_steps(conn, steps)
        except Closed:
            pass
        finally:
            conn.close()
    srv.close()
    log.close()
    err.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
