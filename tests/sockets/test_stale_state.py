"""What a room sees must not go stale: "time is up" ends with the step, a broadcast message
can be withdrawn, and every message says the step it was sent in (screens fade it after)
(docs/protocol.md, ``set_step``, ``send_message``, ``withdraw_message``)."""

from __future__ import annotations

import pytest
from pinnwand.workshops.models import Message, Workshop

from tests.sockets.helpers import (
    board_state,
    change_rows,
    data_of,
    error_code,
    events_of,
    join_board,
    payloads,
    row,
    send,
    viewer_of,
)


def withdraw(tc, workshop_id: int, message_id, **extra):
    return send(tc, "withdraw_message", workshop_id=workshop_id, message_id=message_id, **extra)


def post_message(tc, workshop_id: int, text: str = "Noch 5 Minuten") -> dict:
    return data_of(send(tc, "send_message", workshop_id=workshop_id, text=text))["message"]


# ------------------------------------------------------------------------------ the timer


def test_an_ended_timer_goes_back_to_idle_with_the_next_step(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(send(mod, "set_timer", workshop_id=workshop, command="start", seconds=60))
    change_rows(app, Workshop, Workshop.id == workshop, timer_state="ended", timer_ends_at=None,
                timer_remaining=0.0)
    anna.get_received()
    answer = data_of(send(mod, "set_step", workshop_id=workshop, step="cluster"))
    events = events_of(anna)
    assert [name for name, _ in events] == ["step_changed", "timer_changed"]
    (_, step), (_, timer) = events
    assert timer["seq"] == step["seq"] + 1 == answer["seq"]
    assert timer["timer"]["state"] == "idle"
    assert join_board(anna, workshop)["workshop"]["timer"]["state"] == "idle"
    assert row(app, Workshop, workshop)["timer_state"] == "idle"


@pytest.mark.parametrize("command", ["start", "pause"])
def test_a_running_or_paused_timer_runs_on_into_the_next_step(app, mod, participant, workshops,
                                                            command):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(send(mod, "set_timer", workshop_id=workshop, command="start", seconds=600))
    if command == "pause":
        data_of(send(mod, "set_timer", workshop_id=workshop, command="pause"))
    anna.get_received()
    data_of(send(mod, "set_step", workshop_id=workshop, step="cluster"))
    assert [name for name, _ in events_of(anna)] == ["step_changed"]
    state = "running" if command == "start" else "paused"
    assert join_board(anna, workshop)["workshop"]["timer"]["state"] == state


def test_the_same_step_again_leaves_an_ended_timer(app, mod, participant, workshops):
    workshop = workshops[0]
    change_rows(app, Workshop, Workshop.id == workshop, timer_state="ended")
    seq = board_state(app, workshop)[0]
    data_of(send(mod, "set_step", workshop_id=workshop, step="collect"))
    assert board_state(app, workshop)[0] == seq
    assert row(app, Workshop, workshop)["timer_state"] == "ended"


# ------------------------------------------------------------------------------ messages


def test_a_message_names_the_step_it_was_sent_in(app, mod, participant, workshops):
    workshop = workshops[0]
    first = post_message(mod, workshop)
    data_of(send(mod, "set_step", workshop_id=workshop, step="vote"))
    second = post_message(mod, workshop, "Jetzt punkten")
    assert (first["step"], second["step"]) == ("collect", "vote")
    assert first["withdrawn"] is False
    anna, _ = participant("Anna", workshop)
    assert [m["step"] for m in join_board(anna, workshop)["messages"]] == ["collect", "vote"]


def test_withdrawing_a_message_reaches_the_room_and_the_snapshot(app, mod, participant, client,
                                                                 auth, connect, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    projector = viewer_of(client, auth, connect, workshop)
    join_board(projector, workshop)
    message = post_message(mod, workshop, "Falscher Raum!")
    for tc in (anna, projector):
        tc.get_received()
    answer = data_of(withdraw(mod, workshop, message["id"]))
    seq = board_state(app, workshop)[0]
    assert answer == {"message_id": message["id"], "seq": seq}
    for tc in (anna, projector):
        assert payloads(tc, "message_withdrawn") == [
            {"workshop_id": workshop, "seq": seq, "message_id": message["id"]}]
    shown = join_board(anna, workshop)["messages"]
    assert shown == [{**message, "text": None, "from": None, "withdrawn": True}]
    assert row(app, Message, message["id"])["withdrawn_at"] is not None
    # Catching up replays the message and its withdrawal, in order.
    events = join_board(anna, workshop, since_seq=seq - 2)["events"]
    assert [e["event"] for e in events] == ["message_posted", "message_withdrawn"]


def test_withdrawing_again_changes_nothing(app, mod, participant, workshops):
    workshop = workshops[0]
    message = post_message(mod, workshop)
    first = data_of(withdraw(mod, workshop, message["id"]))
    anna, _ = participant("Anna", workshop)
    anna.get_received()
    assert data_of(withdraw(mod, workshop, message["id"])) == first
    assert anna.get_received() == []
    assert board_state(app, workshop)[0] == first["seq"]


def test_a_host_withdraws_in_their_workshop_only(app, mod, host_of, workshops):
    message = post_message(mod, workshops[0])
    other = post_message(mod, workshops[1])
    host = host_of(workshops[0])
    assert error_code(withdraw(host, workshops[0], other["id"])) == "not_found"
    assert error_code(withdraw(host, workshops[1], other["id"])) == "forbidden"
    assert data_of(withdraw(host, workshops[0], message["id"]))["message_id"] == message["id"]
    assert row(app, Message, other["id"])["withdrawn_at"] is None


def test_participants_and_projectors_may_not_withdraw(app, mod, participant, client, auth,
                                                      connect, workshops):
    workshop = workshops[0]
    message = post_message(mod, workshop)
    anna, _ = participant("Anna", workshop)
    projector = viewer_of(client, auth, connect, workshop)
    seq = board_state(app, workshop)[0]
    for tc in (anna, projector):
        assert error_code(withdraw(tc, workshop, message["id"])) == "forbidden"
    assert board_state(app, workshop)[0] == seq
    assert row(app, Message, message["id"])["withdrawn_at"] is None


@pytest.mark.parametrize("payload", [
    {"message_id": 0},
    {"message_id": "1"},
    {"message_id": None},
    {},
    {"message_id": 1, "text": "x"},
])
def test_bad_withdrawals_are_invalid(app, mod, workshops, payload):
    message = post_message(mod, workshops[0])
    ack = mod.emit("withdraw_message", {"workshop_id": workshops[0], **payload}, callback=True)
    assert error_code(ack) == "invalid"
    assert row(app, Message, message["id"])["withdrawn_at"] is None
    assert error_code(withdraw(mod, workshops[0], 999_999)) == "not_found"
