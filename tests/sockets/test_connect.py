"""Connecting: a participant or moderator token is needed, anything else is refused."""

from __future__ import annotations

import pytest

from tests.sockets.helpers import bearer


def test_moderator_and_participant_tokens_connect(connect, auth, join):
    assert connect(bearer(auth)).is_connected()
    assert connect(join("Anna")["token"]).is_connected()


def test_connect_without_token_is_refused(connect):
    assert not connect(None).is_connected()


@pytest.mark.parametrize("token", ["nonsense", "x" * 43, "y" * 500])
def test_connect_with_bad_token_is_refused(connect, token):
    assert not connect(token).is_connected()


@pytest.mark.parametrize("auth_payload", ["a-token-string", ["x"], {"token": 123},
                                          {"token": None}, {}])
def test_connect_with_malformed_auth_is_refused(app, client, auth_payload):
    socketio = app.extensions["socketio"]
    tc = socketio.test_client(app, flask_test_client=client, auth=auth_payload)
    assert not tc.is_connected()


def test_connect_with_revoked_moderator_token_is_refused(client, connect, auth):
    assert client.post("/api/v1/auth/logout", headers=auth).status_code == 204
    assert not connect(bearer(auth)).is_connected()


def test_connect_with_revoked_participant_token_is_refused(client, connect, join):
    token = join("Anna")["token"]
    response = client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    assert not connect(token).is_connected()


def test_refused_connection_registers_no_identity(app, connect):
    realtime = app.extensions["pinnwand"].realtime
    before = realtime.connection_count()
    connect("nonsense-token-of-sufficient-length")
    assert realtime.connection_count() == before
