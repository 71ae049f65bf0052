"""Request schemas of series, the register's query, personal links and action updates."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pinnwand.actions.schemas import CalendarDate
from pinnwand.events.schemas import IsoDate
from pinnwand.validation import Id, OpId, Payload, text
from pydantic import AfterValidator, ConfigDict, Field

Status = Literal["planned", "running", "done", "dropped"]
_EMAIL = re.compile(r"^[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[^\s@<>()\[\],;:\"]{2,}$")
_WEB_LINK = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _web_link(value: str) -> str:
    if value and not _WEB_LINK.match(value):
        raise ValueError("expected a web address starting with http:// or https://")
    return value


class SeriesIn(Payload):
    """A new series of events."""

    title: text(1, 200)


def _email(value: str | None) -> str | None:
    if value and not _EMAIL.match(value):
        raise ValueError("not an e-mail address")
    return value or None


class UpdateLinkIn(Payload):
    """Whom a personal link is for (the owner, a contributor): shown in the action's log;
    optionally their e-mail address, where reminders before the due date and the next forum
    go (only when mail is set up)."""

    name: text(0, 80) | None = None
    email: Annotated[text(0, 254), AfterValidator(_email)] | None = None


class ActionUpdateIn(Payload):
    """A dated update of an action: its status now, and optionally a note and a link."""

    status: Status
    note: text(0, 1000) | None = None
    link: Annotated[text(0, 500), AfterValidator(_web_link)] | None = None


class RegisterArgs(Payload):
    """The register's query string: ``status`` (comma list), ``event_id``, ``q``, ``sort``
    (query strings carry text: numbers are read from it)."""

    model_config = ConfigDict(strict=False, extra="forbid", str_strip_whitespace=True)

    status: text(0, 100) | None = None
    event_id: Id | None = None
    q: text(0, 200) | None = None
    sort: Literal["event", "due", "status", "title", "updated"] = "event"


class ForumParts(Payload):
    """What the next forum copies of the one before: its agenda, its workshops (title,
    question, template, columns), their board settings, its moderators."""

    agenda: bool = True
    workshops: bool = True
    settings: bool = True
    moderators: bool = True


class NextForumIn(Payload):
    """The next forum of a series: its own title, date, place and description, what it
    copies of the forum it follows, and whether the series' follow-up contacts are invited
    by mail."""

    title: text(1, 200)
    date: IsoDate = None
    location: text(0, 200) | None = None
    description: text(0, 5000) | None = None
    parts: ForumParts = Field(default_factory=ForumParts, alias="copy")
    invite: bool = False


class NewContributor(Payload):
    """Someone who joins a carried-forward action: a name, their organisation, what they
    bring."""

    name: text(1, 80)
    organisation: text(0, 200) | None = None
    brings: text(0, 200) | None = None


class CarryAction(Payload):
    """``carry_action``: carry an open action of an earlier forum forward in this workshop,
    with a new due date (``null`` clears it; left out keeps it) and new contributors."""

    workshop_id: Id
    op_id: OpId
    action_id: Id
    due: CalendarDate | None = None
    contributors: Annotated[list[NewContributor], Field(max_length=20)] | None = None


class DropAction(Payload):
    """``drop_action``: drop an open action of an earlier forum, with the reason."""

    workshop_id: Id
    op_id: OpId
    action_id: Id
    reason: text(1, 1000)


class RemindersIn(Payload):
    """Queue the reminders due on ``today`` (default: the server's day), ``days`` ahead."""

    today: CalendarDate | None = None
    days: Annotated[int, Field(ge=1, le=90)] | None = None
    lang: Literal["de", "en"] = "de"


class TakeRunning(Payload):
    """``take_running``: take an idea of a "What is already running" board into the register,
    run by ``organisation`` (optionally under another ``title``)."""

    workshop_id: Id
    op_id: OpId
    idea_id: Id
    organisation: text(1, 200)
    title: text(1, 200) | None = None
