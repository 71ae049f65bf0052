"""What every socket handler that changes one workshop's board does around its service.

A write handler parses its payload, finds the sender and checks what they may do in the
workshop (one of the *who* rules below, which also tell whether the sender is the workshop's
staff). Then it runs its service in one transaction under the workshop's write order and,
after the commit but still in that order (so this process emits in ``seq`` order), publishes
the service's change or changes, each audience its variant; for changes the cockpit counts it
also refreshes the cockpit's figures (``workshop_stats``). A refused command raises before
anything changes; a no-op returns no change, so nothing is published.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pinnwand.access import Access
from pinnwand.auth.identity import Identity
from pinnwand.realtime import current_identity
from pinnwand.state import state
from pinnwand.validation import Payload, parse
from pinnwand.workshops.changes import Change
from sqlalchemy.orm import Session

P = TypeVar("P", bound=Payload)
Outcome = Change | list[Change] | None
Work = Callable[[Session], tuple[dict, Outcome]]
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


# --- The course of a write --------------------------------------------------------------------

def sender_of(schema: type[P], payload, who: Who) -> tuple[P, Identity, bool]:
    """Validate ``payload`` against ``schema`` (it names a ``workshop_id``), find the sender and
    check ``who`` may send it: ``(data, identity, staff)``."""
    data = parse(schema, payload)
    identity = current_identity()
    staff = who(state().access, identity, data.workshop_id)
    return data, identity, staff


def changes_of(outcome: Outcome) -> list[Change]:
    """The changes a service returned, as a list."""
    if outcome is None:
        return []
    return outcome if isinstance(outcome, list) else [outcome]


def run_write(workshop_id: int, work: Work) -> dict:
    """Run ``work(session) -> (answer, change | [changes] | None)`` in one transaction under
    the workshop's write order, publish each change after the commit and refresh the
    cockpit's figures (its last activity) when something changed. The answer."""
    app_state = state()
    with app_state.db.ordered(workshop_id):
        with app_state.db.transaction() as session:
            answer, outcome = work(session)
        changes = changes_of(outcome)
        for change in changes:
            app_state.realtime.publish(change)
    if changes:
        app_state.stats.touch(workshop_id)
    return answer


def workshop_write(schema: type[P], payload, service, *, who: Who = posters) -> dict:
    """A whole write handler: validate ``payload``, check ``who`` may send it, then run
    ``service(session, identity, data, staff)`` as :func:`run_write` does. The service's
    answer is the ack's data."""
    data, identity, staff = sender_of(schema, payload, who)
    return run_write(data.workshop_id, lambda session: service(session, identity, data, staff))
