"""Socket payload schemas for curating ideas: edit, withdraw, restore, merge and move.

Optional fields default to ``None`` without being nullable unless the protocol allows ``null``
(``category_id``, ``after_id``): an explicit ``null`` for ``text`` or ``anonymous`` is refused.
Which optional fields a client sent is read from ``model_fields_set``.
"""

from __future__ import annotations

from pinnwand.ideas.schemas import MAX_IDEA_LENGTH
from pinnwand.validation import Id, Payload, text
from pinnwand.workshops.schemas import WorkshopId
from pydantic import model_validator

IdeaText = text(1, MAX_IDEA_LENGTH)


class IdeaRef(Payload):
    """``delete_idea`` / ``restore_idea``: one idea of a workshop."""

    workshop_id: WorkshopId
    idea_id: Id


class UpdateIdea(IdeaRef):
    """``update_idea``: new text, column or anonymity of an idea; at least one of them."""

    text: IdeaText = None
    category_id: Id | None = None
    anonymous: bool = None

    @model_validator(mode="after")
    def _something_to_change(self):
        if not self.model_fields_set & {"text", "category_id", "anonymous"}:
            raise ValueError("send at least one of text, category_id, anonymous")
        return self


class MergeIdeas(IdeaRef):
    """``merge_ideas``: ``idea_id`` leaves the board, folded into ``into_id``."""

    into_id: Id


class MoveIdea(IdeaRef):
    """``move_idea``: place an idea after ``after_id`` (``null``: first) and/or into the column
    ``category_id`` (``null``: no column); at least one of them."""

    after_id: Id | None = None
    category_id: Id | None = None

    @model_validator(mode="after")
    def _somewhere_to_go(self):
        if not self.model_fields_set & {"after_id", "category_id"}:
            raise ValueError("send after_id, category_id or both")
        return self
