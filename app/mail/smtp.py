"""One SMTP connection (``smtplib``, blocking: used from a real OS thread only), and every way a
delivery can fail sorted into temporary and permanent.

- The server's reply to a recipient, the sender or the message decides: ``4xx`` is
  :class:`TemporaryFailure` (try again later), ``5xx`` :class:`PermanentFailure` (the server's
  reply is kept as the delivery's error).
- A connection that cannot be made, drops, times out, or is refused at greeting, STARTTLS or
  sign-in is temporary: it says nothing about the recipient, and the next attempt may work.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from pinnwand.mail.smtp_url import SmtpConfig

MAX_REPLY = 500  # characters of a server's reply kept as an error


class DeliveryFailure(Exception):
    """A delivery did not go through; ``reply`` says why (the server's words when it gave
    any)."""

    def __init__(self, reply: str):
        super().__init__(reply)
        self.reply = reply[:MAX_REPLY]


class TemporaryFailure(DeliveryFailure):
    """Worth trying again later."""


class PermanentFailure(DeliveryFailure):
    """The server refused for good."""


class SmtpConnection:
    """A connection to the configured SMTP server, opened when first needed and kept for the
    next mails; a failure of the connection closes it (the next send reconnects)."""

    def __init__(self, config: SmtpConfig, timeout: float):
        self.config = config
        self.timeout = timeout
        self._client: smtplib.SMTP | None = None

    def send(self, message: EmailMessage, sender: str, recipient: str) -> None:
        """Deliver ``message`` to ``recipient`` (envelope from ``sender``), or raise a
        :class:`DeliveryFailure`."""
        try:
            client = self._connected()
            client.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as refusal:
            code, reply = next(iter(refusal.recipients.values()))
            raise _failure(code, reply) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as refusal:
            raise _failure(refusal.smtp_code, refusal.smtp_error) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise TemporaryFailure(_describe(error)) from None

    def close(self) -> None:
        """Say goodbye to the server (quietly: it may be gone already)."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()

    def _connected(self) -> smtplib.SMTP:
        if self._client is not None:
            return self._client
        config = self.config
        context = ssl.create_default_context()
        if config.tls:
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=self.timeout,
                                      context=context)
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=self.timeout)
        try:
            client.ehlo()
            if not config.tls and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            if config.user:
                client.login(config.user, config.password or "")
        except BaseException:
            client.close()
            raise
        self._client = client
        return client


def _failure(code: int, reply) -> DeliveryFailure:
    """The failure a server's reply stands for: 5xx permanent, anything else temporary."""
    text = f"{code} {_text(reply)}".strip()
    return PermanentFailure(text) if 500 <= code < 600 else TemporaryFailure(text)


def _text(reply) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return " ".join(str(reply).split())


def _describe(error: BaseException) -> str:
    """A failure of the connection in words (with the server's reply when it gave one)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    detail = " ".join(str(error).split())
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__
