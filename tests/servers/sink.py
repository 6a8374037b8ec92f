#!/usr/bin/env python3
"""SMTP sink for the test suite.

A real SMTP server (aiosmtpd) on 127.0.0.1 that stores every accepted message
as <maildir>/<NNNN>.eml (the raw bytes received, after un-dot-stuffing) plus a
sidecar <NNNN>.json with the envelope. The json is written last and atomically,
so a reader that sees it also sees the complete .eml. Besides the envelope the
json says how it arrived: listener (its name), tls (bool), tls_version (e.g.
"TLSv1.3" or null), auth_user and auth_mechanism (null without AUTH), chunked
(true when it came by BDAT), received (when the message was complete, Unix time), mail_options and rcpt_options (the parameters of
MAIL and of every RCPT, as aiosmtpd records them: upper case; DSN parameters as
sent), on a DSN listener rcpt_params (each accepted recipient's DSN parameters
as sent: {"addr": ["NOTIFY=...", "ORCPT=..."]}), and with --dkim-records the
verdicts of dkimpy and OpenDKIM on its DKIM signature ("dkim": {"dkimpy": ...,
"opendkim": ...}, see dkimcheck.py), peer (the client's [address, port]),
client_cert (the subject CN of the certificate the client showed under TLS, or
null), and for reuse checks connection (a number the sink gives each connection it
accepts), transaction (1 for the first message stored from that connection, 2 for the
next ...) and tls_resumed (the TLS session was resumed, null without TLS).

Recipients whose local part starts with "reject" get a 550, "tempfail" a 451;
a message containing "X-Test-Reject: yes" gets a 554 at end of DATA.

Usage: sink.py --maildir DIR [--port N] [--port-file FILE] [--pid-file FILE]
               [listener options] | [--listeners JSON_FILE]

Listener options (all optional; without them a plain sink, no TLS, no AUTH):
  --tls-cert FILE --tls-key FILE  offer STARTTLS with that certificate
  --require-tls                   530 for everything but EHLO/NOOP/QUIT/STARTTLS before STARTTLS
  --implicit-tls                  TLS from the first byte (SMTPS, like port 465); no STARTTLS
  --auth USER:PASSWORD            offer AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 (XOAUTH2: the
                                  bearer token must equal PASSWORD); 535 on bad credentials;
                                  repeat it (in JSON: a list) for several accounts
  --auth-require-tls              AUTH only advertised and accepted under TLS (538 before)
  --auth-required                 MAIL/RCPT/DATA need a successful AUTH first (530)
  --mechanisms PLAIN,LOGIN        advertise and accept only these, in this order
  --chunking                      offer CHUNKING: BDAT (RFC 3030) beside DATA
  --pipelining                    offer PIPELINING (RFC 2920): aiosmtpd reads commands one by
                                  one from its buffer, so a group is served in order
  --dkim-records FILE             (for all listeners) verify DKIM signatures, keys from FILE
  --dsn                           offer DSN (RFC 3461): RET and ENVID on MAIL, NOTIFY
                                  and ORCPT on RCPT, checked (501 when malformed) and
                                  recorded; without it they get aiosmtpd's 555
  --idle-timeout SECONDS          a connection idle that long gets "421 4.4.2 ... timeout"
                                  and is closed (Postfix's way; default 300 s, silent)
  --noop-421 K                    every K-th NOOP on the listener gets "421 4.3.2 ..." and
                                  the connection is closed (a server going away between
                                  transactions)
  --drop-after-data K             every K-th message stored is followed by the connection
                                  closing, without the reply: the client cannot know the
                                  server took it (and must not send it again)
  --require-client-cert CA_FILE   mutual TLS: the TLS handshake fails unless the client
                                  shows a certificate that CA_FILE's CAs signed

--listeners serves several sinks from one process sharing the maildir: the
file holds {"NAME": {"tls-cert": FILE, "auth": "u:p", "implicit-tls": true,
...}, ...} (the listener options without the dashes), and --port-file gets one
"NAME PORT" line per listener instead of the bare port.
"""

import argparse
import asyncio
import base64
import binascii
import hmac
import itertools
import json
import logging
import os
import re
import secrets
import signal
import ssl
import sys
import time

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword, syntax

