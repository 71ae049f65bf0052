"""Socket handlers for entering and leaving a workshop's board and locking it."""

from __future__ import annotations

from flask import request
from flask_socketio import join_room, leave_room
from pinnwand.board.rooms import board_rooms
from pinnwand.board.visibility import Audience
from pinnwand.commands import sender_of, staff_only, write
from pinnwand.errors import NotFound
from pinnwand.realtime import acked, current_identity, failed
from pinnwand.safe_json import PreEncoded
from pinnwand.snapshot import encoded_snapshot, logged_since, needs_snapshot, read_board
from pinnwand.state import state
from pinnwand.validation import parse
from pinnwand.workshops import services
from pinnwand.workshops.schemas import JoinWorkshop, LockWorkshop, WorkshopRef

SNAPSHOTS_LIMITED = "This board was loaded too often; try again in {seconds} s."


@acked
def on_join_workshop(payload):
    """Sent by a participant, moderator or host of the event (or the workshop's projector) to
    open a workshop's board.

    Records a participant's membership (counted in ``participants``), joins the socket to the
    workshop's rooms *before* reading (see :func:`pinnwand.board.rooms.board_rooms`), then
    answers with the snapshot ``{"workshop", "ideas", "clusters", "actions", "messages", "me",
    "seq"}`` or, given ``since_seq``, with ``{"events", "seq"}`` (every change after it) — both
    as this reader may see them. Whole boards are costly: one reader (participant, moderator,
    host or projector link, over all their sockets) loads at most ``PINNWAND_SNAPSHOT_LIMIT``
    of them a minute (then ``rate_limited`` with ``retry_after``, changing nothing); catching
    up from the log is not limited. Broadcasts nothing to the room; the cockpit gets new
    ``workshop_stats``.
    """
    data = parse(JoinWorkshop, payload)
    identity = current_identity()
    app_state = state()
    app_state.access.require_reader(identity, data.workshop_id)
    with app_state.db.read() as session:
        whole = needs_snapshot(session, data.workshop_id, data.since_seq)
    if whole:
        app_state.snapshot_limiter.check(identity.sender, SNAPSHOTS_LIMITED)
    joined = identity.is_participant and app_state.access.admit(
        identity.participant_id, data.workshop_id
    )
    staff = app_state.access.is_staff(identity, data.workshop_id)
    for room in board_rooms(identity, data.workshop_id, staff):
        join_room(room)
    if app_state.presence.entered(request.sid, identity, data.workshop_id) or joined:
        app_state.stats.touch(data.workshop_id)
    audience = Audience.of(identity, staff)
    if not whole:
        with app_state.db.read() as session:
            caught_up = logged_since(session, data.workshop_id, data.since_seq, audience)
        if caught_up is not None:
            return caught_up
    return whole_board(app_state, identity, data.workshop_id, audience)


def whole_board(app_state, identity, workshop_id: int, audience: Audience) -> PreEncoded:
    """The snapshot, counted against the reader's limit: read at one ``seq``, then shown and
    encoded a slice at a time with pauses in between, at most a few boards at once
    (``unavailable`` when too many wait), so other boards of the process keep being served."""
    app_state.snapshot_limiter.record(identity.sender)
    pause = app_state.realtime.socketio.sleep
    with app_state.snapshot_turns.turn():
        with app_state.db.read() as session:
            board = read_board(session, workshop_id, audience, pause)
        return encoded_snapshot(board, audience, pause)


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
