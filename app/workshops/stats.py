"""Live figures per workshop for the moderators' cockpit, sent at most a few times a second.

Figures go to the event's moderator room as ``workshop_stats``; they are telemetry, not board
changes, so they carry no ``seq``. Bursts (a room full of phones posting at once) are coalesced:
each workshop's figures are read and sent once per :data:`COALESCE_SECONDS`.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import isoformat
from app.workshops.models import Workshop, WorkshopChange
from app.workshops.services import list_workshops, workshop_counts

COALESCE_SECONDS = 0.25
WORKSHOP_STATS = "workshop_stats"
log = logging.getLogger(__name__)


def event_room(event_id: int) -> str:
    """The room of the moderators watching an event in the cockpit."""
    return f"event:{event_id}"


def last_activity(session: Session, workshop_id: int):
    """When the workshop's board last changed, or ``None``."""
    query = (select(WorkshopChange.created_at).where(WorkshopChange.workshop_id == workshop_id)
             .order_by(WorkshopChange.seq.desc()).limit(1))
    return session.scalar(query)


def workshop_figures(session: Session, workshop: Workshop, counts: dict, connected: int) -> dict:
    """One workshop's cockpit figures."""
    return {
        "participants": counts.get("participants", 0),
        "ideas": counts.get("ideas", 0),
        "connected": connected,
        "last_activity": isoformat(last_activity(session, workshop.id)),
        "locked": workshop.locked,
    }


def event_overview(session: Session, event_id: int, presence) -> list[dict]:
    """Every workshop of an event with its figures (the ``watch_event`` answer)."""
    counts = workshop_counts(session, event_id)
    return [
        {"id": w.id, "title": w.title, "question": w.question, "step": w.step, "seq": w.seq,
         **workshop_figures(session, w, counts.get(w.id, {}), presence.connected(w.id))}
        for w in list_workshops(session, event_id)
    ]


class StatsNotifier:
    """Coalesces "something changed in workshop W" into one ``workshop_stats`` per interval."""

    def __init__(self, db, socketio, access, presence):
        self.db, self.socketio, self.access, self.presence = db, socketio, access, presence
        self._pending: set[int] = set()
        self._guard = threading.Lock()

    def touch(self, workshop_id: int) -> None:
        """Note that a workshop's figures changed; they are sent shortly."""
        with self._guard:
            if workshop_id in self._pending:
                return
            self._pending.add(workshop_id)
        self.socketio.start_background_task(self._send_later, workshop_id)

    def _send_later(self, workshop_id: int) -> None:
        self.socketio.sleep(COALESCE_SECONDS)
        with self._guard:
            self._pending.discard(workshop_id)
        try:
            self.send(workshop_id)
        except Exception:
            log.exception("could not send the figures of workshop %s", workshop_id)

    def send(self, workshop_id: int) -> None:
        """Read a workshop's figures now and send them to its event's cockpit room."""
        with self.db.read() as session:
            workshop = session.get(Workshop, workshop_id)
            if workshop is None:
                return
            event_id = workshop.event_id
            counts = workshop_counts(session, event_id).get(workshop_id, {})
            figures = workshop_figures(session, workshop, counts,
                                       self.presence.connected(workshop_id))
        payload = {"event_id": event_id, "workshop_id": workshop_id, **figures}
        self.socketio.emit(WORKSHOP_STATS, payload, to=event_room(event_id))
