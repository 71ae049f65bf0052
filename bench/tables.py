"""Markdown tables from saved results, for docs/performance.md.

    python -m bench.tables bench/results/standard-latest.json bench/results/soak-latest.json
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def _row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(header, rows) -> str:
    lines = [_row(header), _row(["---"] * len(header))]
    lines += [_row(r) for r in rows]
    return "\n".join(lines)


def _f(value, digits=1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _med(summary: dict, key: str, metric: str):
    return summary.get(key, {}).get(metric, {}).get("median")


def _range(summary: dict, key: str, metric: str, digits=1) -> str:
    item = summary.get(key, {}).get(metric)
    if not item:
        return "–"
    if item["min"] == item["max"]:
        return _f(item["median"], digits)
    return (f"{_f(item['median'], digits)} ({_f(item['min'], digits)}–"
            f"{_f(item['max'], digits)})")


def standard(result: dict) -> str:
    mode = result["async_mode"]
    summary = result["summary"]
    targets = [t for t in ("pinnwand", "pinnwand-base", "floor", "floor-contract", "floor-flask")
               if f"{t}/{mode}" in summary]
    ratio = result.get("ratio_pinnwand_to_floor", {})
    base_ratio = result.get("ratio_base_to_floor", {})
    metrics = [("server CPU per delivered idea, µs", "cpu_us_per_delivery", 1),
               ("server CPU per idea, ms", "cpu_ms_per_idea", 2),
               ("ack p50, ms", "ack_p50_ms", 1), ("ack p99, ms", "ack_p99_ms", 1),
               ("fan-out p50, ms", "fanout_p50_ms", 1), ("fan-out p99, ms", "fanout_p99_ms", 1),
               ("peak RSS during the load, MB", "peak_rss_mb", 1),
               ("ideas/s (closed loop)", "ideas_per_s", 0),
               ("server CPU share of one core", "server_cpu_share", 2),
               ("load generator busy, share of 2 cores", "loadgen_busy_share_of_2_cores", 2)]
    rows = []
    for label, name, digits in metrics:
        rows.append([label] + [_range(summary, f"{t}/{mode}", name, digits) for t in targets]
                    + [_f(ratio.get(name), 2) if name in ratio else ""]
                    + ([_f(base_ratio.get(name), 2) if name in base_ratio else ""]
                       if base_ratio else []))
    runs = {t: summary.get(f"{t}/{mode}", {}).get("n", 0) for t in targets}
    header = ["median (min–max)"] + [f"{t} ({runs[t]} runs)" for t in targets] + [
        "Pinnwand / floor"] + (["base / floor"] if base_ratio else [])
    out = [_table(header, rows)]
    paced = result.get("paced_summary")
    if paced:
        names = [t for t in ("pinnwand", "pinnwand-nodelay", "pinnwand-gcfreeze",
                             "pinnwand-tuned", "floor", "floor-nodelay")
                 if f"{t}/{mode}" in paced]
        metrics = [("server CPU per delivered idea, µs", "cpu_us_per_delivery", 1),
                   ("ack p50, ms", "ack_p50_ms", 1), ("ack p99, ms", "ack_p99_ms", 1),
                   ("fan-out p50, ms", "fanout_p50_ms", 1),
                   ("fan-out p99, ms", "fanout_p99_ms", 1),
                   ("server CPU share of one core", "server_cpu_share", 2)]
        rows = [[label] + [_range(paced, f"{t}/{mode}", name, digits) for t in names]
                for label, name, digits in metrics]
        out += ["", f"Paced: {result['paced_spec']['rate']:g} ideas/s in total, "
                    f"{result['paced_spec']['ideas_total']} ideas:", "",
                _table(["median", *names], rows)]
    return "\n".join(out)


def _by(runs, key):
    groups: dict = {}
    for run in runs:
        if "error" in run:
            continue
        groups.setdefault((run[key], run["target"]), []).append(run)
    return groups


def room_size(result: dict) -> str:
    groups = _by(result["runs"], "room_size")
    rows = []
    for size in result["sizes"]:
        p, f = groups.get((size, "pinnwand"), []), groups.get((size, "floor"), [])
        if not p or not f:
            continue

        def med(runs, get):
            return statistics.median(get(r) for r in runs)

        pc = med(p, lambda r: r["cpu_us_per_delivery"])
        fc = med(f, lambda r: r["cpu_us_per_delivery"])
        rows.append([size, _f(pc), _f(fc), _f(pc / fc, 2),
                     _f(med(p, lambda r: r["cpu_ms_per_idea"]), 2),
                     _f(med(p, lambda r: r["fanout_ms"]["p50"])),
                     _f(med(p, lambda r: r["fanout_ms"]["p99"])),
                     _f(med(f, lambda r: r["fanout_ms"]["p99"])),
                     _f(med(p, lambda r: r["deliveries_per_s"]), 0),
                     _f(med(p, lambda r: r["loadgen"]["busy_share_of_2_cores"]), 2)])
    return _table(["phones in the room", "Pinnwand µs CPU/delivery", "floor µs CPU/delivery",
                   "ratio", "Pinnwand ms CPU/idea", "Pinnwand fan-out p50 ms",
                   "Pinnwand fan-out p99 ms", "floor fan-out p99 ms", "Pinnwand deliveries/s",
                   "load generator busy (of 2 cores)"], rows)


def board_size(result: dict) -> str:
    rows = []
    targets = result["targets"]
    for i, point in enumerate(targets.get("pinnwand", [])):
        floor = targets.get("floor", [{}] * (i + 1))[i] if "floor" in targets else {}
        resync = point["since_seq"]
        rows.append([
            f"{point['board']:,}", _f(point["snapshot_bytes"] / 1024),
            _f(point["snapshot_ms"]["p50"]), _f(point.get("snapshot_server_cpu_ms")),
            _f(floor.get("snapshot_ms", {}).get("p50")),
            _f(floor.get("snapshot_server_cpu_ms")),
            _f(resync.get("100", {}).get("ms", {}).get("p50")),
            _f(resync.get("100", {}).get("server_cpu_ms")),
            _f(resync.get("1000", {}).get("ms", {}).get("p50")),
            _f(resync.get("1000", {}).get("server_cpu_ms")),
            _f(point["rss_mb"], 0)])
    return _table(["ideas on the board", "snapshot KiB", "Pinnwand snapshot ms (round trip)",
                   "Pinnwand snapshot server CPU ms", "floor snapshot ms",
                   "floor snapshot server CPU ms", "Pinnwand since_seq −100 ms",
                   "… server CPU ms", "Pinnwand since_seq −1000 ms", "… server CPU ms",
                   "Pinnwand RSS MB"], rows)


def connections(result: dict) -> str:
    groups = _by(result["runs"], "connections")
    rows = []
    for count in sorted({run["connections"] for run in result["runs"] if "error" not in run}):
        row = [count]
        for target in ("pinnwand", "floor"):
            runs = groups.get((count, target), [])
            if not runs:
                row += ["–"] * 3
                continue
            run = runs[0]
            row += [f"{_f(run['rss_base_mb'], 0)} → {_f(run['rss_connected_mb'], 0)}",
                    _f(run["rss_per_connection_kb"]), _f(run["connect_wall_s"])]
        rows.append(row)
    slopes = result.get("slopes", {})
    note = "; ".join(f"{k}: {v:.0f} KiB per extra connection (least squares)"
                     for k, v in slopes.items())
    return _table(["connections", "Pinnwand RSS MB (base → connected)",
                   "Pinnwand KiB/connection", "Pinnwand s to connect all",
                   "floor RSS MB", "floor KiB/connection", "floor s to connect all"],
                  rows) + f"\n\n{note}"


def modes(result: dict) -> str:
    summary = result["summary"]
    rows = []
    for mode in ("eventlet", "gevent", "threading"):
        p, f = f"pinnwand/{mode}", f"floor/{mode}"
        if p not in summary:
            continue
        rows.append([mode, _f(_med(summary, p, "cpu_us_per_delivery")),
                     _f(_med(summary, f, "cpu_us_per_delivery")),
                     _f(result["ratios"].get(mode, {}).get("cpu_us_per_delivery"), 2),
                     _f(_med(summary, p, "ack_p50_ms")), _f(_med(summary, p, "fanout_p99_ms")),
                     _f(_med(summary, f, "fanout_p99_ms")),
                     _f(_med(summary, p, "ideas_per_s"), 0),
                     _f(_med(summary, p, "peak_rss_mb"), 0),
                     _f(_med(summary, p, "rss_per_connection_kb")),
                     _f(_med(summary, f, "rss_per_connection_kb"))])
    return _table(["mode", "Pinnwand µs CPU/delivery", "floor µs CPU/delivery", "ratio",
                   "Pinnwand ack p50 ms", "Pinnwand fan-out p99 ms", "floor fan-out p99 ms",
                   "Pinnwand ideas/s", "Pinnwand peak RSS MB", "Pinnwand KiB/connection",
                   "floor KiB/connection"], rows)


def soak(result: dict) -> str:
    rows = []
    for run in result["runs"]:
        if "error" in run:
            rows.append([run["target"], "failed: " + run["error"][-80:]] + [""] * 11)
            continue
        samples = run.get("rss_samples") or [(0, 0)]
        timeline = run.get("timeline") or []
        worst = max((p["p99"] for p in timeline), default=None)
        rows.append([run["target"], run["minutes"], run["acked"], run["deliveries"],
                     "yes" if run["ok"] else "NO", _f(run["ack_ms"].get("p50")),
                     _f(run["ack_ms"].get("p99")), _f(run["fanout_ms"].get("p50")),
                     _f(run["fanout_ms"].get("p99")), _f(worst),
                     f"{_f(samples[0][1], 0)} → {_f(samples[-1][1], 0)}",
                     _f(run["cpu_ms_per_idea"], 2), _f(run["server_cpu_share"], 2)])
    return _table(["server", "minutes", "ideas", "deliveries", "all delivered once",
                   "ack p50 ms", "ack p99 ms", "fan-out p50 ms", "fan-out p99 ms",
                   "worst p99 of a time bucket, ms", "RSS MB first → last",
                   "server ms CPU/idea", "server CPU share"], rows)


def scale(result: dict) -> str:
    summary = result["summary"]
    labels = {"sqlite-1": "1 process, SQLite", "postgres-1": "1 process, PostgreSQL + Redis",
              "postgres-2": "2 processes, PostgreSQL + Redis"}
    rows = []
    for setup, label in labels.items():
        item = summary.get(setup)
        if not item:
            continue
        rows.append([label, item["n"], "yes" if item["all_ok"] else "NO",
                     _f(item["ideas_per_s"], 0), _f(item["cpu_us_per_delivery"]),
                     _f(item["backend_cpu_us_per_delivery"]), _f(item["server_cpu_share"], 2),
                     _f(item["ack_p50_ms"]), _f(item["ack_p99_ms"]), _f(item["fanout_p99_ms"]),
                     _f(item["loadgen_busy_share_of_2_cores"], 2)])
    return _table(["setup", "runs", "all delivered once", "ideas/s (median)",
                   "Pinnwand µs CPU/delivery (all processes)",
                   "PostgreSQL + Redis µs CPU/delivery", "Pinnwand busy, cores",
                   "ack p50 ms", "ack p99 ms", "fan-out p99 ms",
                   "load generator busy (of 2 cores)"], rows)


RENDER = {"standard": standard, "room-size": room_size, "board-size": board_size,
          "connections": connections, "modes": modes, "soak": soak, "scale": scale}


def main(argv: list[str] | None = None) -> int:
    for arg in argv if argv is not None else sys.argv[1:]:
        result = json.loads(Path(arg).read_text())
        print(f"### {result['scenario']} ({'quick' if result.get('quick') else 'full'}, "
              f"{result['started'][:16]} UTC, load avg {result['loadavg_before']})\n")
        print(RENDER[result["scenario"]](result))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
