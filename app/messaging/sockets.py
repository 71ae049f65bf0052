"""Socket handler of broadcast messages."""

from __future__ import annotations

from pinnwand.commands import for_one_or_all, sender_of, staff_only, write
from pinnwand.messaging import services
from pinnwand.messaging.schemas import SendMessage, WithdrawMessage
from pinnwand.realtime import acked, current_identity
from pinnwand.validation import parse


@acked
def on_send_message(payload):
    """Sent by the workshop's staff to its board, or by the event's moderators with
    ``event_id`` to every workshop of the event.

    Stores the message (1–200 characters, signed with the sender's display name) and
    broadcasts ``message_posted {"workshop_id", "seq", "message"}`` to each workshop's room,
    each with that workshop's next ``seq``. Answers ``{"message", "seq"}``, or
    ``{"workshops": [{"workshop_id", "message", "seq"}]}`` for an event.
    """
    data = parse(SendMessage, payload)
    identity = current_identity()

    def post(workshop_id: int) -> dict:
        return write(workshop_id, lambda session: services.send_message(
            session, identity, workshop_id, data.text))

    return for_one_or_all(data, post)


@acked
def on_withdraw_message(payload):
    """Sent by the workshop's staff (the event's moderators, its host), in any step.

    Takes the message back: phones and projectors stop showing it, the snapshot keeps it
    without its text. Broadcasts ``message_withdrawn {"workshop_id", "seq", "message_id"}``
    to the workshop's room the first time (nothing when withdrawn already). Answers
    ``{"message_id", "seq"}``.
    """
    data, _, _ = sender_of(WithdrawMessage, payload, staff_only)
    return write(data.workshop_id, lambda session: services.withdraw_message(
        session, data.workshop_id, data.message_id))


def register(socketio) -> None:
    """Bind the message handlers to ``socketio``."""
    socketio.on_event("send_message", on_send_message)
    socketio.on_event("withdraw_message", on_withdraw_message)
