"""Inputs at the edges of what the database can hold: never a server error.

- Ids in URLs are integers of any size to Werkzeug's ``int`` converter; the id columns are
  ``integer`` (up to 2**31 - 1). A URL id beyond that is simply not found (``404``), a socket
  id beyond it is ``invalid`` (the schemas' range) — never ``500`` / ``internal``.
- U+0000 (NUL) is a valid JSON string character and a valid Python ``str``, but PostgreSQL
  ``text`` cannot store it. Text fields must either keep it (SQLite can) or refuse it as
  ``invalid`` — on every database, never with ``500``/``internal``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pinnwand.auth.services import create_moderator
from pinnwand.config import load_settings
from pinnwand.factory import create_app
from pinnwand.migrate import upgrade_database

from tests.http.helpers import assert_error
from tests.security.helpers import ack_code, probe_app
from tests.support.services import fresh_postgres_database

HUGE = 2**63  # one beyond SQLite's largest integer
BODIES = {  # endpoint → a body that passes validation, so the id reaches the database
    "api.update_event": {"title": "x"},
    "api.add_agenda_item": {"title": "x"},
    "api.update_agenda_item": {"title": "x"},
    "api.add_moderator": {"email": "other@example.org"},
    "api.add_workshop": {"title": "x"},
    "api.update_workshop": {"title": "x"},
}


def _rules_with_int_ids() -> list[tuple[str, str, str]]:
    """``(endpoint, method, rule)`` of every route taking an integer from its path."""
    return sorted((rule.endpoint, method, rule.rule) for rule in probe_app().url_map.iter_rules()
                  for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
                  if "<int:" in rule.rule)


INT_RULES = _rules_with_int_ids()


def _path(rule: str, huge: int) -> str:
    """The rule with every integer set to ``huge`` (and ``report.<fmt>`` as JSON)."""
    path = re.sub(r"<int:[^>]+>", str(huge), rule)
    return path.replace("<fmt>", "json")


@pytest.mark.parametrize(("endpoint", "method", "rule"), INT_RULES,
                         ids=[f"{m} {r}" for _, m, r in INT_RULES])
def test_huge_ids_are_not_found_not_server_errors(world, endpoint, method, rule):
    for role in ("moderator", "viewer"):
        kwargs = {"headers": world.headers(role)}
        if endpoint in BODIES:
            kwargs["json"] = BODIES[endpoint]
        response = getattr(world.client, method.lower())(_path(rule, HUGE), **kwargs)
        assert response.status_code < 500, (role, response.status_code, response.data[:200])
        if rule.startswith("/api/v1/") and role == "moderator":
            assert_error(response, "not_found")


def test_huge_ids_reach_the_rules_that_matter():
    endpoints = {endpoint for endpoint, _, _ in INT_RULES}
    assert {"api.get_event", "api.update_workshop", "api.delete_agenda_item",
            "api.download_report", "pages.projector_info"} <= endpoints


# ---------------------------------------------------------------------------------------------
# NUL characters, on SQLite and on PostgreSQL
# ---------------------------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_database_app(request, tmp_path, migrated_template):
    """An app (threading mode) on SQLite or on a fresh PostgreSQL database."""
    instance = tmp_path / "instance"
    instance.mkdir()
    if request.param == "sqlite":
        Path(instance / "pinnwand.db").write_bytes(Path(migrated_template).read_bytes())
        env = {}
        yield _app(instance, env)
        return
    with fresh_postgres_database() as url:
        upgrade_database(url)
        yield _app(instance, {"PINNWAND_DATABASE_URL": url})


def _app(instance, env):
    return create_app(load_settings({"PINNWAND_INSTANCE_PATH": str(instance),
                                     "PINNWAND_IDEA_RATE_LIMIT": "0", **env}),
                      async_mode="threading")


def _stored_or_invalid(response, status: int, field: str, sent: str, stored) -> None:
    """A text with NUL is kept verbatim or refused as invalid — never a server error."""
    if response.status_code == status:
        assert stored(response.json) == sent
    else:
        assert_error(response, "invalid")
        assert field in response.json["error"]["fields"]


def _signed_in(app) -> tuple[object, str, dict]:
    """A test client, a moderator's token and an event of theirs with one workshop."""
    client = app.test_client()
    with app.extensions["pinnwand"].db.transaction() as session:
        create_moderator(session, "edge@example.org", "correct horse battery", "Edge")
    token = client.post("/api/v1/auth/token", json={
        "email": "edge@example.org", "password": "correct horse battery"}).json["token"]
    event = client.post("/api/v1/events", headers={"Authorization": f"Bearer {token}"}, json={
        "title": "Ereignis", "workshops": [{"title": "W", "question": "?"}]}).json
    return client, token, event


