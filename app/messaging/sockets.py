"""Socket handler of broadcast messages."""

from __future__ import annotations

from pinnwand.commands import for_one_or_all, write
from pinnwand.messaging import services
from pinnwand.messaging.schemas import SendMessage
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


def register(socketio) -> None:
    """Bind the message handler to ``socketio``."""
    socketio.on_event("send_message", on_send_message)
