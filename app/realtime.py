"""Socket plumbing: the connected identities, acks, and the sender of the current event.

Publishing changes to rooms is the board core's (:mod:`pinnwand.board.publish`); room names
are in :mod:`pinnwand.board.rooms`.
"""

from __future__ import annotations

import functools
import logging
import threading

from flask import current_app, request
from pinnwand.auth.identity import Identity
from pinnwand.db_failures import as_unavailable
from pinnwand.errors import ApiError, Internal, Unauthorized
from pinnwand.safe_json import PreEncoded

log = logging.getLogger(__name__)
__all__ = ["Realtime", "acked", "current_identity", "failed", "ok"]


def ok(data: dict | PreEncoded) -> dict | PreEncoded:
    """A successful ack (encoded already when ``data`` is)."""
    if isinstance(data, PreEncoded):
        return data.wrapped('{"ok":true,"data":', "}")
    return {"ok": True, "data": data}


def failed(error: ApiError) -> dict:
    """An error ack in the contract's shape; ``rate_limited`` and ``unavailable`` also say
    ``retry_after`` (whole seconds), as HTTP's ``Retry-After`` header does."""
    answer = error.to_dict()
    if error.retry_after:
        answer["retry_after"] = error.retry_after
    return {"ok": False, "error": answer}


class Realtime:
    """The Socket.IO server of one app and the identities of its connected sockets."""

    def __init__(self, socketio):
        self.socketio = socketio
        self._identities: dict[str, Identity] = {}
        self._guard = threading.Lock()

    def connected(self, sid: str, identity: Identity) -> None:
        """Remember who is behind a socket for the rest of its life."""
        with self._guard:
            self._identities[sid] = identity

    def disconnected(self, sid: str) -> Identity | None:
        """Forget a closed socket; who it was."""
        with self._guard:
            return self._identities.pop(sid, None)

    def knows(self, sid: str) -> bool:
        """Whether this socket has connected already."""
        return sid in self._identities

    def identity(self, sid: str) -> Identity:
        """Who is behind this socket, or :class:`Unauthorized`."""
        identity = self._identities.get(sid)
        if identity is None:
            raise Unauthorized("This connection is not signed in.")
        return identity

    def connection_count(self) -> int:
        """How many sockets this process serves."""
        return len(self._identities)

    def token_ids(self) -> set[int]:
        """The tokens the open sockets connected with."""
        with self._guard:
            return {identity.token_id for identity in self._identities.values()}

    def sockets_of_tokens(self, token_ids: set[int]) -> list[str]:
        """The sockets that connected with one of these tokens."""
        with self._guard:
            identities = list(self._identities.items())
        return [sid for sid, identity in identities if identity.token_id in token_ids]

    def sockets_of_participants(self, event_id: int) -> list[str]:
        """The sockets of an event's participants (not its projectors or hosts)."""
        with self._guard:
            identities = list(self._identities.items())
        return [sid for sid, identity in identities
                if identity.is_participant and identity.event_id == event_id]

    def sockets_of_event(self, event_id: int) -> list[str]:
        """The sockets of an event's participants, projectors and hosts (each identity carries
        its event's id); never moderators', who may run other events. Closing them makes
        :meth:`disconnected` forget them."""
        with self._guard:
            identities = list(self._identities.items())
        return [sid for sid, identity in identities
                if (identity.is_participant or identity.is_viewer or identity.is_host)
                and identity.event_id == event_id]


def acked(handler):
    """Make a socket handler total: any arguments in, always a contract ack out.

    The handler receives the first argument (or ``None``) and returns the ack's ``data``;
    an :class:`ApiError` becomes an error ack, a busy or unreachable database ``unavailable``
    (with ``retry_after``), anything unexpected an ``internal`` one.
    """

    @functools.wraps(handler)
    def wrapper(*args):
        try:
            with current_app.extensions["pinnwand"].in_flight:
                return ok(handler(args[0] if args else None))
        except ApiError as error:
            return failed(error)
        except Exception as error:
            unavailable = as_unavailable(error)
            if unavailable is not None:
                log.warning("socket event %s: database unavailable: %s", handler.__name__, error)
                return failed(unavailable)
            log.exception("socket event %s failed", handler.__name__)
            return failed(Internal())

    return wrapper


def current_identity() -> Identity:
    """The identity behind the socket that sent the current event."""
    return current_app.extensions["pinnwand"].realtime.identity(request.sid)
