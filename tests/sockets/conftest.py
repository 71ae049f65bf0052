"""Fixtures for the socket tests: signed-in sockets of moderators and participants."""

from __future__ import annotations

import pytest

from tests.sockets.helpers import bearer, join_board


@pytest.fixture
def workshops(event) -> list[int]:
    """The ids of the event's three workshops."""
    return [w["id"] for w in event["workshops"]]


@pytest.fixture
def mod(connect, auth):
    """A socket of the event's moderator."""
    tc = connect(bearer(auth))
    assert tc.is_connected()
    return tc


@pytest.fixture
def participant(connect, join):
    """Open a participant's socket: ``participant("Anna", workshop_id)`` → (socket, join answer).

    With a ``workshop_id`` the participant enters that board first; received frames are
    cleared, so each test starts from silence.
    """

    def opener(name: str = "Anna", workshop_id: int | None = None):
        answer = join(name)
        tc = connect(answer["token"])
        assert tc.is_connected()
        if workshop_id is not None:
            join_board(tc, workshop_id)
        tc.get_received()
        return tc, answer

    return opener


@pytest.fixture
def other_event(client, auth):
    """A second event of the same moderator, with one workshop."""
    response = client.post("/api/v1/events", headers=auth, json={
        "title": "Zweites Forum",
        "workshops": [{"title": "Anderswo", "question": "Was anderes?"}],
    })
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def outsider(client, connect, other_event):
    """A participant of ``other_event`` who entered its workshop: (socket, join answer)."""
    response = client.post("/api/v1/join", json={"code": other_event["join_code"],
                                                  "name": "Olga"})
    assert response.status_code == 200, response.json
    tc = connect(response.json["token"])
    assert tc.is_connected()
    join_board(tc, other_event["workshops"][0]["id"])
    tc.get_received()
    return tc, response.json


@pytest.fixture
def host_of(client, auth, connect):
    """Open a host's socket for one workshop: ``host_of(workshop_id, "Tisch 2")`` → socket
    (not yet on the board)."""

    def opener(workshop_id: int, name: str = "Tischmoderation"):
        response = client.post(f"/api/v1/workshops/{workshop_id}/host-link", headers=auth,
                               json={"name": name})
        assert response.status_code == 201, response.json
        tc = connect(response.json["token"])
        assert tc.is_connected()
        return tc

    return opener
