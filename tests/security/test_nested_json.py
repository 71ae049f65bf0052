"""JSON nested absurdly deep (1,000 levels: Python's recursion limit while it is read) or merely
deeper than any payload of the protocol: HTTP answers ``400 invalid``, a socket event an
``invalid`` ack; never ``500``/``internal``, never silence, and nothing changes."""

from __future__ import annotations

import pytest

from tests.http.helpers import assert_error
from tests.sockets.helpers import bearer, board_state, error_code, join_board

ARRAY_1000 = "[" * 1000 + "]" * 1000
OBJECT_40 = '{"a":' * 40 + "1" + "}" * 40
NESTINGS = {"array-1000": ARRAY_1000, "object-40": OBJECT_40}


def events_of(client, auth) -> list:
    return client.get("/api/v1/events", headers=auth).json["events"]


@pytest.mark.parametrize("nested", NESTINGS.values(), ids=NESTINGS.keys())
@pytest.mark.parametrize("path", ["/api/v1/join", "/api/v1/auth/token", "/api/v1/events"])
def test_nested_bodies_are_invalid(client, auth, event, path, nested):
    before = events_of(client, auth)
    for body in (nested, f'{{"title": {nested}, "code": {nested}, "email": {nested}}}'):
        response = client.post(path, data=body, headers={**auth, "Content-Type":
                                                         "application/json"})
        assert_error(response, "invalid")
    assert events_of(client, auth) == before


def raw_event(app, test_client, packet: str):
    """Hand the server one Socket.IO packet as it arrives on the wire (``2`` = event, then the
    ack id, then the JSON), bypassing the client's encoder; the ack it answers."""
    test_client.acks = None
    app.extensions["socketio"].server._handle_eio_message(test_client.eio_sid, packet)
    assert test_client.acks is not None, f"no ack for {packet[:40]}…"
    return test_client.acks["args"][0]


@pytest.mark.parametrize("nested", NESTINGS.values(), ids=NESTINGS.keys())
def test_nested_socket_payloads_get_an_invalid_ack(app, connect, auth, join, event, nested):
    workshop = event["workshops"][0]["id"]
    moderator, anna = connect(bearer(auth)), connect(join("Anna")["token"])
    join_board(anna, workshop)
    before = board_state(app, workshop)
    for tc in (moderator, anna):
        for name in ("create_idea", "lock_workshop", "join_workshop", "vote"):
            for ack_id, payload in enumerate((nested, f'{{"workshop_id": {nested}}}'), 1):
                ack = raw_event(app, tc, f'2{ack_id}["{name}",{payload}]')
                assert error_code(ack) == "invalid", (name, ack)
                assert "nested" in ack["error"]["message"], ack
        assert tc.is_connected()
    assert board_state(app, workshop) == before


def test_a_nested_event_name_is_an_unknown_event(app, connect, join):
    anna = connect(join("Anna")["token"])
    assert error_code(raw_event(app, anna, f"27[{ARRAY_1000}]")) == "not_found"
    assert anna.is_connected()
