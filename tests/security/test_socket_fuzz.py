"""Generated payloads against every socket event the server registers.

For each event name the Socket.IO server has a handler for (read from the server, so a new
event is fuzzed without touching this file), plus names it does not know, hypothesis sends
arguments of every shape: none, ``null``, numbers, huge strings, bytes, lists, nested objects,
and objects with the right keys holding wrong types, out-of-range numbers, booleans for
integers, unicode, lone surrogates, very long text and unknown fields. Each example checks:

- the ack has exactly the contract's shape, and the code this test's own model of the rules
  expects (an independent oracle, not the server's pydantic schemas);
- the socket stays connected and signed in;
- nothing changed (``seq``, idea count, locked state of every workshop, memberships) unless the
  payload was valid and allowed, and then exactly the valid change happened.

Run as the event's participant who entered workshop A, as its moderator and as the projector
(viewer) of A. Seeded (``derandomize=True``) and bounded, so CI runs the same examples.
"""

from __future__ import annotations

import re
import reprlib

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.ideas.models import Idea
from app.workshops.models import Workshop, WorkshopMember
from tests.security.helpers import ack_code, registered_events

MAX_ID = 2**31 - 1  # ids and seqs are 32-bit integer columns
UNKNOWN_ID = 987654
OP_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
NAMES = {"participant_joined": "Jana Joined", "moderator": "Maria Moderatorin"}
# Socket.IO's own life-cycle events: the server registers handlers for them, but a client
# sending an ordinary event with such a name must be answered like any unknown event.
LIFECYCLE = {"connect", "disconnect"}
UNKNOWN = "<unknown names>"
EXAMPLES = {"participant_joined": 150, "moderator": 150, "viewer": 50}


EVENTS = registered_events()


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20), st.binary(max_size=8),
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
huge_strings = st.builds(lambda char, size: char * size, st.sampled_from(["x", "ä", "😀", " "]),
                         st.sampled_from([501, 5_000, 300_000]))
surrogate_text = st.builds(lambda a, s, b: a + s + b, st.text(max_size=5),
                           st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                           st.text(max_size=5))
bad_ints = st.one_of(
    st.sampled_from([0, -1, MAX_ID + 1, 2**63, 2**64, -(2**63), True, False, 1.0, 2.5, "1",
                     "", [1], {"id": 1}, None]),
    st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
)
bad_bools = st.one_of(st.sampled_from([0, 1, "true", "false", "", None, 1.0, [True], {}]),
                      st.integers(), st.text(max_size=5))
valid_texts = st.one_of(
    st.text(min_size=1, max_size=40).filter(lambda t: t.strip()),
    st.builds(lambda pad, size: pad + "y" * size + pad,
              st.sampled_from(["", " ", "\n\t", "\u3000", "\x1f"]), st.sampled_from([1, 499, 500])),
    st.sampled_from(["<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
                     "Ölmühle – „Café“ ☕", "\x00nul", "right-to-left \u202e txet"]),
)
bad_texts = st.one_of(
    st.sampled_from(["", " ", "\n\t ", "\u3000", "y" * 501, " " + "y" * 501]),
    huge_strings, surrogate_text, st.text(max_size=600), scalars,
    st.lists(st.text(max_size=3), max_size=2),
)
bad_op_ids = st.one_of(
    st.sampled_from(["short", "1234567", " padded-op-id", "padded-op-id ", "x" * 65,
                     "op-id-with-\u00fcmlaut", "abcdefgh\n", "abc/defgh", ""]),
    st.text(max_size=70), st.integers(), st.none(),
)


def good_values(ids: dict) -> dict[str, st.SearchStrategy]:
    """Values of the right type and range for every field (the ids may still be forbidden
    or unknown: that is the authorisation's business, not the validation's)."""
    workshops = [ids["A"], ids["A"], ids["B"], ids["X"], UNKNOWN_ID]
    return {
        "workshop_id": st.sampled_from(workshops),
        "since_seq": st.one_of(st.none(), st.integers(0, 6), st.integers(0, MAX_ID)),
        "op_id": st.one_of(st.from_regex(OP_ID, fullmatch=True),
                           st.sampled_from(["fuzz-op-0001", "fuzz-op-0002", "x" * 64])),
        "text": valid_texts,
        "anonymous": st.booleans(),
        "locked": st.booleans(),
        "event_id": st.sampled_from([ids["event"], ids["other_event"], UNKNOWN_ID]),
    }


