"""DKIM verification of received messages by two independent verifiers.

dkimpy (PyPI) looks the key up through a function given the record; OpenDKIM's
opendkim-testmsg (Debian opendkim-tools) has no such hook and asks DNS through
the C resolver, so it runs in a private mount namespace whose /etc/resolv.conf
names a DNS server of this process on a loopback address (127.53.53.53:53),
which answers TXT queries from the same records. No query leaves the machine.
That needs root (port 53, unshare, mount); without it OpenDKIM's verdict is
"unavailable: <why>".

The records file is JSON: {"SELECTOR._domainkey.DOMAIN": "v=DKIM1; k=rsa; p=..."}.
verify(message) returns {"dkimpy": verdict, "opendkim": verdict}, each "pass",
"fail: <why>" or "none" (no DKIM-Signature).
"""

import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading

import dkim

DNS_ADDRESS = "127.53.53.53"


class Verifier:
    def __init__(self, records_file):
        with open(records_file, encoding="utf-8") as f:
            self.records = {k.lower().rstrip("."): v for k, v in json.load(f).items()}
        self.opendkim = self._start_dns()

    # dkimpy ------------------------------------------------------------------

    def _dkimpy(self, message):
        def lookup(name, timeout=5):
            key = (name.decode() if isinstance(name, bytes) else name).lower().rstrip(".")
            record = self.records.get(key)
            return record.encode() if record is not None else None

        try:
            d = dkim.DKIM(message)
            ok = d.verify(dnsfunc=lookup)
        except Exception as e:  # a message dkimpy cannot read is a failure, said
            return f"fail: {type(e).__name__}: {e}"
        return "pass" if ok else "fail: signature did not verify"

    # OpenDKIM ----------------------------------------------------------------

    def _start_dns(self):
        """None when OpenDKIM can run, else why not."""
        if shutil.which("opendkim-testmsg") is None:
            return "unavailable: opendkim-testmsg is not installed (opendkim-tools)"
        if os.geteuid() != 0:
            return "unavailable: needs root (a private /etc/resolv.conf and port 53)"
        if shutil.which("unshare") is None:
            return "unavailable: unshare is not installed"
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((DNS_ADDRESS, 53))
        except OSError as e:
            return f"unavailable: cannot serve DNS on {DNS_ADDRESS}:53 ({e})"
        threading.Thread(target=self._serve_dns, args=(sock,), daemon=True).start()
        fd, self.resolv_conf = tempfile.mkstemp(prefix="dkim-resolv-", suffix=".conf")
        with os.fdopen(fd, "w") as f:
            f.write(f"nameserver {DNS_ADDRESS}\noptions attempts:1 timeout:2\n")
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c", 'mount --bind "$1" /etc/resolv.conf', "sh", self.resolv_conf],
            capture_output=True, text=True, timeout=10)
        if probe.returncode != 0:
            return f"unavailable: no private mount namespace ({probe.stderr.strip()})"
        return None

    def _serve_dns(self, sock):
        while True:
            try:
                query, peer = sock.recvfrom(4096)
                reply = self._answer(query)
                if reply:
                    sock.sendto(reply, peer)
            except OSError:
                return

    def _answer(self, query):
        if len(query) < 12:
            return None
        (qid, flags, qdcount) = struct.unpack("!HHH", query[:6])
        if qdcount != 1:
            return None
        labels, i = [], 12
        while i < len(query) and query[i] != 0:
            n = query[i]
            labels.append(query[i + 1:i + 1 + n].decode("ascii", "replace"))
            i += 1 + n
        question = query[12:i + 5]
        qtype = struct.unpack("!H", query[i + 1:i + 3])[0] if i + 3 <= len(query) else 0
        record = self.records.get(".".join(labels).lower())
        rd = flags & 0x0100
        if record is None or qtype != 16:
            rcode = 3 if record is None else 0
            return struct.pack("!HHHHHH", qid, 0x8480 | rd | rcode, 1, 0, 0, 0) + question
        data = record.encode()
        strings = b"".join(bytes([len(c)]) + c for c in (data[j:j + 255] for j in range(0, len(data), 255)))
        answer = struct.pack("!HHHIH", 0xC00C, 16, 1, 60, len(strings)) + strings
        return struct.pack("!HHHHHH", qid, 0x8480 | rd, 1, 1, 0, 0) + question + answer

    def _opendkim(self, message):
        if self.opendkim is not None:
            return self.opendkim
        run = subprocess.run(
            ["unshare", "-m", "sh", "-c",
             'mount --bind "$1" /etc/resolv.conf && exec opendkim-testmsg', "sh", self.resolv_conf],
            input=message, capture_output=True, timeout=20)
        if run.returncode == 0 and not run.stdout.strip() and not run.stderr.strip():
            return "pass"
        said = (run.stderr or run.stdout).decode("utf-8", "replace").strip().replace("\n", " ")
        return f"fail: exit {run.returncode}: {said}"

    # -------------------------------------------------------------------------

    def verify(self, message):
        if b"dkim-signature:" not in message.lower():
            return {"dkimpy": "none", "opendkim": "none"}
        return {"dkimpy": self._dkimpy(message), "opendkim": self._opendkim(message)}
