"""Socket payload schemas for timers."""

from __future__ import annotations

from typing import Annotated, Literal

from pinnwand.workshops.schemas import OneOrAll
from pydantic import Field

MIN_START_SECONDS = 10
MAX_SECONDS = 7200
COMMANDS = ("start", "pause", "resume", "add", "reset")


class SetTimer(OneOrAll):
    """``set_timer``: start, pause, resume, extend or reset the countdown of one workshop or of
    every workshop of an event. ``seconds`` belongs to ``start`` (10–7200) and ``add``
    (−7200…7200); ``lock_at_end`` to ``start``."""

    command: Literal["start", "pause", "resume", "add", "reset"]
    seconds: Annotated[int, Field(ge=-MAX_SECONDS, le=MAX_SECONDS)] | None = None
    lock_at_end: bool | None = None
