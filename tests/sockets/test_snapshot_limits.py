"""Whole boards are costly: one reader loads at most ``PINNWAND_SNAPSHOT_LIMIT`` a minute.

The limit counts per reader (a participant, a moderator, a host or projector link), over all
their sockets, and only the answers that are a whole board: a plain ``join_workshop``, or one
whose ``since_seq`` the log cannot serve. Catching up from the log stays free. Beyond the
limit the answer is ``rate_limited`` with ``retry_after``, and nothing changes (the socket
joins no room).
"""

from __future__ import annotations

import pytest
from pinnwand.config import load_settings
from pinnwand.factory import create_app

from tests.conftest import _login, _make_moderator
from tests.sockets.helpers import data_of, error_code, idea_of

LIMIT = 3


@pytest.fixture
def limited(settings):
    """An app allowing ``LIMIT`` whole boards per reader and minute, with one event."""
    application = create_app(load_settings({
        "PINNWAND_INSTANCE_PATH": str(settings.instance_path),
        "PINNWAND_IDEA_RATE_LIMIT": "0",
        "PINNWAND_SNAPSHOT_LIMIT": str(LIMIT),
    }), async_mode="threading")
    client = application.test_client()
    headers = _login(client, _make_moderator(application, "snap@example.org", "Sina"))
    event = client.post("/api/v1/events", headers=headers, json={
        "title": "Große Wand", "workshops": [{"title": "A", "question": "?"},
                                             {"title": "B", "question": "?"}],
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
        return client.post("/api/v1/join", json={"code": event["join_code"],
                                                 "name": name}).json["token"]

    yield {"workshops": [w["id"] for w in event["workshops"]], "participant": participant,
           "open": open_socket, "moderator": headers["Authorization"].split()[1]}
    for tc in opened:
        if tc.is_connected():
            tc.disconnect()
    application.extensions["pinnwand"].db.dispose()


def join(tc, workshop_id: int, **extra):
    return tc.emit("join_workshop", {"workshop_id": workshop_id, **extra}, callback=True)


def test_one_reader_loads_a_few_boards_a_minute_over_all_sockets(limited):
    first, second = limited["workshops"]
    token = limited["participant"]("Anna")
    sockets = [limited["open"](token) for _ in range(3)]  # one phone, three sockets
    for tc, workshop in zip(sockets, (first, second, first), strict=True):
        assert "ideas" in data_of(join(tc, workshop))
    refused = join(sockets[2], second)
    assert error_code(refused) == "rate_limited"
    assert 1 <= refused["error"]["retry_after"] <= 60
    # A refused join changes nothing: that socket is in no room of the second workshop.
    moderator = limited["open"](limited["moderator"])
    data_of(join(moderator, second))
    sockets[2].get_received()
    idea_of(moderator, second, "Nur für den zweiten Raum")
    assert sockets[2].get_received() == []
    # Another reader is not held up.
    other = limited["open"](limited["participant"]("Ben"))
    assert "ideas" in data_of(join(other, second))


def test_catching_up_from_the_log_is_not_counted(limited):
    first, _ = limited["workshops"]
    tc = limited["open"](limited["participant"]("Anna"))
    board = data_of(join(tc, first))
    for _ in range(LIMIT * 3):
        assert data_of(join(tc, first, since_seq=board["seq"])) == {"events": [],
                                                                    "seq": board["seq"]}
    for _ in range(LIMIT - 1):
        assert "ideas" in data_of(join(tc, first))
    assert error_code(join(tc, first)) == "rate_limited"


def test_a_since_seq_the_log_cannot_serve_counts_as_a_whole_board(limited):
    first, _ = limited["workshops"]
    tc = limited["open"](limited["participant"]("Anna"))
    for _ in range(LIMIT):
        assert "ideas" in data_of(join(tc, first, since_seq=10**6))  # from the future
    assert error_code(join(tc, first, since_seq=10**6)) == "rate_limited"
    assert "events" in data_of(join(tc, first, since_seq=0))  # the log still serves


def test_a_big_board_arrives_whole_and_in_order(limited):
    first, _ = limited["workshops"]
    moderator = limited["open"](limited["moderator"])
    data_of(join(moderator, first))
    texts = [f"Idee {n}" for n in range(1, 1203)]  # more than two slices of 500
    for text in texts:
        idea_of(moderator, first, text)
    phone = limited["open"](limited["participant"]("Anna"))
    board = data_of(join(phone, first))
    assert [idea["text"] for idea in board["ideas"]] == texts
    assert board["seq"] == len(texts)
    assert board["workshop"]["id"] == first and board["me"]["participant_id"]
