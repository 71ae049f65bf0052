"""Short messages the staff broadcast to a workshop's board; no Flask."""

from __future__ import annotations

from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, shared
from pinnwand.board.names import MESSAGE_POSTED
from pinnwand.board.seq import claim_seq
from pinnwand.db import isoformat
from pinnwand.workshops.models import Message
from sqlalchemy import select
from sqlalchemy.orm import Session


def send_message(session: Session, identity: Identity, workshop_id: int,
                 text: str) -> tuple[dict, Change]:
    """Post a message to one workshop (its staff, or the event's moderators to each workshop;
    the caller has checked that), in any step and regardless of the lock.

    Stores the message with the sender's display name and numbers ``message_posted
    {"workshop_id", "seq", "message"}``. Returns ``({"message", "seq"}, change)``.
    """
    state = claim_seq(session, workshop_id)
    message = Message(workshop_id=workshop_id, text=text, sender_name=identity.name or None)
    session.add(message)
    session.flush()
    shown = message_json(message)
    payload = {"workshop_id": workshop_id, "seq": state.seq, "message": shown}
    change = shared(session, workshop_id, state.seq, MESSAGE_POSTED, payload)
    return {"message": shown, "seq": state.seq}, change


def messages_json(session: Session, workshop_id: int, limit: int = 5) -> list[dict]:
    """The workshop's latest broadcast messages, oldest first."""
    query = (select(Message).where(Message.workshop_id == workshop_id)
             .order_by(Message.id.desc()).limit(limit))
    return [message_json(m) for m in reversed(list(session.scalars(query)))]


def message_json(message: Message) -> dict:
    """A broadcast message as clients show it."""
    return {"id": message.id, "text": message.text, "from": message.sender_name,
            "sent_at": isoformat(message.created_at)}
