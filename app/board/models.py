"""The board core's own tables: the numbered change log of every workshop, and the remembered
answer of every successful client ``op_id``."""

from __future__ import annotations

from datetime import datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class WorkshopChange(Base):
    """One broadcast change, kept so a reconnecting client can catch up from its last ``seq``.

    ``payload`` is what the workshop's staff (moderators, hosts) see. When part of it is hidden
    from the room, ``withheld`` is what everyone else sees, and ``owner_participant_id`` names
    the participant who sees ``owner_payload`` (or, when that is empty, ``payload``).
    """

    __tablename__ = "workshop_changes"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    withheld: Mapped[dict | None] = mapped_column(JSON)
    owner_participant_id: Mapped[int | None] = mapped_column()
    owner_payload: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Operation(Base):
    """The first successful answer to a sender's ``op_id``, returned again on every retry."""

    __tablename__ = "operations"
    __table_args__ = (UniqueConstraint("sender", "op_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(24))
    op_id: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
