"""Socket payload schemas for ideas."""

from __future__ import annotations

from pinnwand.validation import Id, OpId, Payload, text
from pinnwand.workshops.schemas import WorkshopId

MAX_IDEA_LENGTH = 500


class CreateIdea(Payload):
    """``create_idea``: a new idea for a workshop's board, idempotent per sender and ``op_id``;
    optionally straight into one of the workshop's categories (``category_id``)."""

    workshop_id: WorkshopId
    op_id: OpId
    text: text(1, MAX_IDEA_LENGTH)
    anonymous: bool = False
    category_id: Id | None = None
