"""Benchmark: the first minute — a room of phones scans the QR code at once.

Starts ``pinnwand serve`` (eventlet, SQLite) on a fresh instance, creates an event with three
workshops and puts a **bystander** phone on each board that posts an idea every 200 ms
throughout. Then ``--phones`` phones arrive (``--shape burst``: all within ``--burst`` seconds;
``spread``: evenly over ``--window`` seconds) and each walks the whole way a participant's phone
does: ``POST /api/v1/join`` → Socket.IO connect (websocket) → ``join_workshop`` → its first
``create_idea``. The phones run in ``--workers`` processes (asyncio, python-socketio's
``AsyncClient``), so the load generator is not the bottleneck of one core.

Printed per stage and for the whole way: median, p99 and worst (ms), and every failure; the
bystanders' ack median, p99 and worst while the storm runs; the server's CPU seconds. Every
phone's first idea is checked to be stored exactly once (read back from the boards).

Targets (issue "Speed where people feel it"): 500 phones within 30 s, p99 ≤ 1 s, no failed
join, the bystanders' ack p99 ≤ 100 ms. Latencies are measured at the client on the same
machine, so they include the load generator's own waits on a busy machine.

    .venv/bin/python -m bench.join_storm [--phones 500] [--shape burst|spread|both]
        [--burst 5] [--window 30] [--workers 4] [--json results.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from tests.support.server import Api, LiveClient, ServerProcess, create_moderator, server_env

MODERATOR = ("storm@example.org", "bench-password-123")
STAGES = ("join_http", "connect", "join_workshop", "first_post", "total")
BYSTANDER_PERIOD_S = 0.2
TIMEOUT_S = 60


def summary(values: list[float]) -> dict:
    """Median, p99 and worst of ``values`` (ms), and how many."""
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    return {"n": len(ordered), "median": round(statistics.median(ordered), 1),
            "p99": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
            "worst": round(ordered[-1], 1)}


# -- the phones (worker processes) ----------------------------------------------------------

async def one_phone(url: str, code: str, workshop_id: int, number: int, http) -> dict:
    """Walk one phone from the join code to its first acknowledged idea; the stage times (ms)
    or the failure."""
    import socketio

    times, began = {}, time.perf_counter()
    mark = began
    sio = socketio.AsyncClient(reconnection=False)

    def lap(stage: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        times[stage] = (now - mark) * 1000
        mark = now

    try:
        async with http.post(f"{url}/api/v1/join",
                             json={"code": code, "name": f"Phone {number}"}) as answer:
            if answer.status != 200:
                return {"failed": f"join {answer.status}: {(await answer.text())[:120]}"}
            token = (await answer.json())["token"]
        lap("join_http")
        await sio.connect(url, auth={"token": token}, transports=["websocket"],
                          wait_timeout=TIMEOUT_S)
        lap("connect")
        ack = await sio.call("join_workshop", {"workshop_id": workshop_id}, timeout=TIMEOUT_S)
        if not ack.get("ok"):
            return {"failed": f"join_workshop {ack}"}
        lap("join_workshop")
        text = f"storm {number}"
        ack = await sio.call("create_idea", {"workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
                                             "text": text}, timeout=TIMEOUT_S)
        if not ack.get("ok"):
            return {"failed": f"create_idea {ack}"}
        lap("first_post")
        times["total"] = (time.perf_counter() - began) * 1000
        return {"times": times, "text": text}
    except Exception as error:  # a failed phone is a result, not a crash of the benchmark
        return {"failed": f"{type(error).__name__}: {error}"}
    finally:
        if sio.connected:
            await sio.disconnect()


async def worker_phones(url: str, code: str, plan: list[tuple[int, int, float]],
                        start_at: float) -> list[dict]:
    """Start each planned phone ``(number, workshop_id, offset_s)`` at ``start_at + offset``
    (wall clock, shared by every process) and collect the outcomes."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as http:

        async def scheduled(number: int, workshop_id: int, offset: float) -> dict:
            await asyncio.sleep(max(0.0, start_at + offset - time.time()))
            return await one_phone(url, code, workshop_id, number, http)

        return await asyncio.gather(*(scheduled(*item) for item in plan))


def worker_main(args: tuple) -> list[dict]:
    """Entry point of one worker process."""
    return asyncio.run(worker_phones(*args))


# -- the bystanders (threads of this process) -----------------------------------------------

