"""Forgetting a deleted event in this process: cached permissions, rooms, open sockets.

The in-process caches of :class:`pinnwand.access.Access` hold facts that "never change once true"
– which is no longer so once an event is deleted, and SQLite may even hand a deleted id to a
new event. This module clears them, disconnects the deleted event's sockets and closes its
rooms.

It reaches into ``Access`` and ``Realtime`` internals; a public ``forget`` method on those
classes would be the cleaner home (noted for their owner). Other server processes (several
behind a message queue) keep their caches until restarted; they run on PostgreSQL, which never
reuses ids, so a stale entry can only point at something that no longer exists.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

from pinnwand.plenary.services import plenary_public_room, plenary_room, plenary_staff_room
from pinnwand.workshops.changes import participant_room, staff_room, viewer_room, workshop_room
from pinnwand.workshops.stats import event_room

log = logging.getLogger(__name__)


def forget_event(app_state, deleted: dict) -> None:
    """Drop what this process remembers about a deleted event and close its sockets: the
    event's participants, projectors and hosts are disconnected (its moderators stay
    connected), and every room of the event is closed – the cockpit's, the plenary's and each
    workshop's (with its staff, projector and per-participant rooms)."""
    event_id = deleted["event_id"]
    workshops = set(deleted["workshop_ids"])
    participants = set(deleted["participant_ids"])
    _forget_access(app_state.access, event_id, workshops, participants)
    socketio = app_state.realtime.socketio
    for sid in _sockets_of(app_state.realtime, event_id):
        with contextlib.suppress(Exception):
            socketio.server.disconnect(sid, namespace="/")
    for room in rooms_of(event_id, workshops, deleted.get("members", ())):
        with contextlib.suppress(Exception):
            socketio.close_room(room, namespace="/")


def rooms_of(event_id: int, workshop_ids: Iterable[int],
             members: Iterable[tuple[int, int]]) -> list[str]:
    """Every Socket.IO room of an event: the cockpit's, the plenary's (everyone, staff,
    public), each workshop's (everyone, staff, projectors) and each member's own room on the
    workshops they joined (``members``: ``(workshop_id, participant_id)`` pairs)."""
    rooms = [event_room(event_id), plenary_room(event_id), plenary_staff_room(event_id),
             plenary_public_room(event_id)]
    for workshop_id in sorted(workshop_ids):
        rooms += [workshop_room(workshop_id), staff_room(workshop_id), viewer_room(workshop_id)]
    rooms += [participant_room(workshop_id, participant_id)
              for workshop_id, participant_id in members]
    return rooms


def _forget_access(access, event_id: int, workshops: set[int], participants: set[int]) -> None:
    with access._guard:
        for workshop_id in workshops:
            access._event_of.pop(workshop_id, None)
        access._moderates.difference_update(
            [key for key in list(access._moderates) if key[1] == event_id])
        access._members.difference_update(
            [key for key in list(access._members)
             if key[0] in participants or key[1] in workshops])


def _sockets_of(realtime, event_id: int):
    """The sockets of the event's participants, projectors and hosts (each carries the
    event's id); never moderators, who may run other events."""
    with realtime._guard:
        identities = list(realtime._identities.items())
    for sid, identity in identities:
        if (identity.is_participant or identity.is_viewer or identity.is_host) \
                and identity.event_id == event_id:
            yield sid
