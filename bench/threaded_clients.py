"""Benchmark: 100 synchronous Socket.IO clients on threads in one process, posting ideas.

The other load shape of issue "Speed where people feel it": not the async load generator's
bursts (``bench.run --scenario standard``) but python-socketio's *synchronous*
``socketio.Client`` — one per thread, all in this one process — so posts reach the server
spread out rather than in bursts. For each target (``pinnwand``, ``floor``; alternating,
``--repeats`` times) a fresh server (:class:`bench.servers.ServerUnderTest`) is warmed up,
an event with ``--rooms`` workshops is created and ``--rooms`` × ``--phones`` clients join it
the way the load generator's phones do (``POST /api/v1/join`` → websocket connect →
``join_workshop``). On "go" every client posts ``--ideas`` ideas, each as soon as the ack of
the one before is back (closed loop), or — with ``--rate R`` — on one global schedule of R
ideas/s in total (idea j at go + j/R, posted by client j mod N).

Measured: the server's CPU seconds (psutil) from right before "go" to the moment the last
expected delivery arrived, per delivered idea (every broadcast received by every member of
the room, the sender included). Checked: every acked idea arrives exactly once at every
member of its room, nothing unacked arrives, ``seq``s are gapless (as ``bench.loadgen``).
Printed per run, then medians, spread and pinnwand/floor; written to
``bench/results/threaded[-paced]-latest.json`` (and a time-stamped copy).

    .venv/bin/python -m bench.threaded_clients [--repeats 3] [--ideas 8] [--rate 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench.loadgen import (
    HTTP_TIMEOUT_S,
    PHASE_TIMEOUT_S,
    Phone,
    ack_outcome,
    create_event,
    idea_payload,
    idea_text,
    join_body,
    joined_seq,
    note_delivery,
    sign_in,
    summarise,
    verify_phones,
)
from bench.run import (
    RESULTS,
    ROOT,
    alternate,
    loadavg,
    machine,
    say,
    source_state,
    stamp,
    wait_for_quiet,
    warm_up,
)
from bench.run import TARGETS as SERVER_TARGETS
from bench.servers import EMAIL, PASSWORD, ServerUnderTest, export_source

TARGETS = ("pinnwand", "pinnwand-base", "floor")
TEXT_SIZE = 60
ACK_TIMEOUT_S = 60.0
DRAIN_TIMEOUT_S = 30.0  # give up when no delivery arrived for this long
CONNECT_THREADS = 25  # joins/connects in flight while setting up


class Deliveries:
    """All clients' receipts: a count and a condition to wait on until enough arrived."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def handler(self, phone: Phone):
        def on_idea_created(data):
            note_delivery(phone, data)
            with self.changed:
                self.count += 1
                self.changed.notify_all()

        return on_idea_created

    def wait_for(self, expected: int) -> bool:
        """Block until ``expected`` deliveries arrived, or until none arrived for
        ``DRAIN_TIMEOUT_S``; whether all arrived."""
        deadline = time.monotonic() + PHASE_TIMEOUT_S
        with self.changed:
            while self.count < expected and time.monotonic() < deadline:
                before = self.count
                self.changed.wait(DRAIN_TIMEOUT_S)
                if self.count == before:
                    break
            return self.count >= expected


def connect_phone(phone: Phone, join_code: str, deliveries: Deliveries, http) -> None:
    """Join the event over HTTP, connect a synchronous client and join the workshop."""
    import socketio

    answer = http.post(f"{phone.url}/api/v1/join", json=join_body(join_code, phone.number),
                       timeout=HTTP_TIMEOUT_S)
    answer.raise_for_status()
    phone.token = answer.json()["token"]
    sio = socketio.Client(reconnection=False)
    sio.on("idea_created", deliveries.handler(phone))
    sio.connect(phone.url, auth={"token": phone.token}, transports=["websocket"],
                wait_timeout=HTTP_TIMEOUT_S)
    phone.sio = sio
    phone.base_seq = joined_seq(sio.call("join_workshop", {"workshop_id": phone.workshop_id},
                                         timeout=HTTP_TIMEOUT_S))


