"""Socket payload schemas for workshops."""

from __future__ import annotations

from app.ideas.schemas import WorkshopId
from app.validation import Payload, SeqNumber


class JoinWorkshop(Payload):
    """``join_workshop``: enter a workshop's room; with ``since_seq``, catch up from there."""

    workshop_id: WorkshopId
    since_seq: SeqNumber | None = None


class LockWorkshop(Payload):
    """``lock_workshop``: stop (or resume) accepting ideas in a workshop."""

    workshop_id: WorkshopId
    locked: bool


class WorkshopRef(Payload):
    """A payload naming just a workshop (``leave_workshop``)."""

    workshop_id: WorkshopId
