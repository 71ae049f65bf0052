"""The one benchmark command: Pinnwand against the bare-stack floor, same load, same run.

    .venv/bin/python -m bench.run --scenario standard            # 3 repeats, ~5 minutes
    .venv/bin/python -m bench.run --scenario room-size --quick   # growth curves, short
    .venv/bin/python -m bench.run --scenario soak --minutes 1

Scenarios (comma-separate several, or ``all``; ``curves`` = room-size, board-size,
connections, modes):

- ``standard``: 4 workshops × 25 phones, every phone posts 8 ideas as fast as acks return.
  Pinnwand and the floor alternate (P F X, X F P, P F X …; X = ``floor-flask``, the floor
  behind Flask-SocketIO), each on a fresh server process. Then one paced run (100 ideas/s
  in total) of Pinnwand, the floor and the experiments (TCP_NODELAY, gc.freeze) for
  latency; with ``--profile`` one more run each of Pinnwand and the floor under py-spy.
- ``room-size``: one workshop of 10 → 500 phones; server CPU per delivery.
- ``board-size``: one board filled to 100 → 10,000 ideas; join snapshot time/bytes and
  ``since_seq`` resync time/bytes.
- ``connections``: 100 → 1,000 connected phones; server memory per connection.
- ``modes``: the standard load in eventlet, gevent and threading.
- ``soak``: 20 workshops × 50 phones posting 20 ideas/s in total for ``--minutes``; fan-out
  p99 and server memory over time.

Every run: a fresh ``pinnwand serve --port 0`` (fresh instance folder,
``PINNWAND_IDEA_RATE_LIMIT=0``) or ``python -m bench.floor_server``; a small warm-up load;
then the measured load, with the server's CPU seconds (psutil) read right before "go" and
right after the last expected delivery arrived. Results go to ``bench/results/`` as JSON,
plots to ``docs/perf/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.loadgen import Hooks, LoadGenerator, LoadSpec, create_event, probe_board, sign_in
from bench.servers import (
    EMAIL,
    PASSWORD,
    ROOT,
    ServerUnderTest,
    SharedBackends,
    export_source,
)

RESULTS = ROOT / "bench" / "results"
PLOTS = ROOT / "docs" / "perf"
MB = 1024 * 1024
MAX_BUSY: float | None = None  # --max-busy
SCENARIOS = ("standard", "room-size", "board-size", "connections", "modes", "soak", "scale")
TARGETS = {  # name -> ServerUnderTest arguments
    "pinnwand": {"kind": "pinnwand"},
    # the same server at an earlier commit (--baseline-ref), for before/after in one rotation
    "pinnwand-base": {"kind": "pinnwand", "baseline": True},
    "floor": {"kind": "floor"},
    "floor-flask": {"kind": "floor", "flask": True},  # the floor behind Flask-SocketIO
    # the floor with the contract's six idea fields only (before the facilitation extension)
    "floor-contract": {"kind": "floor", "contract_idea": True},
    "floor-nodelay": {"kind": "floor", "nodelay": True},
    # experiments (bench/pinnwand_variant.py): what a suggested one-line change would give
    "pinnwand-nodelay": {"kind": "pinnwand", "nodelay": True},
    "pinnwand-gcfreeze": {"kind": "pinnwand", "variant": "gc-freeze"},
    "pinnwand-tuned": {"kind": "pinnwand", "nodelay": True, "variant": "gc-freeze"},
    # what the heartbeat (every board hears its latest seq every 5 s) costs
    "pinnwand-no-heartbeat": {"kind": "pinnwand", "extra_env": {"PINNWAND_HEARTBEAT_SECONDS": "0"}},
}


def say(*parts) -> None:
    print(*parts, flush=True)


def source_state() -> dict:
    """Which code was measured: the commit and whether app/ had uncommitted changes."""
    import subprocess

    def git(*words):
        done = subprocess.run(["git", *words], cwd=ROOT, capture_output=True, text=True,
                              timeout=30, check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "app", "migrations").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "app_uncommitted_files": len(changed)}


def machine() -> dict:
    """What the figures were taken on."""
    import psutil

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in ("python-socketio", "python-engineio", "flask-socketio", "eventlet", "gevent",
                 "sqlalchemy", "pydantic", "aiohttp"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:
            versions[name] = None
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gb":
            round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "packages": versions}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- one measured load run ------------------------------------------------------------------


def busy_cores(window_s: float = 2.0) -> float:
    """How many cores the machine keeps busy right now (all processes; between our runs that
    is the other engineers' load), measured over ``window_s``."""
    import psutil

    return psutil.cpu_percent(interval=window_s) / 100 * (os.cpu_count() or 1)


def wait_for_quiet(max_busy: float | None, limit_s: float = 60.0) -> float:
    """Wait (at most ``limit_s``) until other processes keep fewer than ``max_busy`` cores
    busy; the last reading."""
    busy = busy_cores(1.0)
    deadline = time.monotonic() + limit_s
    while max_busy is not None and busy > max_busy and time.monotonic() < deadline:
        busy = busy_cores(3.0)
    return busy


def warm_up(server: ServerUnderTest, workers: int) -> None:
    """A tiny load first, so imports, caches and pools are warm before measuring."""
    spec = LoadSpec(rooms=1, phones=2, ideas=2, workers=min(2, workers), drain_timeout=10)
    LoadGenerator(server.url, spec, EMAIL, PASSWORD).run()


def measure_load(target: str, mode: str, spec: LoadSpec, **options) -> dict:
    """:func:`measure_once`, tried a second time after a failure (the app under test may be
    mid-edit by someone else); a run that fails twice is recorded with its ``error``."""
    for attempt in (1, 2):
        try:
            return measure_once(target, mode, spec, **options)
        except (RuntimeError, TimeoutError, OSError) as error:
            say(f"{target} {mode}: attempt {attempt} failed: {str(error)[-600:]}")
            if attempt == 2:
                return {"target": target, "mode": mode, "ok": False, "error": str(error)[-4000:],
                        "loadavg": loadavg()}
            time.sleep(15)  # let a half-saved source tree settle before trying again
    raise AssertionError("unreachable")


def measure_once(target: str, mode: str, spec: LoadSpec, *, profile_to: Path | None = None,
                 sample_interval: float | None = None) -> dict:
    """Start a fresh server, warm it up, run ``spec`` against it, and return the figures.

    The server's RSS is sampled during the posting phase (every ``sample_interval`` s, kept
    in the result when given; else every 0.25 s for the peak only).
    """
    busy_before = wait_for_quiet(MAX_BUSY)
    began = time.perf_counter()
    with ServerUnderTest(mode=mode, **TARGETS[target]) as server:
        warm_up(server, spec.workers)
        marks: dict = {"base": server.snapshot()}
        samples: list = []

        def after_connect():
            marks["connected"] = server.snapshot()

        def before_posting():
            server.start_sampling(sample_interval or 0.25)
            if profile_to:
                server.start_profile(profile_to)
                time.sleep(1.0)  # give py-spy time to attach (profile runs are not measured)
            marks["before"] = server.snapshot()

        def after_posting():
            marks["after"] = server.snapshot()
            if profile_to:
                marks["profile_stderr"] = server.stop_profile()[-2000:]
            samples.extend(server.stop_sampling())

        hooks = Hooks(after_connect=after_connect, before_posting=before_posting,
                      after_posting=after_posting)
        load = LoadGenerator(server.url, spec, EMAIL, PASSWORD, hooks=hooks).run()
        marks["end"] = server.snapshot()
    cpu = marks["after"]["cpu_s"] - marks["before"]["cpu_s"]
    wall = marks["after"]["t"] - marks["before"]["t"]
    deliveries = load["deliveries"] or 1
    phones = spec.total_phones
    peak_load = max([rss for _, rss in samples]
                    + [marks[k]["rss"] for k in ("connected", "before", "after")])
    result = {
        "target": target, "mode": mode, "loadavg": loadavg(),
        "busy_cores_before": round(busy_before, 2),  # others' load just before the run
        "ok": load["ok"], "acked": load["acked"], "errors": load["errors"],
        "deliveries": load["deliveries"], "expected_deliveries": load["expected_deliveries"],
        "checks": load["checks"],
        "server_cpu_s": cpu,
        "server_cpu_share": cpu / wall if wall else None,
        "cpu_us_per_delivery": cpu / deliveries * 1e6,
        "cpu_ms_per_idea": cpu / max(1, load["acked"]) * 1e3,
        "ack_ms": load["ack_ms"], "fanout_ms": load["fanout_ms"],
        "posting_wall_s": load["posting_wall_s"], "ideas_per_s": load["ideas_per_s"],
        "deliveries_per_s": load["deliveries_per_s"],
        "rss_base_mb": marks["base"]["rss"] / MB,
        "rss_connected_mb": marks["connected"]["rss"] / MB,
        "rss_end_mb": marks["end"]["rss"] / MB,
        "peak_rss_mb": peak_load / MB,  # highest sample from connect to the last delivery
        "hwm_rss_mb": (marks["end"]["peak_rss"] or 0) / MB,  # process lifetime, with start-up
        "rss_per_connection_kb":
            (marks["connected"]["rss"] - marks["base"]["rss"]) / phones / 1024,
        "connect_wall_s": load["connect_wall_s"], "connect": load["connect"],
        "loadgen": load["loadgen"], "run_s": time.perf_counter() - began,
    }
    if sample_interval:
        result["rss_samples"] = [(round(t, 2), round(rss / MB, 2)) for t, rss in samples]
    if "timeline" in load:
        result["timeline"] = load["timeline"]
    if "profile_stderr" in marks:
        result["profile_stderr"] = marks["profile_stderr"]
    return result


def brief(run: dict) -> str:
    if "error" in run:
        return f"{run['target']:>13} {run['mode']:<9} FAILED: {run['error'][-200:]}"
    state = "ok" if run["ok"] else f"NOT OK {run['errors']} {run['checks']}"
    return (f"{run['target']:>13} {run['mode']:<9} "
            f"cpu/delivery {run['cpu_us_per_delivery']:7.1f} µs"
            f"  cpu/idea {run['cpu_ms_per_idea']:6.2f} ms  ack p50/p99 "
            f"{run['ack_ms'].get('p50', 0):6.1f}/{run['ack_ms'].get('p99', 0):6.1f} ms  "
            f"fan-out p50/p99 {run['fanout_ms'].get('p50', 0):6.1f}/"
            f"{run['fanout_ms'].get('p99', 0):6.1f} ms  peak RSS {run['peak_rss_mb']:5.1f} MB  "
            f"{run['ideas_per_s']:6.0f} ideas/s  loadgen {run['loadgen']['cpu_s']:.1f} s CPU  "
            f"others busy {run['busy_cores_before']:.1f} cores  {state}")


METRICS = {
    "cpu_us_per_delivery": lambda r: r["cpu_us_per_delivery"],
    "cpu_ms_per_idea": lambda r: r["cpu_ms_per_idea"],
    "ack_p50_ms": lambda r: r["ack_ms"].get("p50"),
    "ack_p99_ms": lambda r: r["ack_ms"].get("p99"),
    "fanout_p50_ms": lambda r: r["fanout_ms"].get("p50"),
    "fanout_p99_ms": lambda r: r["fanout_ms"].get("p99"),
    "peak_rss_mb": lambda r: r["peak_rss_mb"],
    "rss_per_connection_kb": lambda r: r["rss_per_connection_kb"],
    "ideas_per_s": lambda r: r["ideas_per_s"],
    "server_cpu_share": lambda r: r["server_cpu_share"],
    "loadgen_cpu_s": lambda r: r["loadgen"]["cpu_s"],
    "loadgen_busy_share_of_2_cores": lambda r: r["loadgen"]["busy_share_of_2_cores"],
}


def medians(runs: list[dict]) -> dict:
    """Per target (and mode): the median, min and max of every metric over the repeats."""
    groups: dict[str, list[dict]] = {}
    for run in runs:
        if "error" not in run:
            groups.setdefault(f"{run['target']}/{run['mode']}", []).append(run)
    out = {}
    for key, group in groups.items():
        out[key] = {"n": len(group), "all_ok": all(r["ok"] for r in group)}
        for name, get in METRICS.items():
            values = [v for v in (get(r) for r in group) if v is not None]
            if values:
                out[key][name] = {"median": statistics.median(values), "min": min(values),
                                  "max": max(values)}
    return out


def ratios(summary: dict, mode: str, pinnwand: str = "pinnwand", floor: str = "floor") -> dict:
    """Pinnwand / floor of the medians."""
    p, f = summary.get(f"{pinnwand}/{mode}"), summary.get(f"{floor}/{mode}")
    if not p or not f:
        return {}
    return {name: p[name]["median"] / f[name]["median"]
            for name in ("cpu_us_per_delivery", "cpu_ms_per_idea", "ack_p50_ms", "ack_p99_ms",
                         "fanout_p50_ms", "fanout_p99_ms", "peak_rss_mb")
            if name in p and name in f and f[name]["median"]}


def alternate(targets: list[str], repeats: int) -> list[tuple[int, str]]:
    """Run order P F, F P, P F … so slow drifts of the machine hit both alike."""
    order = []
    for rep in range(repeats):
        names = targets if rep % 2 == 0 else list(reversed(targets))
        order.extend((rep, name) for name in names)
    return order


# -- scenarios ------------------------------------------------------------------------------


def scenario_standard(args) -> dict:
    """Closed loop (the CPU target), then a paced run of every target for latency."""
    spec = LoadSpec(rooms=4, phones=25, ideas=8, workers=args.workers)
    runs = []
    rotation = list(args.targets)
    if not args.quick and "floor-flask" not in rotation:
        rotation.append("floor-flask")  # tells Flask-SocketIO's share apart
    for rep, target in alternate(rotation, args.repeats):
        run = measure_load(target, args.async_mode, spec)
        run["rep"] = rep
        runs.append(run)
        say(brief(run))
    paced_spec = LoadSpec(rooms=4, phones=25, ideas_total=800, rate=args.paced_rate,
                          workers=args.workers)
    paced = []
    paced_targets = ["pinnwand", "floor", "pinnwand-nodelay", "floor-nodelay",
                     "pinnwand-gcfreeze", "pinnwand-tuned"]
    for rep, target in alternate(paced_targets, args.paced_repeats):
        run = measure_load(target, args.async_mode, paced_spec)
        run["rep"] = rep
        paced.append(run)
        say(f"paced {args.paced_rate:g}/s:", brief(run))
    extra = {}
    if args.profile:
        extra["profile"] = profile_standard(args)
    summary = medians(runs)
    paced_summary = medians(paced)
    return {"spec": spec.__dict__, "runs": runs, "summary": summary,
            "ratio_pinnwand_to_floor": ratios(summary, args.async_mode),
            "ratio_base_to_floor": ratios(summary, args.async_mode, "pinnwand-base"),
            "paced_spec": paced_spec.__dict__, "paced_runs": paced,
            "paced_summary": paced_summary,
            "paced_ratio": ratios(paced_summary, args.async_mode),
            "paced_ratio_nodelay": ratios(paced_summary, args.async_mode, "pinnwand-nodelay",
                                          "floor-nodelay"),
            "paced_ratio_gcfreeze": ratios(paced_summary, args.async_mode, "pinnwand-gcfreeze",
                                           "floor"),
            "paced_ratio_tuned": ratios(paced_summary, args.async_mode, "pinnwand-tuned",
                                        "floor-nodelay"), **extra}


def profile_standard(args) -> dict:
    """One extra run each of Pinnwand and the floor (standard load, twice the ideas) under
    py-spy; raw stacks and summaries go to bench/results/."""
    from bench.profile import report, summarise_profile

    out = {}
    spec = LoadSpec(rooms=4, phones=25, ideas=16, workers=args.workers)
    for target in ("pinnwand", "floor"):
        raw = RESULTS / f"profile-{target}-{stamp()}.txt"
        run = measure_load(target, args.async_mode, spec, profile_to=raw)
        say("profiled:", brief(run))
        if "error" in run or not raw.exists():
            out[target] = {"run": run}
            continue
        summary = summarise_profile(raw)
        (RESULTS / f"profile-{target}-latest.json").write_text(json.dumps(summary, indent=1))
        (RESULTS / f"profile-{target}-latest.txt").write_text(report(summary))
        out[target] = {"run": run, "raw": str(raw.relative_to(ROOT)), "summary": summary}
    return out


def scenario_room_size(args) -> dict:
    sizes = [10, 50, 100, 250, 500]
    ideas = 300 if args.quick else 1000
    points = []
    for size in sizes:
        spec = LoadSpec(rooms=1, phones=size, ideas_total=ideas, workers=args.workers)
        for rep, target in alternate(args.targets, args.curve_repeats):
            run = measure_load(target, args.async_mode, spec)
            run.update(rep=rep, room_size=size)
            points.append(run)
            say(f"room {size:4d}:", brief(run))
    return {"sizes": sizes, "ideas_per_point": ideas, "runs": points}


def scenario_board_size(args) -> dict:
    sizes = [100, 1000, 3000, 10000] if args.quick else [100, 300, 1000, 3000, 10000]
    out = {"sizes": sizes, "targets": {}, "errors": {}}
    for target in args.targets:
        for attempt in (1, 2):
            try:
                out["targets"][target] = board_curve(args, target, sizes)
                break
            except (RuntimeError, TimeoutError, OSError) as error:
                say(f"{target}: board-size attempt {attempt} failed: {str(error)[-600:]}")
                out["errors"][target] = str(error)[-4000:]
                time.sleep(15)
    return out


def board_curve(args, target: str, sizes: list[int]) -> list[dict]:
    """Fill one board step by step on one server; probe ``join_workshop`` at each size."""
    points = []
    with ServerUnderTest(mode=args.async_mode, **TARGETS[target]) as server:
        token = sign_in(server.url, EMAIL, PASSWORD)
        event = create_event(server.url, token, 1)
        workshop_id = event["workshops"][0]["id"]
        filled = 0
        for size in sizes:
            spec = LoadSpec(rooms=1, phones=10, ideas_total=size - filled,
                            workers=args.workers)
            fill = LoadGenerator(server.url, spec, EMAIL, PASSWORD, event=event).run()
            filled += fill["acked"]
            probe = probe_board(server.url, event["join_code"], workshop_id,
                                repeats=args.probe_repeats, cpu=server.cpu_s)
            probe.update(target=target, board=filled, fill_ok=fill["ok"],
                         rss_mb=server.rss() / MB, fill_ideas_per_s=fill["ideas_per_s"])
            points.append(probe)
            resync = {k: round(v["ms"]["p50"], 2) for k, v in probe["since_seq"].items()}
            say(f"{target:>9} board {filled:6d}: snapshot p50 "
                f"{probe['snapshot_ms']['p50']:7.1f} ms (server CPU "
                f"{probe['snapshot_server_cpu_ms']:.1f} ms), "
                f"{probe['snapshot_bytes'] / 1024:8.1f} KiB; since_seq p50 ms {resync}; "
                f"RSS {probe['rss_mb']:.0f} MB")
    return points


def scenario_connections(args) -> dict:
    counts = [100, 250, 500, 1000]
    points = []
    for count in counts:
        rooms = max(1, count // 50)
        spec = LoadSpec(rooms=rooms, phones=count // rooms, ideas_total=rooms * 10,
                        workers=args.workers)
        for rep, target in alternate(args.targets, args.curve_repeats):
            run = measure_load(target, args.async_mode, spec)
            run.update(rep=rep, connections=spec.total_phones)
            points.append(run)
            if "error" in run:
                say(brief(run))
                continue
            say(f"{count:5d} connections: RSS {run['rss_base_mb']:.1f} → "
                f"{run['rss_connected_mb']:.1f} MB ({run['rss_per_connection_kb']:.1f} KiB "
                f"each), connect {run['connect_wall_s']:.1f} s", brief(run))
    return {"counts": counts, "runs": points, "slopes": connection_slopes(points)}


def connection_slopes(points: list[dict]) -> dict:
    """Least-squares KiB per extra connection, per target and mode."""
    groups: dict[str, list[tuple[float, float]]] = {}
    for p in points:
        if "error" in p:
            continue
        groups.setdefault(f"{p['target']}/{p['mode']}", []).append(
            (p["connections"], p["rss_connected_mb"] - p["rss_base_mb"]))
    slopes = {}
    for key, xy in groups.items():
        if len({x for x, _ in xy}) < 2:
            continue
        mx = sum(x for x, _ in xy) / len(xy)
        my = sum(y for _, y in xy) / len(xy)
        slope = sum((x - mx) * (y - my) for x, y in xy) / sum((x - mx) ** 2 for x, _ in xy)
        slopes[key] = slope * 1024  # KiB per connection
    return slopes


def scenario_modes(args) -> dict:
    spec = LoadSpec(rooms=4, phones=25, ideas=8, workers=args.workers)
    runs = []
    for mode in ("eventlet", "gevent", "threading"):
        for rep, target in alternate(args.targets, args.curve_repeats):
            run = measure_load(target, mode, spec)
            run["rep"] = rep
            runs.append(run)
            say(brief(run))
    summary = medians(runs)
    return {"spec": spec.__dict__, "runs": runs, "summary": summary,
            "ratios": {m: ratios(summary, m) for m in ("eventlet", "gevent", "threading")}}


def scenario_soak(args) -> dict:
    minutes = args.minutes
    spec = LoadSpec(rooms=20, phones=50, rate=20.0, minutes=minutes, workers=args.workers,
                    timeline=True, drain_timeout=60)
    runs = []
    for target in args.soak_targets:
        run = measure_load(target, args.async_mode, spec,
                           sample_interval=2.0 if minutes <= 2 else 5.0)
        run["minutes"] = minutes
        runs.append(run)
        say(f"soak {minutes} min:", brief(run))
    return {"spec": spec.__dict__, "runs": runs}


def scenario_scale(args) -> dict:
    """The standard load against 1 and against 2 ``pinnwand serve`` processes sharing one
    PostgreSQL database and one Redis (``PINNWAND_MESSAGE_QUEUE``), phones spread over the
    processes as behind a round-robin balancer (every room on both), alternating; the
    single SQLite process of the standard scenario runs in the same rotation for reference."""
    spec = LoadSpec(rooms=4, phones=25, ideas=args.scale_ideas, workers=args.workers)
    runs = []
    for rep, setup in alternate(["sqlite-1", "postgres-1", "postgres-2"], args.repeats):
        if setup == "sqlite-1":
            run = measure_load("pinnwand", args.async_mode, spec)
            run.update(setup=setup, processes=1)
        else:
            run = measure_cluster(int(setup[-1]), args.async_mode, spec)
        run["rep"] = rep
        runs.append(run)
        say(f"{setup}: {scale_brief(run)}")
    summary: dict = {}
    for setup in ("sqlite-1", "postgres-1", "postgres-2"):
        group = [r for r in runs if r.get("setup") == setup and "error" not in r]
        if group:
            summary[setup] = {name: statistics.median(get(r) for r in group)
                              for name, get in SCALE_METRICS.items()}
            summary[setup]["n"] = len(group)
            summary[setup]["all_ok"] = all(r["ok"] for r in group)
    return {"spec": spec.__dict__, "runs": runs, "summary": summary}


SCALE_METRICS = {
    "ideas_per_s": lambda r: r["ideas_per_s"],
    "cpu_us_per_delivery": lambda r: r["cpu_us_per_delivery"],
    "backend_cpu_us_per_delivery": lambda r: r.get("backend_cpu_us_per_delivery", 0.0),
    "ack_p50_ms": lambda r: r["ack_ms"].get("p50"),
    "ack_p99_ms": lambda r: r["ack_ms"].get("p99"),
    "fanout_p50_ms": lambda r: r["fanout_ms"].get("p50"),
    "fanout_p99_ms": lambda r: r["fanout_ms"].get("p99"),
    "server_cpu_share": lambda r: r["server_cpu_share"],
    "loadgen_busy_share_of_2_cores": lambda r: r["loadgen"]["busy_share_of_2_cores"],
}


def scale_brief(run: dict) -> str:
    if "error" in run:
        return f"FAILED: {run['error'][-300:]}"
    state = "ok" if run["ok"] else f"NOT OK {run['errors']} {run['checks']}"
    return (f"{run['processes']} process(es): {run['ideas_per_s']:6.0f} ideas/s, Pinnwand "
            f"{run['cpu_us_per_delivery']:6.1f} µs CPU/delivery (+ PostgreSQL/Redis "
            f"{run.get('backend_cpu_us_per_delivery', 0.0):5.1f}), ack p50/p99 "
            f"{run['ack_ms'].get('p50', 0):6.1f}/{run['ack_ms'].get('p99', 0):6.1f} ms, "
            f"fan-out p50/p99 {run['fanout_ms'].get('p50', 0):6.1f}/"
            f"{run['fanout_ms'].get('p99', 0):6.1f} ms, Pinnwand busy "
            f"{run['server_cpu_share']:.2f} cores, loadgen "
            f"{run['loadgen']['busy_share_of_2_cores']:.2f} of 2 cores, others busy "
            f"{run['busy_cores_before']:.1f}  {state}")


def measure_cluster(processes: int, mode: str, spec: LoadSpec) -> dict:
    """:func:`measure_cluster_once`, retried once after a failure."""
    for attempt in (1, 2):
        try:
            return measure_cluster_once(processes, mode, spec)
        except (RuntimeError, TimeoutError, OSError) as error:
            say(f"postgres-{processes}: attempt {attempt} failed: {str(error)[-600:]}")
            if attempt == 2:
                return {"setup": f"postgres-{processes}", "processes": processes, "mode": mode,
                        "ok": False, "error": str(error)[-4000:], "loadavg": loadavg()}
            time.sleep(15)
    raise AssertionError("unreachable")


def measure_cluster_once(processes: int, mode: str, spec: LoadSpec) -> dict:
    """Fresh database and Redis, ``processes`` servers started one after the other (the first
    migrates and gets the moderator), each warmed up, then ``spec`` over all of them. CPU is
    summed over the Pinnwand processes; PostgreSQL's backends for this database and the
    Redis server are reported apart."""
    from contextlib import ExitStack

    busy_before = wait_for_quiet(MAX_BUSY)
    with SharedBackends() as backends, ExitStack() as stack:
        servers = [stack.enter_context(ServerUnderTest(
            "pinnwand", mode=mode, extra_env=backends.env, create_moderator=index == 0))
            for index in range(processes)]
        urls = [server.url for server in servers]
        for url in urls:
            LoadGenerator(url, LoadSpec(rooms=1, phones=2, ideas=2, workers=1,
                                        drain_timeout=10), EMAIL, PASSWORD).run()
        marks: dict = {}

        def mark(name):
            def hook():
                marks[name] = {"cpu_s": sum(s.cpu_s() for s in servers),
                               "backends": backends.cpu_s(), "t": time.perf_counter()}
            return hook

        hooks = Hooks(before_posting=mark("before"), after_posting=mark("after"))
        load = LoadGenerator(urls[0], spec, EMAIL, PASSWORD, hooks=hooks,
                             more_urls=urls[1:]).run()
    before, after = marks["before"], marks["after"]
    cpu = after["cpu_s"] - before["cpu_s"]
    backend_cpu = {k: after["backends"][k] - before["backends"][k] for k in before["backends"]}
    wall = after["t"] - before["t"]
    deliveries = load["deliveries"] or 1
    return {
        "setup": f"postgres-{processes}", "processes": processes, "mode": mode,
        "loadavg": loadavg(), "busy_cores_before": round(busy_before, 2),
        "ok": load["ok"], "acked": load["acked"], "errors": load["errors"],
        "deliveries": load["deliveries"], "checks": load["checks"],
        "server_cpu_s": cpu, "server_cpu_share": cpu / wall if wall else None,
        "cpu_us_per_delivery": cpu / deliveries * 1e6,
        "backend_cpu_s": backend_cpu,
        "backend_cpu_us_per_delivery": sum(backend_cpu.values()) / deliveries * 1e6,
        "ack_ms": load["ack_ms"], "fanout_ms": load["fanout_ms"],
        "posting_wall_s": load["posting_wall_s"], "ideas_per_s": load["ideas_per_s"],
        "deliveries_per_s": load["deliveries_per_s"], "loadgen": load["loadgen"],
    }


RUNNERS = {"standard": scenario_standard, "room-size": scenario_room_size,
           "board-size": scenario_board_size, "connections": scenario_connections,
           "modes": scenario_modes, "soak": scenario_soak, "scale": scenario_scale}


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run",
                                     description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n", 2)[2])
    parser.add_argument("--scenario", default="standard",
                        help=f"one or more of {', '.join(SCENARIOS)}, 'curves' or 'all'")
    parser.add_argument("--quick", action="store_true",
                        help="short variants: 1 repeat, fewer ideas, soak 1 minute")
    parser.add_argument("--repeats", type=int, default=None,
                        help="repeats of the standard scenario (default 3, quick 1; 0: only "
                             "the paced runs)")
    parser.add_argument("--curve-repeats", type=int, default=1,
                        help="repeats of each point of the curves (default 1)")
    parser.add_argument("--minutes", type=float, default=None, help="soak length (default 10)")
    parser.add_argument("--async-mode", default="eventlet",
                        choices=("eventlet", "gevent", "threading"))
    parser.add_argument("--workers", type=int, default=2, help="load generator processes")
    parser.add_argument("--targets", default="pinnwand,floor",
                        help=f"comma-separated, of {', '.join(TARGETS)}")
    parser.add_argument("--soak-targets", default="pinnwand")
    parser.add_argument("--probe-repeats", type=int, default=10)
    parser.add_argument("--scale-ideas", type=int, default=8,
                        help="scale: ideas per phone (default 8, as the standard scenario)")
    parser.add_argument("--paced-repeats", type=int, default=None,
                        help="standard: paced runs (--paced-rate) of Pinnwand and the floor, "
                             "with and without TCP_NODELAY (default 1, quick 0)")
    parser.add_argument("--paced-rate", type=float, default=100.0,
                        help="ideas/s in total for the paced runs (default 100)")
    parser.add_argument("--profile", action="store_true",
                        help="with standard: one more run of Pinnwand and of the floor "
                             "under py-spy")
    parser.add_argument("--pinnwand-ref", default=None,
                        help="measure this commit (exported with git archive; e.g. HEAD) or "
                             "this folder (holding pinnwand/: app/ with migrations/ inside) "
                             "instead of the work tree")
    parser.add_argument("--baseline-ref", default=None,
                        help="export this commit (e.g. HEAD) as the pinnwand-base target, or use "
                             "this folder (holding pinnwand/: app/ with migrations/ inside), and "
                             "add it to the rotation: before/after in one run")
    parser.add_argument("--no-plots", action="store_true")
    parser.add_argument("--max-busy", type=float, default=None,
                        help="before each run wait (up to 1 min) until other processes keep "
                             "fewer than this many cores busy (e.g. 0.5)")
    args = parser.parse_args(argv)
    names = args.scenario.split(",")
    if "all" in names:
        names = list(SCENARIOS)
    if "curves" in names:
        names = [n for n in names if n != "curves"] + [
            "room-size", "board-size", "connections", "modes"]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    args.scenarios = names
    args.targets = [t for t in args.targets.split(",") if t]
    args.soak_targets = [t for t in args.soak_targets.split(",") if t]
    for name in args.targets + args.soak_targets:
        if name not in TARGETS:
            parser.error(f"unknown target {name!r}")
    if args.baseline_ref and "pinnwand-base" not in args.targets:
        args.targets.insert(1, "pinnwand-base")
    if args.repeats is None:  # 0 is allowed: only the paced runs
        args.repeats = 1 if args.quick else 3
    if args.paced_repeats is None:
        args.paced_repeats = 0 if args.quick else 1
    args.minutes = args.minutes or (1.0 if args.quick else 10.0)
    return args


def main(argv: list[str] | None = None) -> int:
    global MAX_BUSY
    args = parse_args(argv)
    MAX_BUSY = args.max_busy
    RESULTS.mkdir(parents=True, exist_ok=True)
    measured = {"pinnwand_code": "work tree"}
    if args.pinnwand_ref:
        import atexit
        import shutil

        import bench.servers

        if Path(args.pinnwand_ref).is_dir():  # pinnwand/ (app/ with migrations/ inside)
            bench.servers.PINNWAND_SOURCE = Path(args.pinnwand_ref).resolve()
            measured = {"pinnwand_code": f"folder {args.pinnwand_ref}"}
        else:
            bench.servers.PINNWAND_SOURCE, commit = export_source(args.pinnwand_ref)
            atexit.register(shutil.rmtree, bench.servers.PINNWAND_SOURCE, True)
            measured = {"pinnwand_code": f"commit {commit} ({args.pinnwand_ref})"}
        say(f"measuring Pinnwand from {measured['pinnwand_code']}")
    if args.baseline_ref:
        import atexit
        import shutil

        import bench.servers

        if Path(args.baseline_ref).is_dir():  # pinnwand/ (app/ with migrations/ inside)
            bench.servers.BASELINE_SOURCE = Path(args.baseline_ref).resolve()
            measured["baseline_code"] = f"folder {args.baseline_ref}"
        else:
            bench.servers.BASELINE_SOURCE, commit = export_source(args.baseline_ref)
            atexit.register(shutil.rmtree, bench.servers.BASELINE_SOURCE, True)
            measured["baseline_code"] = f"commit {commit} ({args.baseline_ref})"
        say(f"pinnwand-base: Pinnwand from {measured['baseline_code']}")
    failed = False
    for name in args.scenarios:
        say(f"== {name} ({'quick' if args.quick else 'full'}); load average {loadavg()}")
        began = time.perf_counter()
        header = {"scenario": name, "quick": args.quick, "started": datetime.now(UTC).isoformat(),
                  "machine": machine(), "source": {**source_state(), **measured},
                  "loadavg_before": loadavg(),
                  "async_mode": args.async_mode, "command": " ".join(sys.argv)}
        body = RUNNERS[name](args)
        result = {**header, **body, "loadavg_after": loadavg(),
                  "duration_s": time.perf_counter() - began}
        text = json.dumps(result, indent=1, default=str)
        path = RESULTS / f"{name}-{stamp()}.json"
        path.write_text(text)
        (RESULTS / f"{name}{'-quick' if args.quick else ''}-latest.json").write_text(text)
        say(f"-> {path.relative_to(ROOT)} ({result['duration_s']:.0f} s)")
        if name == "standard":
            say(standard_table(result))
        runs = body.get("runs", [])
        failed |= any(not r.get("ok", True) for r in runs)
        if not args.no_plots:
            from bench.plots import plot

            for png in plot(name, result, PLOTS, suffix="-quick" if args.quick else ""):
                say(f"   plot {png.relative_to(ROOT)}")
    return 1 if failed else 0


def _table(summary: dict, mode: str, pairs, names) -> list[str]:
    pairs = [p for p in pairs if f"{p[0]}/{mode}" in summary]
    header = ["metric (median)"]
    for p, f, _ in pairs:
        header += [p, f, "ratio"]
    rows = [header]
    for name in names:
        row = [name]
        for p, f, ratio in pairs:
            for target in (p, f):
                group = summary.get(f"{target}/{mode}", {})
                row.append(f"{group[name]['median']:.2f}" if name in group else "-")
            row.append(f"{ratio[name]:.2f}" if name in ratio else "")
        rows.append(row)
    width = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return ["  ".join(c.rjust(w) for c, w in zip(r, width, strict=True)) for r in rows]


def standard_table(result: dict) -> str:
    """Medians of the standard scenario and the Pinnwand/floor ratios, as text."""
    mode = result["async_mode"]
    lines = ["closed loop (as fast as acks return):"]
    lines += _table(result["summary"], mode,
                    [("pinnwand", "floor", result.get("ratio_pinnwand_to_floor", {}))],
                    ("cpu_us_per_delivery", "cpu_ms_per_idea", "ack_p50_ms", "ack_p99_ms",
                     "fanout_p50_ms", "fanout_p99_ms", "peak_rss_mb", "ideas_per_s",
                     "server_cpu_share", "loadgen_busy_share_of_2_cores"))
    target = result.get("ratio_pinnwand_to_floor", {}).get("cpu_us_per_delivery")
    if target is not None:
        verdict = "meets" if target <= 1.5 else "misses"
        lines.append(f"CPU per delivered idea: Pinnwand/floor = {target:.2f} "
                     f"({verdict} the ≤ 1.5× target)")
    base = result.get("ratio_base_to_floor", {}).get("cpu_us_per_delivery")
    if base is not None:
        group = result["summary"].get(f"pinnwand-base/{mode}", {})
        lines.append(f"pinnwand-base ({result['source'].get('baseline_code', '?')}): "
                     f"{group['cpu_us_per_delivery']['median']:.1f} µs per delivery, "
                     f"{base:.2f}× the floor")
    if result.get("paced_runs"):
        lines += ["", f"paced ({result['paced_spec']['rate']:g} ideas/s in total):"]
        lines += _table(result["paced_summary"], mode,
                        [("pinnwand", "floor", result.get("paced_ratio", {})),
                         ("pinnwand-nodelay", "floor-nodelay",
                          result.get("paced_ratio_nodelay", {})),
                         ("pinnwand-gcfreeze", "floor", result.get("paced_ratio_gcfreeze", {})),
                         ("pinnwand-tuned", "floor-nodelay",
                          result.get("paced_ratio_tuned", {}))],
                        ("cpu_us_per_delivery", "ack_p50_ms", "ack_p99_ms", "fanout_p50_ms",
                         "fanout_p99_ms", "server_cpu_share"))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
