"""Countdowns of workshops: commands, and ending a timer when its time is up; no Flask.

A timer is ``idle``, ``running`` (until ``timer_ends_at``), ``paused`` (with
``timer_remaining`` seconds left) or ``ended``. Every change numbers ``timer_changed
{"workshop_id", "seq", "timer"}``; a timer that ends with ``lock_at_end`` also locks its
workshop, numbered apart as ``workshop_locked {"workshop_id", "seq", "locked": true}``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pinnwand.board.changes import Change, shared
from pinnwand.board.names import TIMER_CHANGED, WORKSHOP_LOCKED
from pinnwand.board.seq import claim_seq
from pinnwand.errors import Conflict, Invalid
from pinnwand.timers.schemas import MIN_START_SECONDS, SetTimer
from pinnwand.workshops.models import Workshop
from pinnwand.workshops.services import get_workshop, timer_json
from sqlalchemy import select, update
from sqlalchemy.orm import Session

IDLE, RUNNING, PAUSED, ENDED = "idle", "running", "paused", "ended"


def check_arguments(data: SetTimer) -> None:
    """Refuse with :class:`Invalid` arguments that do not fit the command: ``start`` needs
    ``seconds`` of at least 10, ``add`` needs ``seconds``, the others take none, and only
    ``start`` takes ``lock_at_end``."""
    if data.command == "start":
        if data.seconds is None or data.seconds < MIN_START_SECONDS:
            raise Invalid(f"Start the timer with {MIN_START_SECONDS} to 7200 seconds.",
                          {"seconds": f"{MIN_START_SECONDS} to 7200 seconds"})
    elif data.command == "add":
        if data.seconds is None:
            raise Invalid("Say how many seconds to add (negative to take off).",
                          {"seconds": "required"})
    elif data.seconds is not None:
        raise Invalid(f"'{data.command}' takes no seconds.", {"seconds": "not allowed"})
    if data.lock_at_end is not None and data.command != "start":
        raise Invalid("lock_at_end is chosen when the timer starts.",
                      {"lock_at_end": "only with start"})


def remaining_seconds(workshop: Workshop, now: datetime) -> float:
    """Seconds left on the timer as of ``now`` (0 when idle or ended)."""
    if workshop.timer_state == RUNNING and workshop.timer_ends_at is not None:
        return max(0.0, (workshop.timer_ends_at - now).total_seconds())
    if workshop.timer_state == PAUSED:
        return max(0.0, workshop.timer_remaining or 0.0)
    return 0.0


def _start(workshop: Workshop, data: SetTimer, now: datetime) -> dict:
    """A fresh countdown of ``seconds`` from now, in any state (a running one restarts)."""
    return {"timer_state": RUNNING, "timer_duration": data.seconds,
            "timer_ends_at": now + timedelta(seconds=data.seconds), "timer_remaining": None,
            "timer_lock_at_end": bool(data.lock_at_end)}


def _pause(workshop: Workshop, data: SetTimer, now: datetime) -> dict:
    """Hold a running timer, keeping the seconds left."""
    if workshop.timer_state != RUNNING:
        raise Conflict(f"The timer is {workshop.timer_state}, not running: nothing to pause.")
    return {"timer_state": PAUSED, "timer_ends_at": None,
            "timer_remaining": remaining_seconds(workshop, now)}


def _resume(workshop: Workshop, data: SetTimer, now: datetime) -> dict:
    """Run a paused timer on from the seconds it had left."""
    if workshop.timer_state != PAUSED:
        raise Conflict(f"The timer is {workshop.timer_state}, not paused: nothing to resume.")
    left = remaining_seconds(workshop, now)
    return {"timer_state": RUNNING, "timer_ends_at": now + timedelta(seconds=left),
            "timer_remaining": None}


def _add(workshop: Workshop, data: SetTimer, now: datetime) -> dict:
    """More (or, negative, fewer) seconds on a running or paused timer, never below 0; the
    duration changes by as much, so the time already elapsed stays the same."""
    if workshop.timer_state not in (RUNNING, PAUSED):
        raise Conflict(f"The timer is {workshop.timer_state}: only a running or paused "
                       "timer can get more or less time.")
    left = remaining_seconds(workshop, now)
    new_left = max(0.0, left + data.seconds)
    if data.seconds == 0 or new_left == left:
        return {}
    duration = max(0, round(workshop.timer_duration + new_left - left))
    if workshop.timer_state == PAUSED:
        return {"timer_remaining": new_left, "timer_duration": duration}
    return {"timer_ends_at": now + timedelta(seconds=new_left), "timer_duration": duration}


def _reset(workshop: Workshop, data: SetTimer, now: datetime) -> dict:
    """Back to idle (nothing to change when idle already)."""
    if workshop.timer_state == IDLE:
        return {}
    return {"timer_state": IDLE, "timer_duration": 0, "timer_ends_at": None,
            "timer_remaining": None, "timer_lock_at_end": False}


COMMANDS = {"start": _start, "pause": _pause, "resume": _resume, "add": _add, "reset": _reset}


def set_timer(session: Session, workshop_id: int, data: SetTimer,
              now: datetime) -> tuple[dict, Change | None]:
    """Apply a timer command to one workshop (its staff, or the event's moderators for all
    workshops; the caller has checked that and :func:`check_arguments`).

    A command the timer's state does not allow (pause when not running, resume when not
    paused, add when idle or ended) is a :class:`Conflict`; one that changes nothing (reset
    when idle, add 0) a no-op. Otherwise numbers ``timer_changed {"workshop_id", "seq",
    "timer"}``. Returns ``({"timer", "seq"}, change or None)``.
    """
    workshop = get_workshop(session, workshop_id)
    values = COMMANDS[data.command](workshop, data, now)
    if not values:
        return {"timer": timer_json(workshop), "seq": workshop.seq}, None
    state = claim_seq(session, workshop_id)
    for name, value in values.items():
        setattr(workshop, name, value)
    session.flush()
    timer = timer_json(workshop)
    payload = {"workshop_id": workshop_id, "seq": state.seq, "timer": timer}
    change = shared(session, workshop_id, state.seq, TIMER_CHANGED, payload)
    return {"timer": timer, "seq": state.seq}, change


def running_until(session: Session, workshop_id: int) -> datetime | None:
    """When the workshop's timer ends, if it is running (else ``None``)."""
    query = select(Workshop.timer_ends_at).where(Workshop.id == workshop_id,
                                                 Workshop.timer_state == RUNNING)
    return session.scalar(query)


