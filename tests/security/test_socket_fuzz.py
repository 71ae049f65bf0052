"""Generated payloads against every socket event the server registers.

For each event name the Socket.IO server has a handler for (read from the server, so a new
event is fuzzed at once with the generic rules), plus names it does not know, hypothesis sends
arguments of every shape: none, ``null``, numbers, huge strings, bytes, lists, nested objects,
and objects with the right keys holding wrong types, out-of-range numbers, booleans for
integers, unicode, lone surrogates, very long text and unknown fields. Each example checks:

- the ack has exactly the contract's shape, and a code this test's own model of the rules
  allows (an independent oracle written from docs/protocol.md, not the server's pydantic
  schemas);
- the socket stays connected and signed in;
- a refused call changes nothing at all in the database (every table compared before and
  after), and neither does an allowed one that only reads (``get_presence``,
  ``join_plenary``);
- an allowed call makes exactly the change the model predicts (the contract events:
  ``seq``, idea count, locked state of every workshop, memberships), or — for the facilitation
  events, whose success depends on the state of the board — changes the database only together
  with the ``seq`` of its workshop (or the plenary's), answers the ack fields the protocol
  lists and, where it names its ``seq``, the workshop's current one.

The model knows each event's fields (required, optional, which may be ``null``: those the
protocol marks as id-or-null, and optional settings of the commands whose docs say ``null``
leaves them as they are), and who may send it. For a valid payload it predicts the exact
error where the rules decide it (unknown workshop or event, someone who may never do this,
a participant outside the step), else the set of answers the state of the board allows.

Run as the event's participant who entered workshop A, as its moderator, as the projector
(viewer) of A and as the host of A, in the prepared world of ``conftest.py`` (both workshops in
step collect, unlocked, clustering by the staff, votes secret, with ideas, clusters, actions,
sign-ups and a plenary item). Seeded (``derandomize=True``) and bounded, so CI runs the same
examples. Timers are not left to run out during a test (their scheduler is switched off), so
nothing changes the database behind the model's back.
"""

from __future__ import annotations

import json
import re
import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from pinnwand.events.models import Event
from pinnwand.ideas.models import Idea
from pinnwand.timers.scheduler import timers_of
from pinnwand.workshops.models import Workshop, WorkshopMember
from sqlalchemy import func, select

from tests.security.helpers import ack_code, registered_events

MAX_ID = 2**31 - 1  # ids and seqs are 32-bit integer columns
UNKNOWN_ID = 987654
OP_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
NAMES = {"participant_joined": "Jana Joined", "moderator": "Maria Moderatorin",
         "host": "Tisch A"}
# Socket.IO's own life-cycle events: the server registers handlers for them, but a client
# sending an ordinary event with such a name must be answered like any unknown event.
LIFECYCLE = {"connect", "disconnect"}
UNKNOWN = "<unknown names>"
EXAMPLES = {"participant_joined": 150, "moderator": 150, "viewer": 50, "host": 50}
# ``review`` is refused (conflict) here: the fuzz world's event belongs to no series.
STEPS = ("review", "collect", "cluster", "vote", "act", "closed")
TIMER_COMMANDS = ("start", "pause", "resume", "add", "reset")


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
good_op_ids = st.one_of(st.from_regex(OP_ID, fullmatch=True),
                        st.sampled_from(["fuzz-op-0001", "fuzz-op-0002", "x" * 64]))


# ---------------------------------------------------------------------------------------------
# The oracle's value checks: what the contract and docs/protocol.md allow
# ---------------------------------------------------------------------------------------------

def _is_int(value, low: int, high: int = MAX_ID) -> bool:
    return type(value) is int and low <= value <= high


def _is_text(value, low: int, high: int) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value and low <= len(value.strip()) <= high


def _is_day(value) -> bool:
    """A calendar day written ``YYYY-MM-DD`` (surrounding spaces are trimmed like any text)."""
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value.strip()):
        return False
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Spec:
    """One field of one event: good values (from the world's ids), bad ones, and the check
    that decides whether a value is valid (good strategies may also produce invalid values
    and bad ones valid values: only the check decides)."""

    good: Callable[[dict], st.SearchStrategy]
    bad: st.SearchStrategy
    check: Callable[[object], bool]


def _nullable(strategy: st.SearchStrategy, nullable: bool) -> st.SearchStrategy:
    return strategy | st.none() if nullable else strategy


def ids(*names: str, nullable: bool = False) -> Spec:
    """An id field; good values are the world's objects of those names and an unknown id."""
    def good(world_ids):
        return _nullable(st.sampled_from([world_ids[n] for n in names] + [UNKNOWN_ID]),
                         nullable)
    return Spec(good, bad_ints, lambda v: (nullable and v is None) or _is_int(v, 1))


def texts(low: int, high: int, nullable: bool = False) -> Spec:
    """A text of ``low``..``high`` characters after trimming, without NUL."""
    edges = ["y" * high, " " + "y" * high + "\n", "<img src=x onerror=alert(1)>",
             "Ölmühle – „Café“ ☕", "right-to-left \u202e txet"]
    if low == 0:
        edges += ["", " \t"]
    short = st.text(min_size=1, max_size=min(high, 30))
    if low:
        short = short.filter(lambda t: t.strip())
    bad = st.one_of(st.sampled_from(["y" * (high + 1), " " + "y" * (high + 1), "a\x00b", ""]),
                    huge_strings, surrogate_text, scalars, st.lists(st.text(max_size=3),
                                                                    max_size=2))
    return Spec(lambda _: _nullable(short | st.sampled_from(edges), nullable), bad,
                lambda v: (nullable and v is None) or _is_text(v, low, high))


