"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), which records every mail it
accepts and can be told to misbehave for chosen recipients:

- ``refuse[address] = "550 …"``: refuse that recipient for good;
- ``busy[address] = n``: answer ``451`` to that recipient the first ``n`` times;
- ``drop[address] = n``: drop the connection in the middle of the first ``n`` messages to it;
- ``delay``: wait this long before accepting each message (to catch a mailing half-way).
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One accepted mail: the envelope's sender and recipients, and the parsed message."""

    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    def text(self) -> str:
        """The plain-text part."""
        return self.message.get_body(("plain",)).get_content()

    def html(self) -> str:
        """The HTML part."""
        return self.message.get_body(("html",)).get_content()

    def attachments(self) -> list[tuple[str, bytes]]:
        """``(filename, content)`` of every attachment."""
        return [(part.get_filename(), part.get_content())
                for part in self.message.iter_attachments()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """The SMTP server; start with :meth:`start` (or as a context manager)."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.refuse: dict[str, str] = {}
        self.busy: dict[str, int] = {}
        self.drop: dict[str, int] = {}
        self.received: list[Received] = []
        self.dropped = 0
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def to(self, address: str) -> list[Received]:
        """Every mail accepted for ``address`` (any case)."""
        with self._lock:
            return [mail for mail in self.received
                    if address.lower() in (r.lower() for r in mail.recipients)]

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Wait until at least ``count`` mails were accepted; fail after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while self.count() < count:
            assert time.monotonic() < deadline, (
                f"the SMTP server received {self.count()} mails, expected {count}")
            time.sleep(0.02)
        with self._lock:
            return list(self.received)

    # -- called by the handler ---------------------------------------------------------------

    def _take(self, table: dict[str, int], address: str) -> bool:
        with self._lock:
            left = table.get(address.lower(), 0)
            if left > 0:
                table[address.lower()] = left - 1
            return left > 0

    def _keep(self, mail: Received) -> None:
        with self._lock:
            self.received.append(mail)


class _Handler:
    def __init__(self, server: MailServer):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.server.refuse.get(address.lower())
        if refusal:
            return refusal
        if self.server._take(self.server.busy, address):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(self.server._take(self.server.drop, address) for address in envelope.rcpt_tos):
            self.server.dropped += 1
            server.transport.close()
            return "421 4.4.2 Connection dropped"
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.server._keep(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"
