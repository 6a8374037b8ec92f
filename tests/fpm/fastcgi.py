"""A minimal FastCGI client (the Responder role of the FastCGI 1.0 specification), standard library only.

One connection per request: BEGIN_REQUEST (keep-connection off), the PARAMS stream, an empty
STDIN stream (or a body), then STDOUT and STDERR until END_REQUEST. Thread-safe: every call
opens its own socket, so concurrency is one thread per request in flight.

    r = request("/tmp/fpm.sock", "/srv/send.php", query="id=7")
    r.status, r.headers, r.body, r.stderr, r.app_status, r.seconds
"""

import socket
import struct
import time

VERSION = 1
BEGIN_REQUEST, ABORT_REQUEST, END_REQUEST, PARAMS, STDIN, STDOUT, STDERR = 1, 2, 3, 4, 5, 6, 7
RESPONDER = 1
REQUEST_COMPLETE = 0
HEADER = struct.Struct("!BBHHBx")
MAX_CONTENT = 65535


class FastCGIError(Exception):
    """The request did not complete: the server closed early, refused the role, or it timed out."""


class Response:
    """What the application answered: CGI status and headers, body bytes, stderr text."""

    def __init__(self, stdout, stderr, app_status, seconds):
        head, _, self.body = stdout.partition(b"\r\n\r\n")
        self.headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, sep, value = line.partition(":")
            if sep:
                self.headers[name.strip().lower()] = value.strip()
        self.status = int(self.headers.get("status", "200").split()[0])
        self.stderr = stderr.decode("utf-8", "replace")
        self.app_status = app_status
        self.seconds = seconds

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def _record(rtype, content=b"", request_id=1):
    out = []
    for i in range(0, max(len(content), 1), MAX_CONTENT):
        chunk = content[i:i + MAX_CONTENT]
        pad = -len(chunk) % 8
        out.append(HEADER.pack(VERSION, rtype, request_id, len(chunk), pad) + chunk + b"\0" * pad)
    return b"".join(out)


def _length(n):
    return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)


def encode_params(params):
    """Name-value pairs as FastCGI writes them (one- or four-byte lengths)."""
    out = bytearray()
    for name, value in params.items():
        n, v = str(name).encode(), str(value).encode()
        out += _length(len(n)) + _length(len(v)) + n + v
    return bytes(out)


def _recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise FastCGIError("the FastCGI server closed the connection before END_REQUEST")
        buf += chunk
    return bytes(buf)


def connect(address, timeout):
    """A socket to ADDRESS: a unix socket path, or (host, port)."""
    if isinstance(address, str):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        raise
    return sock


def request(address, script, query="", params=None, body=b"", method=None, timeout=30.0):
    """Run SCRIPT (an absolute path) through the FastCGI server at ADDRESS and return a Response.

    PARAMS adds or replaces CGI variables; a FastCGIError on timeout or a broken exchange."""
    env = {
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_SOFTWARE": "sendmail-tests",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "localhost",
        "SERVER_ADDR": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "REQUEST_METHOD": method or ("POST" if body else "GET"),
        "SCRIPT_FILENAME": script,
        "SCRIPT_NAME": "/" + script.rsplit("/", 1)[-1],
        "DOCUMENT_ROOT": script.rsplit("/", 1)[0] or "/",
        "REQUEST_URI": "/" + script.rsplit("/", 1)[-1] + ("?" + query if query else ""),
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    env.update(params or {})
    t0 = time.perf_counter()
    try:
        sock = connect(address, timeout)
    except OSError as e:
        raise FastCGIError(f"cannot connect to {address}: {e}") from e
    try:
        begin = struct.pack("!HB5x", RESPONDER, 0)
        sock.sendall(_record(BEGIN_REQUEST, begin) + _record(PARAMS, encode_params(env)) + _record(PARAMS)
                     + (_record(STDIN, body) if body else b"") + _record(STDIN))
        stdout, stderr = bytearray(), bytearray()
        while True:
            _, rtype, _, length, pad = HEADER.unpack(_recv_exact(sock, HEADER.size))
            content = _recv_exact(sock, length + pad)[:length]
            if rtype == STDOUT:
                stdout += content
            elif rtype == STDERR:
                stderr += content
            elif rtype == END_REQUEST:
                app_status, protocol_status = struct.unpack("!IB3x", content)
                if protocol_status != REQUEST_COMPLETE:
                    raise FastCGIError(f"the FastCGI server refused the request (protocol status {protocol_status})")
                return Response(bytes(stdout), bytes(stderr), app_status, time.perf_counter() - t0)
    except socket.timeout as e:
        raise FastCGIError(f"no complete answer within {timeout:g} s") from e
    except OSError as e:
        raise FastCGIError(f"FastCGI connection failed: {e}") from e
    finally:
        sock.close()