def flags(nullable: bool = False) -> Spec:
    return Spec(lambda _: _nullable(st.booleans(), nullable), bad_bools,
                lambda v: (nullable and v is None) or type(v) is bool)


def numbers(low: int, high: int, nullable: bool = False) -> Spec:
    bad = st.one_of(bad_ints, st.sampled_from([low - 1, high + 1, float(low), str(high)]))
    return Spec(lambda _: _nullable(st.integers(low, high), nullable), bad,
                lambda v: (nullable and v is None) or _is_int(v, low, high))


def choices(values: tuple[str, ...], nullable: bool = False) -> Spec:
    near = [v.upper() for v in values] + [f" {values[0]}", f"{values[-1]} ", ""]
    bad = st.one_of(st.sampled_from(near), st.text(max_size=8), bad_ints)
    return Spec(lambda _: _nullable(st.sampled_from(values), nullable), bad,
                lambda v: (nullable and v is None) or (isinstance(v, str) and v in values))


def id_lists(*names: str, low: int, high: int, nullable: bool = False) -> Spec:
    def good(world_ids):
        one = st.sampled_from([world_ids[n] for n in names] + [UNKNOWN_ID])
        return _nullable(st.lists(one, min_size=low, max_size=3)
                         | st.builds(lambda i: [i] * high, one), nullable)
    bad = st.one_of(st.just([]), st.just(list(range(1, high + 2))),
                    st.lists(bad_ints, min_size=1, max_size=2), scalars)
    return Spec(good, bad, lambda v: (nullable and v is None) or (
        isinstance(v, list) and low <= len(v) <= high and all(_is_int(i, 1) for i in v)))


def _is_category(item) -> bool:
    return (isinstance(item, dict) and "title" in item and set(item) <= {"id", "title"}
            and _is_text(item["title"], 1, 120)
            and (item.get("id") is None or _is_int(item["id"], 1)))


def _are_categories(value) -> bool:
    if not isinstance(value, list) or len(value) > 12 or not all(map(_is_category, value)):
        return False
    given_ids = [c["id"] for c in value if c.get("id") is not None]
    return len(given_ids) == len(set(given_ids))


def categories() -> Spec:
    """``set_categories``' complete list of columns: ≤ 12 of ``{"id"?, "title"}``, ids once."""
    def good(world_ids):
        column = st.fixed_dictionaries({"title": texts(1, 120).good(world_ids)},
                                       optional={"id": st.sampled_from([UNKNOWN_ID, None])})
        return st.lists(column, max_size=3) | st.just([{"title": f"C{n}"} for n in range(12)])
    bad = st.one_of(
        st.just([{"title": f"C{n}"} for n in range(13)]),
        st.just([{"id": UNKNOWN_ID, "title": "a"}, {"id": UNKNOWN_ID, "title": "b"}]),
        st.lists(st.dictionaries(st.sampled_from(["id", "title", "name"]), json_values,
                                 max_size=3), min_size=1, max_size=2),
        st.lists(scalars, min_size=1, max_size=2), scalars)
    return Spec(good, bad, _are_categories)


def _is_item(item) -> bool:
    if not isinstance(item, dict) or "workshop_id" not in item:
        return False
    if not set(item) <= {"workshop_id", "idea_id", "cluster_id"}:
        return False
    named = [item.get(k) for k in ("idea_id", "cluster_id")]
    return (_is_int(item["workshop_id"], 1) and all(v is None or _is_int(v, 1) for v in named)
            and sum(v is not None for v in named) == 1)


def plenary_items() -> Spec:
    """``plenary_add``'s 1–100 ``{"workshop_id", "idea_id" | "cluster_id"}``."""
    def good(world_ids):
        workshop = st.sampled_from([world_ids[n] for n in ("A", "B", "X")] + [UNKNOWN_ID])
        idea = st.fixed_dictionaries({"workshop_id": workshop, "idea_id": ids(
            "idea_A", "idea_A_staff", "idea_B", "idea_B_deleted", "idea_X").good(world_ids)})
        cluster = st.fixed_dictionaries({"workshop_id": workshop, "cluster_id": ids(
            "cluster_A", "cluster_B").good(world_ids)})
        return st.lists(idea | cluster, min_size=1, max_size=3)
    bad = st.one_of(
        st.just([]), st.just([{"workshop_id": 1, "idea_id": 1}] * 101),
        st.just([{"workshop_id": 1, "idea_id": 1, "cluster_id": 1}]),
        st.just([{"workshop_id": 1}]), st.just([{"idea_id": 1}]),
        st.lists(st.dictionaries(st.sampled_from(["workshop_id", "idea_id", "cluster_id", "x"]),
                                 json_values, max_size=3), min_size=1, max_size=2),
        scalars)
    return Spec(good, bad, lambda v: isinstance(v, list) and 1 <= len(v) <= 100
                and all(map(_is_item, v)))


def days() -> Spec:
    bad = st.one_of(st.sampled_from(["2026-02-30", "2026-13-01", "01.12.2026", "2026-1-1",
                                     "20261201", "2026-W49-2", "2026-12-01T10:00", ""]),
                    scalars)
    good = st.sampled_from(["2026-12-01", "2027-02-28", "2028-02-29", " 2026-12-01 "])
    return Spec(lambda _: _nullable(good, True), bad, lambda v: v is None or _is_day(v))


