"""Socket payload schemas for ideas."""

from __future__ import annotations

from typing import Annotated

from pinnwand.validation import Id, Payload, text
from pydantic import StringConstraints

MAX_IDEA_LENGTH = 500
OpId = Annotated[str, StringConstraints(strip_whitespace=False, pattern=r"^[A-Za-z0-9_-]{8,64}$")]
WorkshopId = Id


class CreateIdea(Payload):
    """``create_idea``: a new idea for a workshop's board, idempotent per sender and ``op_id``;
    optionally straight into one of the workshop's categories (``category_id``)."""

    workshop_id: WorkshopId
    op_id: OpId
    text: text(1, MAX_IDEA_LENGTH)
    anonymous: bool = False
    category_id: Id | None = None
