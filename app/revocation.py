"""Revoking access at once, on every server process: closing the sockets of revoked tokens, of
an event's participants after its personal data was deleted, and of a deleted event.

A socket resolves its token once, when it connects (:mod:`pinnwand.auth.sockets`), and the
process keeps that identity (:class:`pinnwand.realtime.Realtime`). So revoking a token, deleting
participants' personal data or deleting an event must also close the sockets that are open
already, on whichever process serves them. With a message queue
(``PINNWAND_MESSAGE_QUEUE``), a revocation is sent as a control message on the queue's channel
(:class:`ControlMessages`, on a Socket.IO namespace no client can open); every process, the
sender included, closes its own sockets that the message names. With one process the message
is applied at once.
"""

from __future__ import annotations

import contextlib
import logging

import socketio as python_socketio

log = logging.getLogger(__name__)

CONTROL_NAMESPACE = "/pinnwand-control"
REVOKE = "revoke"


class ControlMessages:
    """Mixed into the message queue's client manager: a message emitted on
    :data:`CONTROL_NAMESPACE` is handed to :attr:`control_handler` (on the sending process and
    on every other one) and never to a client."""

    control_handler = None

    def _handle_emit(self, message):
        if message.get("namespace") != CONTROL_NAMESPACE:
            return super()._handle_emit(message)
        handler, data = self.control_handler, message.get("data")
        if handler is not None and isinstance(data, list) and data:
            try:
                handler(data[0])
            except Exception:
                log.exception("control message %r failed", message.get("event"))
        return None


def queue_manager(url: str, channel: str):
    """The client manager for the message queue at ``url`` (the class Flask-SocketIO would
    choose) that also carries :class:`ControlMessages`."""
    if url.startswith(("redis://", "rediss://")):
        base = python_socketio.RedisManager
    elif url.startswith("kafka://"):
        base = python_socketio.KafkaManager
    elif url.startswith("zmq"):
        base = python_socketio.ZmqManager
    else:
        base = python_socketio.KombuManager
    manager_class = type(f"Controlled{base.__name__}", (ControlMessages, base), {})
    return manager_class(url, channel=channel)


class Revocations:
    """Closes the sockets that lost their right to be open, on every process."""

    def __init__(self, socketio, realtime, access):
        self.socketio = socketio
        self.realtime = realtime
        self.access = access

    # --- what the views announce -----------------------------------------------------------

    def tokens(self, token_ids) -> None:
        """Tokens were revoked (sign-out, a host or projector link withdrawn): close their
        sockets."""
        self._announce({"tokens": sorted(set(token_ids))})

    def event_purged(self, event_id: int) -> None:
        """An event's personal data was deleted and its participants' tokens revoked: close
        their sockets."""
        self._announce({"purged_event": event_id})

    def event_deleted(self, deleted: dict) -> None:
        """An event was deleted: every process forgets what it cached about it and closes the
        sockets of its participants, projectors and hosts."""
        self._announce({"deleted_event": {
            "event_id": deleted["event_id"],
            "workshop_ids": list(deleted["workshop_ids"]),
            "participant_ids": list(deleted["participant_ids"])}})

    # --- every process ---------------------------------------------------------------------

    def apply(self, message: dict) -> int:
        """Close this process's sockets that ``message`` names; how many."""
        if "tokens" in message:
            sids = self.realtime.sockets_of_tokens(set(message["tokens"]))
        elif "purged_event" in message:
            sids = self.realtime.sockets_of_participants(message["purged_event"])
        elif "deleted_event" in message:
            deleted = message["deleted_event"]
            self.access.forget_event(deleted["event_id"], set(deleted["workshop_ids"]),
                                     set(deleted["participant_ids"]))
            sids = self.realtime.sockets_of_event(deleted["event_id"])
        else:
            return 0
        for sid in sids:
            with contextlib.suppress(Exception):
                self.socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
        return len(sids)

    def _announce(self, message: dict) -> None:
        if isinstance(self.socketio.server.manager, ControlMessages):
            self.socketio.emit(REVOKE, message, namespace=CONTROL_NAMESPACE)
        else:
            self.apply(message)
