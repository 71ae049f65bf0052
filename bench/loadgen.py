"""Load generator: real Socket.IO phones posting ideas to parallel workshops.

The orchestrator (this process) signs in as a moderator and creates an event with R
workshops over HTTP; W worker processes (``multiprocessing``, spawn) then each join their
share of the R×P phones (``POST /api/v1/join``), connect them with python-socketio's
``AsyncClient`` over the websocket transport and send ``join_workshop``. Once every worker
reported "ready" through its pipe, the orchestrator says "go" and every phone posts its
ideas, either closed-loop (the next one as soon as the ack is back) or on a global open-loop
schedule at a set total rate.

Measured: ack latency (send → ack) at the sender; fan-out latency (send → ``idea_created``
at every *other* phone of the room), from the send time embedded in the idea's text
(``b|<phone>|<CLOCK_MONOTONIC ns>|padding``; the clock is shared by all processes of the
machine). Checked: every acked idea reaches every member of its room exactly once, nothing
unacked arrives, and each phone's ``seq``s are gapless from the snapshot it joined with.

Coordination is by messages over pipes (ready → go → posted → expect → drained → done →
close), never by sleeping. Only 127.0.0.1 is a target; every wait is bounded.

Stand-alone use against a running server::

    python -m bench.loadgen --url http://127.0.0.1:5000 --email you@example.org \\
        --password 'a long secret' --rooms 4 --phones 25 --ideas 8
"""

from __future__ import annotations

import argparse
import array
import asyncio
import itertools
import json
import math
import multiprocessing as mp
import os
import subprocess
import sys
import time
import traceback
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

PHASE_TIMEOUT_S = 900  # the longest any one phase may take before the run is abandoned
HTTP_TIMEOUT_S = 60