DATA_SIZE_LIMIT = 50 * 1024 * 1024
LINE_LENGTH_LIMIT = 1024 * 1024
# RFC 3461 §4: xtext, and the values of the DSN parameters.
XTEXT = re.compile(r"(?:[!-*,-<>-~]|\+[0-9A-F]{2})+")
DSN_MAIL = {"RET": re.compile(r"(?i:FULL|HDRS)"), "ENVID": XTEXT}
DSN_RCPT = {
    "NOTIFY": re.compile(r"(?i:NEVER|(?:SUCCESS|FAILURE|DELAY)(?:,(?:SUCCESS|FAILURE|DELAY))*)"),
    "ORCPT": re.compile(r"[!-~]+;" + XTEXT.pattern),
}
ALL_MECHANISMS = ["PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "OAUTHBEARER"]
XOAUTH2_ERROR = json.dumps(
    {"status": "401", "schemes": "bearer", "scope": "https://mail.google.com/"}
)
OAUTHBEARER_ERROR = json.dumps({"status": "invalid_token", "scope": "https://mail.example.test/"})


def write_atomic(path, data):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Authenticated:
    """What a successful AUTH leaves in session.auth_data."""

    def __init__(self, user, mechanism):
        self.login = user
        self.mechanism = mechanism


CONNECTION_IDS = itertools.count(1)


class LongLineSMTP(SMTP):
    """aiosmtpd's SMTP with a generous line length limit (like Postfix, it
    accepts over-long lines; tests inspect the stored bytes instead), plus the
    CRAM-MD5, XOAUTH2 and OAUTHBEARER mechanisms and the listener's settings."""

    line_length_limit = LINE_LENGTH_LIMIT
    AuthLoginUsernameChallenge = "Username:"
    AuthLoginPasswordChallenge = "Password:"

    def __init__(self, handler, listener, **kwargs):
        self.listener = listener
        self.connection_id = next(CONNECTION_IDS)
        self.transactions = 0
        if listener.idle_timeout:
            kwargs["timeout"] = listener.idle_timeout
        super().__init__(handler, **kwargs)
        # AUTH lines keep aiosmtpd's 512-octet command limit: a client must send a long
        # initial response (an OAuth token) after the 334, not on the AUTH line (RFC 4954 §4).

    def split_dsn(self, arg, known):
        """On a DSN listener: (arg without the DSN parameters in `known`, those parameters as
        sent, the first malformed one or None). Parameters follow the address, so the first
        word (the address) is never taken for one."""
        if not self.listener.dsn or not arg:
            return arg, [], None
        words = arg.split(" ")
        kept, taken, bad = words[:1], [], None
        for word in words[1:]:
            name, eq, value = word.partition("=")
            check = known.get(name.upper()) if eq else None
            if check is None:
                kept.append(word)
                continue
            taken.append(word)
            if bad is None and not check.fullmatch(value):
                bad = word
        return " ".join(kept), taken, bad

    @syntax("MAIL FROM: <address>", extended=" [SP <mail-parameters>]")
    async def smtp_MAIL(self, arg):
        arg, dsn, bad = self.split_dsn(arg, DSN_MAIL)
        if bad is not None:
            await self.push(f"501 5.5.4 Malformed DSN parameter {bad}")
            return
        before = self.envelope.mail_from if self.envelope else None
        await super().smtp_MAIL(arg)
        if self.envelope is not None and before is None and self.envelope.mail_from is not None:
            self.envelope.mail_options.extend(dsn)

    @syntax("RCPT TO: <address>", extended=" [SP <mail-parameters>]")
    async def smtp_RCPT(self, arg):
        arg, dsn, bad = self.split_dsn(arg, DSN_RCPT)
        if bad is not None:
            await self.push(f"501 5.5.4 Malformed DSN parameter {bad}")
            return
        count = len(self.envelope.rcpt_tos) if self.envelope else 0
        await super().smtp_RCPT(arg)
        if self.listener.dsn and self.envelope is not None and len(self.envelope.rcpt_tos) > count:
            self.envelope.rcpt_options.extend(dsn)
            params = getattr(self.envelope, "rcpt_params", None)
            if params is None:
                params = self.envelope.rcpt_params = {}
            params[self.envelope.rcpt_tos[-1]] = dsn

    def _timeout_cb(self):
        if self.listener.idle_timeout and self.transport is not None:
            self.transport.write(b"421 4.4.2 sink.test Error: timeout exceeded\r\n")
            print(f"sink {self.listener.name}: connection {self.connection_id}: 421 after idling",
                  file=sys.stderr, flush=True)
        super()._timeout_cb()

    @syntax("NOOP [ignored]")
    async def smtp_NOOP(self, arg):
        every = self.listener.noop_421
        if every:
            self.listener.noops += 1
            if self.listener.noops % every == 0:
                await self.push("421 4.3.2 sink.test Service shutting down")
                print(f"sink {self.listener.name}: connection {self.connection_id}: 421 after NOOP",
                      file=sys.stderr, flush=True)
                self.transport.close()
                return
        await super().smtp_NOOP(arg)

    async def smtp_BDAT(self, arg):
        """CHUNKING (RFC 3030), on listeners with "chunking": the chunk is always read, so a
        refusal keeps the session in step; BDAT n LAST hands the message to handle_DATA."""
        if not self.listener.chunking:
            await self.push('500 Error: command "BDAT" not recognized')
            return
        words = (arg or "").split()
        if not (1 <= len(words) <= 2 and words[0].isdigit()
                and (len(words) == 1 or words[1].upper() == "LAST")):
            await self.push("501 5.5.4 Syntax: BDAT size [LAST]")
            return
        size, last = int(words[0]), len(words) == 2
        if size > DATA_SIZE_LIMIT:
            await self.push("552 5.3.4 Chunk too big")
            self.transport.close()
            return
        chunk = await self._reader.readexactly(size)
        envelope = self.envelope
        if await self.check_helo_needed() or await self.check_auth_needed("BDAT"):
            return
        if envelope.mail_from is None:
            await self.push("503 5.5.1 Error: need MAIL command")
            return
        if not envelope.rcpt_tos:
            await self.push("554 5.5.1 Error: no valid recipients")
            return
        chunks = getattr(envelope, "chunks", None)
        if chunks is None:
            chunks = envelope.chunks = []
        chunks.append(chunk)
        if not last:
            await self.push(f"250 2.0.0 {size} octets received")
            return
        envelope.original_content = envelope.content = b"".join(chunks)
        envelope.chunked = True
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)

    async def auth_CRAM__MD5(self, _, args):
        if len(args) > 1:
            await self.push("501 5.5.2 CRAM-MD5 takes no initial response")
            return AuthResult(success=False, handled=True)
        challenge = f"<{secrets.randbelow(10**10)}.{int(time.time())}@sink.test>".encode()
        answer = await self.challenge_auth(challenge)
        if answer is MISSING:
            return AuthResult(success=False, handled=True)
        user, _, digest = answer.rpartition(b" ")
        user_ok, password = self.listener.credentials(user)
        expected = hmac.new(password, challenge, "md5").hexdigest().encode()
        if user_ok and hmac.compare_digest(digest.lower(), expected):
            return AuthResult(success=True, auth_data=Authenticated(user, "CRAM-MD5"))
        return AuthResult(success=False, handled=False)

    async def initial_response(self, args):
        """The client's response: on the AUTH line, or after an empty 334 (RFC 4954 §4).
        MISSING (after a 501 for bad base64) when there is none."""
        if len(args) <= 1:
            return await self.challenge_auth("")
        try:
            return base64.b64decode(args[1].encode(), validate=True)
        except binascii.Error:
            await self.push("501 5.5.2 Can't decode base64")
            return MISSING

    async def auth_XOAUTH2(self, _, args):
        # https://developers.google.com/gmail/imap/xoauth2-protocol
        blob = await self.initial_response(args)
        if blob is MISSING:
            return AuthResult(success=False, handled=True)
        fields = dict(f.partition(b"=")[::2] for f in blob.split(b"\x01") if f)
        user = fields.get(b"user", b"")
        user_ok, password = self.listener.credentials(user)
        if user_ok and hmac.compare_digest(fields.get(b"auth", b""), b"Bearer " + password):
            return AuthResult(success=True, auth_data=Authenticated(user, "XOAUTH2"))
        # The error goes out as a challenge; the client answers with an empty line.
        if await self.challenge_auth(XOAUTH2_ERROR) is MISSING:
            return AuthResult(success=False, handled=True)
        return AuthResult(success=False, handled=False,
                          message="535 5.7.8 Username and Password not accepted")


    async def auth_OAUTHBEARER(self, _, args):
        # RFC 7628: "n,a=user," GS2 header, then ^A-separated host=, port=, auth=Bearer token.
        blob = await self.initial_response(args)
        if blob is MISSING:
            return AuthResult(success=False, handled=True)
        gs2, _, rest = blob.partition(b"\x01")
        user = gs2[len(b"n,a="):-1].replace(b"=2C", b",").replace(b"=3D", b"=") if gs2.startswith(b"n,a=") else b""
        fields = dict(f.partition(b"=")[::2] for f in rest.split(b"\x01") if f)
        user_ok, password = self.listener.credentials(user)
        sound = gs2.endswith(b",") and fields.get(b"host") and fields.get(b"port", b"").isdigit()
        if sound and user_ok and hmac.compare_digest(fields.get(b"auth", b""), b"Bearer " + password):
            return AuthResult(success=True, auth_data=Authenticated(user, "OAUTHBEARER"))
        # RFC 7628 §3.2.2: the error as a challenge; the client must answer with a lone ^A.
        answer = await self.challenge_auth(OAUTHBEARER_ERROR)
        if answer is MISSING:
            return AuthResult(success=False, handled=True)
        if answer != b"\x01":
            return AuthResult(success=False, handled=False, message="501 5.5.2 expected %x01 after the error")
        return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication credentials invalid")


