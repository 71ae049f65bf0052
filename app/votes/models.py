"""The dots each participant placed on an idea or a cluster of a workshop."""

from __future__ import annotations

from pinnwand.db import Base
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

TARGET_TYPES = ("idea", "cluster")


class Vote(Base):
    """``count`` dots of one participant on one target (``idea`` or ``cluster``)."""

    __tablename__ = "votes"

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    target_type: Mapped[str] = mapped_column(String(8), primary_key=True)
    target_id: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
