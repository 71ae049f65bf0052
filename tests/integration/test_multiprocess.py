"""Two ``pinnwand serve`` processes on one PostgreSQL database and one Redis serve one event.

For the eventlet and the gevent async mode:

1. Processes A and B start at the same moment on a fresh, empty PostgreSQL database. The test
   holds the migration advisory lock until both wait for it, so their migrations really meet:
   nothing touches the schema while the lock is held, exactly one process then runs the
   migrations (the other finds the schema up to date), and both print their URL. A moderator
   is created with the CLI; the event has three workshops; 24 participants join, half through
   A and half through B, and connect to "their" process over websocket. A moderator socket on
   each process joins every workshop.
2. Everyone posts at the same moment (a barrier). Every ack is ok; per workshop the acknowledged
   ``seq`` s form one gapless run, unique across both processes; every client receives every
   idea of its workshop exactly once, whichever process it was posted on, and nothing of the
   other workshops; changes that one process made reach every client in ``seq`` order. The
   moderator's counts agree on both processes.
3. Everyone streams more ideas; A is killed with ``kill -9`` in the middle. B's clients carry on
   undisturbed. A's clients reconnect to B, catch up with ``join_workshop {"since_seq"}``,
   re-send every ``create_idea`` they have no ack for (same ``op_id``), send what they had not
   sent yet, and re-send one acknowledged ``op_id`` with other text. Every acknowledged idea is
   there exactly once, every op created exactly one idea, ``seq`` stays gapless, B's clients
   received every acknowledged change as a broadcast (what A committed but could no longer
   publish comes with their own ``since_seq`` catch-up), and B stops with exit 0 on SIGTERM.

"Everything before has arrived" is established without sleeping: a moderator locks and unlocks
every workshop through B after the last ack. Redis hands messages to every subscriber in the
order it received them, each process hands them to its sockets in that order, and each change's
own process delivered it locally before it published it; so a client that has received the
unlock has received every change acknowledged before the lock was sent.

Redis pub/sub is server-wide (database numbers do not separate channels) and Flask-SocketIO's
channel is not configurable through ``PINNWAND_MESSAGE_QUEUE``; so the test starts a private
``redis-server`` on a free port when the binary is installed, and otherwise uses the shared one
only when no other Pinnwand cluster is subscribed to it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from pinnwand.migrate import MIGRATION_LOCK_KEY

from tests.support.server import (
    Api,
    LiveClient,
    ServerProcess,
    create_moderator,
    server_env,
    wait_until,
)
from tests.support.services import REDIS_ENV, libpq_url, need_redis, unavailable

ASYNC_MODES = ["eventlet", "gevent"]
WORKSHOPS = 3
PER_WORKSHOP = 8  # participants per workshop, half on each process
IDEAS_EACH = 3  # posted by everyone at once in phase 1
STREAM_EACH = 6  # ideas each participant sends one after the other in phase 2
MODERATOR_EMAIL = "moderatorin@example.org"
MODERATOR_PASSWORD = "correct horse battery staple"
FLASK_SOCKETIO_CHANNEL = "flask-socketio"
TIMEOUT_S = 30
PROCESSES = ("A", "B")

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]


# -- a Redis of the test's own ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except Exception:
        return False
    finally:
        client.close()


@contextlib.contextmanager
def private_redis(binary: str) -> Iterator[str]:
    """A throw-away ``redis-server`` on a free local port (no persistence); its URL."""
    for _attempt in range(5):
        port = _free_port()
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
        url = f"redis://127.0.0.1:{port}/0"
        try:
            wait_until(lambda url=url, process=process: process.poll() is not None
                       or _redis_answers(url), timeout=10, what=f"redis-server on port {port}")
            if process.poll() is None:
                yield url
                return
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    raise AssertionError("could not start a private redis-server (5 attempts)")


@pytest.fixture
def message_queue() -> Iterator[str]:
    """The ``PINNWAND_MESSAGE_QUEUE`` both processes share. Skipped without Redis (failed with
    ``CI=true``); a private ``redis-server`` when possible, so no other Pinnwand cluster on
    the machine (a benchmark, a parallel test run) can hear this test's broadcasts or send it
    theirs."""
    shared = need_redis()
    binary = shutil.which("redis-server")
    if binary and not os.environ.get(REDIS_ENV):
        with private_redis(binary) as url:
            yield url
        return
    import redis

    client = redis.Redis.from_url(shared)
    try:
        listeners = dict(client.pubsub_numsub(FLASK_SOCKETIO_CHANNEL))
    finally:
        client.close()
    busy = listeners.get(FLASK_SOCKETIO_CHANNEL.encode(), 0)
    if busy:
        unavailable(f"{busy} other Socket.IO server(s) listen on channel "
                    f"{FLASK_SOCKETIO_CHANNEL!r} of the Redis at {shared}; their broadcasts "
                    "would mix with this test's (pub/sub ignores database numbers). Install "
                    "redis-server so the test can start its own.")
    yield shared


# -- what the test knows ----------------------------------------------------------------------


@dataclass
class Participant:
    """One phone: identity, home process, current socket, and what it sent and got back."""

    index: int
    name: str
    token: str
    workshop_id: int
    home: str  # "A" or "B"
    client: LiveClient | None = None
    earlier: list[LiveClient] = field(default_factory=list)  # sockets it used before
    sent: dict[str, dict] = field(default_factory=dict)  # op_id → the op as first sent
    acks: dict[str, dict] = field(default_factory=dict)  # op_id → first successful ack data
    unsent: list[dict] = field(default_factory=list)  # prepared, never sent before the kill
    errors: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} (workshop {self.workshop_id}, process {self.home})"

    def new_op(self, tag: str) -> dict:
        op_id = uuid.uuid4().hex
        return {"workshop_id": self.workshop_id, "op_id": op_id,
                "text": f"{self.name} – {tag} – {op_id[:8]}"}


def change_key(payload: dict) -> tuple:
    """What identifies a change, whichever way it arrived (ack, broadcast, catch-up)."""
    if "idea" in payload:
        return ("idea", payload["idea"]["id"], payload["idea"]["text"])
    return ("locked", payload["locked"])


class Board:
    """One workshop as the test knows it for sure: ``seq`` → change, learnt from acks,
    broadcasts and catch-ups (any two sources must agree), and which process made a change
    when the test knows it."""

    def __init__(self, workshop_id: int, base_seq: int):
        self.workshop_id = workshop_id
        self.base_seq = base_seq
        self.by_seq: dict[int, tuple] = {}
        self.origin: dict[int, str] = {}
        self.flushed_at = base_seq  # the seq of the last flush's unlock
        self._lock = threading.Lock()

    def learn(self, seq, payload: dict, source: str, origin: str | None = None) -> None:
        assert isinstance(seq, int) and seq > self.base_seq, f"{source}: bad seq {seq!r}"
        if "idea" in payload:
            assert payload["idea"]["workshop_id"] == self.workshop_id, (
                f"{source}: idea {payload['idea']} is not of workshop {self.workshop_id}"
            )
        key = change_key(payload)
        with self._lock:
            known = self.by_seq.setdefault(seq, key)
            if origin is not None:
                self.origin.setdefault(seq, origin)
        assert known == key, (
            f"{source}: seq {seq} of workshop {self.workshop_id} is {key}, but was {known}"
        )

    @property
    def last_seq(self) -> int:
        return max(self.by_seq, default=self.base_seq)

    @property
    def ideas(self) -> dict[int, str]:
        """idea id → text"""
        return {key[1]: key[2] for key in self.by_seq.values() if key[0] == "idea"}

    def check_gapless(self, when: str) -> None:
        seqs = sorted(self.by_seq)
        assert seqs == list(range(self.base_seq + 1, self.base_seq + len(seqs) + 1)), (
            f"{when}: workshop {self.workshop_id}: the seqs known from acks, broadcasts and "
            f"catch-ups are not one gapless run: {seqs}"
        )
        idea_keys = [key for key in self.by_seq.values() if key[0] == "idea"]
        assert len({key[1] for key in idea_keys}) == len(idea_keys), (
            f"{when}: workshop {self.workshop_id}: one idea id under two seqs"
        )
        assert len({key[2] for key in idea_keys}) == len(idea_keys), (
            f"{when}: workshop {self.workshop_id}: one text (one op) created twice"
        )


# -- the test ---------------------------------------------------------------------------------


@pytest.fixture(params=ASYNC_MODES)
def async_mode(request) -> str:
    return request.param


def test_two_processes_share_one_event_and_survive_kill9(
    async_mode, postgres_database, message_queue, instance_path, start_server, open_clients
):
    env = server_env(instance_path, postgres_database, async_mode=async_mode,
                     idea_rate_limit=0, message_queue=message_queue)
    began = time.perf_counter()

    # -- 1. both processes at once, one migration; moderator, event, participants -----------
    servers = start_together(start_server, env, postgres_database)
    check_migrated_once(servers, postgres_database)
    a, b = servers["A"], servers["B"]
    create_moderator(env, MODERATOR_EMAIL, MODERATOR_PASSWORD, "Mia Moderatorin")
    moderator = Api(a.url).login(MODERATOR_EMAIL, MODERATOR_PASSWORD)
    event = moderator.post("/events", {
        "title": "Fachkräfte-Forum, zwei Prozesse", "date": "2026-11-21",
        "workshops": [{"title": f"Workshop {n + 1}", "question": f"Frage {n + 1}?"}
                      for n in range(WORKSHOPS)],
    }, expect=201)
    workshop_ids = [workshop["id"] for workshop in event["workshops"]]
    assert Api(b.url, moderator.token).get(f"/events/{event['id']}")["id"] == event["id"]

    participants = []
    for index in range(WORKSHOPS * PER_WORKSHOP):
        home = PROCESSES[(index // WORKSHOPS) % 2]
        name = f"Teilnehmerin {index:02d}"
        joined = Api(servers[home].url).post("/join", {"code": event["join_code"],
                                                      "name": name})
        participants.append(Participant(index, name, joined["token"],
                                        workshop_ids[index % WORKSHOPS], home))
    for home in PROCESSES:
        mine = [p for p in participants if p.home == home]
        assert {p.workshop_id for p in mine} == set(workshop_ids)
        assert all(sum(p.workshop_id == w for p in mine) == PER_WORKSHOP // 2
                   for w in workshop_ids)
        for p, client in zip(mine, open_clients(servers[home].url,
                                                [(p.token, p.label) for p in mine]),
                             strict=True):
            p.client = client
    observers = dict(zip(PROCESSES, (
        open_clients(servers[home].url, [(moderator.token, f"moderator on {home}")])[0]
        for home in PROCESSES), strict=True))

    base = {}
    for p in participants:
        snapshot = p.client.call_ok("join_workshop", {"workshop_id": p.workshop_id})
        assert snapshot["ideas"] == [] and snapshot["workshop"]["id"] == p.workshop_id, snapshot
        base.setdefault(p.workshop_id, snapshot["seq"])
        assert snapshot["seq"] == base[p.workshop_id], (p.label, snapshot["seq"], base)
    for observer in observers.values():
        for wid in workshop_ids:
            assert observer.call_ok("join_workshop", {"workshop_id": wid})["seq"] == base[wid]
    boards = {wid: Board(wid, base[wid]) for wid in workshop_ids}

    # -- 2. everyone posts at once, half on each process ---------------------------------------
    jobs = [(p, [p.new_op(f"Idee {k + 1}") for k in range(IDEAS_EACH)]) for p in participants]
    started = time.perf_counter()
    post_at_once(jobs, record=True)
    acked = time.perf_counter()
    for p, ops in jobs:
        for op in ops:
            data = p.acks[op["op_id"]]
            assert data["idea"]["text"] == op["text"] and data["idea"]["author"] == p.name, data
            boards[p.workshop_id].learn(data["seq"], data, f"{p.label} ack", origin=p.home)
    for board in boards.values():
        board.check_gapless("phase 1 acks")
        assert len(board.ideas) == PER_WORKSHOP * IDEAS_EACH
    flush(observers["B"], boards, "B")
    check_received_all(participants, observers.values(), boards, "phase 1")
    delivered = time.perf_counter()
    per_workshop = PER_WORKSHOP * IDEAS_EACH
    for server in (a, b):
        check_counts(Api(server.url, moderator.token), event["id"], boards, per_workshop)
    early = sum(arrived_early(p.client.received) for p in participants)
    print(f"\n[{async_mode}] 2 processes, {len(participants)} clients x {IDEAS_EACH} ideas at "
          f"once: all acks after {acked - started:.2f} s, every broadcast on every client "
          f"(checked) after {delivered - started:.2f} s; {early} broadcasts overtook a lower seq "
          f"(a gap a client sees until the lower one arrives)")

    # -- 3. everyone streams ideas; A is killed half-way --------------------------------------
    on_a = [p for p in participants if p.home == "A"]
    on_b = [p for p in participants if p.home == "B"]
    acks_before = {p.index: len(p.acks) for p in participants}
    threads, barrier = start_streams(participants)
    barrier.wait(TIMEOUT_S)
    wait_until(lambda: sum(len(p.acks) - acks_before[p.index] for p in on_a) >= len(on_a),
               what="the first ideas acknowledged by process A in phase 2")
    a.kill9()
    for p in on_a:
        assert p.client.disconnected.wait(TIMEOUT_S), f"{p.label} noticed no disconnect"
    for thread in threads:
        thread.join(TIMEOUT_S * 2)
    assert not any(thread.is_alive() for thread in threads), "streaming threads hang"
    problems = [e for p in participants for e in p.errors]
    assert not problems, "\n".join(problems[:20])
    for p in on_b:
        assert len(p.acks) - acks_before[p.index] == STREAM_EACH, (
            f"{p.label}: process B did not acknowledge every streamed idea"
        )
    acked_on_a = sum(len(p.acks) - acks_before[p.index] for p in on_a)
    unacked_on_a = sum(len(p.sent) - len(p.acks) for p in on_a)
    for p in participants:
        for op_id, data in p.acks.items():
            boards[p.workshop_id].learn(data["seq"], data, f"{p.label} streamed ack {op_id}",
                                        origin=p.home)
    # What A's clients saw before the kill: no duplicate, nothing foreign, in process order.
    for p in on_a:
        check_stream(p.label, p.client.received, {p.workshop_id}, boards)

    # -- 4. A's clients move to B: catch up, re-send, send the rest ---------------------------
    since = {p.index: contiguous(seen_seqs(p, boards[p.workshop_id]),
                                 boards[p.workshop_id].base_seq) for p in on_a}
    for p in on_a:
        p.earlier.append(p.client)
    for p, client in zip(on_a, open_clients(b.url, [(p.token, f"{p.label} → B") for p in on_a]),
                         strict=True):
        p.client = client
    caught_up_to: dict[int, int] = {}
    for p in on_a:
        board = boards[p.workshop_id]
        caught = p.client.call_ok("join_workshop", {"workshop_id": p.workshop_id,
                                                    "since_seq": since[p.index]})
        assert "events" in caught, f"{p.label}: expected the missed changes, got {caught}"
        seqs = [change["seq"] for change in caught["events"]]
        assert seqs == list(range(since[p.index] + 1, caught["seq"] + 1)), (
            f"{p.label}: catch-up since {since[p.index]} up to {caught['seq']} has {seqs}"
        )
        for change in caught["events"]:
            assert change["event"] in ("idea_created", "workshop_locked"), change
            assert change["workshop_id"] == p.workshop_id, change
            board.learn(change["seq"], change, f"{p.label} catch-up")
        caught_up_to[p.index] = caught["seq"]

    resends = []
    for p in on_a:
        unacked = [op for op_id, op in p.sent.items() if op_id not in p.acks]
        acked_op = next(op for op_id, op in reversed(p.sent.items()) if op_id in p.acks)
        repeated = {**acked_op, "text": f"GEÄNDERT {acked_op['text']}"}
        resends.append((p, [*unacked, *p.unsent, repeated]))
    answers = post_at_once(resends, record=False)
    for p, ops in resends:
        *new_or_again, repeated = ops
        *first_answers, repeated_answer = answers[p.index]
        assert repeated_answer == p.acks[repeated["op_id"]], (
            f"{p.label}: re-sending acknowledged {repeated['op_id']} answered "
            f"{repeated_answer}, the first answer was {p.acks[repeated['op_id']]}"
        )
        never_sent = {op["op_id"] for op in p.unsent}
        for op, data in zip(new_or_again, first_answers, strict=True):
            assert data["idea"]["text"] == op["text"], (p.label, op, data)
            p.sent.setdefault(op["op_id"], op)
            p.acks[op["op_id"]] = data
            # An op A never saw is certainly created (and broadcast) by B; one A may have
            # stored before it died is answered from A's record: its origin is unknown.
            origin = "B" if op["op_id"] in never_sent else None
            boards[p.workshop_id].learn(data["seq"], data, f"{p.label} ack on B", origin)
    for p in participants:
        assert set(p.acks) == set(p.sent), f"{p.label}: ops without an ack: " \
            f"{set(p.sent) - set(p.acks)}"

    # -- 5. everything exactly once ------------------------------------------------------------
    flush(observers["B"], boards, "B")
    missed_by_b = check_survivors(on_b, observers["B"], boards)
    for p in on_a:
        # After the move: catch-up plus broadcasts on B cover everything, each broadcast once.
        wait_for_flush(p.client, {p.workshop_id}, boards)
        board = boards[p.workshop_id]
        got = check_stream(f"{p.label} on B", p.client.received, {p.workshop_id}, boards)
        covered = got[p.workshop_id] | set(range(board.base_seq + 1, caught_up_to[p.index] + 1))
        assert covered >= set(range(board.base_seq + 1, board.last_seq + 1)), (
            f"{p.label}: catch-up and broadcasts on B miss "
            f"{sorted(set(range(board.base_seq + 1, board.last_seq + 1)) - covered)}"
        )
    total = {wid: 0 for wid in workshop_ids}
    for p in participants:
        total[p.workshop_id] += len(p.acks)
    for wid, board in boards.items():
        board.check_gapless("the end")
        assert len(board.ideas) == total[wid], (
            f"workshop {wid}: {len(board.ideas)} ideas known, {total[wid]} ops acknowledged"
        )
        snapshot = observers["B"].call_ok("join_workshop", {"workshop_id": wid})
        assert snapshot["seq"] == board.last_seq, (snapshot["seq"], board.last_seq)
        ideas = {idea["id"]: idea["text"] for idea in snapshot["ideas"]}
        assert len(ideas) == len(snapshot["ideas"]), f"workshop {wid}: duplicate idea ids"
        assert ideas == board.ideas, (
            f"workshop {wid}: the snapshot differs from every acknowledged idea: missing "
            f"{set(board.ideas) - set(ideas)}, unexpected {set(ideas) - set(board.ideas)}"
        )
        texts = list(ideas.values())
        assert len(set(texts)) == len(texts), f"workshop {wid}: an op was created twice"
        assert not [t for t in texts if t.startswith("GEÄNDERT")], "a re-send's text won"
        acked_texts = {p.sent[op_id]["text"] for p in participants if p.workshop_id == wid
                       for op_id in p.acks}
        assert set(texts) == acked_texts, f"workshop {wid}: ideas and acknowledged ops differ"
    check_counts(Api(b.url, moderator.token), event["id"], boards, total)
    b.terminate()  # SIGTERM with sockets open: exit code 0
    print(f"[{async_mode}] kill -9 of A: {acked_on_a} streamed ideas acknowledged by A, "
          f"{unacked_on_a} in flight without an ack; B's clients missed {missed_by_b} "
          f"broadcast(s) A committed but never published (served by catch-up); "
          f"{len(participants)} participants, whole test {time.perf_counter() - began:.1f} s")


# -- steps ------------------------------------------------------------------------------------


def start_together(start_server, env: dict[str, str], database_url: str
                   ) -> dict[str, ServerProcess]:
    """Start processes A and B at the same moment on the same empty database, and make their
    migrations meet: the test holds the migration advisory lock until both processes wait for
    it (seen in ``pg_locks``), so neither may have touched the schema yet; then it lets go."""
    import psycopg

    barrier = threading.Barrier(len(PROCESSES))

    def start(_home: str) -> ServerProcess:
        barrier.wait(TIMEOUT_S)
        return start_server(env)

    with psycopg.connect(libpq_url(database_url), autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        with ThreadPoolExecutor(max_workers=len(PROCESSES)) as pool:
            starting = [pool.submit(start, home) for home in PROCESSES]

            def waiting() -> int:
                if any(future.done() for future in starting):
                    return len(PROCESSES)  # one gave up or got past the lock: result() says
                return holder.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    " AND database = (SELECT oid FROM pg_database"
                    "                 WHERE datname = current_database())"
                    " AND classid = 0 AND objid = %s", (MIGRATION_LOCK_KEY,),
                ).fetchone()[0] == len(PROCESSES)

            try:
                wait_until(waiting, timeout=TIMEOUT_S * 2, interval=0.05,
                           what="both processes waiting for the migration lock")
                assert not any(future.done() for future in starting), (
                    "a process started while the test held the migration lock: "
                    + "; ".join(repr(f.exception() or f.result().output())
                                for f in starting if f.done())
                )
                schema = holder.execute("SELECT to_regclass('alembic_version')").fetchone()[0]
                assert schema is None, "the schema was touched without the migration lock"
            finally:
                holder.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
            started = [future.result() for future in starting]
    servers = dict(zip(PROCESSES, started, strict=True))
    assert servers["A"].url != servers["B"].url, {k: s.url for k, s in servers.items()}
    return servers


def check_migrated_once(servers: dict[str, ServerProcess], database_url: str) -> None:
    """The schema is at head, and exactly one of the two processes ran the migrations."""
    import psycopg

    with psycopg.connect(libpq_url(database_url)) as connection:
        versions = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
    assert len(versions) == 1, versions
    migrated = [home for home, server in servers.items()
                if "Running upgrade" in server.output()]
    assert len(migrated) == 1, (
        f"expected exactly one process to migrate, got {migrated}\n"
        + "\n".join(f"--- {home}:\n{server.output()}" for home, server in servers.items())
    )


def post_at_once(jobs, record: bool) -> dict[int, list[dict]]:
    """Every participant sends its ops one after the other from its own thread; all threads
    start at one barrier. Every ack must be ok. With ``record`` the ops and acks are noted in
    the participants; returns each participant's ack data, in order."""
    barrier = threading.Barrier(len(jobs) + 1)
    answers: dict[int, list[dict]] = {}
    errors: list[str] = []

    def run(p: Participant, ops: list[dict]) -> None:
        got = answers.setdefault(p.index, [])
        try:
            barrier.wait(TIMEOUT_S)
            for op in ops:
                if record:
                    p.sent[op["op_id"]] = op
                ack = p.client.call("create_idea", op, timeout=TIMEOUT_S)
                if not (isinstance(ack, dict) and ack.get("ok") is True):
                    errors.append(f"{p.label}: {op} answered {ack!r}")
                    return
                got.append(ack["data"])
                if record:
                    p.acks[op["op_id"]] = ack["data"]
        except Exception as error:
            errors.append(f"{p.label}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=run, args=job, daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait(TIMEOUT_S)
    for thread in threads:
        thread.join(TIMEOUT_S * 3)
    assert not any(thread.is_alive() for thread in threads), "posting threads hang"
    assert not errors, "\n".join(errors[:20])
    return answers


def start_streams(participants: list[Participant]):
    """Each participant sends :data:`STREAM_EACH` ideas, each after the previous one's ack,
    from its own thread, until its socket drops; what it could not send stays in ``unsent``.
    Returns the threads and the barrier the caller releases them with."""
    barrier = threading.Barrier(len(participants) + 1)

    def run(p: Participant) -> None:
        ops = [p.new_op(f"Strom {k + 1}") for k in range(STREAM_EACH)]
        try:
            barrier.wait(TIMEOUT_S)
        except threading.BrokenBarrierError:
            p.errors.append(f"{p.label}: the start barrier broke")
            return
        for position, op in enumerate(ops):
            if p.client.disconnected.is_set():
                p.unsent = ops[position:]
                return
            p.sent[op["op_id"]] = op
            try:
                pending = p.client.emit("create_idea", op)
            except Exception:  # the socket dropped between the check and the send
                continue
            deadline = time.monotonic() + TIMEOUT_S
            while not pending.arrived:
                if p.client.disconnected.wait(0.01) and not pending.arrived:
                    p.unsent = ops[position + 1:]
                    return
                if time.monotonic() > deadline:
                    p.errors.append(f"{p.label}: no ack for {op} within {TIMEOUT_S} s")
                    return
            ack = pending.ack
            if not (isinstance(ack, dict) and ack.get("ok") is True):
                p.errors.append(f"{p.label}: {op} answered {ack!r}")
                return
            p.acks[op["op_id"]] = ack["data"]

    threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in participants]
    for thread in threads:
        thread.start()
    return threads, barrier


