"""Personal data an event keeps on purpose: participants' contact addresses (with consent) and
the event's retention setting."""

from __future__ import annotations

from datetime import datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import ForeignKey, String, Text
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