def const(strategy: st.SearchStrategy, check: Callable[[object], bool], bad) -> Spec:
    return Spec(lambda _: strategy, bad, check)


WORKSHOP = Spec(lambda i: st.sampled_from([i["A"], i["A"], i["B"], i["X"], UNKNOWN_ID]),
                bad_ints, lambda v: _is_int(v, 1))
ONE_WORKSHOP = Spec(lambda i: st.sampled_from([i["A"], i["B"], i["X"], UNKNOWN_ID, None]),
                    bad_ints, lambda v: v is None or _is_int(v, 1))
EVENT = Spec(lambda i: st.sampled_from([i["event"], i["other_event"], UNKNOWN_ID]),
             bad_ints, lambda v: _is_int(v, 1))
ONE_EVENT = Spec(lambda i: st.sampled_from([i["event"], i["other_event"], UNKNOWN_ID, None]),
                 bad_ints, lambda v: v is None or _is_int(v, 1))
OP = const(good_op_ids, lambda v: isinstance(v, str) and OP_ID.fullmatch(v) is not None,
           bad_op_ids)
# The ideas on A's board come twice: pairs of them (merging, placing after) are likelier.
IDEAS = ("idea_A", "idea_A", "idea_A_withdrawn", "idea_A_staff", "idea_A_staff",
         "idea_A_grouped", "idea_A_grouped", "idea_B", "idea_B_grouped", "idea_B_deleted",
         "idea_X")
IDEA = ids(*IDEAS)
CLUSTER = ids("cluster_A", "cluster_B")
ACTION = ids("action_A", "action_A_deleted", "action_B", "action_B_deleted")
CONTRIBUTOR = ids("contributor_A", "contributor_A_jana", "contributor_B", nullable=True)
CATEGORY = Spec(lambda _: st.sampled_from([None, UNKNOWN_ID]), bad_ints,
                lambda v: v is None or _is_int(v, 1))
VOTE_COUNT = numbers(1, 20)

# event → (required fields, optional fields), each field with its Spec
FIELDS: dict[str, tuple[dict[str, Spec], dict[str, Spec]]] = {
    # The contract
    "join_workshop": ({"workshop_id": WORKSHOP},
                      {"since_seq": const(st.one_of(st.none(), st.integers(0, 6),
                                                    st.integers(0, MAX_ID)),
                                          lambda v: v is None or _is_int(v, 0),
                                          st.one_of(st.integers(max_value=-1),
                                                    st.integers(min_value=MAX_ID + 1),
                                                    st.sampled_from([True, False, 1.0, "0",
                                                                     [0]])))}),
    "leave_workshop": ({"workshop_id": WORKSHOP}, {}),
    "create_idea": ({"workshop_id": WORKSHOP, "op_id": OP,
                     "text": const(valid_texts, lambda v: _is_text(v, 1, 500), bad_texts)},
                    {"anonymous": flags(), "category_id": CATEGORY}),
    "lock_workshop": ({"workshop_id": WORKSHOP, "locked": flags()}, {}),
    "watch_event": ({"event_id": EVENT}, {}),
    # Facilitation: steps, settings, categories, revealing, presence
    "set_step": ({"step": choices(STEPS)}, {"workshop_id": ONE_WORKSHOP, "event_id": ONE_EVENT}),
    "configure_workshop": ({"workshop_id": WORKSHOP}, {
        "private_writing": flags(), "cluster_by": choices(("staff", "everyone")),
        "vote_budget": VOTE_COUNT, "vote_max_per_target": VOTE_COUNT, "votes_secret": flags()}),
    "set_categories": ({"workshop_id": WORKSHOP, "categories": categories()}, {}),
    "reveal_ideas": ({"workshop_id": WORKSHOP}, {}),
    "get_presence": ({"workshop_id": WORKSHOP}, {}),
    # Ideas
    "update_idea": ({"workshop_id": WORKSHOP, "idea_id": IDEA},
                    {"text": texts(1, 500), "category_id": CATEGORY, "anonymous": flags()}),
    "delete_idea": ({"workshop_id": WORKSHOP, "idea_id": IDEA}, {}),
    "restore_idea": ({"workshop_id": WORKSHOP, "idea_id": IDEA}, {}),
    "merge_ideas": ({"workshop_id": WORKSHOP, "idea_id": IDEA, "into_id": IDEA}, {}),
    "move_idea": ({"workshop_id": WORKSHOP, "idea_id": IDEA},
                  {"after_id": ids(*IDEAS, nullable=True), "category_id": CATEGORY}),
    # Clusters
    "group_ideas": ({"workshop_id": WORKSHOP, "idea_ids": id_lists(*IDEAS, low=1, high=50)},
                    {"cluster_id": ids("cluster_A", "cluster_B", nullable=True),
                     "title": texts(0, 120)}),
    "ungroup_idea": ({"workshop_id": WORKSHOP, "idea_id": IDEA}, {}),
    "rename_cluster": ({"workshop_id": WORKSHOP, "cluster_id": CLUSTER,
                        "title": texts(0, 120)}, {}),
    # Votes
    "vote": ({"workshop_id": WORKSHOP, "target_type": choices(("idea", "cluster")),
              "target_id": ids("idea_A", "idea_A_staff", "idea_B", "cluster_A", "cluster_B"),
              "count": numbers(0, 20)}, {}),
    "reveal_votes": ({"workshop_id": WORKSHOP}, {}),
    # Review verdicts
    "review_action": ({"workshop_id": WORKSHOP, "action_id": ACTION,
                       "verdict": choices(("worked", "partly", "not", "unsure"))},
                      {"comment": texts(0, 500, nullable=True)}),
    "reveal_reviews": ({"workshop_id": WORKSHOP}, {}),
    # Actions
    "save_action": ({"workshop_id": WORKSHOP, "op_id": OP, "title": texts(1, 200)}, {
        "action_id": ids("action_A", "action_A_deleted", "action_B", nullable=True),
        "what": texts(0, 2000, nullable=True), "owner": texts(0, 200, nullable=True),
        "due": days(), "prospects": texts(0, 2000, nullable=True),
        "idea_ids": id_lists(*IDEAS, low=0, high=50, nullable=True),
        "cluster_ids": id_lists("cluster_A", "cluster_B", low=0, high=50, nullable=True)}),
    "delete_action": ({"workshop_id": WORKSHOP, "action_id": ACTION}, {}),
    "restore_action": ({"workshop_id": WORKSHOP, "action_id": ACTION}, {}),
    "sign_up": ({"workshop_id": WORKSHOP, "action_id": ACTION},
                {"brings": texts(0, 200, nullable=True), "name": texts(1, 80, nullable=True)}),
    "withdraw_sign_up": ({"workshop_id": WORKSHOP, "action_id": ACTION},
                         {"contributor_id": CONTRIBUTOR}),
    # A later forum's decisions about its series' actions (the fuzz world has no series)
    "carry_action": ({"workshop_id": WORKSHOP, "op_id": OP, "action_id": ACTION},
                     {"due": days()}),
    "drop_action": ({"workshop_id": WORKSHOP, "op_id": OP, "action_id": ACTION,
                     "reason": texts(1, 1000)}, {}),
    "take_running": ({"workshop_id": WORKSHOP, "op_id": OP, "idea_id": IDEA,
                      "organisation": texts(1, 200)}, {"title": texts(1, 200)}),
    # Timers and messages
    "set_timer": ({"command": choices(TIMER_COMMANDS)}, {
        "workshop_id": ONE_WORKSHOP, "event_id": ONE_EVENT, "seconds": numbers(-7200, 7200,
                                                                               nullable=True),
        "lock_at_end": flags(nullable=True)}),
    "send_message": ({"text": texts(1, 200)}, {"workshop_id": ONE_WORKSHOP,
                                                "event_id": ONE_EVENT}),
    "withdraw_message": ({"workshop_id": WORKSHOP, "message_id": ids("message_A", "message_B")},
                         {}),
    # Plenary
    "join_plenary": ({"event_id": EVENT}, {}),
    "plenary_add": ({"event_id": EVENT, "items": plenary_items()}, {}),
    "plenary_pull_top": ({"event_id": EVENT, "per_workshop": numbers(1, 10)}, {}),
    "plenary_remove": ({"event_id": EVENT, "item_id": ids("plenary_item")}, {}),
    "configure_plenary": ({"event_id": EVENT}, {
        "open": flags(nullable=True), "voting": flags(nullable=True),
        "vote_budget": numbers(1, 20, nullable=True)}),
    "plenary_vote": ({"event_id": EVENT, "item_id": ids("plenary_item"),
                      "count": numbers(0, 20)}, {}),
}
ONE_OR_ALL = {"set_step", "set_timer", "send_message"}


