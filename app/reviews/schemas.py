"""Socket payload schemas of the review step."""

from __future__ import annotations

from typing import Literal

from pinnwand.reviews.models import VERDICTS
from pinnwand.validation import Id, Payload, text

MAX_COMMENT = 500


class ReviewAction(Payload):
    """``review_action``: set the sender's verdict (and comment) on one open action of the
    series' earlier forums. ``comment`` left out keeps the one given before; ``""`` or
    ``null`` removes it."""

    workshop_id: Id
    action_id: Id
    verdict: Literal[VERDICTS]
    comment: text(0, MAX_COMMENT) | None = None


class RevealReviews(Payload):
    """``reveal_reviews``: publish the verdicts of a workshop reviewing in secret."""

    workshop_id: Id
