"""What every socket handler that changes a board does around its service.

A command handler parses its payload, finds the sender and checks what they may do in the
workshop (one of the *who* rules below, which also tell whether the sender is the workshop's
staff), then runs its service through the one write path (:mod:`pinnwand.board.write`): one
transaction under the workshop's order lock, each change published after the commit, the
cockpit told. A refused command raises before anything changes; a no-op returns no change, so
nothing is published. Commands for one workshop or every workshop of an event run once per
workshop (:func:`for_one_or_all`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pinnwand.access import Access
from pinnwand.auth.identity import Identity
from pinnwand.events.services import get_event
from pinnwand.realtime import current_identity
from pinnwand.state import AppState, state
from pinnwand.validation import Payload, parse
from pinnwand.workshops.schemas import OneOrAll
from pinnwand.workshops.services import event_workshop_ids

P = TypeVar("P", bound=Payload)
Who = Callable[[Access, Identity, int], bool]


# --- Who may send a command -------------------------------------------------------------------
# Each rule refuses anyone else (``forbidden``; an unknown workshop is ``not_found``) and
# returns whether the sender is the workshop's staff.

def staff_only(access: Access, identity: Identity, workshop_id: int) -> bool:
    """The workshop's staff: the event's moderators and the workshop's host."""
    access.require_staff(identity, workshop_id)
    return True


def posters(access: Access, identity: Identity, workshop_id: int) -> bool:
    """Whoever may post to the workshop: its staff and the participants who joined it."""
    access.require_poster(identity, workshop_id)
    return access.is_staff(identity, workshop_id)


def participants_only(access: Access, identity: Identity, workshop_id: int) -> bool:
    """Participants who joined the workshop (staff, hosts and projectors are refused)."""
    access.require_participant(identity, workshop_id)
    return False


def staff_or_participants(access: Access, identity: Identity, workshop_id: int) -> bool:
    """The workshop's staff, or participants who joined it (projectors and outsiders are
    refused)."""
    if access.is_staff(identity, workshop_id):
        return True
    access.require_participant(identity, workshop_id)
    return False


# --- The course of a command ------------------------------------------------------------------

def sender_of(schema: type[P], payload, who: Who) -> tuple[P, Identity, bool]:
    """Validate ``payload`` against ``schema`` (it names a ``workshop_id``), find the sender and
    check ``who`` may send it: ``(data, identity, staff)``."""
    data = parse(schema, payload)
    identity = current_identity()
    staff = who(state().access, identity, data.workshop_id)
    return data, identity, staff


def write(workshop_id: int, work) -> dict:
    """Run ``work(session) -> (answer, change | [changes] | None)`` on a workshop's board
    through the one write path; the answer."""
    return state().writer.write(workshop_id, work)


def workshop_write(schema: type[P], payload, service, *, who: Who = posters) -> dict:
    """A whole command handler: validate ``payload``, check ``who`` may send it, then write
    ``service(session, identity, data, staff)``. The service's answer is the ack's data."""
    data, identity, staff = sender_of(schema, payload, who)
    return write(data.workshop_id, lambda session: service(session, identity, data, staff))


# --- One workshop or all ----------------------------------------------------------------------

def workshops_in_scope(app_state: AppState, identity: Identity, data: OneOrAll) -> list[int]:
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


def for_one_or_all(data: OneOrAll, apply: Callable[[int], dict]) -> dict:
    """Check who sends a one-or-all command (:func:`workshops_in_scope`), then run
    ``apply(workshop_id) -> ack`` for its workshop, answering that ack, or for every workshop
    of the event in their order, answering ``{"workshops": [{"workshop_id", **ack}]}``."""
    workshop_ids = workshops_in_scope(state(), current_identity(), data)
    if data.event_id is None:
        return apply(workshop_ids[0])
    return {"workshops": [{"workshop_id": workshop_id, **apply(workshop_id)}
                          for workshop_id in workshop_ids]}