def _timer_arguments(draw) -> dict:
    """A ``set_timer`` payload whose ``seconds`` and ``lock_at_end`` fit its command."""
    command = draw(st.sampled_from(TIMER_COMMANDS))
    payload = {"command": command}
    if command == "start":
        payload["seconds"] = draw(st.integers(10, 7200))
        if draw(st.booleans()):
            payload["lock_at_end"] = draw(st.booleans())
    elif command == "add":
        payload["seconds"] = draw(st.integers(-7200, 7200))
    return payload


def valid_payloads(name: str, world_ids: dict) -> st.SearchStrategy:
    """Payloads of the right shape for ``name`` (the ids may still be forbidden or unknown:
    that is the authorisation's business, not the validation's)."""
    required, optional = FIELDS[name]
    targets = ("workshop_id", "event_id") if name in ONE_OR_ALL else ()

    @st.composite
    def build(draw):
        payload = draw(st.fixed_dictionaries(
            {k: s.good(world_ids) for k, s in required.items()},
            optional={k: s.good(world_ids) for k, s in optional.items() if k not in targets}))
        if name == "set_timer" and draw(st.booleans()):
            payload = _timer_arguments(draw)  # a command with just the arguments it takes
        if targets:
            target = draw(st.sampled_from(targets))
            payload[target] = draw(optional[target].good(world_ids).filter(
                lambda v: v is not None))
        if name in ("update_idea", "move_idea") and not set(payload) & set(optional):
            extra = draw(st.sampled_from(sorted(optional)))
            payload[extra] = draw(optional[extra].good(world_ids))
        return payload

    return build()


