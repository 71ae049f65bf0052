"""Request schemas of the report, redaction and publishing routes."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import available_timezones

from pinnwand.reports.model import PAGE_SIZES
from pinnwand.validation import Payload, text
from pydantic import AfterValidator


def _time_zone(value: str) -> str:
    """An IANA time zone name this server knows (e.g. ``Europe/Berlin``)."""
    if value not in _known_zones():
        raise ValueError("expected an IANA time zone such as Europe/Berlin")
    return value


_zones: set[str] = set()


def _known_zones() -> set[str]:
    if not _zones:
        _zones.update(available_timezones())
    return _zones


TimeZone = Annotated[text(1, 64), AfterValidator(_time_zone)]


class ReportSettingsPatch(Payload):
    """What the report's cover says beyond the event's own fields (``null`` clears), the
    time zone its times are shown in and its page size (``null``: the defaults)."""

    organiser: text(0, 200) | None = None
    time_zone: TimeZone | None = None
    page_size: Literal[PAGE_SIZES] | None = None


class RedactionIn(Payload):
    """The text reports and the published page show instead of an idea's own text."""

    text: text(1, 500)


class PublicationIn(Payload):
    """Publish the results page: with names on (the ideas' authors and the hosts) or off
    (the default), with the names of contributors who agreed or not (the default), in
    German or English (the page's default language)."""

    authors: bool = False
    contributors: bool = False
    lang: Literal["de", "en"] = "de"
