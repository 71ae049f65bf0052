"""Short messages the staff broadcast to a workshop's board; no Flask."""

from __future__ import annotations

from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, shared
from pinnwand.board.names import MESSAGE_POSTED, MESSAGE_WITHDRAWN
from pinnwand.board.seq import claim_seq, current_seq
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import NotFound
from pinnwand.workshops.models import Message
from sqlalchemy import select
from sqlalchemy.orm import Session


def send_message(session: Session, identity: Identity, workshop_id: int,
                 text: str) -> tuple[dict, Change]:
    """Post a message to one workshop (its staff, or the event's moderators to each workshop;
    the caller has checked that), in any step and regardless of the lock.

    Stores the message with the sender's display name and the workshop's step, and numbers
    ``message_posted {"workshop_id", "seq", "message"}``. Returns ``({"message", "seq"},
    change)``.
    """
    state = claim_seq(session, workshop_id)
    message = Message(workshop_id=workshop_id, text=text, sender_name=identity.name or None,
                      step=state.step)
    session.add(message)
    session.flush()
    shown = message_json(message)
    payload = {"workshop_id": workshop_id, "seq": state.seq, "message": shown}
    change = shared(session, workshop_id, state.seq, MESSAGE_POSTED, payload)
    return {"message": shown, "seq": state.seq}, change


def withdraw_message(session: Session, workshop_id: int,
                     message_id: int) -> tuple[dict, Change | None]:
    """Take a broadcast message back (the workshop's staff; the caller has checked that), in
    any step and regardless of the lock: the screens stop showing it.

    :class:`NotFound` for a message of another workshop. The first time numbers
    ``message_withdrawn {"workshop_id", "seq", "message_id"}``; withdrawing it again changes
    nothing and takes no ``seq``. Returns ``({"message_id", "seq"}, change or None)``.
    """
    message = session.get(Message, message_id)
    if message is None or message.workshop_id != workshop_id:
        raise NotFound("There is no such message in this workshop.", {"message_id": "not found"})
    if message.withdrawn_at is not None:
        return {"message_id": message_id, "seq": current_seq(session, workshop_id)}, None
    state = claim_seq(session, workshop_id)
    message.withdrawn_at = utcnow()
    session.flush()
    payload = {"workshop_id": workshop_id, "seq": state.seq, "message_id": message_id}
    change = shared(session, workshop_id, state.seq, MESSAGE_WITHDRAWN, payload)
    return {"message_id": message_id, "seq": state.seq}, change


def messages_json(session: Session, workshop_id: int, limit: int = 5) -> list[dict]:
    """The workshop's latest broadcast messages, oldest first (withdrawn ones without their
    text)."""
    query = (select(Message).where(Message.workshop_id == workshop_id)
             .order_by(Message.id.desc()).limit(limit))
    return [message_json(m) for m in reversed(list(session.scalars(query)))]


def message_json(message: Message) -> dict:
    """A broadcast message as clients show it: ``{"id", "text", "from", "sent_at", "step",
    "withdrawn"}``; a withdrawn one has ``text`` and ``from`` ``null``."""
    withdrawn = message.withdrawn_at is not None
    return {"id": message.id, "text": None if withdrawn else message.text,
            "from": None if withdrawn else message.sender_name,
            "sent_at": isoformat(message.created_at), "step": message.step,
            "withdrawn": withdrawn}
