"""Numbered changes: what a write returns to be published after its commit, and the log a
reconnecting client catches up from.

A workshop's change (:class:`Change`) carries what the staff see (``payload``) and, when some
of it is hidden (see :mod:`pinnwand.board.visibility`), what everyone else sees (``withheld``)
and what its owner sees (``owner_payload``). :func:`numbered` builds these variants from one
view function, logs the change in the same transaction and returns it; :func:`logged_view`
reads a logged change back for an audience. An event's plenary has its own numbering and
its own change (:class:`PlenaryChange`), which is not logged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from pinnwand.board.models import WorkshopChange
from pinnwand.board.names import BOARD_CHANGES, PLENARY_CHANGED
from pinnwand.board.visibility import STAFF, VIEWER, Audience, without_totals
from pinnwand.db import driver_json, driver_later, driver_time, utcnow
from sqlalchemy import select
from sqlalchemy.orm import Session

View = Callable[[Audience], dict]


@dataclass(frozen=True)
class Change:
    """One numbered change of a workshop, with the variants hidden parts require."""

    workshop_id: int
    seq: int
    name: str
    payload: dict
    withheld: dict | None = None
    owner_id: int | None = None
    owner_payload: dict | None = None

    @property
    def is_split(self) -> bool:
        """Whether some recipients see something other than ``payload``."""
        return self.withheld is not None or self.owner_payload is not None

    @property
    def for_others(self) -> dict:
        """What everyone but the staff and the owner sees."""
        return self.withheld if self.withheld is not None else self.payload

    @property
    def for_owner(self) -> dict:
        """What the owner sees."""
        return self.owner_payload if self.owner_payload is not None else self.payload

    def for_audience(self, audience: Audience) -> dict:
        """The payload this audience may see."""
        return pick(self.payload, self.withheld, self.owner_id, self.owner_payload, audience)


def pick(payload: dict, withheld: dict | None, owner_id: int | None,
         owner_payload: dict | None, audience: Audience) -> dict:
    """The variant of a change an audience receives."""
    if audience.staff:
        return payload
    if audience.owns(owner_id):
        return owner_payload if owner_payload is not None else payload
    return withheld if withheld is not None else payload


@dataclass(frozen=True)
class PlenaryChange:
    """One numbered change of an event's plenary: what its moderators see (``payload``) and
    what everyone else sees (``public``, the same object while the plenary is open)."""

    event_id: int
    seq: int
    payload: dict
    public: dict
    name: str = PLENARY_CHANGED

    @property
    def is_split(self) -> bool:
        """Whether participants and hosts see something other than the moderators."""
        return self.public is not self.payload


AnyChange = Change | PlenaryChange
Outcome = AnyChange | list[AnyChange] | None
"""What a write returns besides its answer: a change, several, or none (a no-op)."""


def changes_of(outcome: Outcome) -> list[AnyChange]:
    """The changes a write returned, as a list."""
    if outcome is None:
        return []
    return outcome if isinstance(outcome, list) else [outcome]


# -- numbering and logging ------------------------------------------------------------------

LOG_CHANGE_SQL = (
    "INSERT INTO workshop_changes (workshop_id, seq, name, payload, withheld,"
    " owner_participant_id, owner_payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def numbered(session: Session, workshop_id: int, seq: int, name: str, view: View,
             owner_id: int | None = None) -> Change:
    """Log the change ``name`` with number ``seq`` as each audience sees it — ``view(audience)``
    for the staff, for everyone else and, given ``owner_id``, for that participant — keeping
    only the variants that differ, and return it for publishing after the commit."""
    payload, others = view(STAFF), view(VIEWER)
    owner = view(Audience(participant_id=owner_id)) if owner_id is not None else None
    if owner is None or owner == others:
        owner_id, owner = None, None
    return record_change(session, Change(
        workshop_id, seq, name, payload,
        withheld=None if others == payload else others,
        owner_id=owner_id,
        owner_payload=None if owner is None or owner == payload else owner,
    ))


def shared(session: Session, workshop_id: int, seq: int, name: str, payload: dict) -> Change:
    """Log a change everyone sees alike (a step, a lock, a timer, a message…)."""
    return record_change(session, Change(workshop_id, seq, name, payload))


def record_change(session: Session, change: Change) -> Change:
    """Append a numbered change to the workshop's log (for clients that catch up later), in
    the caller's transaction; the change."""
    if change.name not in BOARD_CHANGES:
        raise ValueError(f"{change.name!r} is not a change of the board (board.names)")
    driver_later(session, LOG_CHANGE_SQL, (
        change.workshop_id, change.seq, change.name, json.dumps(change.payload),
        driver_json(change.withheld), change.owner_id, driver_json(change.owner_payload),
        driver_time(session, utcnow())))
    return change


# -- reading the log ------------------------------------------------------------------------

def logged_changes(session: Session, workshop_id: int, after: int,
                   through: int) -> list[WorkshopChange]:
    """The logged changes with ``after < seq <= through``, in order."""
    query = (
        select(WorkshopChange)
        .where(WorkshopChange.workshop_id == workshop_id, WorkshopChange.seq > after,
               WorkshopChange.seq <= through)
        .order_by(WorkshopChange.seq)
    )
    return list(session.scalars(query))


def logged_view(row: WorkshopChange, audience: Audience, hide_totals: bool = False) -> dict:
    """A logged change as this audience may see it, with its ``event`` name (catch-up); with
    ``hide_totals`` every vote total in it is withheld (``null``), as the workshop's totals are
    secret now although they were not yet when the change was logged."""
    payload = pick(row.payload, row.withheld, row.owner_participant_id, row.owner_payload,
                   audience)
    if hide_totals:
        payload = without_totals(payload)
    return {**payload, "event": row.name}
