"""Who is connected to which workshop right now, in this process."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict

from app.auth.identity import Identity


class Presence:
    """Sockets per workshop room; ``connected`` counts distinct participants with a socket in
    the room (moderators and projectors are not counted)."""

    def __init__(self):
        self._rooms: defaultdict[str, set[int]] = defaultdict(set)
        self._people: defaultdict[int, Counter] = defaultdict(Counter)
        self._guard = threading.Lock()

    def entered(self, sid: str, identity: Identity, workshop_id: int) -> bool:
        """A socket joined a workshop's room; whether ``connected`` changed."""
        with self._guard:
            if workshop_id in self._rooms[sid]:
                return False
            self._rooms[sid].add(workshop_id)
            if not identity.is_participant:
                return False
            self._people[workshop_id][identity.participant_id] += 1
            return self._people[workshop_id][identity.participant_id] == 1

    def left(self, sid: str, identity: Identity, workshop_id: int) -> bool:
        """A socket left a workshop's room; whether ``connected`` changed."""
        with self._guard:
            if workshop_id not in self._rooms.get(sid, ()):
                return False
            self._rooms[sid].discard(workshop_id)
            return identity.is_participant and self._forget(workshop_id, identity.participant_id)

    def gone(self, sid: str, identity: Identity) -> list[int]:
        """A socket closed; the workshops whose ``connected`` changed."""
        with self._guard:
            rooms = self._rooms.pop(sid, set())
            if not identity.is_participant:
                return []
            return [w for w in rooms if self._forget(w, identity.participant_id)]

    def connected(self, workshop_id: int) -> int:
        """Distinct participants with at least one socket in the workshop's room."""
        return len(self._people.get(workshop_id, ()))

    def _forget(self, workshop_id: int, participant_id: int) -> bool:
        people = self._people[workshop_id]
        people[participant_id] -= 1
        if people[participant_id] > 0:
            return False
        del people[participant_id]
        return True