class Listener:
    """One listening socket's settings (see the usage above)."""

    def __init__(self, name, opts):
        self.name = name
        self.port = int(opts.get("port") or 0)
        cert, key = opts.get("tls_cert"), opts.get("tls_key")
        self.implicit_tls = bool(opts.get("implicit_tls"))
        self.tls_context = None
        if cert:
            self.tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls_context.load_cert_chain(cert, key)
            if opts.get("require_client_cert"):
                self.tls_context.verify_mode = ssl.CERT_REQUIRED
                self.tls_context.load_verify_locations(opts["require_client_cert"])
        elif self.implicit_tls or opts.get("require_tls") or opts.get("require_client_cert"):
            raise SystemExit(f"sink: listener {name}: TLS options need --tls-cert")
        self.require_tls = bool(opts.get("require_tls"))
        self.accounts = {}
        auth = opts.get("auth") or []
        for account in [auth] if isinstance(auth, str) else auth:
            user, sep, password = account.partition(":")
            if not sep:
                raise SystemExit(f"sink: listener {name}: --auth wants USER:PASSWORD")
            self.accounts[user.encode()] = password.encode()
        self.auth_require_tls = bool(opts.get("auth_require_tls"))
        self.auth_required = bool(opts.get("auth_required"))
        self.chunking = bool(opts.get("chunking"))
        self.pipelining = bool(opts.get("pipelining"))
        self.dsn = bool(opts.get("dsn"))
        self.idle_timeout = float(opts.get("idle_timeout") or 0)
        self.noop_421 = int(opts.get("noop_421") or 0)
        self.drop_after_data = int(opts.get("drop_after_data") or 0)
        self.noops = 0
        mechs = opts.get("mechanisms")
        if isinstance(mechs, str):
            mechs = [m for m in mechs.upper().replace(" ", "").split(",") if m]
        self.mechanisms = list(mechs or ALL_MECHANISMS) if self.accounts else []
        unknown = set(self.mechanisms) - set(ALL_MECHANISMS)
        if unknown:
            raise SystemExit(f"sink: listener {name}: unknown mechanisms {sorted(unknown)}")

    def credentials(self, user):
        """(user is a configured one, the password to check against)."""
        password = self.accounts.get(bytes(user))
        return password is not None, password or b""

    def authenticate(self, server, session, envelope, mechanism, data):
        # PLAIN and LOGIN; aiosmtpd sends the 535 only for handled=False.
        user_ok, password = self.credentials(data.login) if isinstance(data, LoginPassword) else (False, b"")
        if user_ok and hmac.compare_digest(data.password, password):
            return AuthResult(success=True, auth_data=Authenticated(data.login, mechanism))
        return AuthResult(success=False, handled=False)

    def smtp(self, handler):
        excluded = {m for m in ALL_MECHANISMS if m not in self.mechanisms}
        # Under implicit TLS aiosmtpd does not know it is encrypted: its
        # auth_require_tls check would hide AUTH for good. Without --auth,
        # aiosmtpd's default: AUTH gets a 538 before TLS, a 504 after.
        auth_require_tls = self.auth_require_tls or not self.accounts
        return LongLineSMTP(
            handler,
            self,
            hostname="sink.test",
            decode_data=False,
            enable_SMTPUTF8=True,
            data_size_limit=DATA_SIZE_LIMIT,
            tls_context=None if self.implicit_tls else self.tls_context,
            require_starttls=self.require_tls and not self.implicit_tls,
            auth_require_tls=auth_require_tls and not self.implicit_tls,
            auth_required=self.auth_required,
            auth_exclude_mechanism=excluded,
            authenticator=self.authenticate,
        )


