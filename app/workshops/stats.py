"""Live figures per workshop for the moderators' cockpit, sent at most a few times a second.

Figures go to the event's moderator room as ``workshop_stats``; they are telemetry, not board
changes, so they carry no ``seq``. Bursts (a room full of phones posting at once) are coalesced:
each workshop's figures are read and sent once per :data:`COALESCE_SECONDS`.

In the same coalesced send, when the names of the participants on a board changed since they
were last sent, ``presence {"workshop_id", "people"}`` goes to the workshop's staff room and the
event's cockpit room (no ``seq`` either).
"""

from __future__ import annotations

import logging
import threading

from pinnwand.board.models import WorkshopChange
from pinnwand.board.names import PRESENCE, WORKSHOP_STATS
from pinnwand.board.rooms import event_room, staff_room
from pinnwand.db import isoformat
from pinnwand.errors import NotFound
from pinnwand.workshops.models import Workshop
from pinnwand.workshops.services import list_workshops, workshop_counts
from sqlalchemy import select
from sqlalchemy.orm import Session

COALESCE_SECONDS = 0.25
log = logging.getLogger(__name__)


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
    """Coalesces "something changed in workshop W" into one ``workshop_stats`` (and, when the
    people on the board changed, one ``presence``) per interval."""

    def __init__(self, db, socketio, access, presence, shared: bool = False):
        self.db, self.socketio, self.access, self.presence = db, socketio, access, presence
        self.shared = shared  # several processes (a message queue): watchers may be elsewhere
        self._pending: set[int] = set()
        self._people_sent: dict[int, list[dict]] = {}
        self._guard = threading.Lock()

    def touch(self, workshop_id: int) -> None:
        """Note that a workshop's figures changed; they are sent shortly, unless nobody
        watches them (a cockpit or the workshop's staff), who read them fresh on arrival."""
        if not self._watched(workshop_id):
            return
        with self._guard:
            if workshop_id in self._pending:
                return
            self._pending.add(workshop_id)
        self.socketio.start_background_task(self._send_later, workshop_id)

    def _watched(self, workshop_id: int) -> bool:
        """Whether a cockpit or a staff board may be listening: always with several processes;
        in one process, whether the event's cockpit room or the workshop's staff room has a
        socket."""
        if self.shared:
            return True
        try:
            event_id = self.access.event_of(workshop_id)
        except NotFound:
            return False
        rooms = self.socketio.server.manager.rooms.get("/", {})
        return bool(rooms.get(event_room(event_id)) or rooms.get(staff_room(workshop_id)))

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
                with self._guard:
                    self._people_sent.pop(workshop_id, None)
                return
            event_id = workshop.event_id
            counts = workshop_counts(session, event_id).get(workshop_id, {})
            figures = workshop_figures(session, workshop, counts,
                                       self.presence.connected(workshop_id))
        payload = {"event_id": event_id, "workshop_id": workshop_id, **figures}
        self.socketio.emit(WORKSHOP_STATS, payload, to=event_room(event_id))
        self.send_presence(event_id, workshop_id)

    def send_presence(self, event_id: int, workshop_id: int) -> None:
        """Send ``presence {"workshop_id", "people"}`` to the workshop's staff and the event's
        cockpit if the people on its board changed since the last time."""
        people = self.presence.people(workshop_id)
        with self._guard:
            if people == self._people_sent.get(workshop_id, []):
                return
            if people:
                self._people_sent[workshop_id] = people
            else:
                self._people_sent.pop(workshop_id, None)
        payload = {"workshop_id": workshop_id, "people": people}
        self.socketio.emit(PRESENCE, payload, to=[staff_room(workshop_id), event_room(event_id)])
