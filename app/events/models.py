"""An event with its agenda (keynote talks), its moderators and the participants who joined."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

event_moderators = Table(
    "event_moderators",
    Base.metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "moderator_id", Integer, ForeignKey("moderators.id", ondelete="CASCADE"), primary_key=True
    ),
)


def new_join_key() -> str:
    """The secret of an event's join link: 128 random bits, 22 URL-safe characters."""
    return secrets.token_urlsafe(16)


class Event(Base):
    """One day (or session) of exchange: keynotes, then parallel workshops.

    Participants join with ``join_code`` (typed) or the join link, which also carries
    ``join_key`` (too long to guess, so it is never rate-limited). Joining is open from
    ``join_opened_at`` until some days after the event (see :mod:`pinnwand.events.joining`)
    unless a moderator closed it (``join_closed_at``).
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    join_code: Mapped[str] = mapped_column(String(6), unique=True)
    join_key: Mapped[str] = mapped_column(String(32), unique=True, default=new_join_key)
    join_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    join_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("moderators.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The plenary board: numbered like a workshop, shown once opened, voted while voting.
    plenary_seq: Mapped[int] = mapped_column(default=0)
    plenary_open: Mapped[bool] = mapped_column(default=False)
    plenary_voting: Mapped[bool] = mapped_column(default=False)
    plenary_vote_budget: Mapped[int] = mapped_column(default=3)

    agenda: Mapped[list[AgendaItem]] = relationship(
        order_by="AgendaItem.position", cascade="all, delete-orphan", passive_deletes=True
    )


class RetiredJoinCode(Base):
    """A join code a moderator replaced: it joins nobody any more, but the phone page of
    participants who joined with it still opens (their session is kept under that code)."""

    __tablename__ = "retired_join_codes"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgendaItem(Base):
    """A keynote talk on the event's agenda."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    speaker: Mapped[str | None] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[str | None] = mapped_column(String(5))


class Participant(Base):
    """Someone who joined an event with its code and a name; no account."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
