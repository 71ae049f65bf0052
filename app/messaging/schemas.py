"""Socket payload schemas for broadcast messages."""

from __future__ import annotations

from pinnwand.validation import text
from pinnwand.workshops.schemas import OneOrAll

MAX_MESSAGE_LENGTH = 200


class SendMessage(OneOrAll):
    """``send_message``: a short message to one workshop or to every workshop of an event."""

    text: text(1, MAX_MESSAGE_LENGTH)
