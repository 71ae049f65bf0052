"""Request schemas for workshops: creating and changing one (HTTP), opening and locking its
board, running it (steps, settings, columns), and commands for one workshop or all of an
event."""

from __future__ import annotations

from typing import Annotated, Literal

from pinnwand.errors import Invalid
from pinnwand.validation import Id, Payload, SeqNumber, text
from pinnwand.workshops.models import CLUSTER_BY, STEPS, TEMPLATES
from pydantic import Field, field_validator, model_validator

WorkshopId = Id
WorkshopTitle = text(1, 200)
Question = text(0, 1000)
MAX_CATEGORIES = 12
CategoryTitle = text(1, 120)


class WorkshopIn(Payload):
    """A workshop to create: its title and guiding question, its board's template (``free``,
    ``categories``, ``how_might_we``, ``running``) and, optionally, the titles of its first
    columns."""

    title: WorkshopTitle
    question: Question = ""
    template: Literal[TEMPLATES] = "free"
    categories: Annotated[list[CategoryTitle], Field(max_length=MAX_CATEGORIES)] | None = None


class WorkshopPatch(Payload):
    """Fields of a workshop to change; those left out stay as they are."""

    title: WorkshopTitle | None = None
    question: Question | None = None
    position: Annotated[int, Field(ge=0, le=1000)] | None = None


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


class HostLinkIn(Payload):
    """``POST /workshops/{id}/host-link``: the host's name as the room will see it."""

    name: text(1, 80)


# One workshop or all ------------------------------------------------------------------------

class OneOrAll(Payload):
    """A command for one workshop (``workshop_id``) or every workshop of an event
    (``event_id``, the event's moderators only): exactly one of the two, else ``invalid``
    naming both fields."""

    workshop_id: Id | None = None
    event_id: Id | None = None

    @model_validator(mode="after")
    def _exactly_one_target(self):
        if (self.workshop_id is None) == (self.event_id is None):
            message = "give exactly one of workshop_id and event_id"
            raise Invalid("Name either one workshop or one event.",
                          {"workshop_id": message, "event_id": message})
        return self


# Facilitation --------------------------------------------------------------------------------

VOTE_LIMIT = 20
Step = Literal[STEPS]
ClusterBy = Literal[CLUSTER_BY]
VoteCount = Annotated[int, Field(ge=1, le=VOTE_LIMIT)]


class SetStep(OneOrAll):
    """``set_step``: move one workshop (or all of an event) to a step."""

    step: Step


class ConfigureWorkshop(Payload):
    """``configure_workshop``: change how a workshop runs; fields left out stay as they are."""

    workshop_id: WorkshopId
    private_writing: bool | None = None
    cluster_by: ClusterBy | None = None
    vote_budget: VoteCount | None = None
    vote_max_per_target: VoteCount | None = None
    votes_secret: bool | None = None


class CategoryIn(Payload):
    """A column of the board: an existing one (``id``) to keep and retitle, or a new one."""

    id: Id | None = None
    title: CategoryTitle


class SetCategories(Payload):
    """``set_categories``: the workshop's columns, complete and in order."""

    workshop_id: WorkshopId
    categories: Annotated[list[CategoryIn], Field(max_length=MAX_CATEGORIES)]

    @field_validator("categories")
    @classmethod
    def _ids_once(cls, categories: list[CategoryIn]) -> list[CategoryIn]:
        ids = [c.id for c in categories if c.id is not None]
        if len(ids) != len(set(ids)):
            raise ValueError("each category id may appear only once")
        return categories
