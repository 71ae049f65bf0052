"""Who is connected to which workshop right now, in this process: how many participants, and
who they are (their display names, for the staff's presence list)."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict

from pinnwand.auth.identity import Identity


class Presence:
    """Sockets per workshop room; ``connected`` counts distinct participants with a socket in
    the room (moderators, hosts and projectors are not counted), ``people`` names them."""

    def __init__(self):
        self._rooms: defaultdict[str, set[int]] = defaultdict(set)
        self._people: defaultdict[int, Counter] = defaultdict(Counter)
        self._names: defaultdict[int, dict[int, str]] = defaultdict(dict)
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
            self._names[workshop_id][identity.participant_id] = identity.name
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

    def people(self, workshop_id: int) -> list[dict]:
        """The participants with at least one socket in the workshop's room, sorted by name:
        ``[{"participant_id", "name"}]``."""
        with self._guard:
            names = dict(self._names.get(workshop_id, {}))
        ordered = sorted(names.items(), key=lambda item: (item[1].casefold(), item[0]))
        return [{"participant_id": participant_id, "name": name}
                for participant_id, name in ordered]

    def _forget(self, workshop_id: int, participant_id: int) -> bool:
        people = self._people[workshop_id]
        people[participant_id] -= 1
        if people[participant_id] > 0:
            return False
        del people[participant_id]
        self._names[workshop_id].pop(participant_id, None)
        if not people:
            del self._people[workshop_id]
            del self._names[workshop_id]
        return True