def client_cert_cn(sslobj):
    """The subject CN of the client's certificate (verified: only a listener that requires
    one asks for it), or None."""
    cert = sslobj.getpeercert() if sslobj is not None else None
    for rdn in (cert or {}).get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return value
    return None


class SinkHandler:
    def __init__(self, maildir, verifier=None):
        self.maildir = maildir
        self.verifier = verifier
        self.queue_ids = set()
        self.counter = 0
        for name in os.listdir(maildir):
            m = re.fullmatch(r"(\d+)\.(eml|json)", name)
            if m:
                self.counter = max(self.counter, int(m.group(1)))

    def new_queue_id(self):
        while True:
            qid = secrets.token_hex(6).upper()
            if qid not in self.queue_ids:
                self.queue_ids.add(qid)
                return qid

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # AUTH in the listener's order (aiosmtpd sorts it); none without --auth.
        session.host_name = hostname
        out = []
        for r in responses:
            if r.startswith("250-AUTH"):
                if not server.listener.mechanisms:
                    continue
                r = "250-AUTH " + " ".join(server.listener.mechanisms)
            out.append(r)
        if server.listener.pipelining:
            out.insert(len(out) - 1, "250-PIPELINING")
        if server.listener.chunking:
            out.insert(len(out) - 1, "250-CHUNKING")
        if server.listener.dsn:
            out.insert(len(out) - 1, "250-DSN")
        return out

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.rsplit("@", 1)[0].lower()
        if local.startswith("reject"):
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        if local.startswith("tempfail"):
            return f"451 4.3.0 <{address}>: Try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or b""
        if b"X-Test-Reject: yes" in content:
            return "554 5.6.0 Message rejected"
        self.counter += 1
        base = os.path.join(self.maildir, f"{self.counter:04d}")
        qid = self.new_queue_id()
        peer = session.peer
        sslobj = server.transport.get_extra_info("ssl_object") if server.transport else None
        auth = session.auth_data if session.authenticated else None
        server.transactions += 1
        meta = {
            "mail_from": envelope.mail_from,
            "mail_options": list(envelope.mail_options or []),
            "rcpt_tos": list(envelope.rcpt_tos),
            "rcpt_options": list(envelope.rcpt_options or []),
            "helo": session.host_name,
            "peer": list(peer) if isinstance(peer, (tuple, list)) else peer,
            "queue_id": qid,
            "listener": server.listener.name,
            "tls": sslobj is not None,
            "tls_version": sslobj.version() if sslobj is not None else None,
            "auth_user": auth.login.decode("utf-8", "replace") if auth else None,
            "auth_mechanism": auth.mechanism if auth else None,
            "chunked": bool(getattr(envelope, "chunked", False)),
            "received": time.time(),
            "connection": server.connection_id,
            "transaction": server.transactions,
            "tls_resumed": sslobj.session_reused if sslobj is not None else None,
            "client_cert": client_cert_cn(sslobj),
        }
        if self.verifier is not None:
            # The verdicts of both DKIM verifiers (tests/servers/dkimcheck.py), off the loop.
            loop = asyncio.get_running_loop()
            meta["dkim"] = await loop.run_in_executor(None, self.verifier.verify, content)
        if server.listener.dsn:
            meta["rcpt_params"] = dict(getattr(envelope, "rcpt_params", None) or {})
        write_atomic(base + ".eml", content)
        write_atomic(base + ".json", json.dumps(meta, indent=1).encode("utf-8"))
        every = server.listener.drop_after_data
        if every and self.counter % every == 0 and server.transport is not None:
            server.transport.abort()
            print(f"sink {server.listener.name}: connection {server.connection_id}: closed without a reply "
                  f"after storing {self.counter:04d}", file=sys.stderr, flush=True)
        return f"250 2.0.0 Ok: queued as {qid}"


