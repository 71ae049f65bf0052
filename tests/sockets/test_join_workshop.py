"""``join_workshop``: the snapshot, catching up with ``since_seq``, who may enter."""

from __future__ import annotations

from tests.sockets.helpers import (
    broadcasts,
    data_of,
    error_code,
    join_board,
    lock,
    post,
)


def test_snapshot_holds_workshop_ideas_and_seq(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    first = data_of(post(anna, workshop, "Erste Idee"))
    second = data_of(post(anna, workshop, "Zweite Idee", anonymous=True))
    snapshot = join_board(mod, workshop)
    assert set(snapshot) >= {"workshop", "ideas", "seq"}
    assert snapshot["workshop"]["id"] == workshop
    assert snapshot["workshop"]["locked"] is False
    assert snapshot["seq"] == second["seq"] == first["seq"] + 1
    staff_view = [{**posted["idea"], "votes": 0} for posted in (first, second)]
    assert snapshot["ideas"] == staff_view  # Anna's acks hide the secret totals
    assert join_board(anna, workshop)["ideas"] == [first["idea"], second["idea"]]


def test_new_workshop_starts_empty_and_unlocked(mod, workshops):
    snapshot = join_board(mod, workshops[2])
    assert snapshot["ideas"] == []
    assert snapshot["seq"] == 0
    assert snapshot["workshop"]["locked"] is False


def test_since_seq_returns_exactly_the_missed_changes(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    watcher, _ = participant("Ben", workshop)
    data_of(post(anna, workshop, "Eins"))
    seen = join_board(watcher, workshop)["seq"]
    watcher.get_received()
    data_of(post(anna, workshop, "Zwei"))
    data_of(lock(mod, workshop, True))
    data_of(lock(mod, workshop, False))
    live = broadcasts(watcher)
    assert [b["name"] for b in live] == ["idea_created", "workshop_locked", "workshop_locked"]

    reconnected, _ = participant("Ben2", workshop)
    caught_up = join_board(reconnected, workshop, since_seq=seen)
    assert set(caught_up) == {"events", "seq"}
    assert caught_up["seq"] == seen + 3
    assert caught_up["events"] == [{**b["args"][0], "event": b["name"]} for b in live]
    assert [e["seq"] for e in caught_up["events"]] == [seen + 1, seen + 2, seen + 3]


def test_since_seq_current_returns_no_events(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    seq = data_of(post(anna, workshop))["seq"]
    assert join_board(mod, workshop, since_seq=seq) == {"events": [], "seq": seq}


def test_since_seq_zero_replays_everything(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(post(anna, workshop, "Eins"))
    data_of(post(anna, workshop, "Zwei"))
    caught_up = join_board(mod, workshop, since_seq=0)
    assert [e["event"] for e in caught_up["events"]] == ["idea_created", "idea_created"]
    assert [e["idea"]["text"] for e in caught_up["events"]] == ["Eins", "Zwei"]


def test_since_seq_from_the_future_gets_the_snapshot(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    idea = data_of(post(anna, workshop))
    answer = join_board(mod, workshop, since_seq=idea["seq"] + 5)
    assert set(answer) >= {"workshop", "ideas", "seq"}
    assert answer["ideas"] == [{**idea["idea"], "votes": 0}]  # the staff see the total
    assert answer["seq"] == idea["seq"]


def test_since_seq_null_is_the_snapshot(mod, workshops):
    answer = join_board(mod, workshops[0], since_seq=None)
    assert set(answer) >= {"workshop", "ideas", "seq"}


def test_participant_of_another_event_is_forbidden(outsider, workshops):
    tc, _ = outsider
    ack = tc.emit("join_workshop", {"workshop_id": workshops[0]}, callback=True)
    assert error_code(ack) == "forbidden"


def test_other_moderator_is_forbidden(connect, other_auth, workshops):
    tc = connect(other_auth["Authorization"].split()[1])
    ack = tc.emit("join_workshop", {"workshop_id": workshops[0]}, callback=True)
    assert error_code(ack) == "forbidden"


def test_unknown_workshop_is_not_found(participant):
    anna, _ = participant("Anna")
    ack = anna.emit("join_workshop", {"workshop_id": 424242}, callback=True)
    assert error_code(ack) == "not_found"


def test_participant_may_join_several_workshops_and_post_to_each(participant, workshops):
    anna, _ = participant("Anna")
    for workshop in workshops:
        join_board(anna, workshop)
        idea = data_of(post(anna, workshop, f"Idee für {workshop}"))
        assert idea["idea"]["workshop_id"] == workshop


def test_joining_broadcasts_nothing(mod, participant, workshops):
    workshop = workshops[0]
    join_board(mod, workshop)
    mod.get_received()
    participant("Anna", workshop)
    assert mod.get_received() == []