# Ids beyond the id columns (``integer``, up to 2**31 - 1): not found over HTTP; over sockets
# the schemas refuse them as invalid (they are out of the documented range).
BIG_IDS = [2**31, 2**53]


def test_big_ids_are_not_found_on_every_database(any_database_app):
    app = any_database_app
    client, token, _ = _signed_in(app)
    try:
        auth = {"Authorization": f"Bearer {token}"}
        tc = app.extensions["socketio"].test_client(app, flask_test_client=client,
                                                    auth={"token": token})
        for big in BIG_IDS:
            assert_error(client.get(f"/api/v1/events/{big}", headers=auth), "not_found")
            assert_error(client.patch(f"/api/v1/workshops/{big}", headers=auth,
                                      json={"title": "x"}), "not_found")
            for name, payload in (
                ("join_workshop", {"workshop_id": big}),
                ("leave_workshop", {"workshop_id": big}),
                ("lock_workshop", {"workshop_id": big, "locked": True}),
                ("create_idea", {"workshop_id": big, "op_id": "big-id-op-1", "text": "x"}),
                ("watch_event", {"event_id": big}),
            ):
                ack = tc.emit(name, payload, callback=True)
                assert ack["ok"] is False and ack["error"]["code"] == "invalid", (name, big, ack)
        tc.disconnect()
    finally:
        app.extensions["pinnwand"].db.dispose()


def test_nul_characters_are_kept_or_refused_never_a_server_error(any_database_app):
    app = any_database_app
    client, token, event = _signed_in(app)
    try:
        auth = {"Authorization": f"Bearer {token}"}
        workshop = event["workshops"][0]["id"]

        response = client.post("/api/v1/events", headers=auth,
                               json={"title": "a\x00b", "workshops": []})
        _stored_or_invalid(response, 201, "title", "a\x00b", lambda body: body["title"])
        response = client.post("/api/v1/join", json={"code": event["join_code"],
                                                      "name": "An\x00na"})
        _stored_or_invalid(response, 200, "name", "An\x00na",
                           lambda body: client.get("/api/v1/auth/me", headers={
                               "Authorization": f"Bearer {body['token']}"}).json["name"])
        response = client.post("/api/v1/auth/token", json={"email": "edge\x00@example.org",
                                                            "password": "whatever"})
        assert response.status_code in (400, 401), response.data[:200]

        tc = app.extensions["socketio"].test_client(app, flask_test_client=client,
                                                    auth={"token": token})
        ack = tc.emit("create_idea", {"workshop_id": workshop, "op_id": "nul-op-0001",
                                      "text": "Idee\x00mit NUL"}, callback=True)
        if ack["ok"]:
            assert ack["data"]["idea"]["text"] == "Idee\x00mit NUL"
        else:
            assert ack["error"]["code"] == "invalid", ack
        assert tc.is_connected()
        tc.disconnect()
    finally:
        app.extensions["pinnwand"].db.dispose()


# A due date is "YYYY-MM-DD" (docs/protocol.md, save_action): other ISO 8601 spellings of a day
# (week dates, ordinal dates, basic format) and impossible days are refused and change nothing.
NOT_A_DAY = ["2026-W49-2", "2026-335", "20261201", "2026-12-1", "2026-02-30", "2026-13-01",
             "01.12.2026", "2026-12-01T10:00"]


@pytest.mark.parametrize("due", NOT_A_DAY)
def test_action_due_dates_are_calendar_days(world, due):
    mod = world.socket("moderator")
    before = world.dump()
    ack = mod.emit("save_action", {"workshop_id": world.ids["A"], "op_id": "due-op-0001",
                                   "title": "Aktion", "due": due}, callback=True)
    assert ack_code(ack) == "invalid" and "due" in ack["error"]["fields"], (due, ack)
    assert world.dump() == before


def test_action_due_date_is_answered_as_written(world):
    mod = world.socket("moderator")
    ack = mod.emit("save_action", {"workshop_id": world.ids["A"], "op_id": "due-op-0002",
                                   "title": "Aktion", "due": "2028-02-29"}, callback=True)
    assert ack_code(ack) == "ok" and ack["data"]["action"]["due"] == "2028-02-29", ack
