"""Forgetting a deleted event in this process: cached permissions, open sockets, rooms.

The in-process caches of :class:`pinnwand.access.Access` hold facts that "never change once
true" – which is no longer so once an event is deleted, and SQLite may even hand a deleted id to
a new event. This module has them forgotten, disconnects the deleted event's sockets and closes
its rooms. Other server processes (several behind a message queue) keep their caches until
restarted; they run on PostgreSQL, which never reuses ids, so a stale entry can only point at
something that no longer exists.
"""

from __future__ import annotations

import contextlib

from pinnwand.board.rooms import rooms_of_event


def forget_event(app_state, deleted: dict) -> None:
    """Drop what this process remembers about a deleted event and close its sockets: the
    event's participants, projectors and hosts are disconnected (its moderators stay
    connected), and every room of the event is closed – the cockpit's, the plenary's and each
    workshop's (with its staff, public, projector and per-participant rooms)."""
    event_id = deleted["event_id"]
    workshops = set(deleted["workshop_ids"])
    app_state.access.forget_event(event_id, workshops, set(deleted["participant_ids"]))
    socketio = app_state.realtime.socketio
    for sid in app_state.realtime.sockets_of_event(event_id):
        with contextlib.suppress(Exception):
            socketio.server.disconnect(sid, namespace="/")
    for room in rooms_of_event(event_id, workshops, deleted.get("members", ())):
        with contextlib.suppress(Exception):
            socketio.close_room(room, namespace="/")
