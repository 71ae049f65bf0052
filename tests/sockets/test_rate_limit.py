"""The idea rate limit (``PINNWAND_IDEA_RATE_LIMIT``) per participant."""

from __future__ import annotations

import pytest
from pinnwand.config import load_settings
from pinnwand.factory import create_app

from tests.conftest import _login, _make_moderator, op_id
from tests.sockets.helpers import data_of, error_code, join_board, post

LIMIT = 2


@pytest.fixture
def limited(settings):
    """An app allowing ``LIMIT`` ideas per participant and minute, with one event."""
    limited_settings = load_settings({
        "PINNWAND_INSTANCE_PATH": str(settings.instance_path),
        "PINNWAND_IDEA_RATE_LIMIT": str(LIMIT),
    })
    application = create_app(limited_settings, async_mode="threading")
    application.config["TESTING"] = True
    client = application.test_client()
    headers = _login(client, _make_moderator(application, "limit@example.org", "Lima"))
    event = client.post("/api/v1/events", headers=headers, json={
        "title": "Gedrosselt", "workshops": [{"title": "A", "question": "?"}],
    }).json
    socketio = application.extensions["socketio"]
    opened = []

    def open_socket(token):
        tc = socketio.test_client(application, flask_test_client=client,
                                  auth={"token": token})
        assert tc.is_connected()
        opened.append(tc)
        return tc

    def participant(name):
        answer = client.post("/api/v1/join", json={"code": event["join_code"],
                                                   "name": name}).json
        tc = open_socket(answer["token"])
        join_board(tc, event["workshops"][0]["id"])
        return tc

    yield {
        "workshop": event["workshops"][0]["id"],
        "participant": participant,
        "moderator": lambda: open_socket(headers["Authorization"].split()[1]),
    }
    for tc in opened:
        if tc.is_connected():
            tc.disconnect()
    application.extensions["pinnwand"].db.dispose()


def test_settings_carry_the_limit(limited, settings):
    assert load_settings({"PINNWAND_INSTANCE_PATH": str(settings.instance_path),
                          "PINNWAND_IDEA_RATE_LIMIT": "2"}).idea_rate_limit == 2


def test_posting_beyond_the_limit_is_rate_limited(limited):
    anna = limited["participant"]("Anna")
    for _ in range(LIMIT):
        data_of(post(anna, limited["workshop"]))
    ack = post(anna, limited["workshop"])
    assert error_code(ack) == "rate_limited"
    assert 1 <= ack["error"]["retry_after"] <= 60
    assert anna.is_connected()


def test_limit_is_per_participant(limited):
    anna = limited["participant"]("Anna")
    ben = limited["participant"]("Ben")
    for _ in range(LIMIT):
        data_of(post(anna, limited["workshop"]))
    assert error_code(post(anna, limited["workshop"])) == "rate_limited"
    data_of(post(ben, limited["workshop"]))


def test_acknowledged_op_is_answered_again_while_limited(limited):
    anna = limited["participant"]("Anna")
    op = op_id()
    first = post(anna, limited["workshop"], "Erste", op=op)
    data_of(first)
    for _ in range(LIMIT - 1):
        data_of(post(anna, limited["workshop"]))
    assert error_code(post(anna, limited["workshop"])) == "rate_limited"
    assert post(anna, limited["workshop"], "Wiederholt", op=op) == first


def test_refused_ideas_do_not_count(limited):
    anna = limited["participant"]("Anna")
    for _ in range(LIMIT + 3):
        assert error_code(post(anna, limited["workshop"], "x" * 501)) == "invalid"
    for _ in range(LIMIT):
        data_of(post(anna, limited["workshop"]))


def test_moderators_are_not_rate_limited(limited):
    moderator = limited["moderator"]()
    for _ in range(LIMIT + 2):
        data_of(post(moderator, limited["workshop"]))
