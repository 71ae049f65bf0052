"""Numbering a workshop's changes: ``seq`` rises by exactly 1 per change, with no gaps, and
survives restarts, because it is taken in the database in the same transaction as the change
(``UPDATE … SET seq = seq + 1 RETURNING``)."""

from __future__ import annotations

from typing import NamedTuple

from pinnwand.db import driver_row
from pinnwand.errors import NotFound
from pinnwand.workshops.models import Workshop
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value


class ClaimedState(NamedTuple):
    """What :func:`claim_seq` returns: the new ``seq`` and the workshop's state the rules
    need, read by the same statement that took the number."""

    seq: int
    event_id: int
    locked: bool
    step: str
    private_writing: bool
    cluster_by: str
    vote_budget: int
    vote_max_per_target: int
    votes_secret: bool
    votes_revealed: bool
    voting_started: bool
    reviews_revealed: bool


CLAIM_SEQ_SQL = ("UPDATE workshops SET seq = seq + 1 WHERE id = ? RETURNING "
                 + ", ".join(ClaimedState._fields))


def claim_seq(session: Session, workshop_id: int) -> ClaimedState:
    """Take the workshop's next ``seq`` atomically in the database; returns it with the state
    the rules need (``locked``, ``step``, ``private_writing``, the vote settings…), read in the
    same statement.

    The row stays locked for writers until the transaction ends, so two processes can never
    take the same number, and a rolled-back change gives its number back. Pending changes of
    ``session`` are flushed first (so the state read includes them), and a :class:`Workshop`
    loaded in ``session`` sees the new ``seq``. One statement on the DBAPI connection: this
    runs for every idea of a live workshop.
    """
    if session.autoflush and (session.identity_map or session.new):
        session.flush()
    row = driver_row(session, CLAIM_SEQ_SQL, (workshop_id,))
    if row is None:
        raise NotFound("There is no such workshop.")
    state = ClaimedState(row[0], row[1], bool(row[2]), row[3], bool(row[4]), row[5], row[6],
                         row[7], bool(row[8]), bool(row[9]), bool(row[10]), bool(row[11]))
    if session.identity_map:
        _sync_loaded_seq(session, workshop_id, state.seq)
    return state


def _sync_loaded_seq(session: Session, workshop_id: int, seq: int) -> None:
    """Give a :class:`Workshop` loaded in ``session`` the ``seq`` just claimed, as the
    database now holds it (not as a pending change)."""
    loaded = session.identity_map.get(session.identity_key(Workshop, workshop_id))
    if loaded is not None:
        set_committed_value(loaded, "seq", seq)


def current_seq(session: Session, workshop_id: int) -> int:
    """The workshop's last ``seq``."""
    return session.scalar(select(Workshop.seq).where(Workshop.id == workshop_id)) or 0