class Bystander(threading.Thread):
    """A phone on one board that posts every 200 ms and records its acks (ms)."""

    def __init__(self, url: str, code: str, workshop_id: int, label: str):
        super().__init__(daemon=True)
        token = Api(url).post("/join", {"code": code, "name": label})["token"]
        self.client = LiveClient(url, token, label).connect()
        self.client.call_ok("join_workshop", {"workshop_id": workshop_id})
        self.workshop_id = workshop_id
        self.acks: list[float] = []
        self.failures: list[str] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            began = time.perf_counter()
            ack = self.client.call("create_idea", {"workshop_id": self.workshop_id,
                                                   "op_id": uuid.uuid4().hex, "text": "calm"},
                                   timeout=TIMEOUT_S)
            took = time.perf_counter() - began
            if isinstance(ack, dict) and ack.get("ok"):
                self.acks.append(took * 1000)
            else:
                self.failures.append(str(ack)[:120])
            self.stopping.wait(max(0.0, BYSTANDER_PERIOD_S - took))


# -- one run --------------------------------------------------------------------------------

def offsets(phones: int, shape: str, burst: float, window: float) -> list[float]:
    """When each phone arrives, in seconds after the start."""
    span = burst if shape == "burst" else window
    return [span * n / max(1, phones - 1) for n in range(phones)]


def server_cpu_seconds(pid: int) -> float:
    """The server process's user + system CPU seconds so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stored_once(moderator: Api, event_id: int, texts: list[str]) -> list[str]:
    """The storm's texts not stored exactly once (read back from the JSON report)."""
    report = moderator.get(f"/events/{event_id}/report.json")
    counts: dict[str, int] = {}
    for workshop in report["workshops"]:
        for idea in workshop["ideas"]:
            counts[idea["text"]] = counts.get(idea["text"], 0) + 1
    return [text for text in texts if counts.get(text) != 1]


def run(phones: int, shape: str, burst: float, window: float, workers: int) -> dict:
    """One storm against a fresh server; its figures."""
    with tempfile.TemporaryDirectory(prefix="pinnwand-join-storm-") as folder:
        instance = Path(folder) / "instance"
        instance.mkdir()
        env = server_env(instance)
        with ServerProcess(env, cwd=Path(folder)) as server:
            create_moderator(env, *MODERATOR, "Bench")
            moderator = Api(server.url).login(*MODERATOR)
            event = moderator.post("/events", {"title": "Storm", "workshops": [
                {"title": f"Workshop {n}", "question": "?"} for n in (1, 2, 3)]}, expect=201)
            code, ids = event["join_code"], [w["id"] for w in event["workshops"]]
            bystanders = [Bystander(server.url, code, w, f"Bystander {w}") for w in ids]
            plan = [(n, ids[n % len(ids)], offset)
                    for n, offset in enumerate(offsets(phones, shape, burst, window))]
            start_at = time.time() + 3.0  # every worker is up and waiting by then
            cpu_before = server_cpu_seconds(server.process.pid)
            for bystander in bystanders:
                bystander.start()
            ctx = mp.get_context("spawn")
            with ctx.Pool(workers) as pool:
                shares = pool.map(worker_main, [(server.url, code, plan[i::workers], start_at)
                                                for i in range(workers)])
            for bystander in bystanders:
                bystander.stopping.set()
                bystander.join(TIMEOUT_S)
                bystander.client.close()
            cpu = server_cpu_seconds(server.process.pid) - cpu_before
            outcomes = [outcome for share in shares for outcome in share]
            done = [o for o in outcomes if "times" in o]
            missing = stored_once(moderator, event["id"], [o["text"] for o in done])
    return {
        "phones": phones, "shape": shape,
        "arrival_s": burst if shape == "burst" else window,
        "failed": [o["failed"] for o in outcomes if "failed" in o],
        "stages_ms": {stage: summary([o["times"][stage] for o in done]) for stage in STAGES},
        "bystander_ack_ms": summary([a for b in bystanders for a in b.acks]),
        "bystander_failures": [f for b in bystanders for f in b.failures],
        "server_cpu_s": round(cpu, 2),
        "not_stored_once": missing,
    }


def print_result(result: dict) -> None:
    print(f"== {result['phones']} phones, {result['shape']} over {result['arrival_s']} s: "
          f"{len(result['failed'])} failed, server CPU {result['server_cpu_s']} s, "
          f"{len(result['not_stored_once'])} first ideas not stored exactly once")
    for stage, figures in result["stages_ms"].items():
        print(f"   {stage:14} {figures}")
    print(f"   bystanders     {result['bystander_ack_ms']} "
          f"failures {len(result['bystander_failures'])}")
    for failure in result["failed"][:5]:
        print(f"   failed: {failure}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.join_storm", description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--shape", choices=("burst", "spread", "both"), default="both")
    parser.add_argument("--burst", type=float, default=5.0)
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    shapes = ("burst", "spread") if args.shape == "both" else (args.shape,)
    results = []
    for _ in range(args.repeats):
        for shape in shapes:  # alternating shapes
            result = run(args.phones, shape, args.burst, args.window, args.workers)
            print_result(result)
            results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    failed = any(r["failed"] or r["not_stored_once"] for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
