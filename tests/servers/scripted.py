#!/usr/bin/env python3
"""Scripted fake SMTP server for failures real servers don't produce on demand.

Standard library only. Binds 127.0.0.1 on a free port, writes the port to
--port-file (atomically), then serves --connections connections one after
another, running the same JSON script (a list of steps) on each:

  {"send": "220 hi\\r\\n"}          write the string, UTF-8 encoded, in one write
                                   (several lines in one step stay one write)
  {"send_hex": "3232300d0a"}       write raw bytes
  {"expect": "EHLO "}              read one line (CRLF or bare LF ends it) and
                                   check its prefix; on mismatch note it in
                                   <log>.err and close the connection
  {"read_data": true}              read up to and including CRLF.CRLF
  {"sleep": 1.5}                   pause
  {"drip": "220 x\\r\\n", "interval": 1.0}   send one byte per interval
  {"close": true}                  close the connection now (under TLS after a
                                   close_notify; "abrupt" instead of true: without)
  {"read_until_close": true}       read until the client closes
  {"flood": 10485760}              send that many 'A's, no CRLF; stop quietly
                                   if the client goes away
  {"starttls": true}               TLS handshake as the server (--tls-cert and
                                   --tls-key), then the rest of the script runs
                                   over TLS; clear text the client sent after its
                                   STARTTLS line is discarded (RFC 3207) but logged.
                                   A failed handshake is noted in <log>.err as
                                   "!! handshake failed: ..." and the connection closed
  {"implicit_tls": true}           the same as the first step: SMTPS (port 465 style)
  {"repeat": "220-x\\r\\n", "count": 1000, "interval": 0.1}
                                   send the string count times (without "count":
                                   until the client goes away), pausing interval
                                   seconds (default 0) after each; stop quietly if
                                   the client goes away
  {"read_bytes": 1000}             read exactly that many bytes, whatever they are
  {"read_until": "Subject:"}       read up to and including the first occurrence
                                   (both: on EOF note it in <log>.err and close)
  {"close": "reset"}               close with a TCP RST (SO_LINGER 0) instead of a FIN
  {"pause_reading": 3.0}           stop taking bytes off the socket for that long (the
                                   steps go on at once): once the socket buffers are
                                   full, the client's writes block
  {"per_connection": [[...], [...]]}   run the n-th list of steps on connection n
                                   (the last list on later connections); no TLS
                                   steps inside

After the last step (unless closed) it reads until the client closes or 5 s
pass. --log gets every application byte the client sent (decrypted once under
TLS), appended and flushed as it arrives, and nothing else; <log>.clear gets
only the bytes that came in clear text, before TLS (all of them without TLS);
protocol notes go to <log>.err. In a script with a TLS step, bytes from the
first 0x16 (a TLS handshake record) on are held back for the handshake instead
of being read as clear text. --max-seconds (default 30) is a hard deadline for
the whole process.
"""

import argparse
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time

TAIL_SECONDS = 5.0
CHUNK = 65536
TLS_RECORD_HANDSHAKE = b"\x16"


class Closed(Exception):
    """The connection is over (peer closed, error, or the script closed it)."""


