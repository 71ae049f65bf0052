"""Request schemas for events, their agenda, moderators and joining (a workshop's own are in
:mod:`pinnwand.workshops.schemas`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pinnwand.validation import Id, Payload, text
from pinnwand.workshops.schemas import WorkshopIn
from pydantic import BeforeValidator, Field

# A sanity ceiling for one request; the configured limit (PINNWAND_MAX_WORKSHOPS) is checked
# by the services.
MAX_WORKSHOPS_PER_EVENT = 500
MAX_AGENDA_ITEMS = 50
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _iso_date(value):
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    if value is None:
        return None
    raise ValueError("expected a date as YYYY-MM-DD")


def _clock(value):
    if value is None or (isinstance(value, str) and _CLOCK.match(value.strip())):
        return value.strip() if value else None
    raise ValueError("expected a time of day as HH:MM")


IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
ClockTime = Annotated[str | None, BeforeValidator(_clock)]
Title = text(1, 200)
OptionalLine = text(0, 200)
Description = text(0, 5000)


class AgendaItemIn(Payload):
    """A keynote talk: title, speaker, organisation and an optional start time (HH:MM)."""

    title: Title
    speaker: text(0, 120) | None = None
    organisation: OptionalLine | None = None
    starts_at: ClockTime = None


class AgendaItemPatch(Payload):
    """Fields of a keynote talk to change."""

    title: Title | None = None
    speaker: text(0, 120) | None = None
    organisation: OptionalLine | None = None
    starts_at: ClockTime = None
    position: Annotated[int, Field(ge=0, le=1000)] | None = None


class EventIn(Payload):
    """A new event with its workshops and, optionally, its agenda."""

    title: Title
    date: IsoDate = None
    location: OptionalLine | None = None
    description: Description | None = None
    series_id: Id | None = None
    workshops: Annotated[list[WorkshopIn], Field(max_length=MAX_WORKSHOPS_PER_EVENT)] = Field(
        default_factory=list
    )
    agenda: Annotated[list[AgendaItemIn], Field(max_length=MAX_AGENDA_ITEMS)] = Field(
        default_factory=list
    )


class EventPatch(Payload):
    """Fields of an event to change; ``null`` clears an optional field (``series_id``: the
    event leaves its series)."""

    title: Title | None = None
    date: IsoDate = None
    location: OptionalLine | None = None
    description: Description | None = None
    series_id: Id | None = None


class ModeratorIn(Payload):
    """Another moderator (by e-mail) to give access to an event."""

    email: text(3, 254)


class JoinIn(Payload):
    """A participant joining an event by its code, with a display name; from the join link
    also its ``key``."""

    code: text(1, 32)
    name: text(1, 40)
    key: text(1, 64) | None = None


class JoiningPatch(Payload):
    """Close joining (``false``) or open it again (``true``)."""

    open: bool

