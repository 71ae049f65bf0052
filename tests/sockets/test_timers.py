"""``set_timer`` and the end of a running timer (with ``lock_at_end``)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_socketio import SocketIO
from pinnwand.db import utcnow
from pinnwand.factory import create_app
from pinnwand.timers import scheduler as scheduler_module
from pinnwand.timers import services
from pinnwand.timers.scheduler import timers_of
from pinnwand.workshops.models import Workshop

from tests.sockets.helpers import (
    bearer,
    board_state,
    configure,
    data_of,
    error_code,
    events_of,
    join_board,
    one_or_all,
    payloads,
    row,
    send,
    viewer_of,
)


@pytest.fixture(autouse=True)
def spawned(monkeypatch):
    """Background tasks are recorded, not run: no test waits for a real timer."""
    calls = []
    monkeypatch.setattr(SocketIO, "start_background_task",
                        lambda _self, target, *args: calls.append((target, args)))
    return calls


def set_timer(tc, workshop_id: int | None = None, event_id: int | None = None, **fields):
    return send(tc, "set_timer", **one_or_all(workshop_id, event_id), **fields)


def start(tc, workshop_id: int, seconds: int = 600, **fields) -> dict:
    return data_of(set_timer(tc, workshop_id, command="start", seconds=seconds, **fields))


def workshop_row(app, workshop_id: int) -> SimpleNamespace:
    """The workshop's columns (timer, lock…), read from the database."""
    return SimpleNamespace(**row(app, Workshop, workshop_id))


def scheduler(app):
    return timers_of(app)


def timer_tasks(spawned) -> list[tuple]:
    """The recorded tasks that wait for a timer's end (not, e.g., cockpit figures)."""
    return [(task, args) for task, args in spawned if task.__name__ == "_wait_then_end"]


# --- commands ---------------------------------------------------------------------------------


