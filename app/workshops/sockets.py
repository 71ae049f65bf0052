"""Socket handlers for entering and leaving a workshop's board and locking it."""

from __future__ import annotations

from flask import request
from flask_socketio import join_room, leave_room
from pinnwand.board.rooms import board_rooms
from pinnwand.board.visibility import Audience
from pinnwand.commands import sender_of, staff_only, write
from pinnwand.errors import NotFound
from pinnwand.realtime import acked, current_identity, failed
from pinnwand.snapshot import catch_up, snapshot
from pinnwand.state import state
from pinnwand.validation import parse
from pinnwand.workshops import services
from pinnwand.workshops.schemas import JoinWorkshop, LockWorkshop, WorkshopRef


@acked
def on_join_workshop(payload):
    """Sent by a participant, moderator or host of the event (or the workshop's projector) to
    open a workshop's board.

    Records a participant's membership (counted in ``participants``), joins the socket to the
    workshop's rooms *before* reading (see :func:`pinnwand.board.rooms.board_rooms`), then
    answers with the snapshot ``{"workshop", "ideas", "clusters", "actions", "messages", "me",
    "seq"}`` or, given ``since_seq``, with ``{"events", "seq"}`` (every change after it) — both
    as this reader may see them. Broadcasts nothing to the room; the cockpit
    gets new ``workshop_stats``.
    """
    data = parse(JoinWorkshop, payload)
    identity = current_identity()
    app_state = state()
    app_state.access.require_reader(identity, data.workshop_id)
    joined = identity.is_participant and app_state.access.admit(
        identity.participant_id, data.workshop_id
    )
    staff = app_state.access.is_staff(identity, data.workshop_id)
    for room in board_rooms(identity, data.workshop_id, staff):
        join_room(room)
    if app_state.presence.entered(request.sid, identity, data.workshop_id) or joined:
        app_state.stats.touch(data.workshop_id)
    audience = Audience.of(identity, staff)
    with app_state.db.read() as session:
        if data.since_seq is None:
            return snapshot(session, data.workshop_id, audience)
        return catch_up(session, data.workshop_id, data.since_seq, audience)


@acked
def on_leave_workshop(payload):
    """Sent by a client leaving a workshop's board (e.g. a phone switching workshops).

    The socket leaves the room and receives nothing more from it; membership is kept.
    Answers ``{}``; the cockpit gets new ``workshop_stats`` when ``connected`` changes.
    """
    data = parse(WorkshopRef, payload)
    identity = current_identity()
    app_state = state()
    app_state.access.require_reader(identity, data.workshop_id)
    staff = app_state.access.is_staff(identity, data.workshop_id)
    for room in board_rooms(identity, data.workshop_id, staff):
        leave_room(room)
    if app_state.presence.left(request.sid, identity, data.workshop_id):
        app_state.stats.touch(data.workshop_id)
    return {}


@acked
def on_lock_workshop(payload):
    """Sent by one of the event's moderators (or the workshop's host) to lock or unlock it.

    Changes ``locked``; only when the state changes it takes the next ``seq`` and broadcasts
    ``workshop_locked {"workshop_id", "seq", "locked"}`` to the workshop's room.
    Answers ``{"locked", "seq"}``.
    """
    data, _, _ = sender_of(LockWorkshop, payload, staff_only)
    return write(data.workshop_id,
                 lambda session: services.set_locked(session, data.workshop_id, data.locked))


def on_unknown_event(event, *_args):
    """Any event the server does not know: answered with ``not_found``, nothing changes."""
    return failed(NotFound(f"Unknown event {str(event)[:60]!r}."))


def register(socketio) -> None:
    """Bind the workshop handlers (and the catch-all for unknown events) to ``socketio``."""
    socketio.on_event("join_workshop", on_join_workshop)
    socketio.on_event("leave_workshop", on_leave_workshop)
    socketio.on_event("lock_workshop", on_lock_workshop)
    socketio.on_event("*", on_unknown_event)
