"""Posting ideas, and remembering each sender's successful ``op_id``s; no Flask."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.identity import Identity
from app.ideas.models import Idea, Operation
from app.ideas.schemas import CreateIdea
from app.workshops.services import ensure_open, next_seq, record_change

IDEA_CREATED = "idea_created"


def remembered(session: Session, sender: str, op_id: str) -> dict | None:
    """The first successful answer to this sender's ``op_id``, or ``None``."""
    query = select(Operation.response).where(Operation.sender == sender, Operation.op_id == op_id)
    return session.scalar(query)


def create_idea(session: Session, identity: Identity, data: CreateIdea) -> tuple[dict, dict]:
    """Post an idea (participants who joined the workshop, the event's moderators).

    Takes the next ``seq``, refuses with ``locked`` while the workshop is locked, stores the
    idea, its log entry and the answer under the sender's ``op_id`` in one transaction.
    Returns ``(ack data, idea_created payload)``; the caller broadcasts after the commit.
    """
    seq, locked = next_seq(session, data.workshop_id)
    ensure_open(locked)
    idea = Idea(
        workshop_id=data.workshop_id, text=data.text, anonymous=data.anonymous,
        author_name=identity.name, participant_id=identity.participant_id,
        moderator_id=identity.moderator_id,
    )
    session.add(idea)
    session.flush()
    payload = {"workshop_id": data.workshop_id, "seq": seq, "idea": idea.to_json()}
    record_change(session, data.workshop_id, seq, IDEA_CREATED, payload)
    answer = {"idea": payload["idea"], "seq": seq}
    session.add(Operation(sender=identity.sender, op_id=data.op_id, response=answer))
    session.flush()
    return answer, payload