BAD_VALUES = {"workshop_id": bad_ints, "event_id": bad_ints, "op_id": bad_op_ids,
              "text": bad_texts, "anonymous": bad_bools, "locked": bad_bools,
              "since_seq": st.one_of(st.integers(max_value=-1), st.integers(min_value=MAX_ID + 1),
                                     st.sampled_from([True, False, 1.0, "0", [0]]))}
# required fields, optional fields
FIELDS = {
    "join_workshop": (["workshop_id"], ["since_seq"]),
    "leave_workshop": (["workshop_id"], []),
    "create_idea": (["workshop_id", "op_id", "text"], ["anonymous"]),
    "lock_workshop": (["workshop_id", "locked"], []),
    "watch_event": (["event_id"], []),
}


def arguments(name: str, ids: dict) -> st.SearchStrategy:
    """The positional arguments of one emit: valid payloads, payloads with one thing wrong,
    and junk of every shape."""
    good = good_values(ids)
    required, optional = FIELDS.get(name, ([], ["workshop_id", "event_id", "op_id", "text"]))
    valid = st.fixed_dictionaries({k: good[k] for k in required},
                                  optional={k: good[k] for k in optional})

    @st.composite
    def one_thing_wrong(draw):
        payload = dict(draw(valid))
        fields = required + optional
        how = draw(st.sampled_from(["bad value", "missing", "unknown field"] if fields
                                   else ["unknown field"]))
        if how == "unknown field":
            key = draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in fields))
            payload[key] = draw(json_values)
        elif how == "missing":
            payload.pop(draw(st.sampled_from(fields)), None)
        else:
            key = draw(st.sampled_from(fields))
            payload[key] = draw(BAD_VALUES[key])
        return payload

    random_objects = st.dictionaries(st.sampled_from([*good, "token", "since", "id"]),
                                     json_values, max_size=4)
    return st.one_of(
        st.tuples(valid), st.tuples(valid), st.tuples(valid),
        st.tuples(one_thing_wrong()), st.tuples(one_thing_wrong()), st.tuples(one_thing_wrong()),
        st.just(()), st.tuples(json_values), st.tuples(huge_strings), st.tuples(random_objects),
        st.tuples(valid, json_values),
    )


def unknown_names() -> st.SearchStrategy:
    known = set(EVENTS) | {"*"}
    return st.one_of(
        st.sampled_from(["delete_everything", "create_ideas", "Create_Idea", "join_workshop ",
                         "message", "json", "connect_error", "disconnecting"]),
        st.text(min_size=1, max_size=30),
    ).filter(lambda n: n not in known)


# ---------------------------------------------------------------------------------------------
# The oracle: what the contract and docs/protocol.md say should happen
# ---------------------------------------------------------------------------------------------

def _is_int(value, low: int) -> bool:
    return type(value) is int and low <= value <= MAX_ID


def _is_text(value, low: int, high: int) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value and low <= len(value.strip()) <= high


def _valid(name: str, args: tuple) -> dict | None:
    """The payload if it is valid for ``name``, else ``None``. Arguments after the first are
    ignored (the server reads only the first; the protocol does not say more)."""
    if not args or not isinstance(args[0], dict):
        return None
    payload = args[0]
    allowed = {
        "join_workshop": {"workshop_id", "since_seq"}, "leave_workshop": {"workshop_id"},
        "create_idea": {"workshop_id", "op_id", "text", "anonymous"},
        "lock_workshop": {"workshop_id", "locked"}, "watch_event": {"event_id"},
    }[name]
    required = allowed - {"since_seq", "anonymous"}
    if not required <= set(payload) <= allowed:
        return None
    checks = {
        "workshop_id": lambda v: _is_int(v, 1),
        "event_id": lambda v: _is_int(v, 1),
        "since_seq": lambda v: v is None or _is_int(v, 0),
        "op_id": lambda v: isinstance(v, str) and OP_ID.fullmatch(v) is not None,
        "text": lambda v: _is_text(v, 1, 500),
        "anonymous": lambda v: type(v) is bool,
        "locked": lambda v: type(v) is bool,
    }
    return payload if all(checks[key](value) for key, value in payload.items()) else None


