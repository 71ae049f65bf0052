"""Request schemas of the data-protection routes."""

from __future__ import annotations

from typing import Annotated, Literal

from pinnwand.privacy.services import MAX_RETENTION_DAYS
from pinnwand.validation import Payload, text
from pydantic import Field


class ContactIn(Payload):
    """A participant leaves an e-mail address: for what (at least one purpose), and the
    language the consent sentence was shown in."""

    email: text(3, 254)
    send_results: bool = False
    follow_up: bool = False
    lang: Literal["de", "en"] = "de"


class PrivacyPatch(Payload):
    """Delete participants' personal data this many days after the event (``null``: only
    when the moderator deletes it)."""

    retention_days: Annotated[int, Field(ge=0, le=MAX_RETENTION_DAYS)] | None = None