def running_timers(session: Session) -> list[tuple[int, datetime]]:
    """Every running timer as ``(workshop_id, ends_at)``, soonest first."""
    query = (select(Workshop.id, Workshop.timer_ends_at)
             .where(Workshop.timer_state == RUNNING, Workshop.timer_ends_at.is_not(None))
             .order_by(Workshop.timer_ends_at))
    return [(workshop_id, ends_at) for workshop_id, ends_at in session.execute(query)]


def due_timers(session: Session, now: datetime) -> list[tuple[int, datetime]]:
    """The running timers whose time is up at ``now``, as ``(workshop_id, ends_at)``."""
    return [(w, ends_at) for w, ends_at in running_timers(session) if ends_at <= now]


def end_timer(session: Session, workshop_id: int, ends_at: datetime,
              now: datetime) -> list[Change]:
    """End a workshop's timer whose time is up (the scheduler, in any server process).

    Check-and-set in one statement: only a timer still running with this same ``ends_at``
    (and due at ``now``) ends, so a timer paused, changed or ended meanwhile — also by another
    process — is left alone. Numbers ``timer_changed`` with state ``ended`` and, when the timer
    was to lock and the workshop is unlocked, locks it and numbers ``workshop_locked``.
    Returns the changes to publish (none when the timer was not due).
    """
    if ends_at > now:
        return []
    ended = session.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id, Workshop.timer_state == RUNNING,
               Workshop.timer_ends_at == ends_at)
        .values(timer_state=ENDED, timer_ends_at=None, timer_remaining=0.0)
    )
    if ended.rowcount != 1:
        return []
    workshop = session.get(Workshop, workshop_id)
    state = claim_seq(session, workshop_id)
    payload = {"workshop_id": workshop_id, "seq": state.seq, "timer": timer_json(workshop)}
    changes = [shared(session, workshop_id, state.seq, TIMER_CHANGED, payload)]
    if workshop.timer_lock_at_end and not state.locked:
        changes.append(_lock(session, workshop))
    return changes


def _lock(session: Session, workshop: Workshop) -> Change:
    """Lock the workshop at the end of its timer, numbered as the contract's lock."""
    state = claim_seq(session, workshop.id)
    workshop.locked = True
    session.flush()
    payload = {"workshop_id": workshop.id, "seq": state.seq, "locked": True}
    return shared(session, workshop.id, state.seq, WORKSHOP_LOCKED, payload)
