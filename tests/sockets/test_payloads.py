"""Every client event is acknowledged, whatever arrives; a bad payload changes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import op_id
from tests.sockets.helpers import board_state, error_code, join_board

EVENTS = ["join_workshop", "create_idea", "lock_workshop"]

# (description, positional arguments after the event name)
SHAPES = [
    ("no arguments", ()),
    ("None", (None,)),
    ("a list", ([1, 2, 3],)),
    ("an empty list", ([],)),
    ("a string", ("hello",)),
    ("a huge string", ("x" * 300_000,)),
    ("a number", (42,)),
    ("true", (True,)),
    ("an empty object", ({},)),
    ("only unknown fields", ({"foo": "bar"},)),
    ("two objects", ({}, {})),
]


@pytest.mark.parametrize("name", EVENTS)
@pytest.mark.parametrize(("shape", "args"), SHAPES, ids=[s for s, _ in SHAPES])
def test_any_arguments_get_an_invalid_ack(app, mod, participant, workshops, name, shape, args):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    before = board_state(app, workshop)
    for tc in (mod, anna):
        ack = tc.emit(name, *args, callback=True)
        assert error_code(ack) == "invalid", (shape, ack)
        assert tc.is_connected()
    assert board_state(app, workshop) == before


def _bad_payloads(workshop: int) -> dict[str, list[dict]]:
    """Payloads of the right outer shape with a bad field, per event."""
    good_idea = {"workshop_id": workshop, "op_id": op_id(), "text": "Gute Idee"}
    return {
        "create_idea": [
            {**good_idea, "unknown": 1},
            {**good_idea, "workshop_id": str(workshop)},
            {**good_idea, "workshop_id": None},
            {**good_idea, "workshop_id": 1.5},
            {**good_idea, "workshop_id": True},
            {**good_idea, "workshop_id": 0},
            {**good_idea, "workshop_id": -1},
            {**good_idea, "workshop_id": 2**64},
            {**good_idea, "text": None},
            {**good_idea, "text": 123},
            {**good_idea, "text": ["a"]},
            {**good_idea, "text": ""},
            {**good_idea, "text": "   \n\t "},
            {**good_idea, "text": "x" * 501},
            {**good_idea, "text": "x" * 300_000},
            {**good_idea, "op_id": None},
            {**good_idea, "op_id": 12345678},
            {**good_idea, "anonymous": "yes"},
            {**good_idea, "anonymous": 1},
            {k: v for k, v in good_idea.items() if k != "op_id"},
            {k: v for k, v in good_idea.items() if k != "text"},
            {k: v for k, v in good_idea.items() if k != "workshop_id"},
        ],
        "join_workshop": [
            {"workshop_id": workshop, "unknown": 1},
            {"workshop_id": str(workshop)},
            {"workshop_id": None},
            {"workshop_id": [workshop]},
            {"workshop_id": workshop, "since_seq": -1},
            {"workshop_id": workshop, "since_seq": "0"},
            {"workshop_id": workshop, "since_seq": 1.5},
        ],
        "lock_workshop": [
            {"workshop_id": workshop},
            {"workshop_id": workshop, "locked": "true"},
            {"workshop_id": workshop, "locked": 1},
            {"workshop_id": workshop, "locked": None},
            {"workshop_id": workshop, "locked": True, "unknown": 1},
            {"workshop_id": str(workshop), "locked": True},
            {"locked": True},
        ],
    }


@pytest.mark.parametrize("name", EVENTS)
def test_bad_fields_get_an_invalid_ack_and_change_nothing(app, mod, participant, workshops,
                                                          name):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    mod_board = join_board(mod, workshop)
    mod.get_received()
    before = board_state(app, workshop)
    assert before[0] == mod_board["seq"]
    for payload in _bad_payloads(workshop)[name]:
        for tc in (mod, anna):
            ack = tc.emit(name, payload, callback=True)
            assert error_code(ack) == "invalid", (payload, ack)
            assert tc.is_connected()
    assert board_state(app, workshop) == before
    assert mod.get_received() == []
    assert anna.get_received() == []


def test_invalid_ack_names_the_bad_fields(mod, workshops):
    ack = mod.emit("create_idea", {"workshop_id": workshops[0], "op_id": "short",
                                   "text": "ok", "colour": "red"}, callback=True)
    assert error_code(ack) == "invalid"
    assert set(ack["error"]["fields"]) == {"op_id", "colour"}


@pytest.mark.parametrize("args", [(), (None,), ({"workshop_id": 1},), ("x",)])
def test_unknown_event_is_not_found(app, mod, participant, workshops, args):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    before = board_state(app, workshop)
    for tc in (mod, anna):
        ack = tc.emit("delete_everything", *args, callback=True)
        assert error_code(ack) == "not_found"
        assert tc.is_connected()
    assert board_state(app, workshop) == before


@pytest.mark.parametrize("name", EVENTS)
def test_unknown_workshop_is_not_found(mod, name):
    payload = {"workshop_id": 987654, "op_id": op_id(), "text": "x", "locked": True}
    payload = {key: payload[key] for key in {
        "join_workshop": ("workshop_id",),
        "create_idea": ("workshop_id", "op_id", "text"),
        "lock_workshop": ("workshop_id", "locked"),
    }[name]}
    assert error_code(mod.emit(name, payload, callback=True)) == "not_found"


NON_OBJECTS = [(), (None,), ([1, 2],), ("hello",), ("x" * 300_000,), (7,), (False,)]


def _registered_events(app) -> list[str]:
    handlers = app.extensions["socketio"].server.handlers.get("/", {})
    return sorted(set(handlers) - {"connect", "disconnect", "*"})


def test_contract_events_are_registered(app):
    assert set(EVENTS) <= set(_registered_events(app))


def test_every_registered_event_acks_non_objects_with_invalid(app, mod, participant,
                                                              workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    before = board_state(app, workshop)
    for name in _registered_events(app):
        for args in NON_OBJECTS:
            for tc in (mod, anna):
                ack = tc.emit(name, *args, callback=True)
                assert error_code(ack) == "invalid", (name, args[:1], ack)
                assert tc.is_connected()
    assert board_state(app, workshop) == before


def test_every_registered_event_acks_unknown_fields_with_invalid(app, mod, participant,
                                                                 workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    before = board_state(app, workshop)
    for name in _registered_events(app):
        for tc in (mod, anna):
            ack = tc.emit(name, {"workshop_id": workshop, "no_such_field": 1}, callback=True)
            assert error_code(ack) == "invalid", (name, ack)
    assert board_state(app, workshop) == before
