"""Posting ideas, and remembering each sender's successful ``op_id``s; no Flask.

Posting is the hot path of a live workshop (every phone, every idea), so :func:`create_idea`
writes its rows with four statements on the DBAPI connection of the caller's transaction —
``UPDATE … RETURNING`` for the ``seq`` (:func:`claim_seq`), ``INSERT … RETURNING`` for the
idea, one ``INSERT`` each for the change log and the remembered answer — and builds the idea's
JSON from the values it wrote, without ORM objects or flushes. Idempotency rests on the unique
``(sender, op_id)`` of ``operations``: a repeat fails that insert (``IntegrityError``), the
transaction rolls back, and the caller answers :func:`remembered`.
"""

from __future__ import annotations

import json
from datetime import datetime

from pinnwand.auth.identity import Identity
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import NotFound
from pinnwand.ideas.models import Operation
from pinnwand.ideas.schemas import CreateIdea
from pinnwand.workshops.changes import Change, driver_row, driver_time, record_change, withheld_idea
from pinnwand.workshops.models import Category
from pinnwand.workshops.services import claim_seq, ensure_open, ensure_step
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

IDEA_CREATED = "idea_created"

INSERT_IDEA_SQL = (
    "INSERT INTO ideas (workshop_id, text, anonymous, author_name, participant_id,"
    " moderator_id, votes, created_at, hidden, position, category_id)"
    " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) RETURNING id"
)
REMEMBER_SQL = "INSERT INTO operations (sender, op_id, response, created_at) VALUES (?, ?, ?, ?)"
_OPERATIONS = Operation.__table__
REMEMBERED = select(_OPERATIONS.c.response).where(
    _OPERATIONS.c.sender == bindparam("sender"),
    _OPERATIONS.c.op_id == bindparam("op_id"),
)
_CATEGORIES = Category.__table__
CATEGORY_WORKSHOP = select(_CATEGORIES.c.workshop_id).where(
    _CATEGORIES.c.id == bindparam("category_id"))


def remembered(session: Session, sender: str, op_id: str) -> dict | None:
    """The first successful answer to this sender's ``op_id``, or ``None``."""
    return session.connection().execute(REMEMBERED, {"sender": sender, "op_id": op_id}).scalar()


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
    ensure_step(state, staff, ("collect",), "posting ideas")
    hidden = bool(state.private_writing and identity.is_participant)
    shown = insert_idea(session, identity, data, state.seq, hidden)
    payload = {"workshop_id": data.workshop_id, "seq": state.seq, "idea": shown}
    withheld = {**payload, "idea": withheld_idea(shown)} if hidden else None
    change = record_change(session, data.workshop_id, state.seq, IDEA_CREATED, payload,
                           withheld=withheld,
                           owner_id=identity.participant_id if hidden else None)
    answer = {"idea": shown, "seq": state.seq}
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


def remember(session: Session, sender: str, op_id: str, answer: dict) -> None:
    """Keep ``answer`` as the one answer to this sender's ``op_id``; raises ``IntegrityError``
    when it has one already."""
    driver_row(session, REMEMBER_SQL,
               (sender, op_id, json.dumps(answer), driver_time(session, utcnow())))
