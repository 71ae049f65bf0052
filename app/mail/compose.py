"""An outbox message as the RFC 5322 message that goes on the wire: plain text and HTML as
alternatives, an attachment when there is one, the headers stored with it."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from pinnwand.db import utcnow
from pinnwand.mail.models import MailAttachment, OutboxMessage


def compose(row: OutboxMessage, attachment: MailAttachment | None = None) -> EmailMessage:
    """The message of ``row``, dated now; ``Message-ID`` is the row's, the same on every
    attempt."""
    message = EmailMessage()
    message["From"] = row.sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = row.message_id
    for name, value in (row.headers or {}).items():
        message[name] = value
    message.set_content(row.text_body)
    if row.html_body:
        message.add_alternative(row.html_body, subtype="html")
    if attachment is not None:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename)
    message["Content-Language"] = row.lang  # after the body: setting it clears Content-*
    return message


def envelope_sender(row: OutboxMessage) -> str:
    """The bare address of the row's ``From`` (``Name <a@b>`` → ``a@b``)."""
    return parseaddr(row.sender)[1] or row.sender
