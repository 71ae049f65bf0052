"""Ideas on a workshop's board."""

from __future__ import annotations

from datetime import datetime

from pinnwand.db import Base, UTCDateTime, isoformat, utcnow
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column


class Idea(Base):
    """A note on the board; ``author_name`` is kept even when shown anonymously."""

    __tablename__ = "ideas"
    __table_args__ = (Index("ix_ideas_participant_created", "participant_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    author_name: Mapped[str | None] = mapped_column(String(80))
    anonymous: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text)
    votes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Facilitation: written privately until revealed, placed, grouped, soft-deleted or merged.
    hidden: Mapped[bool] = mapped_column(default=False)
    position: Mapped[float] = mapped_column(default=0.0)
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("ideas.id", ondelete="SET NULL")
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Withdrawn by its author (who may then undo it), not removed by the staff.
    withdrawn_by_author: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def to_json(self) -> dict:
        """The idea as its staff and author see it (see :func:`idea_json`)."""
        return idea_json(self)


def idea_json(idea) -> dict:
    """An idea — an :class:`Idea` or a row with its columns' names — as its staff and author
    see it; ``author`` is ``None`` when posted anonymously. The contract's fields come first;
    the rest are extensions."""
    return {
        "id": idea.id,
        "workshop_id": idea.workshop_id,
        "text": idea.text,
        "author": None if idea.anonymous else idea.author_name,
        "created_at": isoformat(idea.created_at),
        "votes": idea.votes,
        "hidden": idea.hidden,
        "position": idea.position,
        "category_id": idea.category_id,
        "cluster_id": idea.cluster_id,
        "merged_into": idea.merged_into_id,
        "deleted": idea.deleted_at is not None,
    }
