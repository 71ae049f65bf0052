"""Socket connect and disconnect: authentication happens once, when a socket connects."""

from __future__ import annotations

from flask import request
from flask_socketio import ConnectionRefusedError  # Socket.IO's, not the builtin
from pinnwand.auth.services import resolve_token
from pinnwand.db_failures import as_unavailable
from pinnwand.errors import NotFound, Unauthorized
from pinnwand.realtime import failed
from pinnwand.state import state


def on_connect(auth=None):
    """Any client connecting with ``auth: {"token"}`` (participant or moderator token).

    Resolves the token once and remembers the identity for the socket's lifetime; a missing,
    unknown, expired or revoked token is refused at connect with a message, and so is the
    personal link of an action (``forbidden:``: it opens no socket). While the
    database is busy or out of reach the connection is refused at once with a message
    starting ``unavailable:`` and ``{"code": "unavailable", "retry_after"}`` as its data.
    Broadcasts nothing.
    """
    app_state = state()
    if app_state.realtime.knows(request.sid):
        return failed(NotFound("Unknown event 'connect'."))  # a client event named so
    token = auth.get("token") if isinstance(auth, dict) else None
    try:
        with app_state.db.read() as session:
            identity = resolve_token(session, token)
    except Unauthorized as error:
        raise ConnectionRefusedError(f"unauthorized: {error.message}") from None
    except Exception as error:
        unavailable = as_unavailable(error)
        if unavailable is None:
            raise
        raise ConnectionRefusedError(
            f"unavailable: {unavailable.message}",
            {"code": unavailable.code, "retry_after": unavailable.retry_after},
        ) from None
    if identity.is_updater:
        raise ConnectionRefusedError("forbidden: This link only shows and updates its one "
                                     "action.")
    app_state.realtime.connected(request.sid, identity)


def on_disconnect(*_args):
    """Sent by Socket.IO when a socket closes: forgets its identity and its presence; the
    cockpit receives new ``workshop_stats`` where ``connected`` changed."""
    app_state = state()
    if app_state.realtime.socketio.server.manager.is_connected(request.sid, "/"):
        return failed(NotFound("Unknown event 'disconnect'."))  # a client event named so
    identity = app_state.realtime.disconnected(request.sid)
    if identity is None:
        return
    for workshop_id in app_state.presence.gone(request.sid, identity):
        app_state.stats.touch(workshop_id)


def register(socketio) -> None:
    """Bind the connection handlers to ``socketio``."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