class Conn:
    """One client connection. A reader thread records every byte the client
    sends into the logs as soon as it arrives and buffers it for the steps;
    under TLS it also runs the TLS layer (an ssl.SSLObject over memory BIOs),
    so the decrypted bytes are what gets logged and buffered.

    Reader modes: "clear"; "held" (a script with a TLS step saw a 0x16 byte:
    keep the rest for the handshake); "handshake"; "tls"; "failed"."""

    def __init__(self, sock, logs, err, index, tls_ahead=False):
        self.sock = sock
        self.log, self.clear = logs
        self.err = err
        self.index = index
        self.buf = b""
        self.eof = False
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.mode = "clear"
        self.tls_ahead = tls_ahead
        self.held = b""
        self.tls = self.tls_in = self.tls_out = None
        self.tls_seen = False
        self.tls_error = None
        self.read_resume = 0.0
        self.reader = threading.Thread(target=self._reader, daemon=True)
        self.reader.start()

    def _reader(self):
        while True:
            while (pause := self.read_resume - time.monotonic()) > 0:
                time.sleep(min(pause, 0.05))
            try:
                data = self.sock.recv(CHUNK)
            except OSError:
                data = b""
            with self.cond:
                if data:
                    self._received(data)
                else:
                    self.eof = True
                self.cond.notify_all()
            if not data:
                return

    # The rest of the reader's work; all with self.lock held.

    def _clear_bytes(self, data, for_steps=True):
        self.log.write(data)
        self.clear.write(data)
        if for_steps:
            self.buf += data

    def _received(self, data):
        if self.mode == "clear":
            i = data.find(TLS_RECORD_HANDSHAKE) if self.tls_ahead else -1
            if i < 0:
                self._clear_bytes(data)
            else:
                self._clear_bytes(data[:i])
                self.held, self.mode = data[i:], "held"
        elif self.mode == "held":
            self.held += data
        elif self.mode == "handshake":
            if not self.tls_seen:
                # Clear text after the STARTTLS reply: logged, not for the steps.
                i = data.find(TLS_RECORD_HANDSHAKE)
                self._clear_bytes(data if i < 0 else data[:i], for_steps=False)
                if i < 0:
                    return
                data, self.tls_seen = data[i:], True
            self.tls_in.write(data)
            self._handshake()
        elif self.mode == "tls":
            self.tls_in.write(data)
            self._tls_read()

    def _handshake(self):
        try:
            self.tls.do_handshake()
        except ssl.SSLWantReadError:
            pass
        except (ssl.SSLError, ValueError) as e:
            self.mode, self.tls_error = "failed", str(e)
        else:
            self.mode = "tls"
            self._tls_read()
        self._tls_send_out()

    def _tls_read(self):
        while True:
            try:
                data = self.tls.read(CHUNK)
            except ssl.SSLWantReadError:
                break
            except ssl.SSLZeroReturnError:
                self.eof = True
                break
            except ssl.SSLError as e:
                self.tls_error, self.eof = str(e), True
                break
            if not data:
                self.eof = True
                break
            self.log.write(data)
            self.buf += data
        self._tls_send_out()

    def _tls_send_out(self):
        out = self.tls_out.read()
        if out:
            try:
                self.sock.sendall(out)
            except OSError:
                pass

    def start_tls(self, context):
        """The server side of a TLS handshake; raises Closed with a note on failure."""
        with self.cond:
            if self.tls is not None:
                raise HandshakeFailed("already under TLS")
            self.tls_in, self.tls_out = ssl.MemoryBIO(), ssl.MemoryBIO()
            self.tls = context.wrap_bio(self.tls_in, self.tls_out, server_side=True)
            self.buf = b""
            held, self.held = self.held, b""
            self.mode = "handshake"
            if held:
                self._received(held)
            while self.mode == "handshake" and not self.eof:
                self.cond.wait()
            if self.mode != "tls":
                self.mode = "failed"
                raise HandshakeFailed(self.tls_error or "the client closed the connection")

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
                if self.mode == "held":
                    raise TLSInstead("a TLS handshake")
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
        """One write: through the TLS layer once it is up."""
        try:
            if self.tls is None:
                self.sock.sendall(data)
                return
            with self.cond:
                if self.mode != "tls":
                    raise Closed("TLS is not up")
                self.tls.write(data)
                out = self.tls_out.read()
                self.sock.sendall(out)
        except OSError as e:
            raise Closed(f"send failed: {e}")

    def reset(self):
        """Close with a TCP RST: SO_LINGER on with a zero timeout, then close. SHUT_RD (which
        sends nothing) first wakes the reader thread, whose recv() would keep the socket open."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.shutdown(socket.SHUT_RD)
        except OSError:
            pass
        self.reader.join(2.0)
        self.sock.close()

    def close(self, abrupt=False):
        with self.cond:
            if self.mode == "tls" and not abrupt:
                try:
                    self.tls.unwrap()
                except Exception:
                    pass
                self._tls_send_out()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.reader.join(2.0)
        with self.cond:
            # A script that never reached its TLS step: what was held back came in clear.
            if self.held:
                self._clear_bytes(self.held, for_steps=False)
                self.held = b""
        self.sock.close()


class HandshakeFailed(Closed):
    """The TLS handshake did not complete."""


class TLSInstead(Closed):
    """The client started a TLS handshake where the script reads a line."""


class Abrupt(Closed):
    """The script closes the connection without a TLS close_notify."""


class Reset(Abrupt):
    """The script closes the connection with a TCP RST."""


def run_steps(conn, steps, tls_context=None, tail=True):
    for n, step in enumerate(steps):
        if "send" in step:
            conn.send(step["send"].encode("utf-8"))
        elif "send_hex" in step:
            conn.send(bytes.fromhex(step["send_hex"]))
        elif "expect" in step:
            prefix = step["expect"]
            try:
                line = conn.read_line()
            except TLSInstead as e:
                conn.note(f"!! expected {prefix!r} got {e}", n)
                raise
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
            except Closed as e:
                got = e if isinstance(e, TLSInstead) else "EOF"
                conn.note(f"!! expected DATA terminated by CRLF.CRLF got {got}", n)
                raise
        elif "sleep" in step:
            time.sleep(float(step["sleep"]))
        elif "drip" in step:
            interval = float(step.get("interval", 1.0))
            for b in step["drip"].encode("utf-8"):
                conn.send(bytes([b]))
                time.sleep(interval)
        elif "close" in step:
            if step["close"] == "reset":
                raise Reset("reset by script")
            if step["close"] == "abrupt":
                raise Abrupt("closed by script")
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
                    conn.send(block[:k])
                    left -= k
            except Closed:
                raise Closed("client went away during flood")
        elif "repeat" in step:
            data = step["repeat"].encode("utf-8")
            count = step.get("count")
            interval = float(step.get("interval", 0))
            sent = 0
            try:
                while count is None or sent < int(count):
                    conn.send(data)
                    sent += 1
                    if interval > 0:
                        time.sleep(interval)
            except Closed:
                raise Closed("client went away during repeat")
        elif "read_bytes" in step or "read_until" in step:
            if "read_bytes" in step:
                want = int(step["read_bytes"])
                what = f"{want} bytes"
                find = lambda buf: want if len(buf) >= want else None  # noqa: E731
            else:
                marker = step["read_until"].encode("utf-8")
                what = repr(step["read_until"])

                def find(buf):
                    i = buf.find(marker)
                    return None if i < 0 else i + len(marker)
            try:
                conn._take(find)
            except Closed as e:
                got = e if isinstance(e, TLSInstead) else "EOF"
                conn.note(f"!! expected {what} got {got}", n)
                raise
        elif "pause_reading" in step:
            conn.read_resume = time.monotonic() + float(step["pause_reading"])
        elif "per_connection" in step:
            lists = step["per_connection"]
            run_steps(conn, lists[min(conn.index, len(lists)) - 1], tls_context, tail=False)
        elif "starttls" in step or "implicit_tls" in step:
            try:
                conn.start_tls(tls_context)
            except HandshakeFailed as e:
                conn.note(f"!! handshake failed: {e}", n)
                raise
        else:
            conn.note(f"!! unknown step {step!r}", n)
            raise Closed("bad script")
    if tail:
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
    p.add_argument("--tls-cert", help="certificate (PEM) for starttls/implicit_tls steps")
    p.add_argument("--tls-key", help="its private key (PEM)")
    args = p.parse_args()

    def deadline(signum, frame):
        os._exit(3)

    signal.signal(signal.SIGALRM, deadline)
    signal.setitimer(signal.ITIMER_REAL, args.max_seconds)
    signal.signal(signal.SIGTERM, lambda s, f: os._exit(0))
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    with open(args.script, encoding="utf-8") as f:
        steps = json.load(f)

    tls_ahead = any("starttls" in step or "implicit_tls" in step for step in steps)
    tls_context = None
    if tls_ahead:
        if not (args.tls_cert and args.tls_key):
            print("scripted.py: a TLS step needs --tls-cert and --tls-key", file=sys.stderr)
            return 2
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)

    log = open(args.log, "ab", buffering=0)
    clear = open(args.log + ".clear", "ab", buffering=0)
    err = open(args.log + ".err", "a", encoding="utf-8")

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    if args.port_file:
        write_atomic(args.port_file, f"{srv.getsockname()[1]}\n")

    for index in range(1, args.connections + 1):
        sock, _ = srv.accept()
        conn = Conn(sock, (log, clear), err, index, tls_ahead)
        abrupt = reset = False
        try:
            run_steps(conn, steps, tls_context)
        except Reset:
            reset = True
        except Closed as e:
            abrupt = isinstance(e, Abrupt)
        finally:
            if reset:
                conn.reset()
            else:
                conn.close(abrupt)
    srv.close()
    log.close()
    clear.close()
    err.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
