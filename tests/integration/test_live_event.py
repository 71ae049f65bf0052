"""A live event end to end, against a real ``pinnwand serve`` process.

For every async mode (eventlet, gevent, threading) and database (SQLite file in the instance
folder, a fresh PostgreSQL database) one test runs a whole event:

1. A moderator (created with the CLI) signs in and creates an event with three workshops;
   30 participants join it (10 per workshop) and connect over websocket.
2. All 30 post 3 ideas each at the same moment. Every ack is ok; every client receives exactly
   its workshop's ideas and nothing from the others; ``seq`` runs without gaps; the moderator's
   counts and the JSON report agree.
3. One participant per workshop goes offline; the others send one more idea each and the
   server is killed with ``kill -9`` while those are in flight.
4. The server starts again on the same instance and database. The participants reconnect with
   their old tokens and catch up with ``since_seq``; they resend their in-flight op_ids, send
   ops they had prepared but never sent, and resend already acknowledged op_ids with other
   text. Acknowledged ops answer the very same idea; everything else is created exactly once.
5. The offline participants come back and ``join_workshop`` with ``since_seq`` returns exactly
   what they missed. A fresh snapshot and the report hold every idea exactly once, ``seq`` is
   gapless across the restart. SIGTERM (with clients connected) stops the server with exit 0.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest

from tests.support.server import (
    Api,
    LiveClient,
    close_clients,
    create_moderator,
    server_env,
    wait_until,
)

WORKSHOPS = 3
PER_WORKSHOP = 10
IDEAS_EACH = 3
MODERATOR_EMAIL = "Moderatorin@Example.org"
MODERATOR_PASSWORD = "correct horse battery staple"
ASYNC_MODES = ["eventlet", "gevent", "threading"]
DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
TIMEOUT_S = 30


@dataclass
class Participant:
    """One phone: its identity, its socket and what it sent, got acknowledged and saw."""

    index: int
    name: str
    token: str
    workshop_id: int
    client: LiveClient | None = None
    acks: dict[str, dict] = field(default_factory=dict)  # op_id → first successful ack data
    sent: dict[str, dict] = field(default_factory=dict)  # op_id → first payload sent
    resend_acks: list = field(default_factory=list)  # the acks of the last post_concurrently
    snapshot_seq: int = 0
    since_seq: int = 0

    @property
    def label(self) -> str:
        return f"{self.name} (workshop {self.workshop_id})"

    def new_op(self, tag: str) -> dict:
        op_id = uuid.uuid4().hex
        return {"workshop_id": self.workshop_id, "op_id": op_id,
                "text": f"{self.name} – {tag} – {op_id[:8]}"}


class Board:
    """What the test knows for sure about one workshop: ``seq`` → idea, learnt from acks,
    broadcasts and catch-up events; any two sources must agree."""

    def __init__(self, workshop_id: int):
        self.workshop_id = workshop_id
        self.by_seq: dict[int, dict] = {}
        self._lock = threading.Lock()

    def learn(self, seq: int, idea: dict, source: str) -> None:
        assert isinstance(seq, int), f"{source}: seq {seq!r} is not an integer"
        assert idea["workshop_id"] == self.workshop_id, f"{source}: idea {idea} in wrong workshop"
        with self._lock:
            known = self.by_seq.setdefault(seq, idea)
        assert (known["id"], known["text"]) == (idea["id"], idea["text"]), (
            f"{source}: seq {seq} of workshop {self.workshop_id} is idea {idea}, "
            f"but was idea {known} before"
        )

    @property
    def ids(self) -> set[int]:
        return {idea["id"] for idea in self.by_seq.values()}

    @property
    def last_seq(self) -> int:
        return max(self.by_seq)


@pytest.fixture(params=ASYNC_MODES)
def async_mode(request) -> str:
    return request.param


@pytest.fixture(params=DATABASES)
def database_url(request) -> str | None:
    """``None`` for the default SQLite file in the instance folder, else a fresh PostgreSQL
    database's URL."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_database")


