"""The verdicts given on an earlier forum's actions in a workshop's review step."""

from __future__ import annotations

from datetime import datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

VERDICTS = ("worked", "partly", "not", "unsure")


class ReviewVerdict(Base):
    """One reviewer's verdict (and optional comment) on one action in one workshop: a
    participant who joined it, or one of the event's moderators (exactly one of the two ids).
    Setting, not adding: one row per reviewer, action and workshop."""

    __tablename__ = "review_verdicts"
    __table_args__ = (
        UniqueConstraint("workshop_id", "action_id", "participant_id"),
        UniqueConstraint("workshop_id", "action_id", "moderator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="CASCADE")
    )
    verdict: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
