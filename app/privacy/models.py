"""Personal data an event keeps on purpose: participants' contact addresses (with consent),
the people who asked on the published page to hear about the next forums (double opt-in), and
the event's retention setting."""

from __future__ import annotations

from datetime import datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class EventPrivacy(Base):
    """Per event: delete participants' personal data ``retention_days`` after the event
    (``None``: keep until the moderator deletes it); when that last happened."""

    __tablename__ = "event_privacy"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    retention_days: Mapped[int | None] = mapped_column()
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Contact(Base):
    """A participant's e-mail address, stored only with their explicit consent.

    ``consent_text`` is the exact sentence they agreed to, in the language they saw it
    (``consent_lang``); ``consented_at`` when. One address per participant; withdrawing
    deletes the row.
    """

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str] = mapped_column(String(254))
    send_results: Mapped[bool] = mapped_column(default=False)
    follow_up: Mapped[bool] = mapped_column(default=False)
    consent_text: Mapped[str] = mapped_column(Text)
    consent_lang: Mapped[str] = mapped_column(String(2))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    link_nonce: Mapped[str | None] = mapped_column(String(32))


class Subscriber(Base):
    """Someone who asked on an event's published results page to be told about the next
    forums: name, e-mail address, organisation, with the consent sentence they saw
    (``consent_text`` in ``lang``) and when. Double opt-in: only ``confirmed_at`` makes it a
    contact; ``confirm_sent_at`` is when the last confirmation mail was queued. Withdrawing
    deletes the row. ``email_key`` is the address in lower case (one entry per address and
    event)."""

    __tablename__ = "subscribers"
    __table_args__ = (UniqueConstraint("event_id", "email_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str | None] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(2))
    consent_text: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirm_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    link_nonce: Mapped[str] = mapped_column(String(32))
