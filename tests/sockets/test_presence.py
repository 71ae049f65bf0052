"""Who is on a workshop's board: :class:`pinnwand.presence.Presence`, ``get_presence`` and the
coalesced ``presence`` sent to the staff and the cockpit."""

from __future__ import annotations

import pytest
from pinnwand.auth.identity import HOST, MODERATOR, PARTICIPANT, Identity
from pinnwand.presence import Presence

from tests.sockets.helpers import (
    bearer,
    data_of,
    drain,
    error_code,
    join_board,
    payloads,
    post,
    viewer_of,
)


def person(participant_id: int, name: str) -> Identity:
    return Identity(kind=PARTICIPANT, token_id=participant_id, name=name,
                    participant_id=participant_id, event_id=1)


def get_presence(tc, workshop_id: int):
    """Send ``get_presence``; the raw ack."""
    return tc.emit("get_presence", {"workshop_id": workshop_id}, callback=True)


def people_of(tc, workshop_id: int) -> list[str]:
    """The names ``get_presence`` lists for a workshop."""
    answer = data_of(get_presence(tc, workshop_id))
    assert answer["workshop_id"] == workshop_id
    return [p["name"] for p in answer["people"]]


class DeferredTasks:
    """Stands in for the notifier's Socket.IO server: emits for real, but keeps the coalescing
    background tasks until :meth:`run` (no waiting for the coalescing interval)."""

    def __init__(self, socketio):
        self.socketio = socketio
        self.server = socketio.server  # its rooms tell whether anyone watches
        self.tasks: list[tuple] = []

    def start_background_task(self, target, *args):
        self.tasks.append((target, args))

    def sleep(self, _seconds):
        return None

    def emit(self, *args, **kwargs):
        return self.socketio.emit(*args, **kwargs)

    def run(self) -> list[int]:
        """Run the pending sends; the workshops they were for."""
        tasks, self.tasks = self.tasks, []
        for target, args in tasks:
            target(*args)
        return [args[0] for _, args in tasks]


@pytest.fixture
def deferred(app, monkeypatch) -> DeferredTasks:
    notifier = app.extensions["pinnwand"].stats
    tasks = DeferredTasks(notifier.socketio)
    monkeypatch.setattr(notifier, "socketio", tasks)
    return tasks


def presence_events(tc) -> list[dict]:
    return payloads(tc, "presence")


# Presence, the bookkeeping ------------------------------------------------------------------

def test_people_are_sorted_by_name_and_counted_once():
    presence = Presence()
    assert presence.entered("s1", person(1, "Zoe"), 7)
    assert presence.entered("s2", person(2, "anna"), 7)
    assert presence.entered("s3", person(3, "Ben"), 7)
    assert not presence.entered("s4", person(1, "Zoe"), 7)  # a second phone tab
    assert presence.people(7) == [
        {"participant_id": 2, "name": "anna"},
        {"participant_id": 3, "name": "Ben"},
        {"participant_id": 1, "name": "Zoe"},
    ]
    assert presence.connected(7) == 3
    assert presence.people(8) == []


def test_a_person_stays_until_their_last_socket_is_gone():
    presence = Presence()
    zoe = person(1, "Zoe")
    presence.entered("s1", zoe, 7)
    presence.entered("s2", zoe, 7)
    assert not presence.left("s1", zoe, 7)
    assert presence.people(7) == [{"participant_id": 1, "name": "Zoe"}]
    assert presence.gone("s2", zoe) == [7]
    assert presence.people(7) == []
    assert presence.connected(7) == 0


def test_staff_are_not_listed():
    presence = Presence()
    moderator = Identity(kind=MODERATOR, token_id=1, name="Maria", moderator_id=1)
    host = Identity(kind=HOST, token_id=2, name="Tisch 2", event_id=1, workshop_id=7)
    assert not presence.entered("s1", moderator, 7)
    assert not presence.entered("s2", host, 7)
    assert presence.people(7) == []


def test_people_are_per_workshop():
    presence = Presence()
    presence.entered("s1", person(1, "Zoe"), 7)
    presence.entered("s1", person(1, "Zoe"), 8)
    presence.left("s1", person(1, "Zoe"), 7)
    assert presence.people(7) == []
    assert presence.people(8) == [{"participant_id": 1, "name": "Zoe"}]


# get_presence --------------------------------------------------------------------------------

def test_staff_asks_who_is_on_the_board(mod, participant, workshops):
    workshop = workshops[0]
    _, ben = participant("Ben", workshop)
    _, anna = participant("Anna", workshop)
    participant("Carla", workshops[1])
    answer = data_of(get_presence(mod, workshop))
    assert answer == {"workshop_id": workshop, "people": [
        {"participant_id": anna["participant_id"], "name": "Anna"},
        {"participant_id": ben["participant_id"], "name": "Ben"},
    ]}


