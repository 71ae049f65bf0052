"""Publishing a committed change to the rooms of its board, each audience only its variant.

A change everyone sees alike goes to the workshop's room once. A change with hidden parts
(:attr:`~pinnwand.board.changes.Change.is_split`) goes to the staff's room in full, to its
owner's room (if any) in the owner's variant, and to everyone else in the withheld one: the
workshop's public room, or — when an owner must be left out — the projectors' room and the own
room of every other participant who joined. A plenary change goes to the plenary's room, or,
while it is closed, apart to its moderators and to everyone else.
"""

from __future__ import annotations

from pinnwand.board import rooms
from pinnwand.board.changes import AnyChange, Change, PlenaryChange
from pinnwand.db import Database
from pinnwand.workshops.models import WorkshopMember
from sqlalchemy import select


class Publisher:
    """Sends committed changes through one Socket.IO server (to every process)."""

    def __init__(self, socketio, db: Database):
        self.socketio = socketio
        self.db = db

    def publish(self, change: AnyChange) -> None:
        """Send a change to its board's rooms, each recipient only the variant it may see.
        Call after the commit, inside the board's order lock."""
        if isinstance(change, PlenaryChange):
            self._plenary(change)
        else:
            self._workshop(change)

    def _emit(self, change: AnyChange, payload: dict, to) -> None:
        self.socketio.emit(change.name, payload, to=to)

    def _workshop(self, change: Change) -> None:
        workshop_id, owner = change.workshop_id, change.owner_id
        if not change.is_split:
            self._emit(change, change.payload, rooms.workshop_room(workshop_id))
            return
        self._emit(change, change.payload, rooms.staff_room(workshop_id))
        if owner is None:
            self._emit(change, change.for_others, rooms.public_room(workshop_id))
            return
        self._emit(change, change.for_owner, rooms.participant_room(workshop_id, owner))
        others = [rooms.viewer_room(workshop_id)] + [
            rooms.participant_room(workshop_id, member)
            for member in self._members(workshop_id) if member != owner
        ]
        self._emit(change, change.for_others, others)

    def _members(self, workshop_id: int) -> list[int]:
        """Participants who joined the workshop, read after the change committed: whoever
        joins later reads a snapshot that already holds the change."""
        with self.db.read() as session:
            query = select(WorkshopMember.participant_id).where(
                WorkshopMember.workshop_id == workshop_id)
            return list(session.scalars(query))

    def _plenary(self, change: PlenaryChange) -> None:
        event_id = change.event_id
        if not change.is_split:
            self._emit(change, change.payload, rooms.plenary_room(event_id))
            return
        self._emit(change, change.payload, rooms.plenary_staff_room(event_id))
        self._emit(change, change.public, rooms.plenary_public_room(event_id))
