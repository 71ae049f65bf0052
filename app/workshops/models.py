"""A workshop of an event, its columns and messages, and who joined it (its change log is
:class:`pinnwand.board.models.WorkshopChange`)."""

from __future__ import annotations

from datetime import datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

# ``review`` (the open actions of the series' earlier forums) comes before ``collect``, but only
# a workshop of an event with an earlier forum in its series may enter it; every workshop
# starts in ``collect``.
STEPS = ("review", "collect", "cluster", "vote", "act", "closed")
REVIEW_STEP = "review"
FIRST_STEP = "collect"
TEMPLATES = ("free", "categories", "how_might_we", "running")
CLUSTER_BY = ("staff", "everyone")
TIMER_STATES = ("idle", "running", "paused", "ended")


class Workshop(Base):
    """One parallel workshop with its guiding question; ``seq`` is its last change's number."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    step: Mapped[str] = mapped_column(String(16), default=FIRST_STEP)
    locked: Mapped[bool] = mapped_column(default=False)
    seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Facilitation: the board's template and how this workshop runs its steps.
    template: Mapped[str] = mapped_column(String(16), default="free")
    private_writing: Mapped[bool] = mapped_column(default=False)
    cluster_by: Mapped[str] = mapped_column(String(16), default="staff")
    vote_budget: Mapped[int] = mapped_column(default=3)
    vote_max_per_target: Mapped[int] = mapped_column(default=3)
    votes_secret: Mapped[bool] = mapped_column(default=True)
    votes_revealed: Mapped[bool] = mapped_column(default=False)
    # Set once the workshop reaches the vote step (or a later one); until then every total is 0
    # and shown as 0, afterwards secret totals are withheld (pinnwand.board.visibility).
    voting_started: Mapped[bool] = mapped_column(default=False)
    # Review verdicts are secret (with ``votes_secret``) until the staff reveal them.
    reviews_revealed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The countdown: ``ends_at`` while running, ``timer_remaining`` seconds while paused.
    timer_state: Mapped[str] = mapped_column(String(16), default="idle")
    timer_duration: Mapped[int] = mapped_column(default=0)
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timer_remaining: Mapped[float | None] = mapped_column()
    timer_lock_at_end: Mapped[bool] = mapped_column(default=False)


class Category(Base):
    """A column of a categories board (e.g. "keep talent in the region"); ideas may sit in one."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(120))


class Message(Base):
    """A short message the moderator or a host broadcast to a workshop ("5 minutes left")."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(200))
    sender_name: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The workshop's step when it was sent (screens fade it once the step changes); NULL for
    # messages from before this was kept.
    step: Mapped[str | None] = mapped_column(String(16))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WorkshopMember(Base):
    """A participant who joined a workshop (counted in its ``participants``)."""

    __tablename__ = "workshop_members"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
