"""Forgetting in every process what revoked access leaves behind: open sockets, cached
permissions, rooms, and names on the screens.

The in-process caches of :class:`pinnwand.access.Access` hold facts that "never change once
true" – which is no longer so once an event is deleted, and SQLite may even hand a deleted id to
a new event. Sockets keep the identity they connected with. So deleting an event has every
process (through the message queue, :mod:`pinnwand.revocation`) forget the event's cached
permissions and close its participants', projectors' and hosts' sockets, and its rooms are
closed; deleting the participants' personal data closes their sockets on every process and
asks every screen still on the event's boards to load them again, without the names.
"""

from __future__ import annotations

import contextlib

from pinnwand.board.rooms import rooms_of_event, workshop_room

RESYNC = "resync"


def forget_event(app_state, deleted: dict) -> None:
    """Drop what every process remembers about a deleted event and close its sockets: the
    event's participants, projectors and hosts are disconnected (its moderators stay
    connected), and every room of the event is closed – the cockpit's, the plenary's and each
    workshop's (with its staff, public, projector and per-participant rooms)."""
    app_state.revocations.event_deleted(deleted)
    socketio = app_state.realtime.socketio
    for room in rooms_of_event(deleted["event_id"], set(deleted["workshop_ids"]),
                               deleted.get("members", ())):
        with contextlib.suppress(Exception):
            socketio.close_room(room, namespace="/")


def after_purge(app_state, event_id: int, workshop_ids) -> None:
    """After an event's personal data was deleted: its participants' sockets are closed on
    every process (their tokens are revoked), and everyone still on one of its boards (staff,
    projectors) receives ``resync {"workshop_id"}``: load the whole board again, which shows
    no names any more."""
    app_state.revocations.event_purged(event_id)
    socketio = app_state.realtime.socketio
    for workshop_id in workshop_ids:
        socketio.emit(RESYNC, {"workshop_id": workshop_id}, to=workshop_room(workshop_id))