class Model:
    """What one signed-in socket may do in the fuzz world, and what it has done so far."""

    def __init__(self, world, role: str):
        self.world, self.role, self.ids = world, role, world.ids
        self.event_workshops = {world.ids["A"], world.ids["B"]}
        self.all_workshops = self.event_workshops | {world.ids["X"]}
        self.done: dict[str, dict] = {}  # op_id → the first successful ack data

    def boards(self) -> dict[int, tuple[int, int, bool]]:
        """Every workshop's ``(seq, idea count, locked)``, in one query."""
        query = (select(Workshop.id, Workshop.seq, func.count(Idea.id), Workshop.locked)
                 .outerjoin(Idea, Idea.workshop_id == Workshop.id).group_by(Workshop.id))
        with self.world.app.extensions["pinnwand"].db.read() as session:
            rows = session.execute(query).all()
        return {wid: (seq, ideas, locked) for wid, seq, ideas, locked in rows}

    def memberships(self) -> set[tuple[int, int]]:
        with self.world.app.extensions["pinnwand"].db.read() as session:
            rows = session.execute(select(WorkshopMember.workshop_id,
                                          WorkshopMember.participant_id)).all()
        return {tuple(r) for r in rows}

    def may_read(self, workshop: int) -> bool:
        if self.role == "viewer":
            return workshop == self.ids["A"]
        return workshop in self.event_workshops

    def expect(self, name: str, args: tuple, boards: dict, members: set):
        """``(expected code, expected boards, expected memberships, data check)``."""
        same = (boards, members, None)
        if name not in EVENTS or name in LIFECYCLE:
            return ("not_found" if name not in LIFECYCLE else "unknown", *same)
        if name not in FIELDS:  # registered, but not in this model yet: the generic rules only
            if not args or not isinstance(args[0], dict):
                return ("invalid", *same)
            return ("unmodelled", *same)
        payload = _valid(name, args)
        if payload is None:
            return ("invalid", *same)
        if name == "watch_event":
            event = payload["event_id"]
            if event not in (self.ids["event"], self.ids["other_event"]):
                return ("not_found", *same)
            if self.role != "moderator" or event != self.ids["event"]:
                return ("forbidden", *same)
            return ("ok", boards, members, lambda d: d["event_id"] == event
                    and len(d["workshops"]) == 2)
        if name == "create_idea" and payload["op_id"] in self.done:
            first = self.done[payload["op_id"]]
            return ("ok", boards, members, lambda d: d == first)
        workshop = payload["workshop_id"]
        if workshop not in self.all_workshops:
            return ("not_found", *same)
        seq, ideas, locked = boards[workshop]
        if name in ("join_workshop", "leave_workshop"):
            if not self.may_read(workshop):
                return ("forbidden", *same)
            if name == "leave_workshop":
                return ("ok", boards, members, lambda d: d == {})
            if self.role == "participant_joined":
                members = members | {(workshop, self.ids["participant_joined"])}
            return ("ok", boards, members, _snapshot_check(payload.get("since_seq"), seq))
        if name == "lock_workshop":
            if self.role != "moderator" or workshop not in self.event_workshops:
                return ("forbidden", *same)
            value = payload["locked"]
            new_seq = seq + (value != locked)
            after = {**boards, workshop: (new_seq, ideas, value)}
            return ("ok", after, members, lambda d: d == {"locked": value, "seq": new_seq})
        # create_idea
        may_post = (self.role == "moderator" and workshop in self.event_workshops) or (
            self.role == "participant_joined" and (workshop, self.ids[self.role]) in members)
        if not may_post:
            return ("forbidden", *same)
        if locked:
            return ("locked", *same)
        after = {**boards, workshop: (seq + 1, ideas + 1, locked)}
        author = None if payload.get("anonymous") else NAMES[self.role]
        text = payload["text"].strip()

        def check(data):
            idea = data["idea"]
            return (set(data) == {"idea", "seq"} and data["seq"] == seq + 1
                    and set(idea) == {"id", "workshop_id", "text", "author", "created_at",
                                      "votes"}
                    and idea["workshop_id"] == workshop and idea["text"] == text
                    and idea["author"] == author and idea["votes"] == 0)

        return ("ok", after, members, check)