class Poster:
    """The posting thread of one client: its ideas, closed loop or on the global schedule."""

    def __init__(self, phone: Phone, numbers: range, rate: float | None, results: dict):
        self.phone, self.numbers, self.rate = phone, numbers, rate
        self.acks, self.ack_ms = results["acks"], results["ack_ms"]
        self.errors, self.lock = results["errors"], results["lock"]

    def run(self, go_ns: int) -> None:
        for j in self.numbers:
            due = go_ns + (j * 1e9 / self.rate if self.rate else 0)
            delay = (due - time.monotonic_ns()) / 1e9
            if delay > 0:
                time.sleep(delay)  # pacing: the open-loop schedule (and the common start)
            self.post()

    def post(self) -> None:
        phone = self.phone
        sent = time.monotonic_ns()
        payload = idea_payload(phone.workshop_id, idea_text(phone.number, sent, TEXT_SIZE))
        try:
            ack = phone.sio.call("create_idea", payload, timeout=ACK_TIMEOUT_S)
        except Exception as error:  # a timeout or a dropped connection
            with self.lock:
                self.errors[type(error).__name__] += 1
            return
        latency_ms = (time.monotonic_ns() - sent) / 1e6
        data, code = ack_outcome(ack)
        with self.lock:
            if data is None:
                self.errors[code] += 1
            else:
                self.ack_ms.append(latency_ms)
                self.acks.append((phone.workshop_id, data["idea"]["id"], data["seq"]))


