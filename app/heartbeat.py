"""The heartbeat: every few seconds each workshop board open on this process hears its latest
``seq``, so a client notices a change whose broadcast never reached it (a message queue that
dropped it, a process that died between commit and publish) and catches up within seconds.

``heartbeat {"workshop_id", "seq"}`` goes to each workshop's room that has sockets on this
process, straight to them (not through the message queue, whose loss it must survive). The
``seq`` is read from the database, which every process shares. It is not a numbered change:
clients compare it with the last ``seq`` they applied and, when it stays ahead, ask for the
missing changes with ``join_workshop {"since_seq"}``.

A board that heard a change from this process within the last beat is left out of that beat:
while changes flow, the next change's ``seq`` shows a client any change it missed (it catches up
on the gap), so the heartbeat is needed only once a board falls quiet — a lost broadcast is then
noticed within two beats. In a busy room that saves a message to every phone every few seconds.

On the same beat the process closes its sockets whose token is no longer valid
(:func:`close_invalid_sockets`): revoked while the message queue could not tell this process
(see :mod:`pinnwand.revocation`), or expired.
"""

from __future__ import annotations

import logging
import re
import weakref

from pinnwand.auth.models import Token
from pinnwand.board.rooms import workshop_room
from pinnwand.db import utcnow
from pinnwand.workshops.models import Workshop
from sqlalchemy import select

HEARTBEAT = "heartbeat"
TOKENS_PER_QUERY = 500
WORKSHOP_ROOM = re.compile(r"workshop:(\d+)")
log = logging.getLogger(__name__)


def open_boards(socketio) -> list[int]:
    """The workshops whose room has at least one socket on this process."""
    rooms = socketio.server.manager.rooms.get("/", {})
    found = []
    for room, members in list(rooms.items()):
        match = WORKSHOP_ROOM.fullmatch(room) if isinstance(room, str) else None
        if match and members:
            found.append(int(match[1]))
    return found


def beat(app_state, quiet_for: float = 0.0) -> int:
    """Tell every board open on this process its latest ``seq`` — except the boards this
    process published a change of within the last ``quiet_for`` seconds; how many were told."""
    socketio = app_state.realtime.socketio
    writer = app_state.writer
    workshop_ids = [workshop_id for workshop_id in open_boards(socketio)
                    if not writer.published_within(workshop_id, quiet_for)]
    if not workshop_ids:
        return 0
    with app_state.db.read() as session:
        rows = session.execute(select(Workshop.id, Workshop.seq)
                               .where(Workshop.id.in_(workshop_ids))).all()
    for workshop_id, seq in rows:
        socketio.emit(HEARTBEAT, {"workshop_id": workshop_id, "seq": seq},
                      to=workshop_room(workshop_id), ignore_queue=True)
    return len(rows)


def close_invalid_sockets(app_state) -> int:
    """Close this process's sockets whose token was revoked, deleted or has expired since they
    connected; how many."""
    connected = sorted(app_state.realtime.token_ids())
    if not connected:
        return 0
    valid: set[int] = set()
    now = utcnow()
    with app_state.db.read() as session:
        for start in range(0, len(connected), TOKENS_PER_QUERY):
            valid.update(session.scalars(select(Token.id).where(
                Token.id.in_(connected[start:start + TOKENS_PER_QUERY]),
                Token.revoked_at.is_(None), Token.expires_at > now)))
    invalid = set(connected) - valid
    return app_state.revocations.apply({"tokens": sorted(invalid)}) if invalid else 0


def start_heartbeat(app, seconds: float) -> None:
    """Beat every ``seconds`` while the app lives (``0``: never)."""
    if seconds <= 0:
        return
    socketio = app.extensions["socketio"]
    socketio.start_background_task(_loop, socketio, weakref.ref(app.extensions["pinnwand"]),
                                   seconds)


def _loop(socketio, state_ref, seconds: float) -> None:
    while True:
        socketio.sleep(seconds)
        app_state = state_ref()
        if app_state is None:
            return
        try:
            beat(app_state, quiet_for=seconds)
            close_invalid_sockets(app_state)
        except Exception as error:  # a database out of reach: the next beat tries again
            log.warning("heartbeat skipped: %s", str(error).splitlines()[0])
        del app_state
