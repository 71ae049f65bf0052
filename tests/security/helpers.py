"""Helpers shared by the security tests."""

from __future__ import annotations

import atexit
import functools
import tempfile

from pinnwand.config import load_settings
from pinnwand.factory import create_app

# The contract's error codes (HTTP's, plus ``locked`` for socket acks), and the extension
# ``unavailable`` (the database is busy or out of reach: try again after ``retry_after``).
ERROR_CODES = frozenset({
    "invalid", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict",
    "too_large", "rate_limited", "internal", "locked", "unavailable",
})


@functools.cache
def probe_app():
    """An app on an empty instance folder, to read what the server registers (routes, socket
    events, the OpenAPI description) while tests are collected. Never used to serve a test."""
    instance = tempfile.TemporaryDirectory(prefix="pinnwand-probe-")
    app = create_app(load_settings({"PINNWAND_INSTANCE_PATH": instance.name}),
                     async_mode="threading")

    def close():
        app.extensions["pinnwand"].db.dispose()
        instance.cleanup()

    atexit.register(close)
    return app


def registered_events() -> list[str]:
    """Every event name the Socket.IO server has a handler for, but the catch-all ``*``."""
    return sorted(set(probe_app().extensions["socketio"].server.handlers["/"]) - {"*"})


def ack_code(ack) -> str:
    """``"ok"`` or the error code, after checking the ack has exactly the contract's shape:
    ``{"ok": true, "data": {...}}`` or ``{"ok": false, "error": {"code", "message", ...}}``."""
    assert isinstance(ack, dict), f"expected an ack object, got {ack!r}"
    assert type(ack.get("ok")) is bool, ack
    if ack["ok"]:
        assert set(ack) == {"ok", "data"} and isinstance(ack["data"], dict), ack
        return "ok"
    assert set(ack) == {"ok", "error"} and isinstance(ack["error"], dict), ack
    error = ack["error"]
    assert error.get("code") in ERROR_CODES, ack
    assert isinstance(error.get("message"), str) and error["message"].strip(), ack
    assert isinstance(error.get("fields", {}), dict), ack
    return error["code"]