def run_clients(server: ServerUnderTest, rooms: int, phones_per_room: int, ideas: int,
                rate: float | None, profile_to: Path | None = None) -> dict:
    """One measured load against a started, warmed-up server; figures and checks. With
    ``profile_to``, py-spy records the server from right before "go" to the last delivery."""
    import requests

    token = sign_in(server.url, EMAIL, PASSWORD)
    event = create_event(server.url, token, rooms)
    workshop_ids = [w["id"] for w in event["workshops"][:rooms]]
    total = rooms * phones_per_room
    phones = [Phone(n, workshop_ids[n % rooms], server.url) for n in range(total)]
    deliveries = Deliveries()
    began = time.perf_counter()
    with requests.Session() as http, ThreadPoolExecutor(CONNECT_THREADS) as pool:
        list(pool.map(lambda p: connect_phone(p, event["join_code"], deliveries, http), phones))
    connect_s = time.perf_counter() - began
    results = {"acks": [], "ack_ms": [], "errors": Counter(), "lock": threading.Lock()}
    planned = ideas * total
    posters = [Poster(p, range(p.number, planned, total), rate, results) for p in phones]
    try:
        if profile_to:
            server.start_profile(profile_to)
            time.sleep(1.0)  # give py-spy time to attach
        go_ns = time.monotonic_ns() + 100_000_000
        times0 = server.ps.cpu_times()
        cpu0, wall0, own0 = server.cpu_s(), time.perf_counter(), time.process_time()
        threads = [threading.Thread(target=poster.run, args=(go_ns,), daemon=True)
                   for poster in posters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(PHASE_TIMEOUT_S)
        acked: dict[int, list[int]] = {w: [] for w in workshop_ids}
        for workshop_id, idea_id, _seq in results["acks"]:
            acked[workshop_id].append(idea_id)
        members = Counter(p.workshop_id for p in phones)
        expected = sum(len(ids) * members[w] for w, ids in acked.items())
        complete = deliveries.wait_for(expected)
        cpu, wall = server.cpu_s() - cpu0, time.perf_counter() - wall0
        times = server.ps.cpu_times()
        own_cpu = time.process_time() - own0
    finally:
        spy_said = server.stop_profile()[-2000:] if profile_to else ""
        with ThreadPoolExecutor(CONNECT_THREADS) as pool:
            list(pool.map(lambda p: p.sio and p.sio.disconnect(), phones))
    checks = verify_phones(phones, acked)
    seqs = Counter((w, seq) for w, _idea, seq in results["acks"])
    checks["duplicate_acked_seqs"] = sum(n - 1 for n in seqs.values() if n > 1)
    acked_total = len(results["acks"])
    delivered = deliveries.count
    return {
        "ok": (acked_total == planned and not results["errors"] and complete
               and delivered == expected and not any(
                   checks[k] for k in ("missing", "duplicates", "extra", "phones_with_seq_gaps",
                                       "duplicate_acked_seqs"))),
        "planned_ideas": planned, "acked": acked_total, "errors": dict(results["errors"]),
        "deliveries": delivered, "expected_deliveries": expected, "checks": checks,
        "server_cpu_s": cpu, "server_user_s": times.user - times0.user,
        "server_system_s": times.system - times0.system,
        "server_cpu_share": cpu / wall if wall else None,
        "cpu_us_per_delivery": cpu / max(1, delivered) * 1e6,
        "cpu_ms_per_idea": cpu / max(1, acked_total) * 1e3,
        "posting_wall_s": wall, "ideas_per_s": acked_total / wall if wall else None,
        "ack_ms": summarise(results["ack_ms"]), "connect_s": connect_s,
        "loadgen_cpu_s": own_cpu, **({"profile_stderr": spy_said} if spy_said else {}),
    }


def measure(target: str, args, profile_to: Path | None = None) -> dict:
    """A fresh server of ``target``, warmed up, under one threaded-client load (its posting
    recorded by py-spy into ``profile_to`` when given)."""
    busy = wait_for_quiet(args.max_busy)
    began = time.perf_counter()
    with ServerUnderTest(**SERVER_TARGETS[target]) as server:
        warm_up(server, 2)
        result = run_clients(server, args.rooms, args.phones, args.ideas, args.rate, profile_to)
    return {"target": target, "busy_cores_before": round(busy, 2), "loadavg": loadavg(),
            **result, "run_s": time.perf_counter() - began}


def profile(name: str, args) -> dict:
    """One more run of each target under py-spy; the summaries (see :mod:`bench.profile`)."""
    from bench.profile import report, summarise_profile

    out = {}
    for target in args.targets:
        raw = RESULTS / f"profile-{name}-{target}-{stamp()}.txt"
        run = measure(target, args, profile_to=raw)
        say("profiled:", brief(run))
        if not raw.exists():
            say(f"no profile of {target}: {run.get('profile_stderr', '')}")
            out[target] = {"run": run}
            continue
        summary = summarise_profile(raw)
        (RESULTS / f"profile-{name}-{target}-latest.txt").write_text(report(summary))
        out[target] = {"run": run, "raw": str(raw.relative_to(ROOT)), "summary": summary}
        say(f"-> {(RESULTS / f'profile-{name}-{target}-latest.txt').relative_to(ROOT)}")
    return out


def brief(run: dict) -> str:
    state = "ok" if run["ok"] else f"NOT OK {run['errors']} {run['checks']}"
    return (f"{run['target']:>13} cpu/delivery {run['cpu_us_per_delivery']:7.1f} µs  "
            f"cpu/idea {run['cpu_ms_per_idea']:6.2f} ms  ack p50/p99 "
            f"{run['ack_ms'].get('p50', 0):6.1f}/{run['ack_ms'].get('p99', 0):6.1f} ms  "
            f"{run['ideas_per_s']:6.0f} ideas/s  server {run['server_cpu_share']:.2f} cores "
            f"({run['server_system_s'] / max(run['server_cpu_s'], 1e-9):.0%} system)  "
            f"clients {run['loadgen_cpu_s']:.1f} s CPU  others busy "
            f"{run['busy_cores_before']:.1f}  {state}")


def summary(runs: list[dict]) -> dict:
    """Per target: median, min, max and spread ((max - min) / median) of the CPU figures;
    and pinnwand / floor of the medians."""
    out: dict = {}
    for target in TARGETS:
        group = [r for r in runs if r["target"] == target]
        if not group:
            continue
        out[target] = {"n": len(group), "all_ok": all(r["ok"] for r in group)}
        for name in ("cpu_us_per_delivery", "cpu_ms_per_idea", "ideas_per_s"):
            values = [r[name] for r in group]
            median = statistics.median(values)
            out[target][name] = {"median": median, "min": min(values), "max": max(values),
                                 "spread": (max(values) - min(values)) / median if median
                                 else None, "runs": values}
    for pinnwand in ("pinnwand", "pinnwand-base"):
        if pinnwand in out and "floor" in out:
            out[f"ratio_{pinnwand.replace('-', '_')}_floor"] = {
                name: out[pinnwand][name]["median"] / out["floor"][name]["median"]
                for name in ("cpu_us_per_delivery", "cpu_ms_per_idea")}
    return out


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.threaded_clients",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ideas", type=int, default=8, help="per client (default 8)")
    parser.add_argument("--rate", type=float, default=None,
                        help="ideas/s in total over all clients (paced); default: closed loop")
    parser.add_argument("--rooms", type=int, default=4, help="workshops (default 4)")
    parser.add_argument("--phones", type=int, default=25, help="clients per workshop (25)")
    parser.add_argument("--targets", default="pinnwand,floor")
    parser.add_argument("--max-busy", type=float, default=None,
                        help="before each run wait (up to 1 min) until other processes keep "
                             "fewer than this many cores busy")
    parser.add_argument("--baseline-ref", default=None,
                        help="add pinnwand-base to the rotation: this commit (exported with git "
                             "archive, e.g. HEAD) or this folder (holding pinnwand/: app/ "
                             "with migrations/ inside): before/after side by side")
    parser.add_argument("--profile", action="store_true",
                        help="one more run of each target under py-spy (not in the figures)")
    args = parser.parse_args(argv)
    args.targets = [t for t in args.targets.split(",") if t]
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    if args.baseline_ref and "pinnwand-base" not in args.targets:
        args.targets.insert(1, "pinnwand-base")
    if "pinnwand-base" in args.targets and not args.baseline_ref:
        parser.error("the pinnwand-base target needs --baseline-ref")
    return args


