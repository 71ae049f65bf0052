"""Socket handler of timers."""

from __future__ import annotations

from flask import current_app
from pinnwand.commands import for_one_or_all, write
from pinnwand.db import utcnow
from pinnwand.errors import Conflict
from pinnwand.realtime import acked
from pinnwand.state import state
from pinnwand.timers import services
from pinnwand.timers.scheduler import timers_of
from pinnwand.timers.schemas import SetTimer
from pinnwand.validation import parse
from pinnwand.workshops.services import get_workshop, timer_json
from sqlalchemy.orm import Session


def _apply(workshop_id: int, data: SetTimer) -> dict:
    """Run one timer command on one workshop (through the one write path) and have the
    scheduler end a running timer on time; the ack data."""
    scheduler = timers_of(current_app)
    ends_at = None

    def command(session: Session):
        nonlocal ends_at
        outcome = services.set_timer(session, workshop_id, data, utcnow())
        ends_at = services.running_until(session, workshop_id)
        return outcome

    answer = write(workshop_id, command)
    if ends_at is not None:
        scheduler.schedule(workshop_id, ends_at)
    return answer


def _unchanged(workshop_id: int) -> dict:
    """A workshop's current timer and ``seq``, for a command that left it alone."""
    with state().db.read() as session:
        workshop = get_workshop(session, workshop_id)
        return {"timer": timer_json(workshop), "seq": workshop.seq}


@acked
def on_set_timer(payload):
    """Sent by the workshop's staff for its timer, or by the event's moderators with
    ``event_id`` for every workshop's.

    ``start`` (``seconds`` 10–7200, ``lock_at_end``) runs a countdown, ``pause`` / ``resume``
    hold and continue it, ``add`` gives or takes seconds (never below 0), ``reset`` makes it
    idle; a command the timer's state does not allow is a ``conflict``. Each change broadcasts
    ``timer_changed {"workshop_id", "seq", "timer"}``; when a running timer ends, the server
    broadcasts it with state ``ended`` (and, with ``lock_at_end``, ``workshop_locked``).
    Answers ``{"timer", "seq"}``, or ``{"workshops": [{"workshop_id", "timer", "seq"}]}`` for
    an event: there the command applies to every workshop whose timer allows it (the others
    keep theirs and answer it unchanged) and is a ``conflict`` only when it fits none.
    """
    data = parse(SetTimer, payload)
    services.check_arguments(data)
    refused: list[Conflict] = []

    def apply_where_it_fits(workshop_id: int) -> dict:
        try:
            return _apply(workshop_id, data)
        except Conflict as error:
            if data.event_id is None:
                raise
            refused.append(error)
            return _unchanged(workshop_id)

    answer = for_one_or_all(data, apply_where_it_fits)
    if refused and len(refused) == len(answer["workshops"]):
        raise Conflict(f"No workshop's timer can {data.command} now: {refused[0].message}")
    return answer


def register(socketio) -> None:
    """Bind the timer handler to ``socketio``."""
    socketio.on_event("set_timer", on_set_timer)
