"""A catalogue: every error code of the contract is produced by at least one real request.

HTTP: invalid, unauthorized, forbidden, not_found, method_not_allowed, conflict, too_large,
rate_limited, internal, and the extension unavailable (503). Sockets additionally: locked
(and every other code that fits there).
"""

from __future__ import annotations

import sqlite3

import pytest
from pinnwand.config import DEFAULT_FAILED_LOGIN_LIMIT as FAILED_LOGINS_PER_WINDOW
from pinnwand.ideas import services as idea_services

from tests.http.helpers import STATUS_OF, assert_error, headers_of
from tests.sockets.helpers import bearer, data_of, error_code, join_board, lock, post

CONTRACT_CODES = {
    "invalid", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict",
    "too_large", "rate_limited", "internal", "locked", "unavailable",
}


def test_catalogue_covers_the_contract():
    assert set(STATUS_OF) | {"locked"} == CONTRACT_CODES
    assert set(HTTP_CASES) == set(STATUS_OF)


def _invalid(client, auth, **_):
    return client.post("/api/v1/events", headers=auth, json={"title": ""})


def _unauthorized(client, **_):
    return client.get("/api/v1/events")


def _forbidden(client, event, join, **_):
    return client.get(f"/api/v1/events/{event['id']}",
                      headers=headers_of(join("Anna")["token"]))


def _not_found(client, **_):
    return client.post("/api/v1/join", json={"code": "ZZZZZZ", "name": "Anna"})


def _method_not_allowed(client, **_):
    return client.delete("/api/v1/join")


def _conflict(client, auth, event, **_):
    return client.post(f"/api/v1/events/{event['id']}/moderators", headers=auth,
                       json={"email": "moderatorin@example.org"})


def _too_large(client, auth, settings, **_):
    return client.post("/api/v1/events", headers={**auth, "Content-Type": "application/json"},
                       data=b'{"title": "' + b"x" * (settings.max_body_bytes + 1) + b'"}')


def _rate_limited(client, moderator, **_):
    for _ in range(FAILED_LOGINS_PER_WINDOW):
        client.post("/api/v1/auth/token", json={"email": moderator["email"],
                                                "password": "wrong-password"})
    response = client.post("/api/v1/auth/token", json={"email": moderator["email"],
                                                       "password": "wrong-password"})
    assert int(response.headers["Retry-After"]) >= 1
    return response


def _internal(client, **_):
    return client.get("/api/v1/test-internal")


def _unavailable(client, auth, event, app, settings, **_):
    """Another connection holds SQLite's write lock longer than the server waits."""
    app.extensions["pinnwand"].db.timeout = 0.3
    holder = sqlite3.connect(settings.instance_path / "pinnwand.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = client.patch(f"/api/v1/events/{event['id']}", headers=auth,
                                json={"title": "Umbenannt"})
    finally:
        holder.rollback()
        holder.close()
    assert int(response.headers["Retry-After"]) >= 1
    return response


HTTP_CASES = {
    "invalid": _invalid, "unauthorized": _unauthorized, "forbidden": _forbidden,
    "not_found": _not_found, "method_not_allowed": _method_not_allowed, "conflict": _conflict,
    "too_large": _too_large, "rate_limited": _rate_limited, "internal": _internal,
    "unavailable": _unavailable,
}


@pytest.fixture
def internal_route(app):
    """A route that fails unexpectedly, registered before the app's first request."""

    def fail():
        raise KeyError("unexpected")

    app.add_url_rule("/api/v1/test-internal", "test_internal", fail)


@pytest.mark.parametrize("code", sorted(HTTP_CASES))
def test_http_error_code(internal_route, app, client, auth, event, join, moderator, settings,
                         code):
    response = HTTP_CASES[code](app=app, client=client, auth=auth, event=event, join=join,
                                moderator=moderator, settings=settings)
    assert_error(response, code)


# --- the same codes over Socket.IO, plus ``locked`` ---------------------------------------------

@pytest.fixture
def sockets(connect, auth, join, event):
    moderator = connect(bearer(auth))
    anna = connect(join("Anna")["token"])
    workshop = event["workshops"][0]["id"]
    join_board(anna, workshop)
    return moderator, anna, workshop


def test_socket_invalid(sockets):
    _, anna, workshop = sockets
    assert error_code(anna.emit("create_idea", {"workshop_id": workshop}, callback=True)) == \
        "invalid"


def test_socket_forbidden(sockets):
    _, anna, workshop = sockets
    assert error_code(lock(anna, workshop)) == "forbidden"


def test_socket_not_found(sockets):
    moderator, _, _ = sockets
    assert error_code(moderator.emit("no_such_event", {}, callback=True)) == "not_found"
    assert error_code(lock(moderator, 987654)) == "not_found"


def test_socket_locked(sockets):
    moderator, anna, workshop = sockets
    data_of(lock(moderator, workshop, True))
    assert error_code(post(anna, workshop)) == "locked"
    assert error_code(post(moderator, workshop)) == "locked"


def test_socket_internal(sockets, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(idea_services, "create_idea", broken)
    _, anna, workshop = sockets
    ack = post(anna, workshop)
    assert error_code(ack) == "internal"
    assert "on fire" not in str(ack)
    assert anna.is_connected()


def test_socket_rate_limited(app, sockets):
    limiter = app.extensions["pinnwand"].idea_limiter
    limiter.limit = 1
    _, anna, workshop = sockets
    data_of(post(anna, workshop))
    assert error_code(post(anna, workshop)) == "rate_limited"


def test_socket_unauthorized_is_refused_at_connect(connect):
    assert not connect("an-unknown-token-of-some-length").is_connected()