def use_baseline(ref: str) -> str:
    """Serve ``pinnwand-base`` from ``ref`` (a folder, or a commit exported for this run);
    what was used."""
    import atexit
    import shutil

    import bench.servers

    if Path(ref).is_dir():
        bench.servers.BASELINE_SOURCE = Path(ref).resolve()
        return f"folder {ref}"
    bench.servers.BASELINE_SOURCE, commit = export_source(ref)
    atexit.register(shutil.rmtree, bench.servers.BASELINE_SOURCE, True)
    return f"commit {commit} ({ref})"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    name = "threaded-paced" if args.rate else "threaded"
    shape = f"paced {args.rate:g} ideas/s" if args.rate else "closed loop"
    say(f"== {name}: {args.rooms}×{args.phones} threaded clients, {args.ideas} ideas each, "
        f"{shape}; load average {loadavg()}")
    began = time.perf_counter()
    source = source_state()
    if args.baseline_ref:
        source["baseline_code"] = use_baseline(args.baseline_ref)
        say(f"pinnwand-base: Pinnwand from {source['baseline_code']}")
    header = {"scenario": name, "started": datetime.now(UTC).isoformat(), "machine": machine(),
              "source": source, "loadavg_before": loadavg(),
              "command": " ".join(sys.argv),
              "spec": {"rooms": args.rooms, "phones": args.phones, "ideas": args.ideas,
                       "rate": args.rate, "repeats": args.repeats}}
    runs = []
    for rep, target in alternate(args.targets, args.repeats):
        run = measure(target, args)
        run["rep"] = rep
        runs.append(run)
        say(brief(run))
    result = {**header, "runs": runs, "summary": summary(runs), "loadavg_after": loadavg()}
    if args.profile:
        result["profiles"] = profile(name, args)
    result["duration_s"] = time.perf_counter() - began
    for target in args.targets:
        if target not in result["summary"]:
            continue
        figures = result["summary"][target]["cpu_us_per_delivery"]
        say(f"{target:>13} cpu/delivery median {figures['median']:.1f} µs "
            f"(min {figures['min']:.1f}, max {figures['max']:.1f}, "
            f"spread {figures['spread']:.0%})")
    for pinnwand in ("pinnwand", "pinnwand-base"):
        ratio = result["summary"].get(f"ratio_{pinnwand.replace('-', '_')}_floor")
        if ratio:
            say(f"{pinnwand}/floor cpu per delivery {ratio['cpu_us_per_delivery']:.2f}×")
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=1, default=str)
    path = RESULTS / f"{name}-{stamp()}.json"
    path.write_text(text)
    (RESULTS / f"{name}-latest.json").write_text(text)
    say(f"-> {path.relative_to(ROOT)} ({result['duration_s']:.0f} s)")
    return 0 if all(r["ok"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