def arguments(name: str, world_ids: dict) -> st.SearchStrategy:
    """The positional arguments of one emit: valid payloads, payloads with one thing wrong,
    and junk of every shape."""
    required, optional = FIELDS.get(name, ({}, {}))
    fields = {**required, **optional}
    valid = valid_payloads(name, world_ids) if name in FIELDS else st.fixed_dictionaries(
        {}, optional={"workshop_id": WORKSHOP.good(world_ids), "event_id": EVENT.good(world_ids),
                      "op_id": good_op_ids, "text": valid_texts})

    @st.composite
    def one_thing_wrong(draw):
        payload = dict(draw(valid))
        how = draw(st.sampled_from(["bad value", "missing", "unknown field"] if fields
                                   else ["unknown field"]))
        if how == "unknown field":
            key = draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in fields))
            payload[key] = draw(json_values)
        elif how == "missing":
            payload.pop(draw(st.sampled_from(sorted(fields))), None)
        else:
            key = draw(st.sampled_from(sorted(fields)))
            payload[key] = draw(fields[key].bad)
        return payload

    keys = sorted({*fields, "workshop_id", "event_id", "token", "since", "id"})
    random_objects = st.dictionaries(st.sampled_from(keys), json_values, max_size=4)
    kinds = {
        "valid": st.tuples(valid),
        "one thing wrong": st.tuples(one_thing_wrong()),
        "no argument": st.just(()),
        "any JSON": st.tuples(json_values),
        "huge string": st.tuples(huge_strings),
        "random object": st.tuples(random_objects),
        "two arguments": st.tuples(valid, json_values),
    }
    # Half the examples valid (so the rules, not only the validation, are exercised).
    weighted = ["valid"] * 6 + ["one thing wrong"] * 3 + sorted(set(kinds) - {
        "valid", "one thing wrong"})
    return st.sampled_from(weighted).flatmap(kinds.__getitem__)


def unknown_names() -> st.SearchStrategy:
    known = set(EVENTS) | {"*"}
    return st.one_of(
        st.sampled_from(["delete_everything", "create_ideas", "Create_Idea", "join_workshop ",
                         "message", "json", "connect_error", "disconnecting"]),
        st.text(min_size=1, max_size=30),
    ).filter(lambda n: n not in known)


# ---------------------------------------------------------------------------------------------
# The oracle: is the payload valid, and what should happen
# ---------------------------------------------------------------------------------------------

def _valid(name: str, args: tuple) -> dict | None:
    """The payload if it is valid for ``name``, else ``None``. Arguments after the first are
    ignored (the server reads only the first; the protocol does not say more)."""
    if not args or not isinstance(args[0], dict):
        return None
    payload = args[0]
    required, optional = FIELDS[name]
    if not set(required) <= set(payload) <= set(required) | set(optional):
        return None
    specs = {**required, **optional}
    if not all(specs[key].check(value) for key, value in payload.items()):
        return None
    return payload if _consistent(name, payload) else None


def _consistent(name: str, payload: dict) -> bool:
    """The rules between fields: one workshop or one event; something to change; the timer's
    arguments fit its command."""
    one_target = (payload.get("workshop_id") is None) != (payload.get("event_id") is None)
    if name in ONE_OR_ALL and not one_target:
        return False
    if name == "update_idea":
        return bool(set(payload) & {"text", "category_id", "anonymous"})
    if name == "move_idea":
        return bool(set(payload) & {"after_id", "category_id"})
    if name == "set_timer":
        seconds, command = payload.get("seconds"), payload["command"]
        if command == "start" and (seconds is None or seconds < 10):
            return False
        if command == "add" and seconds is None:
            return False
        if command not in ("start", "add") and seconds is not None:
            return False
        return payload.get("lock_at_end") is None or command == "start"
    return True


# The facilitation events, by who may send them (docs/protocol.md, "Facilitation").
STAFF_ONLY = {"set_step", "configure_workshop", "set_categories", "reveal_ideas",
              "get_presence", "merge_ideas", "reveal_votes", "reveal_reviews", "save_action",
              "delete_action", "restore_action", "set_timer", "send_message", "withdraw_message"}
AUTHOR_OR_STAFF = {"update_idea", "delete_idea", "restore_idea"}
ARRANGING = {"move_idea", "group_ideas", "ungroup_idea", "rename_cluster"}
PLENARY_COMMANDS = {"plenary_add", "plenary_pull_top", "plenary_remove", "configure_plenary"}
READ_ONLY = {"get_presence", "join_plenary"}
# What a staff command may answer besides ok, once its sender may send it: the board decides
# (unknown or another workshop's objects, withdrawn ideas, a timer in the wrong state, ...).
STAFF_ANSWERS = {
    "set_step": {"ok", "conflict"}, "configure_workshop": {"ok"}, "reveal_ideas": {"ok"},
    "get_presence": {"ok"}, "reveal_votes": {"ok"}, "reveal_reviews": {"ok"},
    "send_message": {"ok"},
    "set_categories": {"ok", "not_found"}, "set_timer": {"ok", "conflict"},
    "delete_action": {"ok", "not_found"}, "restore_action": {"ok", "not_found"},
    "save_action": {"ok", "not_found", "conflict"}, "withdraw_message": {"ok", "not_found"},
}
BOARD_ANSWERS = {"ok", "not_found", "invalid"}
# The ack's data on success (docs/protocol.md); for {"event_id"}: {"workshops": [...]}.
ACK_FIELDS = {
    "set_step": {"workshop_id", "step", "seq"}, "configure_workshop": {"workshop", "seq"},
    "set_categories": {"workshop", "seq"}, "reveal_ideas": {"revealed", "seq"},
    "get_presence": {"workshop_id", "people"}, "update_idea": {"idea", "seq"},
    "delete_idea": {"idea_id", "seq"}, "restore_idea": {"idea", "seq"},
    "merge_ideas": {"idea", "seq"}, "move_idea": {"idea", "seq"},
    "group_ideas": {"cluster", "seq"}, "ungroup_idea": {"idea", "seq"},
    "rename_cluster": {"cluster", "seq"},
    "vote": {"target_type", "target_id", "count", "remaining", "seq"},
    "reveal_votes": {"seq"}, "save_action": {"action", "seq"},
    "review_action": {"action_id", "verdict", "comment", "seq"}, "reveal_reviews": {"seq"},
    "delete_action": {"action_id", "seq"}, "restore_action": {"action", "seq"},
    "sign_up": {"action", "seq"}, "withdraw_sign_up": {"action", "seq"},
    "set_timer": {"timer", "seq"}, "send_message": {"message", "seq"},
    "withdraw_message": {"message_id", "seq"},
    "join_plenary": {"plenary", "me"}, "plenary_add": {"plenary"},
    "plenary_pull_top": {"plenary"}, "plenary_remove": {"plenary"},
    "configure_plenary": {"plenary"}, "plenary_vote": {"item_id", "count", "remaining"},
    "carry_action": {"carried", "seq"}, "drop_action": {"carried", "seq"},
    "take_running": {"action", "seq"},
}


