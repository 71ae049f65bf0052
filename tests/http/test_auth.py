"""Signing in and out, and asking who a token belongs to."""

from __future__ import annotations

import re

import pytest
from pinnwand.config import DEFAULT_FAILED_LOGIN_LIMIT as FAILED_LOGINS_PER_WINDOW
from pinnwand.state import FAILED_LOGIN_WINDOW

from tests.conftest import PASSWORD
from tests.http.helpers import assert_error, headers_of

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")


def _login(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def test_login_returns_a_working_token(client, moderator):
    response = _login(client, moderator["email"])
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    token = response.json["token"]
    assert isinstance(token, str) and len(token) >= 32
    assert ISO_UTC.match(response.json["expires_at"])
    me = client.get("/api/v1/auth/me", headers=headers_of(token))
    assert me.status_code == 200
    assert me.json["kind"] == "moderator"
    assert me.json["moderator_id"] == moderator["id"]
    assert me.json["name"] == moderator["name"]


def test_login_email_is_case_insensitive(client, moderator):
    assert _login(client, moderator["email"].upper()).status_code == 200


def test_each_login_gets_its_own_token(client, moderator):
    assert _login(client, moderator["email"]).json["token"] != \
        _login(client, moderator["email"]).json["token"]


def test_wrong_password_is_unauthorized(client, moderator):
    response = _login(client, moderator["email"], PASSWORD + "x")
    assert_error(response, "unauthorized")
    assert "token" not in response.json


def test_unknown_email_is_unauthorized(client, moderator):
    assert_error(_login(client, "nobody@example.org"), "unauthorized")


@pytest.mark.parametrize("body", [{}, {"email": "a@b.c"}, {"password": "x"},
                                  {"email": "a@b.c", "password": ""},
                                  {"email": 1, "password": "x"},
                                  {"email": "a@b.c", "password": "x", "remember": True}])
def test_malformed_login_is_invalid(client, body):
    assert_error(client.post("/api/v1/auth/token", json=body), "invalid")


def test_repeated_failures_are_rate_limited(client, moderator):
    for _ in range(FAILED_LOGINS_PER_WINDOW):
        assert_error(_login(client, moderator["email"], "wrong-password"), "unauthorized")
    limited = _login(client, moderator["email"], "wrong-password")
    assert_error(limited, "rate_limited")
    retry_after = int(limited.headers["Retry-After"])
    assert 1 <= retry_after <= FAILED_LOGIN_WINDOW
    # while limited, even the right password has to wait (on a device that never signed in)
    assert_error(_login(client, moderator["email"]), "rate_limited")


def test_a_success_resets_the_failure_count(client, moderator):
    for _ in range(FAILED_LOGINS_PER_WINDOW - 1):
        assert_error(_login(client, moderator["email"], "wrong-password"), "unauthorized")
    assert _login(client, moderator["email"]).status_code == 200
    for _ in range(FAILED_LOGINS_PER_WINDOW - 1):
        assert_error(_login(client, moderator["email"], "wrong-password"), "unauthorized")
    assert _login(client, moderator["email"]).status_code == 200


def test_logout_revokes_the_token(client, auth, moderator):
    other = {"Authorization": f"Bearer {_login(client, moderator['email']).json['token']}"}
    response = client.post("/api/v1/auth/logout", headers=auth)
    assert response.status_code == 204
    assert_error(client.get("/api/v1/auth/me", headers=auth), "unauthorized")
    assert_error(client.get("/api/v1/events", headers=auth), "unauthorized")
    assert_error(client.post("/api/v1/auth/logout", headers=auth), "unauthorized")
    # only that token: the moderator's other session stays signed in
    assert client.get("/api/v1/auth/me", headers=other).status_code == 200


def test_participant_logout_revokes_its_token(client, join):
    headers = headers_of(join("Anna")["token"])
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_error(client.get("/api/v1/auth/me", headers=headers), "unauthorized")


def test_logout_without_token_is_unauthorized(client):
    assert_error(client.post("/api/v1/auth/logout"), "unauthorized")


def test_me_for_a_participant(client, join, event):
    answer = join("Anna")
    me = client.get("/api/v1/auth/me", headers=headers_of(answer["token"]))
    assert me.status_code == 200
    assert me.json["kind"] == "participant"
    assert me.json["name"] == "Anna"
    assert me.json["participant_id"] == answer["participant_id"]
    assert me.json["event_id"] == event["id"]
    assert "moderator_id" not in me.json


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer ", "Basic dXNlcjpwdw==",
                                    "Bearer not-a-real-token-but-long-enough",
                                    "Token abcdefghijklmnopqrstuvwxyz"])
def test_me_without_a_valid_token_is_unauthorized(client, auth, header):
    headers = {"Authorization": header} if header is not None else {}
    assert_error(client.get("/api/v1/auth/me", headers=headers), "unauthorized")


def test_token_is_accepted_with_any_case_of_bearer(client, auth):
    token = auth["Authorization"].split()[1]
    assert client.get("/api/v1/auth/me",
                      headers={"Authorization": f"bearer {token}"}).status_code == 200