def test_start_runs_the_countdown_and_the_room_hears_it(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data = start(mod, workshop, 600, lock_at_end=True)
    timer = data["timer"]
    assert data["seq"] == 1
    assert (timer["state"], timer["duration"], timer["lock_at_end"]) == ("running", 600, True)
    assert 599 <= timer["remaining"] <= 600
    assert timer["ends_at"].endswith("Z")
    assert payloads(anna, "timer_changed") == [
        {"workshop_id": workshop, "seq": 1, "timer": timer}]
    stored = workshop_row(app, workshop)
    assert (stored.timer_state, stored.timer_duration, stored.timer_lock_at_end) == (
        "running", 600, True)
    assert scheduler(app).pending() == {(workshop, stored.timer_ends_at)}
    assert join_board(anna, workshop)["workshop"]["timer"]["state"] == "running"


def test_pause_and_resume(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    start(mod, workshop, 300)
    paused = data_of(set_timer(mod, workshop, command="pause"))
    assert paused["timer"]["state"] == "paused"
    assert paused["timer"]["ends_at"] is None
    assert 299 <= paused["timer"]["remaining"] <= 300
    resumed = data_of(set_timer(mod, workshop, command="resume"))
    assert resumed["timer"]["state"] == "running"
    assert 299 <= resumed["timer"]["remaining"] <= 300
    assert [p["timer"]["state"] for p in payloads(anna, "timer_changed")] == [
        "running", "paused", "running"]
    assert resumed["seq"] == 3


@pytest.mark.parametrize("command", ["pause", "resume", "add"])
def test_commands_the_idle_timer_does_not_allow_are_conflicts(app, mod, participant,
                                                              workshops, command):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    fields = {"seconds": 60} if command == "add" else {}
    ack = set_timer(mod, workshop, command=command, **fields)
    assert error_code(ack) == "conflict"
    assert "idle" in ack["error"]["message"]
    assert anna.get_received() == []
    assert board_state(app, workshop)[0] == 0
    assert workshop_row(app, workshop).timer_state == "idle"


def test_pause_twice_and_resume_while_running_are_refused(app, mod, workshops):
    workshop = workshops[0]
    start(mod, workshop)
    assert error_code(set_timer(mod, workshop, command="resume")) == "conflict"
    data_of(set_timer(mod, workshop, command="pause"))
    seq = board_state(app, workshop)[0]
    assert error_code(set_timer(mod, workshop, command="pause")) == "conflict"
    assert board_state(app, workshop)[0] == seq
    assert workshop_row(app, workshop).timer_state == "paused"


def test_add_gives_and_takes_time_never_below_zero(app, mod, workshops):
    workshop = workshops[0]
    start(mod, workshop, 300)
    more = data_of(set_timer(mod, workshop, command="add", seconds=60))["timer"]
    assert 359 <= more["remaining"] <= 360
    assert more["duration"] == 360
    less = data_of(set_timer(mod, workshop, command="add", seconds=-7200))["timer"]
    assert (less["state"], less["remaining"], less["duration"]) == ("running", 0.0, 0)


def test_add_works_on_a_paused_timer(app, mod, workshops):
    workshop = workshops[0]
    start(mod, workshop, 300)
    data_of(set_timer(mod, workshop, command="pause"))
    timer = data_of(set_timer(mod, workshop, command="add", seconds=-100))["timer"]
    assert timer["state"] == "paused"
    assert 199 <= timer["remaining"] <= 200
    assert 199 <= workshop_row(app, workshop).timer_remaining <= 200


def test_adding_nothing_is_a_no_op(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    first = start(mod, workshop, 300)
    data_of(set_timer(mod, workshop, command="pause"))
    anna.get_received()
    seq = board_state(app, workshop)[0]
    data = data_of(set_timer(mod, workshop, command="add", seconds=0))
    assert data["seq"] == seq == first["seq"] + 1
    assert anna.get_received() == []


def test_reset_makes_the_timer_idle_and_again_is_a_no_op(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    start(mod, workshop, 300, lock_at_end=True)
    data = data_of(set_timer(mod, workshop, command="reset"))
    assert data["timer"] == {"state": "idle", "duration": 0, "ends_at": None,
                             "remaining": None, "lock_at_end": False}
    anna.get_received()
    assert data_of(set_timer(mod, workshop, command="reset")) == data
    assert anna.get_received() == []
    assert board_state(app, workshop)[0] == data["seq"]


def test_start_again_restarts(app, mod, workshops):
    workshop = workshops[0]
    start(mod, workshop, 300, lock_at_end=True)
    timer = start(mod, workshop, 60)["timer"]
    assert (timer["duration"], timer["lock_at_end"]) == (60, False)
    assert 59 <= timer["remaining"] <= 60


@pytest.mark.parametrize("fields", [
    {"command": "start"},
    {"command": "start", "seconds": 9},
    {"command": "start", "seconds": 7201},
    {"command": "start", "seconds": "60"},
    {"command": "start", "seconds": 60, "lock_at_end": "yes"},
    {"command": "add"},
    {"command": "add", "seconds": -7201},
    {"command": "pause", "seconds": 60},
    {"command": "reset", "lock_at_end": True},
    {"command": "stop"},
    {"seconds": 60},
    {"command": "start", "seconds": 60, "colour": "red"},
])
def test_bad_commands_are_invalid(app, mod, workshops, fields):
    workshop = workshops[0]
    assert error_code(set_timer(mod, workshop, **fields)) == "invalid"
    assert board_state(app, workshop)[0] == 0
    assert workshop_row(app, workshop).timer_state == "idle"


def test_workshop_or_event_but_not_both(app, mod, event, workshops):
    both = {"workshop_id": workshops[0], "event_id": event["id"], "command": "reset"}
    assert error_code(mod.emit("set_timer", both, callback=True)) == "invalid"
    assert error_code(mod.emit("set_timer", {"command": "reset"}, callback=True)) == "invalid"


# --- who may ----------------------------------------------------------------------------------


def test_host_runs_their_workshops_timer_only(app, host_of, workshops):
    host = host_of(workshops[0])
    assert start(host, workshops[0])["timer"]["state"] == "running"
    ack = set_timer(host, workshops[1], command="start", seconds=60)
    assert error_code(ack) == "forbidden"
    assert workshop_row(app, workshops[1]).timer_state == "idle"


def test_participants_projectors_and_outsiders_may_not(app, participant, client, auth,
                                                       other_auth, connect, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    projector = viewer_of(client, auth, connect, workshop)
    stranger = connect(bearer(other_auth))
    for tc in (anna, projector, stranger):
        assert error_code(set_timer(tc, workshop, command="start", seconds=60)) == "forbidden"
    assert workshop_row(app, workshop).timer_state == "idle"


def test_event_wide_needs_an_event_moderator(app, host_of, participant, other_auth, connect,
                                             event, workshops):
    anna, _ = participant("Anna", workshops[0])
    for tc in (host_of(workshops[0]), anna, connect(bearer(other_auth))):
        ack = set_timer(tc, event_id=event["id"], command="start", seconds=60)
        assert error_code(ack) == "forbidden"
    assert [board_state(app, w)[0] for w in workshops] == [0, 0, 0]


def test_unknown_targets_are_not_found(mod):
    assert error_code(set_timer(mod, 999_999, command="reset")) == "not_found"
    assert error_code(set_timer(mod, event_id=999_999, command="reset")) == "not_found"


# --- event-wide -------------------------------------------------------------------------------


def test_event_wide_start_gives_every_workshop_one_seq(app, mod, participant, event, workshops):
    names = ("Anna", "Ben", "Cem")
    phones = [participant(name, w)[0] for name, w in zip(names, workshops, strict=True)]
    data = data_of(set_timer(mod, event_id=event["id"], command="start", seconds=900))
    assert [(a["workshop_id"], a["seq"], a["timer"]["state"]) for a in data["workshops"]] == [
        (w, 1, "running") for w in workshops]
    for phone, workshop, answer in zip(phones, workshops, data["workshops"], strict=True):
        assert payloads(phone, "timer_changed") == [
            {"workshop_id": workshop, "seq": 1, "timer": answer["timer"]}]
    assert [board_state(app, w)[0] for w in workshops] == [1, 1, 1]
    assert {w for w, _ in scheduler(app).pending()} == set(workshops)


def test_event_wide_command_skips_workshops_it_does_not_fit(app, mod, event, workshops):
    start(mod, workshops[1], 300)
    data = data_of(set_timer(mod, event_id=event["id"], command="pause"))
    assert [(a["workshop_id"], a["timer"]["state"], a["seq"]) for a in data["workshops"]] == [
        (workshops[0], "idle", 0), (workshops[1], "paused", 2), (workshops[2], "idle", 0)]
    assert [board_state(app, w)[0] for w in workshops] == [0, 2, 0]


def test_event_wide_command_that_fits_no_workshop_is_a_conflict(app, mod, event, workshops):
    ack = set_timer(mod, event_id=event["id"], command="resume")
    assert error_code(ack) == "conflict"
    assert [board_state(app, w)[0] for w in workshops] == [0, 0, 0]


# --- the end of a timer -----------------------------------------------------------------------


def test_expired_timer_ends_and_locks_the_workshop(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    start(mod, workshop, 10, lock_at_end=True)
    shortened = data_of(set_timer(mod, workshop, command="add", seconds=-9))
    anna.get_received()
    assert scheduler(app).end_expired(utcnow()) == []  # still a second to go

    published = scheduler(app).end_expired(utcnow() + timedelta(seconds=2))
    seq = shortened["seq"]
    ended = {"workshop_id": workshop, "seq": seq + 1,
             "timer": {"state": "ended", "duration": 1, "ends_at": None, "remaining": 0.0,
                       "lock_at_end": True}}
    locked = {"workshop_id": workshop, "seq": seq + 2, "locked": True}
    assert published == [ended, locked]
    assert events_of(anna) == [
        ("timer_changed", ended), ("workshop_locked", locked)]
    assert board_state(app, workshop) == (seq + 2, 0, True)
    assert scheduler(app).end_expired(utcnow() + timedelta(seconds=3)) == []
    assert anna.get_received() == []


def test_timer_without_lock_only_ends(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    start(mod, workshop, 10)
    anna.get_received()
    published = scheduler(app).end_expired(utcnow() + timedelta(seconds=11))
    assert [p["timer"]["state"] for p in published] == ["ended"]
    assert [f["name"] for f in anna.get_received()] == ["timer_changed"]
    assert board_state(app, workshop)[2] is False


def test_timer_ending_in_a_locked_workshop_numbers_no_second_lock(app, mod, workshops):
    workshop = workshops[0]
    start(mod, workshop, 10, lock_at_end=True)
    data_of(mod.emit("lock_workshop", {"workshop_id": workshop, "locked": True}, callback=True))
    published = scheduler(app).end_expired(utcnow() + timedelta(seconds=11))
    assert [p["seq"] for p in published] == [3]
    assert board_state(app, workshop) == (3, 0, True)


def test_a_paused_or_changed_timer_is_not_ended(app, mod, workshops):
    workshop = workshops[0]
    start(mod, workshop, 10, lock_at_end=True)
    old_ends_at = workshop_row(app, workshop).timer_ends_at
    data_of(set_timer(mod, workshop, command="add", seconds=60))
    seq = board_state(app, workshop)[0]
    later = utcnow() + timedelta(seconds=20)
    assert scheduler(app).end_timer(workshop, old_ends_at, later) == []
    data_of(set_timer(mod, workshop, command="pause"))
    assert scheduler(app).end_expired(utcnow() + timedelta(hours=3)) == []
    assert board_state(app, workshop) == (seq + 1, 0, False)
    assert workshop_row(app, workshop).timer_state == "paused"


def test_end_timer_checks_and_sets_in_one_transaction(app, mod, workshops):
    workshop = workshops[0]
    start(mod, workshop, 10)
    ends_at = workshop_row(app, workshop).timer_ends_at
    db = app.extensions["pinnwand"].db
    with db.transaction() as session:
        assert services.end_timer(session, workshop, ends_at, ends_at - timedelta(seconds=1)) == []
        assert services.end_timer(session, workshop, ends_at + timedelta(microseconds=1),
                                  ends_at + timedelta(seconds=1)) == []
        first = services.end_timer(session, workshop, ends_at, ends_at)
        again = services.end_timer(session, workshop, ends_at, ends_at)
    assert [c.name for c in first] == ["timer_changed"] and again == []
    assert board_state(app, workshop)[0] == 2


def test_the_scheduled_task_sleeps_until_the_end_then_ends_it(app, mod, participant,
                                                              workshops, spawned, monkeypatch):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    start(mod, workshop, 120, lock_at_end=True)
    anna.get_received()
    (task, args), = timer_tasks(spawned)
    clock = {"now": utcnow()}
    slept = []

    def fake_sleep(seconds):
        slept.append(seconds)
        clock["now"] += timedelta(seconds=seconds)

    monkeypatch.setattr(scheduler_module, "utcnow", lambda: clock["now"])
    monkeypatch.setattr(app.extensions["socketio"], "sleep", fake_sleep)
    task(*args)
    assert len(slept) == 1 and 119 <= slept[0] <= 120
    assert [f["name"] for f in anna.get_received()] == ["timer_changed", "workshop_locked"]
    assert workshop_row(app, workshop).timer_state == "ended"
    assert scheduler(app).pending() == set()


def test_scheduling_the_same_end_twice_spawns_one_task(app, spawned, workshops):
    ends_at = utcnow() + timedelta(minutes=5)
    scheduler(app).schedule(workshops[0], ends_at)
    scheduler(app).schedule(workshops[0], ends_at)
    assert len(timer_tasks(spawned)) == 1
    assert scheduler(app).pending() == {(workshops[0], ends_at)}


def test_after_a_restart_running_timers_end_and_overdue_ones_at_once(app, settings,
                                                                     workshops, spawned):
    overdue, later = workshops[0], workshops[1]
    now = utcnow()
    configure(app, overdue, timer_state="running", timer_duration=60, timer_lock_at_end=True,
              timer_ends_at=now - timedelta(seconds=30))
    configure(app, later, timer_state="running", timer_duration=60,
              timer_ends_at=now + timedelta(minutes=5))

    restarted = create_app(settings, async_mode="threading")
    try:
        assert board_state(restarted, overdue) == (2, 0, True)
        assert workshop_row(restarted, overdue).timer_state == "ended"
        assert timers_of(restarted).pending() == {(later, now + timedelta(minutes=5))}
        assert workshop_row(restarted, later).timer_state == "running"
    finally:
        restarted.extensions["pinnwand"].db.dispose()
