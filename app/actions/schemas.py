"""Socket payload schemas for actions and sign-ups."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pinnwand.validation import Id, OpId, Payload, text
from pydantic import AfterValidator, Field

MAX_LINKS = 50


def _calendar_date(value: str) -> date:
    """A ``YYYY-MM-DD`` string as a date (refusing impossible days such as 2026-02-30 and
    other ISO forms such as week dates)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("expected a date as YYYY-MM-DD") from None


CalendarDate = Annotated[str, AfterValidator(_calendar_date)]
LinkedIds = Annotated[list[Id], Field(max_length=MAX_LINKS)]


class SaveAction(Payload):
    """``save_action``: a new action, or new values for the fields sent of ``action_id``."""

    workshop_id: Id
    op_id: OpId
    action_id: Id | None = None
    title: text(1, 200)
    what: text(0, 2000) | None = None
    owner: text(0, 200) | None = None
    owner_organisation: text(0, 200) | None = None
    due: CalendarDate | None = None
    prospects: text(0, 2000) | None = None
    idea_ids: LinkedIds | None = None
    cluster_ids: LinkedIds | None = None


class ActionRef(Payload):
    """``delete_action`` / ``restore_action``: one action of a workshop."""

    workshop_id: Id
    action_id: Id


class SignUp(Payload):
    """``sign_up``: the sender (or, sent by staff, someone by ``name``) brings something;
    ``organisation``: whom the person acts for (left out: kept);
    ``name_in_results``: whether that person agrees to be named in the published results
    (left out: a new sign-up does not agree, a changed one keeps its answer)."""

    workshop_id: Id
    action_id: Id
    brings: text(0, 200) | None = None
    organisation: text(0, 200) | None = None
    name: text(1, 80) | None = None
    name_in_results: bool | None = None


class WithdrawSignUp(Payload):
    """``withdraw_sign_up``: remove a contributor (the sender's own row, or any for staff)."""

    workshop_id: Id
    action_id: Id
    contributor_id: Id | None = None
