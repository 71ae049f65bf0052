"""Deleting personal data when an event's retention period is over, and requests to hear about
the next forums never confirmed: once when the server starts, then every
:data:`INTERVAL_SECONDS` (``PINNWAND_PURGE_INTERVAL`` seconds; ``0`` switches the periodic pass
off; the pass at start always runs).

One background task per process serves every app created in it (tests create many); apps
are held weakly, so a discarded app is simply skipped.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from datetime import date

from pinnwand.db import utcnow
from pinnwand.privacy.cleanup import after_purge
from pinnwand.privacy.services import purge_due
from pinnwand.privacy.subscribers import forget_unconfirmed
from sqlalchemy.exc import SQLAlchemyError

DEFAULT_INTERVAL_SECONDS = 3600
log = logging.getLogger(__name__)

_states: dict[int, weakref.ref] = {}  # id(app state) -> weak reference
_started = False
_guard = threading.Lock()


def interval_seconds() -> int:
    """How often the periodic pass runs (``PINNWAND_PURGE_INTERVAL``, default one hour)."""
    raw = os.environ.get("PINNWAND_PURGE_INTERVAL", "").strip()
    try:
        return max(int(raw), 0) if raw else DEFAULT_INTERVAL_SECONDS
    except ValueError:
        log.warning("PINNWAND_PURGE_INTERVAL=%r is not a number of seconds; using %s",
                    raw, DEFAULT_INTERVAL_SECONDS)
        return DEFAULT_INTERVAL_SECONDS


def start_retention(app) -> None:
    """Purge what is due now, and make sure the periodic task runs (once per process)."""
    global _started
    app_state = app.extensions["pinnwand"]
    run_pass(app_state)
    with _guard:
        _states[id(app_state)] = weakref.ref(app_state)
    interval = interval_seconds()
    with _guard:
        if _started or interval == 0:
            return
        _started = True
    app.extensions["socketio"].start_background_task(_loop, app.extensions["socketio"],
                                                     interval)


def run_pass(app_state, today: date | None = None) -> list[int]:
    """One purge pass over an app's database as of ``today`` (default: the current UTC
    date); the events purged (errors are logged)."""
    try:
        with app_state.db.transaction() as session:
            purged = purge_due(session, today or utcnow().date())
            forget_unconfirmed(session)
    except SQLAlchemyError as error:  # e.g. a database not migrated yet
        log.warning("personal data purge skipped: %s", str(error).splitlines()[0])
        return []
    for event_id, workshop_ids in purged.items():
        log.info("deleted the personal data of event %s (retention period over)", event_id)
        after_purge(app_state, event_id, workshop_ids)
    return list(purged)


def _loop(socketio, interval: int) -> None:
    while True:
        socketio.sleep(interval)
        with _guard:
            for key in [key for key, ref in _states.items() if ref() is None]:
                del _states[key]
            alive = [ref() for ref in _states.values()]
        for app_state in alive:
            if app_state is not None:
                run_pass(app_state)
