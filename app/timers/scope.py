"""Commands for one workshop or for every workshop of an event ("one or all")."""

from __future__ import annotations

from collections.abc import Callable

from pinnwand.auth.identity import Identity
from pinnwand.events.services import get_event
from pinnwand.validation import Id, Payload
from pinnwand.workshops.facilitation import event_workshop_ids
from pinnwand.workshops.schemas import OneOrAll
from pydantic import model_validator


class WorkshopOrEvent(Payload):
    """A payload naming either one workshop (``workshop_id``) or a whole event (``event_id``),
    never both."""

    workshop_id: Id | None = None
    event_id: Id | None = None

    @model_validator(mode="after")
    def _exactly_one_target(self):
        """Refuse a payload naming both a workshop and an event, or neither."""
        if (self.workshop_id is None) == (self.event_id is None):
            raise ValueError("give either workshop_id or event_id")
        return self


def workshops_in_scope(app_state, identity: Identity,
                       data: WorkshopOrEvent | OneOrAll) -> list[int]:
    """The workshops a one-or-all command applies to, after checking who sends it: the
    workshop's staff for one workshop, the event's moderators (not hosts) for all of them
    (an unknown event is ``not_found``)."""
    if data.workshop_id is not None:
        app_state.access.require_staff(identity, data.workshop_id)
        return [data.workshop_id]
    with app_state.db.read() as session:
        get_event(session, data.event_id)
    app_state.access.require_event_moderator(identity, data.event_id)
    with app_state.db.read() as session:
        return event_workshop_ids(session, data.event_id)


def for_one_or_all(app_state, identity: Identity, data: WorkshopOrEvent | OneOrAll,
                   apply: Callable[[int], dict]) -> dict:
    """Check who sends a one-or-all command (:func:`workshops_in_scope`), then run
    ``apply(workshop_id) -> ack`` for its workshop, answering that ack, or for every workshop
    of the event in their order, answering ``{"workshops": [{"workshop_id", **ack}]}``."""
    workshop_ids = workshops_in_scope(app_state, identity, data)
    if data.event_id is None:
        return apply(workshop_ids[0])
    return {"workshops": [{"workshop_id": workshop_id, **apply(workshop_id)}
                          for workshop_id in workshop_ids]}