def flush(observer: LiveClient, boards: dict[int, Board], home: str) -> None:
    """Lock and unlock every workshop through ``observer``'s process, then wait until every
    socket in the rooms has received the unlock (see the module docstring: then it has
    received everything acknowledged before)."""
    for wid, board in boards.items():
        for locked in (True, False):
            data = observer.call_ok("lock_workshop", {"workshop_id": wid, "locked": locked})
            assert data["locked"] is locked, data
            board.learn(data["seq"], data, f"{observer.label} lock_workshop", origin=home)
    for board in boards.values():
        board.flushed_at = board.last_seq


def wait_for_flush(client: LiveClient, workshops: set[int], boards: dict[int, Board]) -> None:
    """Wait until ``client`` received the last flush's unlock of each of ``workshops``."""

    def arrived(received) -> bool:
        got = {(payload["workshop_id"], payload["seq"]) for name, payload in received
               if name == "workshop_locked"}
        return all((wid, boards[wid].flushed_at) in got for wid in workshops)

    client.wait_for(arrived, TIMEOUT_S, "the flush (unlock) of every workshop")


def check_received_all(participants, observers, boards: dict[int, Board], when: str) -> None:
    """Every socket received every change of its workshops exactly once and nothing else."""
    for p in participants:
        wait_for_flush(p.client, {p.workshop_id}, boards)
    for observer in observers:
        wait_for_flush(observer, set(boards), boards)
    for p in participants:
        board = boards[p.workshop_id]
        got = check_stream(f"{when}: {p.label}", p.client.received, {p.workshop_id}, boards)
        missing = set(range(board.base_seq + 1, board.last_seq + 1)) - got[p.workshop_id]
        assert not missing, f"{when}: {p.label} did not receive seqs {sorted(missing)}"
    for observer in observers:
        got = check_stream(f"{when}: {observer.label}", observer.received, set(boards), boards)
        for wid, board in boards.items():
            missing = set(range(board.base_seq + 1, board.last_seq + 1)) - got[wid]
            assert not missing, (
                f"{when}: {observer.label} did not receive seqs {sorted(missing)} of "
                f"workshop {wid}"
            )


