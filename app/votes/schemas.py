"""Socket payload schemas for dot voting."""

from __future__ import annotations

from typing import Annotated, Literal

from pinnwand.validation import Id, Payload
from pydantic import Field

# The highest per-target cap a workshop can be configured with; the workshop's own
# ``vote_max_per_target`` is checked by the service.
MAX_DOTS_PER_TARGET = 20


class CastVote(Payload):
    """``vote``: set the sender's dots on one idea or cluster (setting, not adding)."""

    workshop_id: Id
    target_type: Literal["idea", "cluster"]
    target_id: Id
    count: Annotated[int, Field(ge=0, le=MAX_DOTS_PER_TARGET)]


class RevealVotes(Payload):
    """``reveal_votes``: publish the totals of a workshop voting in secret."""

    workshop_id: Id