@pytest.mark.integration
def test_live_event_survives_kill_and_restart(
    async_mode, database_url, instance_path, start_server, open_clients
):
    env = server_env(instance_path, database_url, async_mode=async_mode, idea_rate_limit=0)
    server = start_server(env)
    if database_url is None:
        assert (instance_path / "pinnwand.db").exists(), server.output()

    # -- 1. moderator, event, 30 participants --------------------------------------------------
    create_moderator(env, MODERATOR_EMAIL, MODERATOR_PASSWORD, "Mia Moderatorin")
    moderator = Api(server.url).login(MODERATOR_EMAIL.lower(), MODERATOR_PASSWORD)
    event = moderator.post("/events", {
        "title": "Fachkräfte-Forum Südwest", "date": "2026-11-21",
        "workshops": [{"title": f"Workshop {n + 1}", "question": f"Frage {n + 1}?"}
                      for n in range(WORKSHOPS)],
    }, expect=201)
    workshop_ids = [workshop["id"] for workshop in event["workshops"]]
    assert len(set(workshop_ids)) == WORKSHOPS, event
    boards = {wid: Board(wid) for wid in workshop_ids}

    participants: list[Participant] = []
    for index in range(WORKSHOPS * PER_WORKSHOP):
        name = f"Teilnehmerin {index:02d}"
        joined = Api(server.url).post("/join", {"code": event["join_code"], "name": name})
        assert joined["event_id"] == event["id"], joined
        assert {w["id"] for w in joined["workshops"]} == set(workshop_ids), joined
        participants.append(Participant(index, name, joined["token"],
                                        workshop_ids[index % WORKSHOPS]))
    connect(server.url, participants, open_clients)
    for p in participants:
        snapshot = p.client.call_ok("join_workshop", {"workshop_id": p.workshop_id})
        assert snapshot["ideas"] == [], f"{p.label}: a new workshop has ideas: {snapshot}"
        assert snapshot["workshop"]["id"] == p.workshop_id, snapshot
        p.snapshot_seq = p.since_seq = snapshot["seq"]
    base_seq = {wid: {p.snapshot_seq for p in participants if p.workshop_id == wid}
                for wid in workshop_ids}
    assert all(len(seqs) == 1 for seqs in base_seq.values()), base_seq
    base_seq = {wid: seqs.pop() for wid, seqs in base_seq.items()}

    # -- 2. everyone posts at once -------------------------------------------------------------
    jobs = [(p, [p.new_op(f"Idee {k + 1}") for k in range(IDEAS_EACH)]) for p in participants]
    started, acked_at = post_concurrently(jobs)
    learn_acks(jobs, boards, "phase 1 ack")
    per_workshop = PER_WORKSHOP * IDEAS_EACH
    for wid, board in boards.items():
        assert sorted(board.by_seq) == list(range(base_seq[wid] + 1,
                                                  base_seq[wid] + per_workshop + 1)), (
            f"workshop {wid}: acked seqs are not a gapless run: {sorted(board.by_seq)}"
        )
        assert len(board.ids) == per_workshop, f"workshop {wid}: idea ids not unique"
    for p in participants:
        p.client.wait_for_count(per_workshop, timeout=TIMEOUT_S)
    delivered_at = time.perf_counter()
    print(f"\n[{async_mode}/{'sqlite' if database_url is None else 'postgresql'}] "
          f"{len(participants)} clients x {IDEAS_EACH} ideas: all acks after "
          f"{acked_at - started:.2f} s, every broadcast delivered after "
          f"{delivered_at - started:.2f} s")
    for p in participants:
        check_client_saw_exactly(p, boards[p.workshop_id], p.snapshot_seq,
                                 boards[p.workshop_id].last_seq)
        p.since_seq = boards[p.workshop_id].last_seq
    check_counts(moderator, event["id"], boards, per_workshop)
    check_report(moderator, event["id"], boards)

    # -- 3. some go offline, the rest post while the server is killed ------------------------
    laggards = [next(p for p in participants if p.workshop_id == wid) for wid in workshop_ids]
    online = [p for p in participants if p not in laggards]
    close_clients([p.client for p in laggards])
    for p in laggards:
        assert p.client.disconnected.wait(TIMEOUT_S), f"{p.label} did not disconnect"
    in_flight: dict[str, tuple[Participant, dict, object]] = {}
    for p in online:
        op = p.new_op("unterwegs beim Absturz")
        p.sent[op["op_id"]] = op
        in_flight[op["op_id"]] = (p, op, p.client.emit("create_idea", op))
    first = [pending for _, _, pending in in_flight.values()]
    wait_until(lambda: any(pending.arrived for pending in first), what="a first in-flight ack")
    server.kill9()
    acked_before_kill = 0
    for op_id, (p, op, pending) in in_flight.items():
        if pending.arrived:
            acked_before_kill += 1
            assert isinstance(pending.ack, dict) and pending.ack.get("ok") is True, (
                f"{p.label}: {op} answered {pending.ack}"
            )
            p.acks[op_id] = pending.ack["data"]
            boards[p.workshop_id].learn(pending.ack["data"]["seq"], pending.ack["data"]["idea"],
                                        f"{p.label} in-flight ack")
    for p in online:
        for payload in p.client.broadcasts():
            boards[p.workshop_id].learn(payload["seq"], payload["idea"],
                                        f"{p.label} broadcast before the kill")
        p.since_seq = max([p.since_seq, *seqs_seen(p)])
    close_clients([p.client for p in online])
    print(f"[{async_mode}] {acked_before_kill} of {len(in_flight)} in-flight ideas were "
          f"acknowledged before kill -9")

    # -- 4. restart, reconnect, catch up, resend -----------------------------------------------
    server.restart()
    moderator = Api(server.url, moderator.token)
    connect(server.url, online, open_clients)
    catch_up_seq: dict[int, int] = {}
    for p in online:
        caught = p.client.call_ok("join_workshop",
                                  {"workshop_id": p.workshop_id, "since_seq": p.since_seq})
        check_catch_up(p, caught, boards[p.workshop_id])
        catch_up_seq[p.index] = caught["seq"]

    resends = []
    for p in online:
        in_flight_op = next(op for op_id, (q, op, _) in in_flight.items() if q is p)
        never_sent = p.new_op("vorbereitet, nie gesendet")
        first_op = next(iter(p.sent.values()))  # acknowledged in step 2
        repeated = {**first_op, "text": f"GEÄNDERT {first_op['text']}"}
        resends.append((p, [dict(in_flight_op), never_sent, repeated]))
    post_concurrently(resends, remember=False)
    for p, (resent, never_sent, repeated) in resends:
        board = boards[p.workshop_id]
        acks = p.resend_acks
        assert all(ack.get("ok") is True for ack in acks), f"{p.label}: {acks}"
        again, fresh, same = (ack["data"] for ack in acks)
        assert same == p.acks[repeated["op_id"]], (
            f"{p.label}: resending an acknowledged op_id answered {same}, "
            f"first answer was {p.acks[repeated['op_id']]}"
        )
        if resent["op_id"] in p.acks:
            assert again == p.acks[resent["op_id"]], (
                f"{p.label}: the in-flight op acknowledged before the kill answered {again} "
                f"after the restart, first answer was {p.acks[resent['op_id']]}"
            )
        assert again["idea"]["text"] == resent["text"], again
        assert fresh["idea"]["text"] == never_sent["text"], fresh
        assert fresh["idea"]["id"] not in board.ids, f"{p.label}: new op reused an idea: {fresh}"
        for op, data in ((resent, again), (never_sent, fresh)):
            p.acks.setdefault(op["op_id"], data)
            board.learn(data["seq"], data["idea"], f"{p.label} ack after restart")
    ops_per_workshop = per_workshop + 2 * (PER_WORKSHOP - 1)
    for wid, board in boards.items():
        assert sorted(board.by_seq) == list(range(base_seq[wid] + 1,
                                                  base_seq[wid] + ops_per_workshop + 1)), (
            f"workshop {wid}: seqs after the restart are not one gapless run of "
            f"{ops_per_workshop}: {sorted(board.by_seq)}"
        )
        assert len(board.ids) == ops_per_workshop, f"workshop {wid}: idea ids not unique"
    for p in online:
        board = boards[p.workshop_id]
        p.client.wait_for(
            lambda got, p=p, board=board: covered(got, catch_up_seq[p.index], board.last_seq),
            what=f"broadcasts up to seq {board.last_seq}",
        )
        check_client_saw_exactly(p, board, catch_up_seq[p.index], board.last_seq)

    # -- 5. the offline ones come back; everything exactly once --------------------------------
    connect(server.url, laggards, open_clients)
    for p in laggards:
        caught = p.client.call_ok("join_workshop",
                                  {"workshop_id": p.workshop_id, "since_seq": p.since_seq})
        assert "events" in caught, f"{p.label}: expected the missed changes, got {caught}"
        assert caught["seq"] == boards[p.workshop_id].last_seq, caught
        check_catch_up(p, caught, boards[p.workshop_id])
        assert len(caught["events"]) == ops_per_workshop - per_workshop, caught
    [observer] = open_clients(server.url, [(moderator.token, "moderator")])
    for wid, board in boards.items():
        snapshot = observer.call_ok("join_workshop", {"workshop_id": wid})
        assert snapshot["seq"] == board.last_seq, snapshot["seq"]
        check_exactly_once(f"snapshot of workshop {wid}", snapshot["ideas"], board)
    check_counts(moderator, event["id"], boards, ops_per_workshop)
    check_report(moderator, event["id"], boards)

    server.terminate()  # SIGTERM with 31 sockets open: exit code 0
    print(f"[{async_mode}] SIGTERM with 31 sockets open: stopped in {server.stop_seconds:.2f} s")