def check_survivors(survivors, observer: LiveClient, boards: dict[int, Board]) -> int:
    """B's sockets, connected throughout: every change whose ack (or flush) the test saw
    reached them as a broadcast, exactly once; only changes A stored but never published may
    be missing, and a ``since_seq`` catch-up serves them. Returns how many distinct changes
    B's sockets missed that way."""
    sockets = [(p.label, p.client, {p.workshop_id}) for p in survivors]
    sockets.append((observer.label, observer, set(boards)))
    missed: set[tuple[int, int]] = set()
    for label, client, workshops in sockets:
        wait_for_flush(client, workshops, boards)
        got = check_stream(label, client.received, workshops, boards)
        for wid in workshops:
            board = boards[wid]
            missing = set(range(board.base_seq + 1, board.last_seq + 1)) - got[wid]
            published = missing & set(board.origin)
            assert not published, (
                f"{label}: acknowledged changes of workshop {wid} never arrived as "
                f"broadcasts: {sorted(published)}"
            )
            if not missing:
                continue
            missed |= {(wid, seq) for seq in missing}
            after = contiguous(got[wid], board.base_seq)
            caught = client.call_ok("join_workshop", {"workshop_id": wid, "since_seq": after})
            assert "events" in caught and caught["seq"] == board.last_seq, caught
            seqs = [change["seq"] for change in caught["events"]]
            assert seqs == list(range(after + 1, board.last_seq + 1)), (label, after, seqs)
            for change in caught["events"]:
                board.learn(change["seq"], change, f"{label} catch-up")
    return len(missed)


