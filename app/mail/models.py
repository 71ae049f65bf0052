"""The persistent outbox: every mail waits here until an SMTP server accepted or refused it.

A **mailing** groups the mails of one sending (the results of an event to everyone who
consented, a test mail to the moderator); an **outbox message** is one fully rendered mail to
one recipient with its delivery state; an **attachment** is stored once per mailing and shared
by its messages.
"""

from __future__ import annotations

from datetime import datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
MESSAGE_STATES = (QUEUED, SENDING, SENT, FAILED)


class Mailing(Base):
    """One sending of mails of one ``kind`` (``results``, ``test``), usually about an event;
    ``lang`` is its default language, ``subject`` and ``note`` what the moderator wrote."""

    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailAttachment(Base):
    """A file attached to the mails of a mailing (e.g. the results as PDF), stored once."""

    __tablename__ = "mail_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailings.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(Base):
    """One mail to one recipient, rendered when it was queued, and how its delivery goes.

    ``state`` is ``queued`` (waiting for ``next_attempt_at``), ``sending`` (claimed by the
    sender ``claimed_by`` until ``claimed_until``; a claim that ran out belongs to whoever
    claims it next, e.g. after a crash), ``sent`` or ``failed`` (``last_error`` holds the
    SMTP server's reply). ``message_id`` stays the same on every attempt, so a copy sent
    twice can be recognised.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int | None] = mapped_column(
        ForeignKey("mailings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    sender: Mapped[str] = mapped_column(String(254))
    recipient: Mapped[str] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    message_id: Mapped[str] = mapped_column(String(200))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_attachments.id", ondelete="SET NULL")
    )
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