@dataclass(frozen=True)
class Expected:
    """What one emit should answer and may change."""

    codes: frozenset[str]
    changes: bool = False             # whether an "ok" may change the database
    boards: dict | None = None        # contract events: the exact boards and memberships after
    members: set | None = None
    check: Callable[[dict], bool] | None = None  # on "ok": the ack's data
    counter: tuple | None = None      # facilitation: the seq that must move with any change


def _expected(*codes: str, **kwargs) -> Expected:
    return Expected(frozenset(codes), **kwargs)


class Model:
    """What one signed-in socket may do in the fuzz world, and what it has done so far."""

    def __init__(self, world, role: str):
        self.world, self.role, self.ids = world, role, world.ids
        self.event_workshops = {world.ids["A"], world.ids["B"]}
        self.all_workshops = self.event_workshops | {world.ids["X"]}
        self.events = {world.ids["event"], world.ids["other_event"]}
        self.done: dict[str, dict] = {}  # create_idea's op_id → the first successful ack data
        self.actions_done: dict[str, dict] = {}  # the same for save_action creating an action

    def remember(self, name: str, args: tuple, ack) -> None:
        """Keep the first successful answer to a creating op (``create_idea``, ``save_action``
        without ``action_id``): the protocol answers it again to a repeat of that ``op_id``."""
        if not (isinstance(ack, dict) and ack.get("ok") is True):
            return
        if name == "create_idea":
            self.done.setdefault(args[0]["op_id"], ack["data"])
        elif name == "save_action" and args[0].get("action_id") is None:
            self.actions_done.setdefault(args[0]["op_id"], ack["data"])

    def totals_secret(self, workshop_id: int) -> bool:
        """Whether the workshop's vote totals are secret now (secret and not revealed)."""
        query = select(Workshop.votes_secret, Workshop.votes_revealed).where(
            Workshop.id == workshop_id)
        with self.world.app.extensions["pinnwand"].db.read() as session:
            secret, revealed = session.execute(query).one()
        return secret and not revealed

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

    def counters(self) -> dict[tuple, int]:
        """Every workshop's ``seq`` and every event's plenary ``seq``."""
        with self.world.app.extensions["pinnwand"].db.read() as session:
            workshops = session.execute(select(Workshop.id, Workshop.seq)).all()
            events = session.execute(select(Event.id, Event.plenary_seq)).all()
        return {**{("workshop", w): seq for w, seq in workshops},
                **{("plenary", e): seq for e, seq in events}}

    def is_staff(self, workshop: int) -> bool:
        if self.role == "host":
            return workshop == self.ids["A"]
        return self.role == "moderator" and workshop in self.event_workshops

    def is_member(self, workshop: int, members: set) -> bool:
        return self.role == "participant_joined" and (
            (workshop, self.ids["participant_joined"]) in members)

    def may_read(self, workshop: int) -> bool:
        if self.role in ("viewer", "host"):
            return workshop == self.ids["A"]
        return workshop in self.event_workshops

    def expect(self, name: str, args: tuple, boards: dict, members: set) -> Expected:
        if name not in EVENTS or name in LIFECYCLE:
            # A life-cycle name sent as an event: any error, no effect.
            return _expected("not_found", "invalid") if name in LIFECYCLE else \
                _expected("not_found")
        if name not in FIELDS:  # registered, but not modelled: any answer, no change unless ok
            if not args or not isinstance(args[0], dict):
                return _expected("invalid")
            return _expected("ok", "invalid", "forbidden", "not_found", "locked", "conflict",
                             changes=True)
        payload = _valid(name, args)
        if payload is None:
            return _expected("invalid")
        if name in ("join_workshop", "leave_workshop", "create_idea", "lock_workshop",
                    "watch_event"):
            return self.expect_contract(name, payload, boards, members)
        if name in ("join_plenary", "plenary_vote") or name in PLENARY_COMMANDS:
            return self.expect_plenary(name, payload)
        if name in ("carry_action", "drop_action", "take_running"):
            return self.expect_carry(name, payload)
        return self.expect_board(name, payload, members)

    def expect_carry(self, name: str, payload: dict) -> Expected:
        """No workshop of the fuzz world is in a series or has the ``running`` template: the
        staff are refused (carrying: ``locked`` outside the act step, else ``not_found``;
        taking in: ``conflict``), everyone else ``forbidden``."""
        workshop = payload["workshop_id"]
        if workshop not in self.all_workshops:
            return _expected("not_found")
        if not self.is_staff(workshop):
            return _expected("forbidden")
        if name == "take_running":
            return _expected("conflict")
        return _expected("locked", "not_found")

    # --- The contract's events: exact effects ------------------------------------------------

    def expect_contract(self, name: str, payload: dict, boards: dict, members: set) -> Expected:
        if name == "watch_event":
            event = payload["event_id"]
            if event not in self.events:
                return _expected("not_found")
            if self.role != "moderator" or event != self.ids["event"]:
                return _expected("forbidden")
            return _expected("ok", check=lambda d: d["event_id"] == event
                             and len(d["workshops"]) == 2)
        if name == "create_idea" and payload["op_id"] in self.done:
            first = self.done[payload["op_id"]]
            return _expected("ok", check=lambda d: d == first)
        workshop = payload["workshop_id"]
        if workshop not in self.all_workshops:
            return _expected("not_found")
        seq, ideas, locked = boards[workshop]
        if name in ("join_workshop", "leave_workshop"):
            if not self.may_read(workshop):
                return _expected("forbidden")
            if name == "leave_workshop":
                return _expected("ok", check=lambda d: d == {})
            if self.role == "participant_joined":
                members = members | {(workshop, self.ids["participant_joined"])}
            return _expected("ok", changes=True, boards=boards, members=members,
                             check=_snapshot_check(payload.get("since_seq"), seq))
        if name == "lock_workshop":
            if not self.is_staff(workshop):
                return _expected("forbidden")
            value = payload["locked"]
            new_seq = seq + (value != locked)
            after = {**boards, workshop: (new_seq, ideas, value)}
            return _expected("ok", changes=True, boards=after, members=members,
                             check=lambda d: d == {"locked": value, "seq": new_seq})
        # create_idea
        if not (self.is_staff(workshop) or self.is_member(workshop, members)):
            return _expected("forbidden")
        if payload.get("category_id") is not None:  # the fuzz world has no categories
            return _expected("not_found", "locked") if locked else _expected("not_found")
        if locked:
            return _expected("locked")
        after = {**boards, workshop: (seq + 1, ideas + 1, locked)}
        author = None if payload.get("anonymous") else NAMES[self.role]
        text = payload["text"].strip()
        # A new idea has no votes: 0, shown to the staff, and to everyone else only while
        # the workshop's totals are not secret (docs/protocol.md, "What is hidden from whom").
        votes = 0 if self.is_staff(workshop) or not self.totals_secret(workshop) else None

        def check(data):
            idea = data["idea"]
            return (set(data) == {"idea", "seq"} and data["seq"] == seq + 1
                    and set(idea) >= {"id", "workshop_id", "text", "author", "created_at",
                                      "votes"}
                    and idea["workshop_id"] == workshop and idea["text"] == text
                    and idea["author"] == author and idea["votes"] == votes)

        return _expected("ok", changes=True, boards=after, members=members, check=check)

    # --- Facilitation: who may send what, and what the board may answer ---------------------

    def expect_plenary(self, name: str, payload: dict) -> Expected:
        event = payload["event_id"]
        if event not in self.events:
            return _expected("not_found")
        ours = event == self.ids["event"]
        moderator = self.role == "moderator" and ours
        participant = self.role == "participant_joined" and ours
        counter = ("plenary", event)
        if name == "join_plenary":  # the event's participants, moderators and hosts read it
            host = self.role == "host" and ours
            if not (moderator or participant or host):
                return _expected("forbidden")
            return _expected("ok", check=_fields_check(name))
        if name == "plenary_vote":  # the event's participants, while it votes (not yet)
            if not participant:
                return _expected("forbidden")
            if payload["item_id"] != self.ids["plenary_item"]:
                return _expected("not_found")
            return _expected("locked")
        if not moderator:
            return _expected("forbidden")
        # Pulling the top results is refused while a workshop's totals are secret.
        answers = BOARD_ANSWERS | {"conflict"} if name == "plenary_pull_top" else BOARD_ANSWERS
        return _expected(*answers, changes=True, counter=counter, check=_fields_check(name))

    def expect_board(self, name: str, payload: dict, members: set) -> Expected:
        workshop = payload.get("workshop_id")
        if workshop is None:  # {"event_id"}: the event's moderators, for every workshop
            return self.expect_event_wide(name, payload["event_id"])
        if workshop not in self.all_workshops:
            return _expected("not_found")
        staff, member = self.is_staff(workshop), self.is_member(workshop, members)
        counter = ("workshop", workshop)
        first = self.actions_done.get(payload.get("op_id"))
        if name == "save_action" and staff and payload.get("action_id") is None and first:
            return _expected("ok", check=lambda d: d == first)  # a repeat: the first answer
        answers = self.board_answers(name, payload, staff, member)
        return Expected(frozenset(answers), changes=name not in READ_ONLY, counter=counter,
                        check=_fields_check(name, workshop, self.world))

    def expect_event_wide(self, name: str, event: int) -> Expected:
        if event not in self.events:
            return _expected("not_found")
        if self.role != "moderator" or event != self.ids["event"]:
            return _expected("forbidden")
        codes = STAFF_ANSWERS[name]
        return Expected(frozenset(codes), changes=True, counter=("event", event),
                        check=lambda d: set(d) == {"workshops"} and len(d["workshops"]) == 2)

    def board_answers(self, name: str, payload: dict, staff: bool, member: bool) -> set[str]:
        """The answers the sender may get in its workshop (which exists)."""
        if name in STAFF_ONLY:
            return STAFF_ANSWERS.get(name, BOARD_ANSWERS) if staff else {"forbidden"}
        if name == "vote":  # participants who joined, in step vote: the world is in collect
            return {"locked"} if member else {"forbidden"}
        if name == "review_action":  # never in step review here (no series): locked if allowed
            allowed = (staff and self.role == "moderator") or (
                member and self.role == "participant_joined")
            return {"locked"} if allowed else {"forbidden"}
        if staff:
            if name == "update_idea" and payload.get("anonymous") is False:
                return BOARD_ANSWERS | {"forbidden"}  # naming an anonymous idea: its author's
            return BOARD_ANSWERS
        if not member:
            return {"forbidden"}
        if name in ARRANGING:  # clustering is the staff's here (cluster_by "staff")
            return {"forbidden"}
        if name == "sign_up":  # someone else by name: the staff's; oneself: in step act
            return {"forbidden"} if payload.get("name") is not None else {"locked"}
        if name == "withdraw_sign_up":
            own = self.ids["contributor_A_jana"]
            if payload["action_id"] != self.ids["action_A"]:
                return {"not_found"}  # a deleted action, or another workshop's
            if payload.get("contributor_id") not in (None, own):
                return {"forbidden", "not_found"}  # never theirs to withdraw
            return {"locked"}  # their own: in step act
        # update_idea, delete_idea, restore_idea: the author's own ideas, in step collect
        idea = payload["idea_id"]
        if idea not in (self.ids["idea_A"], self.ids["idea_A_withdrawn"],
                        self.ids["idea_A_staff"], self.ids["idea_A_grouped"]):
            return {"not_found"}
        if idea not in (self.ids["idea_A"], self.ids["idea_A_withdrawn"]):
            return {"forbidden"}
        return BOARD_ANSWERS


