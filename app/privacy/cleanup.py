"""Forgetting a deleted event in this process: cached permissions, rooms, open sockets.

The in-process caches of :class:`app.access.Access` hold facts that "never change once true"
– which is no longer so once an event is deleted, and SQLite may even hand a deleted id to a
new event. This module clears them and disconnects the deleted event's sockets.

It reaches into ``Access`` and ``Realtime`` internals; a public ``forget`` method on those
classes would be the cleaner home (noted for their owner). Other server processes (several
behind a message queue) keep their caches until restarted; they run on PostgreSQL, which never
reuses ids, so a stale entry can only point at something that no longer exists.
"""

from __future__ import annotations

import contextlib
import logging

from app.realtime import workshop_room
from app.workshops.stats import event_room

log = logging.getLogger(__name__)


def forget_event(app_state, deleted: dict) -> None:
    """Drop what this process remembers about a deleted event and close its sockets."""
    event_id = deleted["event_id"]
    workshops = set(deleted["workshop_ids"])
    participants = set(deleted["participant_ids"])
    _forget_access(app_state.access, event_id, workshops, participants)
    socketio = app_state.realtime.socketio
    for sid in _sockets_of(app_state.realtime, event_id):
        with contextlib.suppress(Exception):
            socketio.server.disconnect(sid, namespace="/")
    for room in [event_room(event_id), *(workshop_room(w) for w in workshops)]:
        with contextlib.suppress(Exception):
            socketio.close_room(room, namespace="/")


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
    with realtime._guard:
        identities = list(realtime._identities.items())
    for sid, identity in identities:
        # Participants and projectors of the event (both carry its id); never moderators.
        if not identity.is_moderator and identity.event_id == event_id:
            yield sid