def test_leaving_and_disconnecting_remove_people(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    assert people_of(mod, workshop) == ["Anna", "Ben"]
    data_of(anna.emit("leave_workshop", {"workshop_id": workshop}, callback=True))
    assert people_of(mod, workshop) == ["Ben"]
    ben.disconnect()
    assert people_of(mod, workshop) == []


def test_membership_alone_is_not_presence(mod, participant, workshops):
    """A participant who joined once but has no socket on the board is not listed."""
    anna, _ = participant("Anna", workshops[0])
    join_board(anna, workshops[1])
    anna.disconnect()
    assert people_of(mod, workshops[0]) == []
    assert people_of(mod, workshops[1]) == []


def test_host_asks_about_their_own_workshop_only(host_of, participant, workshops):
    participant("Anna", workshops[1])
    host = host_of(workshops[1])
    assert people_of(host, workshops[1]) == ["Anna"]
    assert error_code(get_presence(host, workshops[0])) == "forbidden"


def test_participants_viewers_and_outsiders_may_not_ask(client, auth, connect, participant,
                                                        outsider, other_auth, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    projector = viewer_of(client, auth, connect, workshop)
    for tc in (anna, projector, outsider[0], connect(bearer(other_auth))):
        assert error_code(get_presence(tc, workshop)) == "forbidden"


@pytest.mark.parametrize("payload", [None, {}, {"workshop_id": "1"},
                                     {"workshop_id": 1, "event_id": 1}])
def test_bad_get_presence_is_invalid(mod, payload):
    assert error_code(mod.emit("get_presence", payload, callback=True)) == "invalid"


def test_get_presence_of_unknown_workshop_is_not_found(mod):
    assert error_code(get_presence(mod, 999_999)) == "not_found"


# The coalesced presence event --------------------------------------------------------------------

def test_burst_of_arrivals_reaches_staff_and_cockpit_once(deferred, mod, host_of, participant,
                                                          outsider, event, workshops):
    workshop = workshops[0]
    join_board(mod, workshop)
    data_of(mod.emit("watch_event", {"event_id": event["id"]}, callback=True))
    host = host_of(workshop)
    join_board(host, workshop)
    other_host = host_of(workshops[1])
    join_board(other_host, workshops[1])
    olga, _ = outsider
    phones = [participant(name, workshop)[0] for name in ("Carla", "Anna", "Ben")]
    drain(mod, host, other_host, *phones)

    assert deferred.run().count(workshop) == 1  # three arrivals, one coalesced send

    expected = {"workshop_id": workshop, "people": [
        {"participant_id": p["participant_id"], "name": p["name"]}
        for p in data_of(get_presence(mod, workshop))["people"]]}
    assert [p["name"] for p in expected["people"]] == ["Anna", "Ben", "Carla"]
    assert presence_events(mod) == [expected]  # in both rooms, received once
    assert presence_events(host) == [expected]
    assert presence_events(other_host) == []
    for tc in (*phones, olga):
        assert presence_events(tc) == []


def test_cockpit_hears_presence_without_opening_the_board(deferred, mod, participant, event,
                                                           workshops):
    data_of(mod.emit("watch_event", {"event_id": event["id"]}, callback=True))
    participant("Anna", workshops[2])
    mod.get_received()
    deferred.run()
    assert [e["workshop_id"] for e in presence_events(mod)] == [workshops[2]]


def test_departure_is_sent_too(deferred, mod, participant, workshops):
    workshop = workshops[0]
    join_board(mod, workshop)
    anna, _ = participant("Anna", workshop)
    participant("Ben", workshop)
    deferred.run()
    mod.get_received()
    anna.disconnect()
    deferred.run()
    assert [[p["name"] for p in e["people"]] for e in presence_events(mod)] == [["Ben"]]


def test_activity_without_arrivals_sends_no_presence(deferred, mod, participant, workshops):
    workshop = workshops[0]
    join_board(mod, workshop)
    anna, _ = participant("Anna", workshop)
    deferred.run()
    mod.get_received()
    data_of(post(anna, workshop))
    assert deferred.run() == [workshop]  # the cockpit's figures changed …
    assert presence_events(mod) == []  # … but not who is there


def test_arrival_and_departure_within_one_interval_send_nothing(deferred, mod, participant,
                                                                workshops):
    workshop = workshops[0]
    join_board(mod, workshop)
    anna, _ = participant("Anna", workshop)
    anna.disconnect()
    mod.get_received()
    deferred.run()
    assert presence_events(mod) == []


def test_nobody_watching_costs_no_send(deferred, participant, workshops):
    """Without a cockpit or a staff board open (one process), changes schedule no figures."""
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    deferred.run()
    data_of(post(anna, workshop))
    assert deferred.run() == []


def test_a_cockpit_watching_gets_the_figures(deferred, mod, participant, event, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(mod.emit("watch_event", {"event_id": event["id"]}, callback=True))
    deferred.run()
    mod.get_received()
    data_of(post(anna, workshop))
    assert deferred.run() == [workshop]
    assert [e["ideas"] for e in payloads(mod, "workshop_stats")] == [1]