def check_stream(label: str, received, workshops: set[int],
                 boards: dict[int, Board]) -> dict[int, set[int]]:
    """What one socket received: only changes of ``workshops``, none twice, each agreeing
    with what else the test knows, and the changes one process made in ``seq`` order.
    Returns the seqs received per workshop."""
    per_workshop: dict[int, list[int]] = {wid: [] for wid in workshops}
    foreign = []
    for name, payload in list(received):
        wid = payload.get("workshop_id") if isinstance(payload, dict) else None
        if wid not in workshops:
            foreign.append((name, payload))
            continue
        per_workshop[wid].append(payload["seq"])
        boards[wid].learn(payload["seq"], payload, f"{label} broadcast {name}")
    assert not foreign, f"{label} received changes of other workshops: {foreign[:3]}"
    for wid, seqs in per_workshop.items():
        twice = sorted({s for s in seqs if seqs.count(s) > 1})
        assert not twice, f"{label}: workshop {wid}: seqs {twice} arrived more than once"
        for home in PROCESSES:
            made_there = [s for s in seqs if boards[wid].origin.get(s) == home]
            assert made_there == sorted(made_there), (
                f"{label}: workshop {wid}: changes made by process {home} arrived out of "
                f"seq order: {made_there}"
            )
    return {wid: set(seqs) for wid, seqs in per_workshop.items()}