# -- helpers ----------------------------------------------------------------------------------


def connect(url: str, participants: list[Participant], open_clients) -> None:
    """Open a fresh websocket client for each participant, with its token."""
    clients = open_clients(url, [(p.token, p.label) for p in participants])
    for p, client in zip(participants, clients, strict=True):
        p.client = client


def post_concurrently(jobs, remember: bool = True) -> tuple[float, float]:
    """Every participant sends its ops (one after the other) from its own thread; all threads
    start at one barrier. Returns (start, all acks in) as ``perf_counter`` values.

    With ``remember`` the successful acks go to ``p.acks``; otherwise all acks, in order, go
    to ``p.resend_acks``."""
    barrier = threading.Barrier(len(jobs) + 1)
    errors: list[str] = []

    def run(p: Participant, ops: list[dict]) -> None:
        acks = []
        try:
            barrier.wait(TIMEOUT_S)
            for op in ops:
                acks.append(p.client.call("create_idea", op, timeout=TIMEOUT_S))
        except Exception as error:  # reported below, in the test's thread
            errors.append(f"{p.label}: {type(error).__name__}: {error}")
        finally:
            p.resend_acks = acks
            for op, ack in zip(ops, acks, strict=False):
                if remember:
                    p.sent.setdefault(op["op_id"], op)
                    if not (isinstance(ack, dict) and ack.get("ok") is True):
                        errors.append(f"{p.label}: {op} answered {ack!r}")
                    else:
                        p.acks.setdefault(op["op_id"], ack["data"])

    threads = [threading.Thread(target=run, args=job, daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait(TIMEOUT_S)
    started = time.perf_counter()
    for thread in threads:
        thread.join(TIMEOUT_S * 3)
    finished = time.perf_counter()
    assert not any(thread.is_alive() for thread in threads), "posting threads hang"
    assert not errors, "\n".join(errors[:20])
    return started, finished


def learn_acks(jobs, boards: dict[int, Board], source: str) -> None:
    """Check each ack against what was sent and record its idea under its seq."""
    for p, ops in jobs:
        for op in ops:
            data = p.acks[op["op_id"]]
            idea = data["idea"]
            assert idea["text"] == op["text"], f"{p.label}: sent {op}, got {idea}"
            assert idea["author"] == p.name, f"{p.label}: author of {idea}"
            assert set(idea) >= {"id", "workshop_id", "text", "author", "created_at",
                                 "votes"}, idea
            boards[p.workshop_id].learn(data["seq"], idea, f"{p.label} {source}")


def seqs_seen(p: Participant) -> set[int]:
    """The seqs of ``p``'s workshop this participant saw: its acks and broadcasts."""
    seen = {data["seq"] for data in p.acks.values()}
    seen |= {payload["seq"] for payload in p.client.broadcasts()}
    return seen


def covered(received, after: int, last: int) -> bool:
    seqs = {payload["seq"] for name, payload in received if name == "idea_created"}
    return seqs >= set(range(after + 1, last + 1))


def check_client_saw_exactly(p: Participant, board: Board, after: int, last: int) -> None:
    """``p`` received exactly its workshop's ideas after ``after`` up to ``last``, each once,
    in seq order, and nothing from another workshop (checked after a round trip, so every
    broadcast sent to it before has arrived)."""
    tail = p.client.call_ok("join_workshop", {"workshop_id": p.workshop_id, "since_seq": last})
    assert tail == {"events": [], "seq": last}, f"{p.label}: nothing new expected: {tail}"
    got = p.client.broadcasts()
    foreign = [payload for payload in got if payload["workshop_id"] != p.workshop_id]
    assert not foreign, f"{p.label} received other workshops' ideas: {foreign[:3]}"
    seqs = [payload["seq"] for payload in got]
    assert seqs == list(range(after + 1, last + 1)), (
        f"{p.label}: broadcast seqs are not exactly {after + 1}..{last} in order: {seqs}"
    )
    for payload in got:
        board.learn(payload["seq"], payload["idea"], f"{p.label} broadcast")
    ids = {payload["idea"]["id"] for payload in got}
    expected = {board.by_seq[seq]["id"] for seq in range(after + 1, last + 1)}
    assert ids == expected, f"{p.label}: received ideas differ from the workshop's"
    own_seqs = {data["seq"] for data in p.acks.values() if after < data["seq"] <= last}
    assert own_seqs <= set(seqs), f"{p.label}: own ideas not broadcast to it: {own_seqs}"


def check_catch_up(p: Participant, caught: dict, board: Board) -> None:
    """``join_workshop`` with ``since_seq`` answered every change after it, in order."""
    assert set(caught) >= {"events", "seq"}, f"{p.label}: expected a catch-up, got {caught}"
    events = caught["events"]
    seqs = [change["seq"] for change in events]
    assert seqs == list(range(p.since_seq + 1, caught["seq"] + 1)), (
        f"{p.label}: catch-up since {p.since_seq} up to {caught['seq']} has seqs {seqs}"
    )
    for change in events:
        assert change["event"] == "idea_created", change
        assert change["workshop_id"] == p.workshop_id, change
        board.learn(change["seq"], change["idea"], f"{p.label} catch-up")


def check_exactly_once(where: str, ideas: list[dict], board: Board) -> None:
    """``ideas`` are exactly the board's ideas: each once, texts unique, no resent text."""
    ids = [idea["id"] for idea in ideas]
    texts = [idea["text"] for idea in ideas]
    assert len(ids) == len(set(ids)), f"{where}: duplicate idea ids"
    assert len(texts) == len(set(texts)), f"{where}: duplicate texts"
    assert set(ids) == board.ids, (
        f"{where}: missing {board.ids - set(ids)}, unexpected {set(ids) - board.ids}"
    )
    expected = {idea["id"]: idea["text"] for idea in board.by_seq.values()}
    assert {idea["id"]: idea["text"] for idea in ideas} == expected, f"{where}: texts differ"
    assert not [t for t in texts if t.startswith("GEÄNDERT")], f"{where}: a resend's text won"


def check_counts(moderator: Api, event_id: int, boards: dict[int, Board], ideas: int) -> None:
    """The moderator's event view counts every participant and idea per workshop."""
    view = moderator.get(f"/events/{event_id}")
    counts = {w["id"]: (w["participants"], w["ideas"]) for w in view["workshops"]}
    assert counts == {wid: (PER_WORKSHOP, ideas) for wid in boards}, counts


def check_report(moderator: Api, event_id: int, boards: dict[int, Board]) -> None:
    """The JSON report holds every idea exactly once, in the right workshop."""
    response = moderator.request("GET", f"/events/{event_id}/report.json")
    report = response.json()
    assert report["event"]["title"] == "Fachkräfte-Forum Südwest", report["event"]
    workshops = {w["id"]: w for w in report["workshops"]}
    assert set(workshops) == set(boards), list(workshops)
    for wid, board in boards.items():
        assert workshops[wid]["participants"] == PER_WORKSHOP, workshops[wid]
        check_exactly_once(f"report, workshop {wid}", workshops[wid]["ideas"], board)


@pytest.mark.integration
@pytest.mark.parametrize("mode", ASYNC_MODES)
def test_sigterm_stops_an_idle_server_with_exit_code_0(mode, instance_path, start_server):
    server = start_server(server_env(instance_path, async_mode=mode))
    assert Api(server.url).request("POST", "/join", {"code": "ZZZZZZ", "name": "x"},
                                   expect=404).json()["error"]["code"] == "not_found"
    server.terminate()