def _fields_check(name: str, workshop: int | None = None, world=None):
    """On "ok": the ack's data has the fields the protocol lists and, where it names a
    ``seq``, the workshop's current one (read right after the answer)."""
    def check(data):
        if set(data) != ACK_FIELDS[name]:
            return False
        if "seq" in data and workshop is not None:
            with world.app.extensions["pinnwand"].db.read() as session:
                return data["seq"] == session.get(Workshop, workshop).seq
        return True
    return check


def _snapshot_check(since, seq: int):
    def check(data):
        if "ideas" in data:  # the full snapshot
            return {"workshop", "ideas", "seq"} <= set(data) and data["seq"] == seq and (
                since is None or since > seq or seq - since > 1000)
        return (since is not None and set(data) == {"events", "seq"} and data["seq"] == seq
                and len(data["events"]) == seq - since)
    return check


def _counter_moved(counter: tuple, before: dict, after: dict, event_workshops: set) -> bool:
    """Whether the seq a change must take moved: the workshop's, the plenary's, or (for an
    event-wide command) one of the event's workshops'."""
    if counter[0] == "event":
        return any(after[("workshop", w)] > before[("workshop", w)] for w in event_workshops)
    return after[counter] > before[counter]


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
    ``FIELDS`` and ``Model.expect``."""
    assert set(EVENTS) - LIFECYCLE - set(FIELDS) == set()
    modelled = (STAFF_ONLY | AUTHOR_OR_STAFF | ARRANGING | PLENARY_COMMANDS
                | {"vote", "sign_up", "withdraw_sign_up", "join_plenary", "plenary_vote",
                   "carry_action", "drop_action", "take_running", "review_action"})
    assert set(FIELDS) - {"join_workshop", "leave_workshop", "create_idea", "lock_workshop",
                          "watch_event"} == modelled == set(ACK_FIELDS)


@pytest.mark.parametrize("role", list(EXAMPLES))
@pytest.mark.parametrize("name", [*EVENTS, UNKNOWN])
def test_fuzz_socket_event(world, monkeypatch, name, role):
    # A timer started here must not run out during the test and change the board unseen.
    monkeypatch.setattr(timers_of(world.app), "schedule", lambda *args: None)
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
        counters, dump = model.counters(), world.dump()
        expected = model.expect(event, emitted, boards, members)
        try:
            ack = tc.emit(event, *emitted, callback=True)
        except Exception as error:  # escaped the handler: the client would get no ack at all
            raise AssertionError(f"no ack for {event!r}: the server raised {error!r}") from None
        # Remember the op before any assertion, so the model stays in step with the server.
        model.remember(event, emitted, ack)
        actual = ack_code(ack)
        assert actual in expected.codes, (sorted(expected.codes), ack)
        assert tc.is_connected(), "the server dropped the connection"
        if actual != "ok" or not expected.changes:
            assert world.dump() == dump, "the call changed the database"
        else:
            _check_change(model, expected, boards, members, counters, dump)
        if actual == "ok" and expected.check is not None:
            assert expected.check(ack["data"]), json.dumps(ack, ensure_ascii=False)
        # Still signed in, as the same identity: leaving workshop A is allowed for every role.
        assert ack_code(tc.emit("leave_workshop", {"workshop_id": a}, callback=True)) == "ok"
        tc.get_received()

    run()


def _check_change(model: Model, expected: Expected, boards, members, counters, dump) -> None:
    """An allowed call changed exactly what the model predicts (contract events), or nothing
    without taking its seq (facilitation events)."""
    if expected.boards is not None:
        assert model.boards() == expected.boards
        assert model.memberships() == expected.members
        return
    if expected.counter is None:
        return
    if model.world.dump() != dump:
        assert _counter_moved(expected.counter, counters, model.counters(),
                              model.event_workshops), "a change that took no seq"
    assert model.memberships() == members, "a command changed who joined which workshop"