def check_counts(moderator: Api, event_id: int, boards: dict[int, Board], ideas) -> None:
    """The moderator's event view counts every participant and idea per workshop."""
    view = moderator.get(f"/events/{event_id}")
    counts = {w["id"]: (w["participants"], w["ideas"]) for w in view["workshops"]}
    expected = {wid: (PER_WORKSHOP, ideas[wid] if isinstance(ideas, dict) else ideas)
                for wid in boards}
    assert counts == expected, f"{moderator.base_url}: counts {counts}, expected {expected}"


# -- small helpers ----------------------------------------------------------------------------


def seen_seqs(p: Participant, board: Board) -> set[int]:
    """The seqs of ``p``'s workshop that ``p`` learnt from its acks and its broadcasts."""
    seen = {data["seq"] for data in p.acks.values()}
    seen |= {payload["seq"] for name, payload in p.client.received
             if isinstance(payload, dict) and payload.get("workshop_id") == board.workshop_id}
    return seen


def arrived_early(received) -> int:
    """How many broadcasts arrived while a lower seq of their workshop was still missing."""
    early, seen = 0, {}
    for _name, payload in received:
        wid, seq = payload["workshop_id"], payload["seq"]
        got = seen.setdefault(wid, set())
        got.add(seq)
        if any(lower not in got for lower in range(min(got), seq)):
            early += 1
    return early


def contiguous(seqs: set[int], base: int) -> int:
    """The highest seq up to which nothing is missing (what a client sends as ``since_seq``:
    changes of two processes may arrive out of order)."""
    last = base
    while last + 1 in seqs:
        last += 1
    return last
