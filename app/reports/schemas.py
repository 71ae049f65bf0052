"""Request schemas of the report, redaction and publishing routes."""

from __future__ import annotations

from typing import Literal

from pinnwand.validation import Payload, text


class ReportSettingsPatch(Payload):
    """What the report's cover says beyond the event's own fields; ``null`` clears."""

    organiser: text(0, 200) | None = None


class RedactionIn(Payload):
    """The text reports and the published page show instead of an idea's own text."""

    text: text(1, 500)


class PublicationIn(Payload):
    """Publish the results page: with the ideas' authors or without (the default), in
    German or English (the page's default language)."""

    authors: bool = False
    lang: Literal["de", "en"] = "de"
