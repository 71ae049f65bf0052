"""Short messages the staff broadcast to a workshop's board; no Flask."""

from __future__ import annotations

from pinnwand.auth.identity import Identity
from pinnwand.workshops.changes import Change, record_change
from pinnwand.workshops.models import Message
from pinnwand.workshops.services import claim_seq, message_json
from sqlalchemy.orm import Session

MESSAGE_POSTED = "message_posted"


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
    change = record_change(session, workshop_id, state.seq, MESSAGE_POSTED, payload)
    return {"message": shown, "seq": state.seq}, change
