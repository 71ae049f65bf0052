"""Socket payload schemas for broadcast messages."""

from __future__ import annotations

from pinnwand.timers.scope import WorkshopOrEvent
from pinnwand.validation import text

MAX_MESSAGE_LENGTH = 200


class SendMessage(WorkshopOrEvent):
    """``send_message``: a short message to one workshop or to every workshop of an event."""

    text: text(1, MAX_MESSAGE_LENGTH)
