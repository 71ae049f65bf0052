"""Socket payload schemas for broadcast messages."""

from __future__ import annotations

from pinnwand.validation import Id, Payload, text
from pinnwand.workshops.schemas import OneOrAll

MAX_MESSAGE_LENGTH = 200


class SendMessage(OneOrAll):
    """``send_message``: a short message to one workshop or to every workshop of an event."""

    text: text(1, MAX_MESSAGE_LENGTH)


class WithdrawMessage(Payload):
    """``withdraw_message``: take back one broadcast message of a workshop."""

    workshop_id: Id
    message_id: Id
