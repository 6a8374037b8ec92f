#!/usr/bin/env python3
"""SMTP sink for the test suite.

A real SMTP server (aiosmtpd) on 127.0.0.1 that stores every accepted message
as <maildir>/<NNNN>.eml (the raw bytes received, after un-dot-stuffing) plus a
sidecar <NNNN>.json with the envelope. The json is written last and atomically,
so a reader that sees it also sees the complete .eml.

Recipients whose local part starts with "reject" get a 550, "tempfail" a 451;
a message containing "X-Test-Reject: yes" gets a 554 at end of DATA.

Usage: sink.py --maildir DIR [--port N] [--port-file FILE] [--pid-file FILE]
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import signal
import sys

from aiosmtpd.smtp import SMTP

DATA_SIZE_LIMIT = 50 * 1024 * 1024
LINE_LENGTH_LIMIT = 1024 * 1024


def write_atomic(path, data):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class LongLineSMTP(SMTP):
    """aiosmtpd's SMTP with a generous line length limit (like Postfix, it
    accepts over-long lines; tests inspect the stored bytes instead)."""

    line_length_limit = LINE_LENGTH_LIMIT


class SinkHandler:
    def __init__(self, maildir):
        self.maildir = maildir
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
        meta = {
            "mail_from": envelope.mail_from,
            "mail_options": list(envelope.mail_options or []),
            "rcpt_tos": list(envelope.rcpt_tos),
            "rcpt_options": list(envelope.rcpt_options or []),
            "helo": session.host_name,
            "peer": list(peer) if isinstance(peer, (tuple, list)) else peer,
            "queue_id": qid,
        }
        write_atomic(base + ".eml", content)
        write_atomic(base + ".json", json.dumps(meta, indent=1).encode("utf-8"))
        return f"250 2.0.0 Ok: queued as {qid}"


async def serve(args):
    handler = SinkHandler(args.maildir)

    def factory():
        return LongLineSMTP(
            handler,
            hostname="sink.test",
            decode_data=False,
            enable_SMTPUTF8=True,
            data_size_limit=DATA_SIZE_LIMIT,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, host="127.0.0.1", port=args.port)
    port = server.sockets[0].getsockname()[1]

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    if args.pid_file:
        write_atomic(args.pid_file, f"{os.getpid()}\n".encode())
    if args.port_file:
        write_atomic(args.port_file, f"{port}\n".encode())
    print(f"sink listening on 127.0.0.1:{port}, maildir {args.maildir}", file=sys.stderr, flush=True)

    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--maildir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--pid-file")
    args = p.parse_args()
    os.makedirs(args.maildir, exist_ok=True)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
