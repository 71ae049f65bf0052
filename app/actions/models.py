"""Concrete actions of a workshop and who contributes what to them."""

from __future__ import annotations

from datetime import date, datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import JSON, Date, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column


class Action(Base):
    """A concrete next step: what exactly, who owns it, by when, what it promises; linked to
    the ideas and clusters it grew from (``idea_ids``, ``cluster_ids``)."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    what: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))
    # The organisation the owner acts for (optional): the register sums up per organisation.
    owner_organisation: Mapped[str | None] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    prospects: Mapped[str | None] = mapped_column(Text)
    idea_ids: Mapped[list] = mapped_column(JSON, default=list)
    cluster_ids: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    # In the register of the event's series: planned → running → done | dropped.
    status: Mapped[str] = mapped_column(String(16), default="planned", server_default="planned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Contributor(Base):
    """Someone who brings something to an action: a participant who signed up on their phone
    (``participant_id``), or a name the moderator typed in. ``name_in_results``: the person
    agreed that their name may appear in the published results (off unless they said so)."""

    __tablename__ = "action_contributors"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str | None] = mapped_column(String(200))
    brings: Mapped[str | None] = mapped_column(String(200))
    name_in_results: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
