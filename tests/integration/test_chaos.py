"""Chaos: phones on bad Wi-Fi, a moderator pausing a board, and a server killed with ``kill -9``.

12 participants in 3 workshops (4 each) post ideas over real python-socketio websocket clients
while, decided by a seeded ``random.Random``, their connections drop — cleanly or abruptly
(the TCP socket shut down under the client, sometimes with an idea still in flight) — and come
back. Each client behaves like the phone's outbox and board (static/js/outbox.js, feed.js):

- every idea gets an ``op_id`` once; it is (re)sent with that op_id until an ack arrives;
- after a reconnect it sends ``join_workshop`` with ``since_seq`` and applies only what it
  missed (the full snapshot when the answer has ``ideas``), then resends every op without ack;
- broadcasts are applied strictly in ``seq`` order, known ones dropped, a gap triggers a
  re-join with ``since_seq``;
- ``locked`` keeps the op waiting until the board is unlocked.

A moderator pauses and reopens one workshop a few times meanwhile. In the middle the server is
killed with ``kill -9`` and started again on the same instance (a new port: clients connect to
the new URL). Bounded: a fixed number of ideas per client and a deadline.

At the end every op is acknowledged; every op a client sent is stored exactly once (snapshot
and JSON report: each text once, no other ideas); resending an acknowledged op_id answers the
very same idea; and every client's board — its snapshot plus the changes it applied by
``seq`` — equals the server's final snapshot of its workshop.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import socketio

from tests.support.server import (
    Api,
    ServerProcess,
    _InOrderClient,
    create_moderator,
    server_env,
    wait_until,
)

pytestmark = pytest.mark.integration

SEED = 20261121
ASYNC_MODES = ["eventlet", "threading"]
WORKSHOPS = 3
PER_WORKSHOP = 4
IDEAS_EACH = 10
P_DROP = 0.15  # per step: lose the connection
P_DROP_IN_FLIGHT = 0.5  # of those: with an idea sent just before, its ack never read
KILL_AFTER_ACKS = 0.4  # kill -9 once this share of all ideas is acknowledged
CHAOS_DEADLINE_S = 25
ACK_TIMEOUT_S = 5
CONNECT_TIMEOUT_S = 5
LOCK_TOGGLES = 8  # the moderator pauses and reopens workshop 1 this often (at most)
MODERATOR_EMAIL = "chaos@example.org"
MODERATOR_PASSWORD = "chaos monkey password"


class Target:
    """Where the server is right now (the URL changes with a restart)."""

    def __init__(self, server: ServerProcess):
        self.server = server
        self._lock = threading.Lock()

    @property
    def url(self) -> str | None:
        with self._lock:
            return self.server.url if self.server.running else None

    def restart(self) -> None:
        with self._lock:
            self.server.kill9()
        self.server.start()  # a new process, maybe on a new port


class Connection:
    """One python-socketio connection (websocket, handled in arrival order) whose calls give
    up at once when the connection is lost, instead of waiting for their timeout."""

    def __init__(self, target: Target, token: str, handlers: dict):
        self.client = _InOrderClient(reconnection=False)
        self.lost = threading.Event()
        self._waiting: set[threading.Event] = set()
        self._guard = threading.Lock()
        for name, handler in handlers.items():
            self.client.on(name, handler)
        self.client.on("disconnect", self._on_disconnect)
        url = target.url
        if url is None:
            raise ConnectionError("the server is down")
        self.client.connect(url, auth={"token": token}, transports=["websocket"],
                            wait_timeout=CONNECT_TIMEOUT_S)

    def _on_disconnect(self, *_args):
        self.lost.set()
        with self._guard:
            for event in self._waiting:
                event.set()

    @property
    def alive(self) -> bool:
        return self.client.connected and not self.lost.is_set()

    def call(self, name: str, data: dict, timeout: float = ACK_TIMEOUT_S):
        """The ack, or ``None`` when the connection was lost or no ack came in time."""
        done = threading.Event()
        answer: list = []

        def on_ack(*args):
            answer.append(args[0] if args else None)
            done.set()

        with self._guard:
            if self.lost.is_set():
                return None
            self._waiting.add(done)
        try:
            self.client.emit(name, data, callback=on_ack)
        except socketio.exceptions.SocketIOError:
            return None
        done.wait(timeout)
        with self._guard:
            self._waiting.discard(done)
        return answer[0] if answer else None

    def send_and_forget(self, name: str, data: dict) -> None:
        with contextlib.suppress(socketio.exceptions.SocketIOError):
            self.client.emit(name, data)

    def drop(self, abrupt: bool) -> None:
        """Lose the connection: the TCP socket shut down under the client (as when the Wi-Fi
        goes away: no goodbye), or a clean disconnect (the server is told)."""
        if abrupt:
            self._cut()
        else:
            # python-socketio's disconnect waits up to 3 s for the websocket close handshake;
            # the phone does not wait for that: its next connection is a new one.
            threading.Thread(target=self._quietly_shut_down, daemon=True).start()
            self._on_disconnect()

    def close(self) -> None:
        """Gone for good (quickly: no close handshake)."""
        self._cut()
        self._quietly_shut_down()

    def _cut(self) -> None:
        ws = getattr(self.client.eio, "ws", None)
        sock = getattr(ws, "sock", None)
        if sock is not None and self.client.connected:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            self.lost.wait(CONNECT_TIMEOUT_S)
        self._on_disconnect()

    def _quietly_shut_down(self) -> None:
        with contextlib.suppress(Exception):
            self.client.shutdown()


class Board:
    """A client's copy of one workshop's board, kept like feed.js keeps it: a snapshot, then
    every change exactly once in ``seq`` order; changes ahead of a gap wait in a buffer."""

    def __init__(self, workshop_id: int):
        self.workshop_id = workshop_id
        self.seq: int | None = None
        self.ideas: dict[int, dict] = {}
        self.locked = False
        self.snapshots = 0
        self.applied = 0
        self.buffer: dict[int, tuple[str, dict]] = {}
        self.problems: list[str] = []
        self._lock = threading.Lock()

    def take(self, data: dict) -> None:
        """Apply a ``join_workshop`` answer: a snapshot (``ideas``) or a catch-up (``events``)."""
        with self._lock:
            if "ideas" in data:
                self.seq = data["seq"]
                self.ideas = {idea["id"]: idea for idea in data["ideas"]}
                self.locked = bool(data["workshop"]["locked"])
                self.snapshots += 1
            else:
                for change in data["events"]:
                    self.buffer.setdefault(change["seq"], (change["event"], change))
            self._drain()

    def receive(self, name: str, payload: dict) -> None:
        """A broadcast."""
        if not isinstance(payload, dict) or payload.get("workshop_id") != self.workshop_id:
            self.problems.append(f"foreign or malformed broadcast {name}: {payload!r}")
            return
        with self._lock:
            self.buffer.setdefault(payload["seq"], (name, payload))
            self._drain()

    @property
    def gap(self) -> bool:
        """Changes wait behind a missing ``seq``: a re-join with ``since_seq`` is needed."""
        with self._lock:
            return self.seq is not None and bool(self.buffer)

    def _drain(self) -> None:
        if self.seq is None:
            return
        for seq in [s for s in self.buffer if s <= self.seq]:
            del self.buffer[seq]
        while (self.seq + 1) in self.buffer:
            name, payload = self.buffer.pop(self.seq + 1)
            self._apply(name, payload)
            self.seq += 1
            self.applied += 1

    def _apply(self, name: str, payload: dict) -> None:
        if name == "idea_created":
            idea = payload["idea"]
            if idea["id"] in self.ideas:
                self.problems.append(f"seq {payload['seq']}: idea {idea['id']} arrived twice")
            self.ideas[idea["id"]] = idea
        elif name == "workshop_locked":
            self.locked = bool(payload["locked"])


@dataclass
class Op:
    op_id: str
    text: str
    sends: int = 0
    ack: dict | None = None  # the first successful ack's data


@dataclass
class Phone:
    """One participant: its identity, its board, its outbox, its connection."""

    index: int
    name: str
    token: str
    workshop_id: int
    rng: random.Random
    board: Board = field(init=False)
    ops: list[Op] = field(default_factory=list)
    connection: Connection | None = None
    joined: bool = False
    drops: int = 0
    reconnects: int = 0
    refused_locked: int = 0
    errors: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.board = Board(self.workshop_id)

    # -- connection -------------------------------------------------------------------------

    def handlers(self) -> dict:
        return {name: (lambda payload=None, *_rest, name=name: self.board.receive(name, payload))
                for name in ("idea_created", "workshop_locked", "workshop_updated")}

    def ensure_joined(self, target: Target, deadline: float) -> bool:
        """Connected and joined (re-joined with since_seq), the missed changes applied."""
        while time.monotonic() < deadline:
            if self.connection is None or not self.connection.alive:
                if self.connection is not None:
                    self.connection.close()
                self.joined = False
                try:
                    self.connection = Connection(target, self.token, self.handlers())
                    self.reconnects += 1
                except (ConnectionError, socketio.exceptions.ConnectionError, ValueError):
                    self.connection = None
                    time.sleep(0.05)  # the server is restarting: poll for it
                    continue
            if not self.joined or self.board.gap:
                payload = {"workshop_id": self.workshop_id}
                if self.board.seq is not None:
                    payload["since_seq"] = self.board.seq
                ack = self.connection.call("join_workshop", payload)
                if ack is None:
                    continue
                if not ack.get("ok"):
                    self.errors.append(f"join_workshop {payload} answered {ack}")
                    return False
                self.board.take(ack["data"])
                self.joined = True
                continue  # a gap may remain: check again
            return True
        return False

    # -- the outbox -------------------------------------------------------------------------

    @property
    def pending(self) -> list[Op]:
        return [op for op in self.ops if op.ack is None]

    def send(self, op: Op) -> bool:
        """Send an op (again, same op_id); whether it is acknowledged now."""
        op.sends += 1
        ack = self.connection.call("create_idea", {
            "workshop_id": self.workshop_id, "op_id": op.op_id, "text": op.text})
        if ack is None:
            return False  # lost connection or no ack: stays in the outbox
        if ack.get("ok"):
            data = ack["data"]
            if op.ack is None:
                op.ack = data
            elif op.ack != data:
                self.errors.append(f"{op.op_id}: answered {data}, first answer {op.ack}")
            return True
        code = ack.get("error", {}).get("code")
        if code == "locked":
            self.refused_locked += 1
            return False
        self.errors.append(f"create_idea {op.op_id} answered {ack}")
        return False

    def flush(self) -> None:
        """Resend every op without an ack, in order; stop at the first that does not go."""
        for op in self.pending:
            if self.board.locked or not self.send(op):
                return

    def new_op(self, number: int) -> Op:
        op_id = uuid.UUID(int=self.rng.getrandbits(128)).hex
        op = Op(op_id, f"{self.name} · Idee {number} · {op_id[:8]}")
        self.ops.append(op)
        return op

    # -- the chaos --------------------------------------------------------------------------

    def run(self, target: Target, deadline: float) -> None:
        try:
            while time.monotonic() < deadline and (len(self.ops) < IDEAS_EACH or self.pending):
                if not self.ensure_joined(target, deadline):
                    break
                self.flush()
                roll = self.rng.random()
                if roll < P_DROP:
                    self.drops += 1
                    abrupt = self.rng.random() < 0.5
                    if len(self.ops) < IDEAS_EACH and self.rng.random() < P_DROP_IN_FLIGHT:
                        op = self.new_op(len(self.ops) + 1)
                        op.sends += 1
                        self.connection.send_and_forget("create_idea", {
                            "workshop_id": self.workshop_id, "op_id": op.op_id, "text": op.text})
                    self.connection.drop(abrupt)
                elif len(self.ops) < IDEAS_EACH and not self.pending:
                    self.send(self.new_op(len(self.ops) + 1))
                elif self.pending and self.board.locked:
                    time.sleep(0.05)  # paused: wait for workshop_locked false
                time.sleep(self.rng.uniform(0, 0.03))
        except Exception as error:  # reported in the test's thread
            self.errors.append(f"{type(error).__name__}: {error}")

    def finish(self, target: Target, deadline: float) -> None:
        """No more chaos: connect, catch up, send what is left until every op is acked."""
        while self.pending and time.monotonic() < deadline:
            if self.ensure_joined(target, deadline):
                self.flush()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


class Moderator:
    """Pauses and reopens a workshop now and then (reconnecting like everyone else)."""

    def __init__(self, token: str, workshop_id: int, rng: random.Random):
        self.token = token
        self.workshop_id = workshop_id
        self.rng = rng
        self.connection: Connection | None = None
        self.toggles = 0
        self.errors: list[str] = []

    def lock(self, target: Target, locked: bool, deadline: float) -> bool:
        while time.monotonic() < deadline:
            if self.connection is None or not self.connection.alive:
                try:
                    self.connection = Connection(target, self.token, {})
                except (ConnectionError, socketio.exceptions.ConnectionError, ValueError):
                    self.connection = None
                    time.sleep(0.05)
                    continue
            ack = self.connection.call("lock_workshop",
                                       {"workshop_id": self.workshop_id, "locked": locked})
            if ack is None:
                continue
            if not ack.get("ok"):
                self.errors.append(f"lock_workshop {locked} answered {ack}")
                return False
            return True
        return False

    def run(self, target: Target, stop: threading.Event, deadline: float) -> None:
        try:
            locked = False
            while (self.toggles < LOCK_TOGGLES and time.monotonic() < deadline
                   and not stop.wait(self.rng.uniform(0.2, 0.6))):
                locked = not locked
                if self.lock(target, locked, deadline):
                    self.toggles += 1
            # Open again in any case, so every phone can send what waits.
            if not self.lock(target, False, deadline + 15):
                self.errors.append("could not open the workshop again")
        except Exception as error:
            self.errors.append(f"{type(error).__name__}: {error}")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


@pytest.fixture(params=ASYNC_MODES)
def async_mode(request) -> str:
    return request.param


def test_outboxes_survive_dropped_connections_and_kill_9(async_mode, instance_path,
                                                          start_server):
    began = time.monotonic()
    env = server_env(instance_path, async_mode=async_mode, idea_rate_limit=0)
    server = start_server(env)
    target = Target(server)
    create_moderator(env, MODERATOR_EMAIL, MODERATOR_PASSWORD, "Chaos-Moderation")
    moderator_api = Api(server.url).login(MODERATOR_EMAIL, MODERATOR_PASSWORD)
    event = moderator_api.post("/events", {
        "title": "Chaos-Forum",
        "workshops": [{"title": f"Workshop {n + 1}", "question": f"Frage {n + 1}?"}
                      for n in range(WORKSHOPS)],
    }, expect=201)
    workshop_ids = [w["id"] for w in event["workshops"]]
    master = random.Random(f"{SEED}-{async_mode}")
    phones = []
    for index in range(WORKSHOPS * PER_WORKSHOP):
        name = f"Telefon {index:02d}"
        joined = Api(server.url).post("/join", {"code": event["join_code"], "name": name})
        phones.append(Phone(index, name, joined["token"], workshop_ids[index % WORKSHOPS],
                            random.Random(master.getrandbits(64))))
    moderator = Moderator(moderator_api.token, workshop_ids[0],
                          random.Random(master.getrandbits(64)))
    total = len(phones) * IDEAS_EACH
    try:
        # -- chaos: posting, dropping, pausing; kill -9 and restart in the middle ----------------
        deadline = time.monotonic() + CHAOS_DEADLINE_S
        stop = threading.Event()
        threads = [threading.Thread(target=p.run, args=(target, deadline), daemon=True)
                   for p in phones]
        threads.append(threading.Thread(target=moderator.run, args=(target, stop, deadline),
                                        daemon=True))
        for thread in threads:
            thread.start()
        acked = lambda: sum(1 for p in phones for op in p.ops if op.ack is not None)  # noqa: E731
        wait_until(lambda: acked() >= total * KILL_AFTER_ACKS, timeout=CHAOS_DEADLINE_S,
                   what=f"{int(total * KILL_AFTER_ACKS)} acknowledged ideas before the kill",
                   details=lambda: report(phones, moderator))
        acked_at_kill = acked()
        old_url = server.url
        killed_at = time.monotonic() - began
        target.restart()
        restart_s = time.monotonic() - began - killed_at
        print(f"\n[{async_mode}] kill -9 after {acked_at_kill}/{total} acks at {killed_at:.1f} s;"
              f" restarted in {restart_s:.1f} s: {old_url} → {server.url}")
        wait_until(lambda: all(not thread.is_alive() for thread in threads[:-1]),
                   timeout=CHAOS_DEADLINE_S + 10, what="the phones to finish",
                   details=lambda: report(phones, moderator))
        print(f"[{async_mode}] the phones finished at {time.monotonic() - began:.1f} s")
        stop.set()
        threads[-1].join(CHAOS_DEADLINE_S)
        assert not threads[-1].is_alive(), "the moderator thread hangs"
        assert server.starts == 2, "the server was not restarted"

        # -- calm: every phone sends what is left, then catches up once more ---------------------
        calm = time.monotonic() + 30
        for p in phones:
            p.finish(target, calm)
        for p in phones:
            p.joined = False  # one more join with since_seq: every change is in now
            assert p.ensure_joined(target, calm), f"{p.name} cannot join: {p.errors}"
        problems = [f"{p.name}: {e}" for p in phones for e in p.errors + p.board.problems]
        problems += [f"moderator: {e}" for e in moderator.errors]
        assert not problems, "\n".join(problems[:30])
        assert all(op.ack is not None for p in phones for op in p.ops), report(phones, moderator)
        assert sum(len(p.ops) for p in phones) == total, report(phones, moderator)

        # Resending an acknowledged op_id answers the very same idea (and creates nothing).
        for p in phones:
            first = p.ops[0]
            again = p.connection.call("create_idea", {"workshop_id": p.workshop_id,
                                                      "op_id": first.op_id, "text": "GEÄNDERT"})
            assert again == {"ok": True, "data": first.ack}, (p.name, again, first.ack)

        # -- every op exactly once on the server; every board equals the server's ---------------
        observer = Connection(target, moderator_api.token, {})
        try:
            snapshots = {wid: observer.call("join_workshop", {"workshop_id": wid})["data"]
                         for wid in workshop_ids}
        finally:
            observer.close()
        for wid, snapshot in snapshots.items():
            ops = [op for p in phones if p.workshop_id == wid for op in p.ops]
            texts = [idea["text"] for idea in snapshot["ideas"]]
            assert sorted(texts) == sorted(op.text for op in ops), (
                f"workshop {wid}: stored texts differ from the ops sent "
                f"(missing {set(op.text for op in ops) - set(texts)}, "
                f"duplicates {[t for t in texts if texts.count(t) > 1][:5]})")
            by_id = {idea["id"]: idea for idea in snapshot["ideas"]}
            for op in ops:
                assert by_id.get(op.ack["idea"]["id"]) == op.ack["idea"], (op, snapshot["seq"])
            assert snapshot["workshop"]["locked"] is False, snapshot["workshop"]
        moderator_api = Api(server.url, moderator_api.token)  # the restarted server's URL
        report_json = moderator_api.request("GET", f"/events/{event['id']}/report.json").json()
        for workshop in report_json["workshops"]:
            texts = [idea["text"] for idea in workshop["ideas"]]
            expected = [op.text for p in phones if p.workshop_id == workshop["id"]
                        for op in p.ops]
            assert sorted(texts) == sorted(expected), f"report, workshop {workshop['id']}"
        for p in phones:
            snapshot = snapshots[p.workshop_id]
            assert p.board.seq == snapshot["seq"], (p.name, p.board.seq, snapshot["seq"])
            assert p.board.ideas == {i["id"]: i for i in snapshot["ideas"]}, (
                f"{p.name}: its board differs from the server's snapshot")
            assert p.board.locked == snapshot["workshop"]["locked"], p.name
        print(f"[{async_mode}] {report(phones, moderator)}; "
              f"{time.monotonic() - began:.1f} s in all")
    finally:
        for p in phones:
            p.close()
        moderator.close()


def report(phones: list[Phone], moderator: Moderator) -> str:
    ops = [op for p in phones for op in p.ops]
    return (f"{sum(op.ack is not None for op in ops)}/{len(ops)} ideas acknowledged, "
            f"{sum(op.sends for op in ops)} sends, {sum(p.drops for p in phones)} drops, "
            f"{sum(p.reconnects for p in phones)} connections, "
            f"{sum(p.board.snapshots for p in phones)} snapshots, "
            f"{sum(p.board.applied for p in phones)} changes applied in seq order, "
            f"{sum(p.refused_locked for p in phones)} 'locked' answers, "
            f"{moderator.toggles} lock toggles")