async def serve(args, listeners):
    verifier = None
    if args.dkim_records:
        from dkimcheck import Verifier
        verifier = Verifier(args.dkim_records)
        if verifier.opendkim:
            print(f"sink: OpenDKIM {verifier.opendkim}", file=sys.stderr, flush=True)
    handler = SinkHandler(args.maildir, verifier)
    loop = asyncio.get_running_loop()
    servers = []
    ports = []
    for lst in listeners:
        server = await loop.create_server(
            lambda lst=lst: lst.smtp(handler),
            host="127.0.0.1",
            port=lst.port,
            ssl=lst.tls_context if lst.implicit_tls else None,
        )
        servers.append(server)
        ports.append((lst.name, server.sockets[0].getsockname()[1]))

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    if args.pid_file:
        write_atomic(args.pid_file, f"{os.getpid()}\n".encode())
    if args.port_file:
        if args.listeners:
            text = "".join(f"{name} {port}\n" for name, port in ports)
        else:
            text = f"{ports[0][1]}\n"
        write_atomic(args.port_file, text.encode())
    for name, port in ports:
        print(f"sink {name} listening on 127.0.0.1:{port}, maildir {args.maildir}",
              file=sys.stderr, flush=True)

    await stop.wait()
    for server in servers:
        server.close()
    for server in servers:
        await server.wait_closed()


