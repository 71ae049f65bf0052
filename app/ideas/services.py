"""Posting ideas; no Flask.

Posting is the hot path of a live workshop (every phone, every idea), so :func:`create_idea`
writes its rows with four statements on the DBAPI connection of the caller's transaction —
``UPDATE … RETURNING`` for the ``seq`` (:func:`~pinnwand.board.seq.claim_seq`),
``INSERT … RETURNING`` for the idea, one ``INSERT`` each for the change log and the remembered
answer (:func:`~pinnwand.board.operations.remember`) — and builds the idea's JSON from the
values it wrote, without ORM objects or flushes. Idempotency rests on the unique
``(sender, op_id)`` of ``operations``: a repeat fails that insert (``IntegrityError``), the
write rolls back, and the handler answers the remembered answer.
"""

from __future__ import annotations

from datetime import datetime

from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, numbered
from pinnwand.board.names import IDEA_CREATED
from pinnwand.board.operations import remember
from pinnwand.board.rules import COLLECT, ensure_open, ensure_step
from pinnwand.board.seq import claim_seq
from pinnwand.board.visibility import Audience, idea_view
from pinnwand.db import driver_row, driver_time, isoformat, utcnow
from pinnwand.errors import NotFound
from pinnwand.ideas.schemas import CreateIdea
from pinnwand.workshops.models import Category
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

INSERT_IDEA_SQL = (
    "INSERT INTO ideas (workshop_id, text, anonymous, author_name, participant_id,"
    " moderator_id, votes, created_at, hidden, position, category_id)"
    " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) RETURNING id"
)
_CATEGORIES = Category.__table__
CATEGORY_WORKSHOP = select(_CATEGORIES.c.workshop_id).where(
    _CATEGORIES.c.id == bindparam("category_id"))


def ensure_category(session: Session, workshop_id: int, category_id: int | None) -> None:
    """Refuse with :class:`NotFound` unless ``category_id`` is empty or one of this workshop's
    categories (a category of another workshop is as unknown as a missing one)."""
    if category_id is None:
        return
    found = session.connection().execute(CATEGORY_WORKSHOP, {"category_id": category_id})
    if found.scalar() != workshop_id:
        raise NotFound("There is no such category in this workshop.")


def create_idea(session: Session, identity: Identity, data: CreateIdea,
                staff: bool = False) -> tuple[dict, Change]:
    """Post an idea (participants who joined the workshop while it collects; its staff in any
    step), optionally into one of the workshop's categories.

    Checks ``category_id`` (``not_found`` unless a category of this workshop), takes the next
    ``seq``, refuses with ``locked`` while the workshop is locked or (for participants) not
    collecting, stores the idea, its log entry and the answer under the sender's ``op_id`` in
    the caller's transaction (a repeated ``op_id`` fails with ``IntegrityError`` there). While
    the workshop writes privately a participant's idea is hidden: the room's change withholds
    its text and author until the reveal. Returns ``(ack data, change)``; the caller publishes
    the change (``idea_created``) after the commit.
    """
    ensure_category(session, data.workshop_id, data.category_id)
    state = claim_seq(session, data.workshop_id)
    ensure_open(state.locked)
    ensure_step(state, staff, COLLECT, "posting ideas")
    hidden = bool(state.private_writing and identity.is_participant)
    shown = insert_idea(session, identity, data, state.seq, hidden)
    owner_id = identity.participant_id

    def view(audience: Audience) -> dict:
        return {"workshop_id": data.workshop_id, "seq": state.seq,
                "idea": idea_view(shown, owner_id, audience, state)}

    change = numbered(session, data.workshop_id, state.seq, IDEA_CREATED, view,
                      owner_id=owner_id)
    answer = {"idea": change.for_audience(Audience.of(identity, staff))["idea"],
              "seq": state.seq}
    remember(session, identity.sender, data.op_id, answer)
    return answer, change


def insert_idea(session: Session, identity: Identity, data: CreateIdea, seq: int,
                hidden: bool) -> dict:
    """Write the idea's row (placed by its ``seq``) and return it as :meth:`Idea.to_json`
    would, built from the values written."""
    now = utcnow()
    position = float(seq)
    row = driver_row(session, INSERT_IDEA_SQL, (
        data.workshop_id, data.text, data.anonymous, identity.name, identity.participant_id,
        identity.moderator_id, driver_time(session, now), hidden, position, data.category_id))
    return new_idea_json(row[0], data, identity, now, hidden, position)


def new_idea_json(idea_id: int, data: CreateIdea, identity: Identity, created_at: datetime,
                  hidden: bool, position: float) -> dict:
    """A just-written idea in the shape of :meth:`Idea.to_json` (no votes, cluster, merge or
    deletion yet)."""
    return {
        "id": idea_id,
        "workshop_id": data.workshop_id,
        "text": data.text,
        "author": None if data.anonymous else identity.name,
        "created_at": isoformat(created_at),
        "votes": 0,
        "hidden": hidden,
        "position": position,
        "category_id": data.category_id,
        "cluster_id": None,
        "merged_into": None,
        "deleted": False,
    }
