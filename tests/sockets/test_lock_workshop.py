"""``lock_workshop``: moderators only, broadcast once per change of state."""

from __future__ import annotations

from tests.sockets.helpers import (
    bearer,
    board_state,
    broadcasts,
    data_of,
    error_code,
    join_board,
    lock,
    post,
)


def test_moderator_locks_and_room_hears_it_once(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(post(anna, workshop))
    anna.get_received()

    data = data_of(lock(mod, workshop, True))
    assert data == {"locked": True, "seq": 2}
    assert [(b["name"], b["args"]) for b in broadcasts(anna)] == [
        ("workshop_locked", [{"workshop_id": workshop, "seq": 2, "locked": True}])
    ]
    assert board_state(app, workshop) == (2, 1, True)


def test_repeating_the_same_state_broadcasts_nothing_and_keeps_seq(app, mod, participant,
                                                                     workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    first = data_of(lock(mod, workshop, True))
    anna.get_received()
    again = data_of(lock(mod, workshop, True))
    assert again == first
    assert anna.get_received() == []
    assert board_state(app, workshop) == (first["seq"], 0, True)


def test_unlocking_an_unlocked_workshop_is_a_no_op(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    assert data_of(lock(mod, workshop, False)) == {"locked": False, "seq": 0}
    assert anna.get_received() == []
    assert board_state(app, workshop) == (0, 0, False)


def test_lock_then_unlock_numbers_both(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(lock(mod, workshop, True))
    data_of(lock(mod, workshop, False))
    received = broadcasts(anna, "workshop_locked")
    assert [(r["args"][0]["seq"], r["args"][0]["locked"]) for r in received] == [
        (1, True), (2, False)
    ]


def test_lock_reaches_only_its_workshop(mod, participant, outsider, workshops):
    carla, _ = participant("Carla", workshops[1])
    olga, _ = outsider
    data_of(lock(mod, workshops[0], True))
    assert carla.get_received() == []
    assert olga.get_received() == []


def test_moderator_need_not_join_the_room_to_lock(app, mod, workshops):
    data_of(lock(mod, workshops[0], True))
    assert board_state(app, workshops[0])[2] is True
    assert join_board(mod, workshops[0])["workshop"]["locked"] is True


def test_participant_may_not_lock(app, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    before = board_state(app, workshop)
    assert error_code(lock(anna, workshop, True)) == "forbidden"
    assert board_state(app, workshop) == before
    assert ben.get_received() == []


def test_other_moderator_may_not_lock(app, connect, other_auth, workshops):
    tc = connect(bearer(other_auth))
    before = board_state(app, workshops[0])
    assert error_code(lock(tc, workshops[0], True)) == "forbidden"
    assert board_state(app, workshops[0]) == before