LISTENER_OPTIONS = ["tls_cert", "tls_key", "require_tls", "implicit_tls", "auth",
                    "auth_require_tls", "auth_required", "mechanisms", "port", "chunking", "dsn",
                    "pipelining", "idle_timeout", "noop_421", "drop_after_data", "require_client_cert"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--maildir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--pid-file")
    p.add_argument("--listeners", help="JSON file: several listeners in one process")
    p.add_argument("--dkim-records", help="JSON file of DKIM key records: verify signed messages (dkimcheck.py)")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--require-tls", action="store_true")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth", metavar="USER:PASSWORD", action="append")
    p.add_argument("--auth-require-tls", action="store_true")
    p.add_argument("--auth-required", action="store_true")
    p.add_argument("--mechanisms", metavar="PLAIN,LOGIN,...")
    p.add_argument("--chunking", action="store_true")
    p.add_argument("--pipelining", action="store_true")
    p.add_argument("--dsn", action="store_true")
    p.add_argument("--idle-timeout", type=float, metavar="SECONDS")
    p.add_argument("--noop-421", type=int, metavar="K")
    p.add_argument("--drop-after-data", type=int, metavar="K")
    p.add_argument("--require-client-cert", metavar="CA_FILE")
    args = p.parse_args()
    os.makedirs(args.maildir, exist_ok=True)
    # aiosmtpd warns about its own deprecated login_data on every AUTH.
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    if args.listeners:
        with open(args.listeners, encoding="utf-8") as f:
            config = json.load(f)
        listeners = []
        for name, opts in config.items():
            opts = {k.replace("-", "_"): v for k, v in opts.items()}
            bad = set(opts) - set(LISTENER_OPTIONS)
            if bad:
                raise SystemExit(f"sink: listener {name}: unknown options {sorted(bad)}")
            listeners.append(Listener(name, opts))
    else:
        listeners = [Listener("sink", {k: getattr(args, k) for k in LISTENER_OPTIONS})]
    asyncio.run(serve(args, listeners))
    return 0


if __name__ == "__main__":
    sys.exit(main())
