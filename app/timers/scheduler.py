"""Ending timers on time: one background task per running timer, sleeping until it is due.

Works under eventlet, gevent and threading alike (``socketio.start_background_task`` and
``socketio.sleep``). A task wakes at its timer's ``ends_at`` and ends it only if it is still
running with that same ``ends_at`` (see :func:`pinnwand.timers.services.end_timer`): a timer paused,
changed or reset meanwhile is left to the task of its new ``ends_at``, and when several server
processes wait for the same timer exactly one ends it.

When an app starts (:func:`start_timers`), every timer still running in the database is
scheduled again, and timers that ran out while no server was up end at once.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from pinnwand.db import utcnow
from pinnwand.timers import services
from sqlalchemy.exc import SQLAlchemyError

EXTENSION_KEY = "pinnwand.timers"
log = logging.getLogger(__name__)
_create_guard = threading.Lock()


class TimerScheduler:
    """Wakes up when a workshop's timer is due and ends it, for one app."""

    def __init__(self, app_state, socketio):
        self.app_state = app_state
        self.socketio = socketio
        self._waiting: set[tuple[int, datetime]] = set()
        self._guard = threading.Lock()

    def schedule(self, workshop_id: int, ends_at: datetime) -> None:
        """Make sure a task ends this timer at ``ends_at`` (once per timer and ``ends_at``)."""
        key = (workshop_id, ends_at)
        with self._guard:
            if key in self._waiting:
                return
            self._waiting.add(key)
        self.socketio.start_background_task(self._wait_then_end, workshop_id, ends_at)

    def pending(self) -> set[tuple[int, datetime]]:
        """The ``(workshop_id, ends_at)`` timers a task is waiting for."""
        with self._guard:
            return set(self._waiting)

    def _wait_then_end(self, workshop_id: int, ends_at: datetime) -> None:
        """The task of one timer: sleep until it is due, then end it if it still runs."""
        try:
            while (delay := (ends_at - utcnow()).total_seconds()) > 0:
                self.socketio.sleep(delay)
            self.end_timer(workshop_id, ends_at)
        except Exception:
            log.exception("could not end the timer of workshop %s", workshop_id)
        finally:
            with self._guard:
                self._waiting.discard((workshop_id, ends_at))

    def end_timer(self, workshop_id: int, ends_at: datetime,
                  now: datetime | None = None) -> list[dict]:
        """End one timer that is due through the one write path, which publishes the changes
        (``timer_changed``, and ``workshop_locked`` for a timer that locks); the payloads
        published (none when the timer was paused, changed or ended meanwhile)."""

        def end(session):
            changes = services.end_timer(session, workshop_id, ends_at, now or utcnow())
            return {"published": [change.payload for change in changes]}, changes

        return self.app_state.writer.write(workshop_id, end)["published"]

    def end_expired(self, now: datetime | None = None) -> list[dict]:
        """Check every running timer now and end those whose time is up; the payloads
        published. The tasks call :meth:`end_timer` for their own timer; this is the same for
        all timers at once (at start, and for tests)."""
        now = now or utcnow()
        with self.app_state.db.read() as session:
            due = services.due_timers(session, now)
        published = []
        for workshop_id, ends_at in due:
            published += self.end_timer(workshop_id, ends_at, now)
        return published

    def resume_running(self) -> None:
        """After a (re)start: end the timers that ran out meanwhile and schedule the others."""
        now = utcnow()
        try:
            self.end_expired(now)
            with self.app_state.db.read() as session:
                running = services.running_timers(session)
        except SQLAlchemyError as error:  # e.g. a database not migrated yet
            log.warning("running timers not resumed: %s", str(error).splitlines()[0])
            return
        for workshop_id, ends_at in running:
            self.schedule(workshop_id, ends_at)


def timers_of(app) -> TimerScheduler:
    """The app's timer scheduler, created on first use; creating it resumes every timer
    still running in the database."""
    scheduler = app.extensions.get(EXTENSION_KEY)
    if scheduler is not None:
        return scheduler
    with _create_guard:
        scheduler = app.extensions.get(EXTENSION_KEY)
        if scheduler is None:
            scheduler = TimerScheduler(app.extensions["pinnwand"], app.extensions["socketio"])
            app.extensions[EXTENSION_KEY] = scheduler
            scheduler.resume_running()
    return scheduler


def start_timers(app) -> None:
    """At app start: create the scheduler, so timers running before a restart still end."""
    timers_of(app)
