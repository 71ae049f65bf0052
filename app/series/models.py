"""A series of events, its moderators and its events, the dated updates of the actions in its
register, and the personal update links of those actions.

An action's register status lives on the action itself (``Action.status``); a personal link is
a token of kind ``updater`` (:mod:`pinnwand.auth.models`) tied to its action here. Links
between existing tables are tables of their own, so adding them never rebuilds ``events`` or
``tokens`` (on SQLite a rebuilt table would take the rows that refer to it along)."""

from __future__ import annotations

from datetime import date, datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

series_moderators = Table(
    "series_moderators",
    Base.metadata,
    Column("series_id", Integer, ForeignKey("series.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "moderator_id", Integer, ForeignKey("moderators.id", ondelete="CASCADE"), primary_key=True
    ),
)


series_events = Table(
    "series_events",
    Base.metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("series_id", Integer, ForeignKey("series.id", ondelete="CASCADE"), nullable=False,
           index=True),
)


class Series(Base):
    """Events that belong together ("Fachkräfte-Dialogforen Seenplatte"): their actions form
    one register. Its moderators are those in ``series_moderators`` (its creator) and every
    moderator of one of its events."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("moderators.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActionUpdate(Base):
    """One dated entry of an action's log: the status it was set to, a note, a link, and who
    sent it (the name on the personal link, or the moderator's display name)."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    by: Mapped[str | None] = mapped_column(String(80))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("tokens.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UpdateLink(Base):
    """The personal link of one action: the ``updater`` token that may show and update it."""

    __tablename__ = "update_links"

    token_id: Mapped[int] = mapped_column(
        ForeignKey("tokens.id", ondelete="CASCADE"), primary_key=True
    )
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    # Where reminders about this action are sent (optional; only used when mail is set up).
    email: Mapped[str | None] = mapped_column(String(254))


class ActionCarry(Base):
    """What the act step of a later forum of the series decided about an open action: carried
    forward (``kind`` ``carried``: a new due date, maybe new contributors) or dropped
    (``dropped``, with the ``reason``). One row per action and workshop; deciding again in the
    same workshop replaces it."""

    __tablename__ = "action_carries"
    __table_args__ = (UniqueConstraint("action_id", "workshop_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    due_before: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActionReminder(Base):
    """A reminder mail queued for one action, address and occasion (``due:<date>`` or
    ``forum:<event id>``): the unique key keeps it to one, across restarts too."""

    __tablename__ = "action_reminders"
    __table_args__ = (UniqueConstraint("action_id", "email", "occasion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    occasion: Mapped[str] = mapped_column(String(40))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
