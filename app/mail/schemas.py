"""Request schemas of the mailing routes."""

from __future__ import annotations

from typing import Literal

from pinnwand.validation import Payload, text


class DraftIn(Payload):
    """What the moderator writes: the default language (each recipient gets their own), a
    subject instead of the default one, a note, and whether to attach the PDF."""

    lang: Literal["de", "en"] | None = None
    subject: text(1, 200) | None = None
    note: text(0, 2000) | None = None
    attach_pdf: bool = False


class MailingIn(DraftIn):
    """``results``: to everyone who consented; ``test``: to the calling moderator alone."""

    kind: Literal["results", "test"]