def _snapshot_check(since, seq: int):
    def check(data):
        if "ideas" in data:  # the full snapshot
            return set(data) == {"workshop", "ideas", "seq"} and data["seq"] == seq and (
                since is None or since > seq or seq - since > 1000)
        return (since is not None and set(data) == {"events", "seq"} and data["seq"] == seq
                and len(data["events"]) == seq - since)
    return check


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------

# No shrinking: the examples share one evolving world, so the first failure is the one to read.
FUZZ_SETTINGS = {"derandomize": True, "deadline": None, "database": None,
                 "phases": [Phase.explicit, Phase.generate],
                 "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much]}


def test_fuzzed_events_are_the_registered_ones(world):
    """The module-level list matches the app the tests run against."""
    handlers = set(world.app.extensions["socketio"].server.handlers["/"])
    assert set(EVENTS) == handlers - {"*"}
    assert {"join_workshop", "leave_workshop", "create_idea", "lock_workshop",
            "watch_event"} <= set(EVENTS)


def test_every_registered_event_is_modelled():
    """A new event is fuzzed at once with the generic rules (any shape gets an ack, the
    socket stays, a refusal changes nothing); this test asks for its exact rules in
    ``FIELDS``, ``_valid`` and ``Model.expect``."""
    assert set(EVENTS) - LIFECYCLE - set(FIELDS) == set()


@pytest.mark.parametrize("role", list(EXAMPLES))
@pytest.mark.parametrize("name", [*EVENTS, UNKNOWN])
def test_fuzz_socket_event(world, name, role):
    tc = world.socket(role)
    assert tc.is_connected()
    model = Model(world, role)
    a = world.ids["A"]
    if role == "participant_joined":
        assert ack_code(tc.emit("join_workshop", {"workshop_id": a}, callback=True)) == "ok"
    names = unknown_names() if name == UNKNOWN else st.just(name)

    @settings(max_examples=EXAMPLES[role], **FUZZ_SETTINGS)
    @given(event=names, emitted=arguments(name, world.ids))
    def run(event, emitted):
        note(f"emit({event!r}, *{reprlib.repr(emitted)})")
        boards, members = model.boards(), model.memberships()
        code, boards_after, members_after, data_check = model.expect(event, emitted, boards,
                                                                     members)
        try:
            ack = tc.emit(event, *emitted, callback=True)
        except Exception as error:  # escaped the handler: the client would get no ack at all
            raise AssertionError(f"no ack for {event!r}: the server raised {error!r}") from None
        if event == "create_idea" and isinstance(ack, dict) and ack.get("ok") is True:
            # Remember the op before any assertion, so the model stays in step with the server.
            model.done.setdefault(emitted[0]["op_id"], ack["data"])
        actual = ack_code(ack)
        if code == "unknown":  # a life-cycle name sent as an event: any error, no effect
            assert actual in ("not_found", "invalid"), ack
        elif code != "unmodelled":
            assert actual == code, ack
        assert tc.is_connected(), "the server dropped the connection"
        if actual == "ok" and data_check is not None:
            assert data_check(ack["data"]), ack
        if code != "unmodelled" or actual != "ok":
            assert model.boards() == boards_after
            assert model.memberships() == members_after
        # Still signed in, as the same identity: leaving workshop A is allowed for every role.
        assert ack_code(tc.emit("leave_workshop", {"workshop_id": a}, callback=True)) == "ok"
        tc.get_received()

    run()
