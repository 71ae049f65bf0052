"""``set_step``: one workshop or a whole event, broadcast once per change, who may do it; and
the step rules a participant meets (posting outside ``collect``)."""

from __future__ import annotations

import pytest
from pinnwand.workshops.models import Workshop

from tests.sockets.helpers import (
    bearer,
    board_state,
    broadcasts,
    data_of,
    error_code,
    join_board,
    lock,
    one_or_all,
    payloads,
    post,
    row,
    send,
    viewer_of,
)


def set_step(tc, step: str, workshop_id: int | None = None, event_id: int | None = None,
             **extra):
    """Send ``set_step`` for one workshop or a whole event; the raw ack."""
    return send(tc, "set_step", step=step, **extra, **one_or_all(workshop_id, event_id))


def step_changes(tc) -> list[dict]:
    """The ``step_changed`` payloads a socket received since the last look."""
    return payloads(tc, "step_changed")


def step_of(app, workshop_id: int) -> str:
    """The workshop's step, from the database."""
    return row(app, Workshop, workshop_id)["step"]


# One workshop ------------------------------------------------------------------------------

def test_staff_moves_a_workshop_and_the_room_hears_it_once(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(post(anna, workshop))

    answer = data_of(set_step(mod, "cluster", workshop))

    assert answer == {"workshop_id": workshop, "step": "cluster", "seq": 2}
    assert step_changes(anna) == [{"workshop_id": workshop, "seq": 2, "step": "cluster"}]
    assert board_state(app, workshop)[0] == 2
    assert step_of(app, workshop) == "cluster"
    assert join_board(anna, workshop)["workshop"]["step"] == "cluster"


def test_every_step_can_be_reached_in_any_order(app, mod, workshops):
    workshop = workshops[0]
    for seq, step in enumerate(("vote", "collect", "act", "closed", "cluster"), start=1):
        assert data_of(set_step(mod, step, workshop)) == {
            "workshop_id": workshop, "step": step, "seq": seq}
    assert step_of(app, workshop) == "cluster"


def test_setting_the_current_step_is_a_no_op(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    assert data_of(set_step(mod, "collect", workshop)) == {
        "workshop_id": workshop, "step": "collect", "seq": 0}
    data_of(set_step(mod, "vote", workshop))
    anna.get_received()
    assert data_of(set_step(mod, "vote", workshop)) == {
        "workshop_id": workshop, "step": "vote", "seq": 1}
    assert step_changes(anna) == []
    assert board_state(app, workshop)[0] == 1


def test_step_change_reaches_only_its_workshop(mod, participant, outsider, workshops):
    carla, _ = participant("Carla", workshops[1])
    olga, _ = outsider
    data_of(set_step(mod, "vote", workshops[0]))
    assert carla.get_received() == []
    assert olga.get_received() == []


def test_catch_up_replays_the_step_change(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    seen = data_of(post(anna, workshop))["seq"]
    data_of(set_step(mod, "cluster", workshop))
    caught_up = join_board(anna, workshop, since_seq=seen)
    assert caught_up == {
        "events": [{"workshop_id": workshop, "seq": seen + 1, "step": "cluster",
                    "event": "step_changed"}],
        "seq": seen + 1,
    }


@pytest.mark.parametrize("payload", [
    {"step": "brainstorm"},
    {"step": "Collect"},
    {"step": ""},
    {"step": None},
    {"step": 1},
    {},
    {"step": "vote", "extra": True},
    {"step": "vote", "workshop_id": "1"},
    {"step": "vote", "workshop_id": 0},
    {"step": "vote", "workshop_id": True},
])
def test_bad_payload_changes_nothing(app, mod, participant, workshops, payload):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    before = board_state(app, workshop)
    body = {"workshop_id": workshop, **payload}
    assert error_code(mod.emit("set_step", body, callback=True)) == "invalid"
    assert board_state(app, workshop) == before
    assert step_of(app, workshop) == "collect"
    assert anna.get_received() == []


@pytest.mark.parametrize("payload", [None, [], "vote", 3])
def test_non_object_payload_is_invalid(mod, payload):
    assert error_code(mod.emit("set_step", payload, callback=True)) == "invalid"


def test_workshop_and_event_together_are_invalid(app, mod, event, workshops):
    ack = set_step(mod, "vote", workshops[0], event_id=event["id"])
    assert error_code(ack) == "invalid"
    assert set(ack["error"]["fields"]) == {"workshop_id", "event_id"}
    assert [board_state(app, w)[0] for w in workshops] == [0, 0, 0]


def test_neither_workshop_nor_event_is_invalid(mod):
    ack = set_step(mod, "vote")
    assert error_code(ack) == "invalid"
    assert set(ack["error"]["fields"]) == {"workshop_id", "event_id"}


def test_unknown_workshop_is_not_found(mod):
    assert error_code(set_step(mod, "vote", 999_999)) == "not_found"


# The whole event -----------------------------------------------------------------------------

def test_event_wide_step_changes_every_workshop_with_one_seq_each(app, mod, participant,
                                                                  outsider, event, workshops):
    names = ("Anna", "Ben", "Carla")
    rooms = [participant(name, w)[0] for name, w in zip(names, workshops, strict=True)]
    data_of(post(rooms[0], workshops[0]))
    data_of(post(rooms[0], workshops[0]))
    rooms[0].get_received()
    olga, _ = outsider

    answer = data_of(set_step(mod, "vote", event_id=event["id"]))

    assert answer == {"workshops": [
        {"workshop_id": workshops[0], "step": "vote", "seq": 3},
        {"workshop_id": workshops[1], "step": "vote", "seq": 1},
        {"workshop_id": workshops[2], "step": "vote", "seq": 1},
    ]}
    for tc, workshop, seq in zip(rooms, workshops, (3, 1, 1), strict=True):
        assert step_changes(tc) == [{"workshop_id": workshop, "seq": seq, "step": "vote"}]
    assert [step_of(app, w) for w in workshops] == ["vote", "vote", "vote"]
    assert [board_state(app, w)[0] for w in workshops] == [3, 1, 1]
    assert olga.get_received() == []


def test_event_wide_step_skips_workshops_already_there(app, mod, participant, event, workshops):
    data_of(set_step(mod, "act", workshops[1]))
    ben, _ = participant("Ben", workshops[1])
    answer = data_of(set_step(mod, "act", event_id=event["id"]))
    assert [w["seq"] for w in answer["workshops"]] == [1, 1, 1]
    assert step_changes(ben) == []
    assert [board_state(app, w)[0] for w in workshops] == [1, 1, 1]


def test_event_wide_step_leaves_other_events_alone(app, mod, event, other_event):
    data_of(set_step(mod, "cluster", event_id=event["id"]))
    assert step_of(app, other_event["workshops"][0]["id"]) == "collect"


def test_event_wide_step_of_an_unknown_event_is_not_found(mod):
    assert error_code(set_step(mod, "vote", event_id=999_999)) == "not_found"


def test_other_moderator_may_not_step_the_event(app, connect, other_auth, event, workshops):
    tc = connect(bearer(other_auth))
    assert error_code(set_step(tc, "vote", event_id=event["id"])) == "forbidden"
    assert error_code(set_step(tc, "vote", workshops[0])) == "forbidden"
    assert [step_of(app, w) for w in workshops] == ["collect"] * 3


# Who may ------------------------------------------------------------------------------------

def test_host_steps_and_locks_their_own_workshop(app, host_of, participant, workshops):
    workshop = workshops[1]
    host = host_of(workshop, "Tisch 2")
    ben, _ = participant("Ben", workshop)
    assert data_of(set_step(host, "cluster", workshop))["seq"] == 1
    assert data_of(lock(host, workshop, True)) == {"locked": True, "seq": 2}
    assert [r["name"] for r in broadcasts(ben)] == ["step_changed", "workshop_locked"]
    assert board_state(app, workshop)[0] == 2


def test_host_may_not_step_another_workshop_or_the_event(app, host_of, event, workshops):
    host = host_of(workshops[1], "Tisch 2")
    assert error_code(set_step(host, "vote", workshops[0])) == "forbidden"
    assert error_code(lock(host, workshops[0], True)) == "forbidden"
    assert error_code(set_step(host, "vote", event_id=event["id"])) == "forbidden"
    assert [step_of(app, w) for w in workshops] == ["collect"] * 3
    assert [board_state(app, w)[0] for w in workshops] == [0, 0, 0]


def test_participant_may_not_set_the_step(app, participant, event, workshops):
    anna, _ = participant("Anna", workshops[0])
    assert error_code(set_step(anna, "vote", workshops[0])) == "forbidden"
    assert error_code(set_step(anna, "vote", event_id=event["id"])) == "forbidden"
    assert step_of(app, workshops[0]) == "collect"


def test_viewer_may_not_set_the_step(app, client, auth, connect, event, workshops):
    projector = viewer_of(client, auth, connect, workshops[0])
    assert error_code(set_step(projector, "vote", workshops[0])) == "forbidden"
    assert error_code(set_step(projector, "vote", event_id=event["id"])) == "forbidden"
    assert step_of(app, workshops[0]) == "collect"


def test_outsider_may_not_set_the_step(app, outsider, event, workshops):
    olga, _ = outsider
    assert error_code(set_step(olga, "vote", workshops[0])) == "forbidden"
    assert error_code(set_step(olga, "vote", event_id=event["id"])) == "forbidden"
    assert step_of(app, workshops[0]) == "collect"


# What the step allows -------------------------------------------------------------------------

@pytest.mark.parametrize("step", ["cluster", "vote", "act", "closed"])
def test_participant_posting_outside_collect_gets_locked(app, mod, participant, workshops,
                                                         step):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(set_step(mod, step, workshop))
    before = board_state(app, workshop)
    assert error_code(post(anna, workshop, "Zu spät")) == "locked"
    assert board_state(app, workshop) == before


def test_staff_may_still_post_in_cluster(mod, host_of, workshops):
    workshop = workshops[0]
    data_of(set_step(mod, "cluster", workshop))
    assert data_of(post(mod, workshop, "Nachtrag"))["seq"] == 2
    assert data_of(post(host_of(workshop), workshop, "Vom Tisch"))["seq"] == 3


def test_back_to_collect_accepts_ideas_again(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(set_step(mod, "cluster", workshop))
    assert error_code(post(anna, workshop)) == "locked"
    data_of(set_step(mod, "collect", workshop))
    assert data_of(post(anna, workshop))["seq"] == 3