@dataclass
class LoadSpec:
    """What load to put on the server."""

    rooms: int = 4  # R workshops
    phones: int = 25  # P phones per workshop
    ideas: int = 8  # K ideas per phone (closed loop), unless ideas_total or minutes is set
    ideas_total: int | None = None  # spread round-robin over all phones
    rate: float | None = None  # total ideas/s, open loop; None: as fast as acks return
    minutes: float | None = None  # with rate: post for this long (sets the idea count)
    workers: int = 2  # load generator processes
    text_size: int = 60  # characters per idea text
    connect_concurrency: int = 25  # joins/connects in flight per worker
    ack_timeout: float = 60.0
    drain_timeout: float = 30.0  # wait this long without progress for missing deliveries
    timeline: bool = False  # keep (send time, latency) pairs for over-time figures

    @property
    def total_phones(self) -> int:
        return self.rooms * self.phones

    @property
    def planned_ideas(self) -> int:
        if self.rate and self.minutes:
            return max(1, round(self.rate * self.minutes * 60))
        if self.ideas_total is not None:
            return self.ideas_total
        return self.ideas * self.total_phones

    def ideas_of(self, phone: int) -> range:
        """The global numbers ``j`` of the ideas phone ``phone`` posts (idea j: phone j % N)."""
        return range(phone, self.planned_ideas, self.total_phones)

    def room_of(self, phone: int) -> int:
        return phone % self.rooms

    def worker_of(self, phone: int) -> int:
        return (phone // self.rooms) % self.workers

    def server_of(self, phone: int, servers: int) -> int:
        """With several server processes: which one the phone talks to. Every room and every
        worker has phones on every server, as behind a round-robin load balancer."""
        return (phone // (self.rooms * self.workers)) % servers


# -- statistics -----------------------------------------------------------------------------


def percentile(sorted_values, q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100) of an already sorted sequence."""
    if not len(sorted_values):
        return None
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


def summarise(values) -> dict:
    """p50/p90/p99/max/mean of latencies in ms."""
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "p50": percentile(ordered, 50),
        "p90": percentile(ordered, 90),
        "p99": percentile(ordered, 99),
        "max": float(ordered[-1]),
        "mean": sum(ordered) / len(ordered),
    }


# -- HTTP set-up (orchestrator) -------------------------------------------------------------


def _check_local(url: str) -> None:
    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"bench: refusing to load {host!r}: only loopback addresses")


def create_moderator(email: str, password: str, env: dict[str, str], cwd: str | Path) -> None:
    """``pinnwand create-moderator EMAIL --password-stdin`` with the server's environment."""
    command = [str(Path(sys.executable).with_name("pinnwand")), "create-moderator", email,
               "--password-stdin", "--name", "Bench"]
    done = subprocess.run(command, input=password + "\n", env=env, cwd=cwd, text=True,
                          capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"create-moderator failed: {done.stdout}{done.stderr}")


def sign_in(base_url: str, email: str, password: str) -> str:
    """A moderator token from ``POST /api/v1/auth/token``."""
    import requests

    answer = requests.post(f"{base_url}/api/v1/auth/token",
                           json={"email": email, "password": password}, timeout=HTTP_TIMEOUT_S)
    answer.raise_for_status()
    return answer.json()["token"]


def create_event(base_url: str, token: str, rooms: int, title: str = "Bench") -> dict:
    """``POST /api/v1/events`` with ``rooms`` workshops; the event as answered."""
    import requests

    body = {"title": title, "workshops": [
        {"title": f"Workshop {n + 1}", "question": f"Question {n + 1}?"} for n in range(rooms)
    ]}
    answer = requests.post(f"{base_url}/api/v1/events", json=body, timeout=HTTP_TIMEOUT_S,
                           headers={"Authorization": f"Bearer {token}"})
    answer.raise_for_status()
    return answer.json()


# -- a phone's protocol (shared by the async worker and bench.threaded_clients) --------------


def join_body(join_code: str, number: int) -> dict:
    """The body of phone ``number``'s ``POST /api/v1/join``."""
    return {"code": join_code, "name": f"Phone {number}"}


def joined_seq(ack) -> int:
    """The board's ``seq`` from a ``join_workshop`` ack; raises when the join was refused."""
    if not isinstance(ack, dict) or not ack.get("ok"):
        raise RuntimeError(f"join_workshop refused: {ack}")
    return ack["data"]["seq"]


def idea_text(number: int, sent_ns: int, size: int) -> str:
    """``b|<phone>|<CLOCK_MONOTONIC ns>|padding``, ``size`` characters (at least one pad)."""
    head = f"b|{number}|{sent_ns}|"
    return head + "x" * max(1, size - len(head))


def idea_payload(workshop_id: int, text: str) -> dict:
    """A ``create_idea`` payload with a fresh ``op_id``."""
    return {"workshop_id": workshop_id, "op_id": uuid.uuid4().hex, "text": text}


def ack_outcome(ack) -> tuple[dict | None, str | None]:
    """``(data, None)`` for an ok ``create_idea`` ack, else ``(None, error code)``."""
    if isinstance(ack, dict) and ack.get("ok"):
        return ack["data"], None
    return None, (ack or {}).get("error", {}).get("code", "bad_ack")


def note_delivery(phone: Phone, data: dict) -> dict:
    """Record an ``idea_created`` broadcast at ``phone`` (its seq and idea id); the idea."""
    idea = data["idea"]
    phone.seqs.append(data["seq"])
    phone.ids.append(idea["id"])
    return idea


def verify_phones(phones, acked: dict[int, list[int]]) -> dict:
    """Every acked idea exactly once at every phone of its room, nothing else; gapless
    ``seq``s from the snapshot each phone joined with (and how many arrived out of order)."""
    missing = duplicates = extra = gaps = out_of_order = 0
    acked_sets = {w: set(ids) for w, ids in acked.items()}
    for phone in phones:
        want = acked_sets.get(phone.workshop_id, set())
        got = Counter(phone.ids)
        missing += len(want - got.keys())
        duplicates += sum(n - 1 for n in got.values() if n > 1)
        extra += len(got.keys() - want)
        seqs = list(phone.seqs)
        out_of_order += sum(1 for a, b in itertools.pairwise(seqs) if b < a)
        unique = sorted(set(seqs))
        if unique:
            expected = list(range(phone.base_seq + 1, phone.base_seq + 1 + len(unique)))
            gaps += unique != expected
    return {"missing": missing, "duplicates": duplicates, "extra": extra,
            "phones_with_seq_gaps": gaps, "out_of_order": out_of_order}


# -- worker process -------------------------------------------------------------------------


class Phone:
    """One participant's socket and what it received."""

    __slots__ = ("base_seq", "ids", "number", "seqs", "sio", "token", "url", "workshop_id")

    def __init__(self, number: int, workshop_id: int, url: str):
        self.number, self.workshop_id, self.url = number, workshop_id, url
        self.token = self.sio = None
        self.base_seq = 0
        self.seqs = array.array("q")
        self.ids = array.array("q")


class Worker:
    """One load generator process: its phones, their sends and receipts."""

    def __init__(self, conn, index: int, spec: LoadSpec, join_code: str,
                 phones: list[tuple[int, int, str]]):
        self.conn, self.index, self.spec = conn, index, spec
        self.join_code = join_code
        self.phones = [Phone(number, workshop_id, url) for number, workshop_id, url in phones]
        self.fanout = array.array("f")  # ms
        self.fanout_sent = array.array("f")  # s after go, with timeline
        self.ack_ms = array.array("f")
        self.acks: list[tuple[int, int, int]] = []  # (workshop_id, idea id, seq)
        self.errors: Counter = Counter()
        self.received = 0
        self.expected = 0
        self.everything = None  # asyncio.Event, set when all expected deliveries arrived
        self.progress = None  # asyncio.Event, set on every delivery while draining
        self.go_ns = 0

    # pipe helpers: the pipe is blocking, so receive in a thread
    async def recv(self):
        loop = asyncio.get_running_loop()
        ready = await loop.run_in_executor(None, self.conn.poll, PHASE_TIMEOUT_S)
        if not ready:
            raise TimeoutError("the orchestrator said nothing for too long")
        return self.conn.recv()

    def send(self, *message) -> None:
        self.conn.send(message)

    def handler(self, phone: Phone):
        own = str(phone.number)

        def on_idea_created(data):
            now = time.monotonic_ns()
            idea = note_delivery(phone, data)
            parts = (idea.get("text") or "").split("|", 3)
            if len(parts) == 4 and parts[0] == "b" and parts[1] != own:
                sent = int(parts[2])
                self.fanout.append((now - sent) / 1e6)
                if self.spec.timeline:
                    self.fanout_sent.append((sent - self.go_ns) / 1e9)
            self.received += 1
            if self.progress is not None:
                self.progress.set()
            if self.expected and self.received >= self.expected:
                self.everything.set()

        return on_idea_created

    async def connect_all(self) -> dict:
        import aiohttp
        import socketio

        began = time.perf_counter()
        limit = asyncio.Semaphore(self.spec.connect_concurrency)
        timeout = aiohttp.ClientTimeout(total=HTTP_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as http:

            async def join(phone: Phone):
                async with limit:
                    body = join_body(self.join_code, phone.number)
                    async with http.post(f"{phone.url}/api/v1/join", json=body) as answer:
                        answer.raise_for_status()
                        phone.token = (await answer.json())["token"]

            await asyncio.gather(*(join(phone) for phone in self.phones))
        joined = time.perf_counter()

        async def connect(phone: Phone):
            async with limit:
                sio = socketio.AsyncClient(reconnection=False)
                sio.on("idea_created", self.handler(phone))
                await sio.connect(phone.url, auth={"token": phone.token},
                                  transports=["websocket"], wait_timeout=HTTP_TIMEOUT_S)
                phone.sio = sio
                phone.base_seq = joined_seq(await sio.call(
                    "join_workshop", {"workshop_id": phone.workshop_id}, timeout=HTTP_TIMEOUT_S))

        await asyncio.gather(*(connect(phone) for phone in self.phones))
        return {"join_s": joined - began, "connect_s": time.perf_counter() - joined}

    def text(self, phone: Phone, sent_ns: int) -> str:
        return idea_text(phone.number, sent_ns, self.spec.text_size)

    async def post(self, phone: Phone) -> None:
        import socketio

        sent = time.monotonic_ns()
        payload = idea_payload(phone.workshop_id, self.text(phone, sent))
        try:
            ack = await phone.sio.call("create_idea", payload, timeout=self.spec.ack_timeout)
        except socketio.exceptions.TimeoutError:
            self.errors["ack_timeout"] += 1
            return
        except Exception as error:  # a dropped connection, for one
            self.errors[type(error).__name__] += 1
            return
        latency = (time.monotonic_ns() - sent) / 1e6
        data, code = ack_outcome(ack)
        if data is not None:
            self.ack_ms.append(latency)
            self.acks.append((phone.workshop_id, data["idea"]["id"], data["seq"]))
        else:
            self.errors[code] += 1

    async def post_closed_loop(self) -> None:
        async def phone_loop(phone: Phone):
            for _ in self.spec.ideas_of(phone.number):
                await self.post(phone)

        await asyncio.gather(*(phone_loop(phone) for phone in self.phones))

    async def post_open_loop(self) -> None:
        schedule = sorted((j, phone) for phone in self.phones
                          for j in self.spec.ideas_of(phone.number))
        interval_ns = 1e9 / self.spec.rate
        tasks = []
        for j, phone in schedule:
            delay = (self.go_ns + j * interval_ns - time.monotonic_ns()) / 1e9
            if delay > 0:
                await asyncio.sleep(delay)  # pacing of the open-loop schedule
            tasks.append(asyncio.create_task(self.post(phone)))
        await asyncio.gather(*tasks)

    async def drain(self) -> bool:
        """Wait until every expected delivery arrived, or until nothing arrived for
        ``drain_timeout`` seconds; whether everything arrived."""
        deadline = time.monotonic() + PHASE_TIMEOUT_S
        while not self.everything.is_set() and time.monotonic() < deadline:
            self.progress.clear()
            waiter = asyncio.ensure_future(self.everything.wait())
            progress = asyncio.ensure_future(self.progress.wait())
            done, pending = await asyncio.wait({waiter, progress},
                                               timeout=self.spec.drain_timeout,
                                               return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            if not done:
                break
        return self.everything.is_set()

    def verify(self, acked: dict[int, list[int]]) -> dict:
        """Every acked idea exactly once at every phone of its room; gapless ``seq``s."""
        return verify_phones(self.phones, acked)

    async def main(self) -> None:
        self.everything, self.progress = asyncio.Event(), asyncio.Event()
        connect = await self.connect_all()
        self.send("ready", connect)
        message = await self.recv()
        if message[0] == "go":
            self.go_ns = message[1]
            cpu0, wall0 = time.process_time(), time.perf_counter()
            if self.spec.rate:
                await self.post_open_loop()
            else:
                await self.post_closed_loop()
            self.send("posted", self.acks, dict(self.errors))
            kind, counts, acked = await self.recv()
            assert kind == "expect", kind
            self.expected = sum(counts.get(phone.workshop_id, 0) for phone in self.phones)
            if self.received >= self.expected:
                self.everything.set()
            complete = await self.drain()
            self.send("drained", complete)
            cpu1, wall1 = time.process_time(), time.perf_counter()
            result = {
                "deliveries": self.received, "expected": self.expected, "complete": complete,
                **self.verify(acked), "cpu_s": cpu1 - cpu0, "wall_s": wall1 - wall0,
            }
            self.send("done", result, self.ack_ms, self.fanout, self.fanout_sent)
            message = await self.recv()
        await asyncio.gather(*(phone.sio.disconnect() for phone in self.phones if phone.sio),
                             return_exceptions=True)
        self.send("closed")


def _worker_main(conn, index, spec_dict, join_code, phones) -> None:
    spec = LoadSpec(**spec_dict)
    try:
        asyncio.run(Worker(conn, index, spec, join_code, phones).main())
    except BaseException:
        conn.send(("error", traceback.format_exc()))
        raise
    finally:
        conn.close()


# -- orchestrator ---------------------------------------------------------------------------


@dataclass
class Hooks:
    """Called by :class:`LoadGenerator` between phases (server measurements in bench.run)."""

    after_connect: object = None  # () -> dict
    before_posting: object = None  # () -> dict
    after_posting: object = None  # () -> dict

    def call(self, name: str) -> dict:
        hook = getattr(self, name)
        return dict(hook() or {}) if hook else {}


@dataclass
class LoadGenerator:
    """Drive one load run against ``base_url`` (and ``more_urls``: further processes of the
    same server, sharing its database; phones are spread over all) and return its figures."""

    base_url: str
    spec: LoadSpec
    email: str = "bench@example.org"
    password: str = "bench-password-123"
    hooks: Hooks = field(default_factory=Hooks)
    event: dict | None = None  # reuse an event (e.g. to fill a board) instead of creating one
    more_urls: list[str] = field(default_factory=list)

    def _expect(self, conns, kind: str, timeout: float = PHASE_TIMEOUT_S) -> list:
        answers = []
        for index, conn in enumerate(conns):
            if not conn.poll(timeout):
                raise TimeoutError(f"worker {index} did not report {kind!r} in {timeout} s")
            message = conn.recv()
            if message[0] == "error":
                raise RuntimeError(f"worker {index} failed:\n{message[1]}")
            if message[0] != kind:
                raise RuntimeError(f"worker {index} said {message[0]!r}, expected {kind!r}")
            answers.append(message[1:])
        return answers

    def run(self) -> dict:
        urls = [self.base_url, *self.more_urls]
        for url in urls:
            _check_local(url)
        spec = self.spec
        token = sign_in(self.base_url, self.email, self.password)
        event = self.event or create_event(self.base_url, token, spec.rooms)
        workshop_ids = [w["id"] for w in event["workshops"][: spec.rooms]]
        shares: list[list[tuple[int, int, str]]] = [[] for _ in range(spec.workers)]
        for number in range(spec.total_phones):
            shares[spec.worker_of(number)].append(
                (number, workshop_ids[spec.room_of(number)],
                 urls[spec.server_of(number, len(urls))]))
        context = mp.get_context("spawn")
        conns, processes = [], []
        began = time.perf_counter()
        for index, share in enumerate(shares):
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_worker_main, daemon=True, name=f"loadgen-{index}",
                args=(theirs, index, asdict(spec), event["join_code"], share))
            process.start()
            theirs.close()
            conns.append(mine)
            processes.append(process)
        result: dict = {"spec": asdict(spec), "planned_ideas": spec.planned_ideas,
                        "event_id": event["id"], "workshop_ids": workshop_ids}
        try:
            ready = self._expect(conns, "ready")
            result["connect_wall_s"] = time.perf_counter() - began
            result["connect"] = {key: max(r[0][key] for r in ready) for key in ready[0][0]}
            result["server_after_connect"] = self.hooks.call("after_connect")
            result["server_before_posting"] = self.hooks.call("before_posting")
            go_ns = time.monotonic_ns() + 50_000_000
            wall0, cpu0 = time.perf_counter(), time.process_time()
            for conn in conns:
                conn.send(("go", go_ns))
            posted = self._expect(conns, "posted")
            acked: dict[int, list[int]] = {w: [] for w in workshop_ids}
            errors: Counter = Counter()
            seqs: dict[int, list[int]] = {w: [] for w in workshop_ids}
            for acks, worker_errors in posted:
                errors.update(worker_errors)
                for workshop_id, idea_id, seq in acks:
                    acked[workshop_id].append(idea_id)
                    seqs[workshop_id].append(seq)
            counts = {w: len(ids) for w, ids in acked.items()}
            for conn in conns:
                conn.send(("expect", counts, acked))
            drained = self._expect(conns, "drained")
            posting_wall = time.perf_counter() - wall0
            result["server_after_posting"] = self.hooks.call("after_posting")
            done = self._expect(conns, "done")
            for conn in conns:
                conn.send(("close",))
            self._expect(conns, "closed", timeout=120)
        finally:
            for conn in conns:  # a worker still waiting sees EOF and stops
                conn.close()
            for process in processes:
                process.join(timeout=30)
                if process.is_alive():
                    process.kill()
        ack_ms, fanout, fanout_sent = array.array("f"), array.array("f"), array.array("f")
        checks: Counter = Counter()
        loadgen_cpu = 0.0
        for worker_result, worker_ack, worker_fanout, worker_sent in done:
            ack_ms.extend(worker_ack)
            fanout.extend(worker_fanout)
            fanout_sent.extend(worker_sent)
            loadgen_cpu += worker_result["cpu_s"]
            for key in ("deliveries", "expected", "missing", "duplicates", "extra",
                        "phones_with_seq_gaps", "out_of_order"):
                checks[key] += worker_result[key]
        duplicate_seqs = sum(len(s) - len(set(s)) for s in seqs.values())
        acked_total = sum(counts.values())
        result.update({
            "acked": acked_total,
            "errors": dict(errors),
            "all_delivered": all(d[0] for d in drained),
            "deliveries": checks["deliveries"],
            "expected_deliveries": checks["expected"],
            "checks": {key: checks[key] for key in ("missing", "duplicates", "extra",
                                                      "phones_with_seq_gaps", "out_of_order")}
            | {"duplicate_acked_seqs": duplicate_seqs},
            "ok": (acked_total == spec.planned_ideas and not errors
                   and checks["deliveries"] == checks["expected"]
                   and not any(checks[k] for k in ("missing", "duplicates", "extra",
                                                    "phones_with_seq_gaps"))
                   and not duplicate_seqs),
            "posting_wall_s": posting_wall,
            "ideas_per_s": acked_total / posting_wall if posting_wall else None,
            "deliveries_per_s": checks["deliveries"] / posting_wall if posting_wall else None,
            "ack_ms": summarise(ack_ms),
            "fanout_ms": summarise(fanout),
            "loadgen": {"workers": spec.workers, "cpu_s": loadgen_cpu,
                        "orchestrator_cpu_s": time.process_time() - cpu0,
                        "busy_share_of_2_cores": loadgen_cpu / (posting_wall * 2)
                        if posting_wall else None},
        })
        if spec.timeline:
            result["timeline"] = timeline(fanout_sent, fanout)
        return result


def timeline(sent_s, latencies, bucket_s: float | None = None) -> list[dict]:
    """Fan-out latency percentiles per bucket of send time."""
    if not len(sent_s):
        return []
    span = max(sent_s)
    bucket_s = bucket_s or (10.0 if span <= 180 else 30.0)
    buckets: dict[int, list[float]] = {}
    for when, latency in zip(sent_s, latencies, strict=True):
        buckets.setdefault(int(when // bucket_s), []).append(latency)
    return [{"t_s": (key + 0.5) * bucket_s, **summarise(values)}
            for key, values in sorted(buckets.items())]


# -- board probe ----------------------------------------------------------------------------


async def _probe(base_url: str, token: str, workshop_id: int, repeats: int,
                 since_backs: tuple[int, ...], cpu) -> dict:
    import socketio

    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(base_url, auth={"token": token}, transports=["websocket"],
                      wait_timeout=HTTP_TIMEOUT_S)
    try:
        snapshot_ms, snapshot_bytes, seq, ideas = [], 0, 0, 0
        cpu0 = cpu()
        for _ in range(repeats):
            began = time.perf_counter()
            ack = await sio.call("join_workshop", {"workshop_id": workshop_id}, timeout=120)
            snapshot_ms.append((time.perf_counter() - began) * 1000)
            snapshot_bytes = len(json.dumps(ack, separators=(",", ":")).encode())
            seq, ideas = ack["data"]["seq"], len(ack["data"]["ideas"])
        snapshot_cpu_ms = (cpu() - cpu0) / repeats * 1000
        resync = {}
        for back in since_backs:
            if back > seq:
                continue
            times, size, kind = [], 0, None
            cpu0 = cpu()
            for _ in range(repeats):
                began = time.perf_counter()
                ack = await sio.call("join_workshop",
                                     {"workshop_id": workshop_id, "since_seq": seq - back},
                                     timeout=120)
                times.append((time.perf_counter() - began) * 1000)
                size = len(json.dumps(ack, separators=(",", ":")).encode())
                kind = "events" if "events" in ack["data"] else "snapshot"
            resync[str(back)] = {"ms": summarise(times), "bytes": size, "answer": kind,
                                 "server_cpu_ms": (cpu() - cpu0) / repeats * 1000}
        return {"ideas": ideas, "seq": seq, "snapshot_ms": summarise(snapshot_ms),
                "snapshot_bytes": snapshot_bytes, "snapshot_server_cpu_ms": snapshot_cpu_ms,
                "since_seq": resync}
    finally:
        await sio.disconnect()


def probe_board(base_url: str, join_code: str, workshop_id: int, repeats: int = 5,
                since_backs: tuple[int, ...] = (10, 100, 1000), cpu=None) -> dict:
    """Time ``join_workshop`` (snapshot, and ``since_seq`` resyncs ``since_backs`` behind)
    for a fresh phone of the board; sizes are the JSON bytes of the ack. ``cpu()`` reads the
    server's CPU seconds (server CPU per call is reported when given)."""
    import requests

    _check_local(base_url)
    joined = requests.post(f"{base_url}/api/v1/join", json={"code": join_code, "name": "Probe"},
                           timeout=HTTP_TIMEOUT_S)
    joined.raise_for_status()
    return asyncio.run(_probe(base_url, joined.json()["token"], workshop_id, repeats,
                              since_backs, cpu or (lambda: 0.0)))


# -- command line ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.loadgen", description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--email", default="bench@example.org")
    parser.add_argument("--password", default="bench-password-123")
    parser.add_argument("--create-moderator", action="store_true",
                        help="first run `pinnwand create-moderator` with this environment")
    parser.add_argument("--rooms", type=int, default=4)
    parser.add_argument("--phones", type=int, default=25, help="per room")
    parser.add_argument("--ideas", type=int, default=8, help="per phone")
    parser.add_argument("--rate", type=float, default=None, help="total ideas/s (open loop)")
    parser.add_argument("--minutes", type=float, default=None, help="with --rate")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.create_moderator:
        create_moderator(args.email, args.password, dict(os.environ), os.getcwd())
    spec = LoadSpec(rooms=args.rooms, phones=args.phones, ideas=args.ideas, rate=args.rate,
                    minutes=args.minutes, workers=args.workers)
    result = LoadGenerator(args.url.rstrip("/"), spec, args.email, args.password).run()
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
