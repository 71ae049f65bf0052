"""``POST /api/v1/join``: anyone with the code joins under a name."""

from __future__ import annotations

import pytest

from tests.http.helpers import assert_error, headers_of


def _join(client, code, name="Anna"):
    return client.post("/api/v1/join", json={"code": code, "name": name})


def test_join_answers_the_contract(client, event):
    response = _join(client, event["join_code"])
    assert response.status_code == 200
    answer = response.json
    assert isinstance(answer["token"], str) and len(answer["token"]) >= 32
    assert isinstance(answer["participant_id"], int)
    assert answer["event_id"] == event["id"]
    assert [(w["id"], w["title"], w["question"]) for w in answer["workshops"]] == \
        [(w["id"], w["title"], w["question"]) for w in event["workshops"]]
    me = client.get("/api/v1/auth/me", headers=headers_of(answer["token"])).json
    assert (me["kind"], me["participant_id"]) == ("participant", answer["participant_id"])


def test_each_join_is_a_new_participant(client, event):
    first = _join(client, event["join_code"]).json
    second = _join(client, event["join_code"]).json
    assert first["participant_id"] != second["participant_id"]
    assert first["token"] != second["token"]


@pytest.mark.parametrize("variant", [str.lower, lambda c: f" {c} ", lambda c: c[:3].lower()
                                     + c[3:]])
def test_code_is_case_insensitive(client, event, variant):
    response = _join(client, variant(event["join_code"]))
    assert response.status_code == 200
    assert response.json["event_id"] == event["id"]


@pytest.mark.parametrize("code", ["ZZZZZZ", "AAAAAA", "abc", "0O1IL0", "x" * 32])
def test_wrong_code_is_not_found(client, event, code):
    if code.upper() == event["join_code"]:
        pytest.skip("collided with the generated code")
    assert_error(_join(client, code), "not_found")


@pytest.mark.parametrize("name", ["", "   ", "\t\n", "x" * 41, "  " + "x" * 41 + "  "])
def test_bad_name_is_invalid(client, event, name):
    assert "name" in assert_error(_join(client, event["join_code"], name), "invalid")


@pytest.mark.parametrize(("name", "stored"), [
    ("x", "x"),
    ("x" * 40, "x" * 40),
    ("  " + "y" * 40 + "  ", "y" * 40),
    ("  Anna Bäcker ", "Anna Bäcker"),
])
def test_name_is_trimmed_and_up_to_40_characters(client, event, name, stored):
    response = _join(client, event["join_code"], name)
    assert response.status_code == 200
    me = client.get("/api/v1/auth/me", headers=headers_of(response.json["token"])).json
    assert me["name"] == stored


@pytest.mark.parametrize("body", [{}, {"code": "ABCDEF"}, {"name": "Anna"},
                                  {"code": 123456, "name": "Anna"},
                                  {"code": "ABCDEF", "name": None},
                                  {"code": "ABCDEF", "name": "Anna", "admin": True}])
def test_malformed_join_is_invalid(client, body):
    assert_error(client.post("/api/v1/join", json=body), "invalid")


def test_join_needs_no_token_and_ignores_a_bad_one(client, event):
    response = client.post("/api/v1/join", json={"code": event["join_code"], "name": "Anna"},
                           headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 200
