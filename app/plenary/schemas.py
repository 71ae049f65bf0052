"""Socket payload schemas of the plenary board."""

from __future__ import annotations

from typing import Annotated

from pinnwand.validation import Id, Payload
from pydantic import Field, model_validator

MAX_ITEMS_PER_ADD = 100
MAX_PER_WORKSHOP = 10
MAX_VOTE_BUDGET = 20

PerWorkshop = Annotated[int, Field(ge=1, le=MAX_PER_WORKSHOP)]
VoteBudget = Annotated[int, Field(ge=1, le=MAX_VOTE_BUDGET)]
VoteCount = Annotated[int, Field(ge=0, le=MAX_VOTE_BUDGET)]


class PlenaryRef(Payload):
    """``join_plenary``: a payload naming just an event."""

    event_id: Id


class PlenaryItemRef(Payload):
    """One thing to bring to the plenary: an idea or a cluster of one workshop."""

    workshop_id: Id
    idea_id: Id | None = None
    cluster_id: Id | None = None

    @model_validator(mode="after")
    def _exactly_one_target(self) -> PlenaryItemRef:
        if (self.idea_id is None) == (self.cluster_id is None):
            raise ValueError("give exactly one of idea_id and cluster_id")
        return self

    @property
    def key(self) -> tuple[str, int]:
        """``("idea", id)`` or ``("cluster", id)``: what this reference points at."""
        if self.idea_id is not None:
            return ("idea", self.idea_id)
        return ("cluster", self.cluster_id)


class PlenaryAdd(Payload):
    """``plenary_add``: bring ideas or clusters of the event's workshops to the plenary."""

    event_id: Id
    items: Annotated[list[PlenaryItemRef], Field(min_length=1, max_length=MAX_ITEMS_PER_ADD)]


class PlenaryPullTop(Payload):
    """``plenary_pull_top``: bring every workshop's top ``per_workshop`` results."""

    event_id: Id
    per_workshop: PerWorkshop


class PlenaryRemove(Payload):
    """``plenary_remove``: take one item off the plenary."""

    event_id: Id
    item_id: Id


class ConfigurePlenary(Payload):
    """``configure_plenary``: open or close the plenary, start or stop its vote, set the
    budget of dots per participant. A field left out (or ``null``) stays as it is."""

    event_id: Id
    open: bool | None = None
    voting: bool | None = None
    vote_budget: VoteBudget | None = None


class PlenaryVoteIn(Payload):
    """``plenary_vote``: a participant's dots on one item (setting, not adding)."""

    event_id: Id
    item_id: Id
    count: VoteCount
