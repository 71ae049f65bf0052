"""What a workshop accepts right now, and from whom: the step rules every domain checks.

Staff (the event's moderators, the workshop's hosts) may curate in any step and regardless of
the lock; a participant's contribution outside its step, or while the workshop is locked, is
:class:`~pinnwand.errors.Locked`; one they may never make is
:class:`~pinnwand.errors.Forbidden`. ``state`` is a :class:`~pinnwand.workshops.models.Workshop`
or the row :func:`pinnwand.board.seq.claim_seq` returned: services check once before taking a
``seq`` and again on the row they claimed.
"""

from __future__ import annotations

from typing import TypeVar

from pinnwand.errors import Forbidden, Locked, NotFound
from sqlalchemy.orm import Session

T = TypeVar("T")

COLLECT = ("collect",)
CLUSTER = ("cluster",)
VOTE = ("vote",)
ACT = ("act",)
# Reaching one of these steps starts voting: from then on secret totals are withheld.
VOTING_ONWARDS = ("vote", "act", "closed")


def ensure_open(locked: bool) -> None:
    """Refuse with :class:`Locked` while the workshop does not accept contributions (for
    everyone: the contract's rule for ``create_idea``)."""
    if locked:
        raise Locked("This workshop is locked: it does not accept new ideas right now.")


def ensure_step(state, staff: bool, steps: tuple[str, ...], doing: str) -> None:
    """Refuse a participant's contribution with :class:`Locked` unless the workshop is
    unlocked and in one of ``steps``; the workshop's staff may curate in any step."""
    if staff:
        return
    if state.locked:
        raise Locked("This workshop is locked right now.")
    if state.step not in steps:
        raise Locked(f"This workshop is in its {state.step} step: {doing} is not possible now.")


def ensure_arranging(state, staff: bool, doing: str) -> None:
    """Participants arrange the board (move, group, ungroup, rename clusters) only when the
    workshop lets everyone cluster (``forbidden`` otherwise), in its cluster step and while it
    is unlocked (``locked`` otherwise); the staff always may."""
    if staff:
        return
    if state.cluster_by != "everyone":
        raise Forbidden("In this workshop only the moderators and host arrange the ideas.")
    ensure_step(state, staff, CLUSTER, doing)


def of_workshop(session: Session, model: type[T], workshop_id: int, row_id: int,
                noun: str) -> T:
    """The row ``row_id`` of ``model`` (an idea, cluster, column, action…) if it belongs to
    this workshop, else :class:`NotFound` — another workshop's is as unknown as a missing one."""
    row = session.get(model, row_id)
    if row is None or row.workshop_id != workshop_id:
        raise NotFound(f"There is no such {noun} in this workshop.")
    return row
