"""PNG plots of benchmark results (matplotlib, headless) into ``docs/perf/``.

``python -m bench.plots bench/results/standard-latest.json`` re-draws from a saved result.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

COLOURS = {"pinnwand": "#c0392b", "floor": "#2471a3", "floor-flask": "#48c9b0",
           "floor-nodelay": "#7fb3d5", "pinnwand-nodelay": "#e59866",
           "pinnwand-gcfreeze": "#f5b041", "pinnwand-tuned": "#f1948a"}
MODES = ("eventlet", "gevent", "threading")


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _by_target(runs: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for run in runs:
        if "error" in run:
            continue
        out.setdefault(run["target"], []).append(run)
    return out


def _median_by(runs: list[dict], key: str, value) -> tuple[list, list]:
    groups: dict = {}
    for run in runs:
        groups.setdefault(run[key], []).append(value(run))
    xs = sorted(groups)
    return xs, [statistics.median(groups[x]) for x in xs]


def _save(fig, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    _plt().close(fig)
    return path


def _title(result: dict, what: str) -> str:
    load = result.get("loadavg_before", ["?"])[0]
    return f"{what}\n({result['machine']['cpus']} cores, load avg {load} at start)"


def plot_standard(result: dict, folder: Path, suffix: str) -> list[Path]:
    plt = _plt()
    runs = _by_target(result["runs"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    names = list(runs)
    for i, name in enumerate(names):
        values = [r["cpu_us_per_delivery"] for r in runs[name]]
        left.bar(i, statistics.median(values), color=COLOURS.get(name, "grey"), alpha=0.8)
        left.scatter([i] * len(values), values, color="black", s=12, zorder=3)
        left.text(i, statistics.median(values), f"{statistics.median(values):.1f}",
                  ha="center", va="bottom")
    left.set_xticks(range(len(names)), names)
    left.set_ylabel("server CPU µs per delivered idea")
    ratio = result.get("ratio_pinnwand_to_floor", {}).get("cpu_us_per_delivery")
    left.set_title(f"CPU per delivery (median, dots = runs); ratio {ratio:.2f}×"
                   if ratio else "CPU per delivery")
    metrics = [("ack p50", "ack_ms", "p50"), ("ack p99", "ack_ms", "p99"),
               ("fan-out p50", "fanout_ms", "p50"), ("fan-out p99", "fanout_ms", "p99")]
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        heights = [statistics.median(r[key][q] for r in runs[name]) for _, key, q in metrics]
        right.bar([m + i * width for m in range(len(metrics))], heights, width,
                  label=name, color=COLOURS.get(name, "grey"))
    right.set_xticks([m + width * (len(names) - 1) / 2 for m in range(len(metrics))],
                     [m[0] for m in metrics])
    right.set_ylabel("ms (median over runs)")
    right.set_title("latency (closed loop, 100 phones)")
    right.legend()
    fig.suptitle(_title(result, "standard: 4 workshops × 25 phones × 8 ideas"), fontsize=10)
    paths = [_save(fig, folder, f"standard{suffix}")]
    paced = _by_target(result.get("paced_runs") or [])
    if paced:
        fig, axis = plt.subplots(figsize=(11, 4.2))
        names = list(paced)
        width = 0.8 / len(names)
        for i, name in enumerate(names):
            heights = [statistics.median(r[key][q] for r in paced[name])
                       for _, key, q in metrics]
            axis.bar([m + i * width for m in range(len(metrics))], heights, width,
                     label=name, color=COLOURS.get(name, "grey"))
        axis.set_xticks([m + width * (len(names) - 1) / 2 for m in range(len(metrics))],
                        [m[0] for m in metrics])
        axis.set_yscale("log")
        axis.set_ylabel("ms")
        axis.legend(fontsize=8)
        rate = result["paced_spec"]["rate"]
        done = [r for r in result["paced_runs"] if "error" not in r]
        if all("busy_cores_before" in r for r in done):
            busy = statistics.median(r["busy_cores_before"] for r in done)
            noise = f"others kept {busy:.1f} of 2 cores busy"
        else:
            noise = f"load avg {statistics.median(r['loadavg'][0] for r in done):.1f}"
        axis.set_title(f"paced: {rate:g} ideas/s in total, 4 × 25 phones — latency with the "
                       f"experiments ({noise})")
        paths.append(_save(fig, folder, f"standard-paced{suffix}"))
    return paths


def plot_room_size(result: dict, folder: Path, suffix: str) -> list[Path]:
    plt = _plt()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, runs in _by_target(result["runs"]).items():
        xs, ys = _median_by(runs, "room_size", lambda r: r["cpu_us_per_delivery"])
        left.plot(xs, ys, "o-", label=name, color=COLOURS.get(name))
        xs, ys = _median_by(runs, "room_size", lambda r: r["fanout_ms"]["p99"])
        right.plot(xs, ys, "o-", label=f"{name} fan-out p99", color=COLOURS.get(name))
        xs, ys = _median_by(runs, "room_size", lambda r: r["fanout_ms"]["p50"])
        right.plot(xs, ys, "o--", label=f"{name} fan-out p50", color=COLOURS.get(name),
                   alpha=0.6)
    for axis in (left, right):
        axis.set_xscale("log")
        axis.set_xlabel("phones in the workshop")
        axis.legend()
    left.set_ylabel("server CPU µs per delivered idea")
    left.set_ylim(bottom=0)
    left.set_title("cost per delivery vs room size")
    right.set_yscale("log")
    right.set_ylabel("ms")
    right.set_title("fan-out latency vs room size")
    fig.suptitle(_title(result, f"room size: one workshop, {result['ideas_per_point']} ideas "
                                f"per point, as fast as acks return"), fontsize=10)
    return [_save(fig, folder, f"room-size{suffix}")]


def plot_board_size(result: dict, folder: Path, suffix: str) -> list[Path]:
    plt = _plt()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, points in result["targets"].items():
        xs = [p["board"] for p in points]
        left.plot(xs, [p["snapshot_ms"]["p50"] for p in points], "o-", label=f"{name} snapshot",
                  color=COLOURS.get(name))
        resync = [(p["board"], p["since_seq"]["100"]["ms"]["p50"]) for p in points
                  if "100" in p["since_seq"]]
        if resync:
            left.plot(*zip(*resync, strict=True), "s--", label=f"{name} since_seq −100",
                      color=COLOURS.get(name), alpha=0.6)
        cpu = [(p["board"], p["snapshot_server_cpu_ms"]) for p in points
               if p.get("snapshot_server_cpu_ms")]
        if cpu:
            left.plot(*zip(*cpu, strict=True), "^:", label=f"{name} snapshot, server CPU",
                      color=COLOURS.get(name), alpha=0.8)
        right.plot(xs, [p["snapshot_bytes"] / 1024 for p in points], "o-",
                   label=f"{name} snapshot", color=COLOURS.get(name))
    for axis in (left, right):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("ideas on the board")
        axis.legend()
    left.set_ylabel("ms per join_workshop (p50 round trip; server CPU)")
    left.set_title("join snapshot and resync time")
    right.set_ylabel("KiB of JSON")
    right.set_title("snapshot size")
    fig.suptitle(_title(result, "board size"), fontsize=10)
    return [_save(fig, folder, f"board-size{suffix}")]


def plot_connections(result: dict, folder: Path, suffix: str) -> list[Path]:
    plt = _plt()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, runs in _by_target(result["runs"]).items():
        xs, ys = _median_by(runs, "connections", lambda r: r["rss_connected_mb"] - r["rss_base_mb"])
        left.plot(xs, ys, "o-", label=name, color=COLOURS.get(name))
        xs, ys = _median_by(runs, "connections", lambda r: r["connect_wall_s"])
        right.plot(xs, ys, "o-", label=name, color=COLOURS.get(name))
    left.set_xlabel("connected phones")
    left.set_ylabel("server RSS growth over the warm base, MB")
    slopes = result.get("slopes", {})
    left.set_title("memory: " + ", ".join(f"{k.split('/')[0]} {v:.0f} KiB/conn"
                                          for k, v in slopes.items()))
    right.set_xlabel("connected phones")
    right.set_ylabel("s to join + connect + join_workshop all")
    right.set_title("time to connect everyone (2 load processes)")
    for axis in (left, right):
        axis.legend()
    fig.suptitle(_title(result, "connections"), fontsize=10)
    return [_save(fig, folder, f"connections{suffix}")]


def plot_modes(result: dict, folder: Path, suffix: str) -> list[Path]:
    plt = _plt()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    summary = result["summary"]
    targets = sorted({key.split("/")[0] for key in summary}, key=lambda t: t != "pinnwand")
    width = 0.8 / max(1, len(targets))
    for i, target in enumerate(targets):
        cpu = [summary.get(f"{target}/{m}", {}).get("cpu_us_per_delivery", {}).get("median", 0)
               for m in MODES]
        p99 = [summary.get(f"{target}/{m}", {}).get("fanout_p99_ms", {}).get("median", 0)
               for m in MODES]
        xs = [m + i * width for m in range(len(MODES))]
        left.bar(xs, cpu, width, label=target, color=COLOURS.get(target))
        right.bar(xs, p99, width, label=target, color=COLOURS.get(target))
    for axis in (left, right):
        axis.set_xticks([m + width * (len(targets) - 1) / 2 for m in range(len(MODES))],
                        [f"{m}\n({result['ratios'].get(m, {}).get('cpu_us_per_delivery', 0):.2f}×)"
                         for m in MODES])
        axis.legend()
    left.set_ylabel("server CPU µs per delivered idea")
    left.set_title("CPU per delivery (Pinnwand/floor under the mode)")
    right.set_ylabel("fan-out p99, ms")
    right.set_title("fan-out p99 (closed loop, 100 phones)")
    fig.suptitle(_title(result, "async modes, standard load"), fontsize=10)
    return [_save(fig, folder, f"modes{suffix}")]


def plot_soak(result: dict, folder: Path, suffix: str) -> list[Path]:
    plt = _plt()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for run in result["runs"]:
        if "error" in run:
            continue
        colour = COLOURS.get(run["target"])
        samples = run.get("rss_samples") or []
        if samples:
            left.plot([t / 60 for t, _ in samples], [mb for _, mb in samples],
                      label=run["target"], color=colour)
        points = run.get("timeline") or []
        right.plot([p["t_s"] / 60 for p in points], [p["p99"] for p in points], "o-",
                   label=f"{run['target']} p99", color=colour)
        right.plot([p["t_s"] / 60 for p in points], [p["p50"] for p in points], ".--",
                   label=f"{run['target']} p50", color=colour, alpha=0.6)
    left.set_xlabel("minutes")
    left.set_ylabel("server RSS, MB")
    left.set_ylim(bottom=0)
    left.set_title("memory over time")
    right.set_xlabel("minutes (send time)")
    right.set_ylabel("fan-out latency, ms")
    right.set_yscale("log")
    right.set_title("fan-out latency over time")
    for axis in (left, right):
        axis.legend()
    minutes = result["runs"][0].get("minutes") if result["runs"] else "?"
    fig.suptitle(_title(result, f"soak: 20 workshops × 50 phones, 20 ideas/s, {minutes} min"),
                 fontsize=10)
    return [_save(fig, folder, f"soak{suffix}")]


PLOTTERS = {"standard": plot_standard, "room-size": plot_room_size,
            "board-size": plot_board_size, "connections": plot_connections,
            "modes": plot_modes, "soak": plot_soak}


def plot(name: str, result: dict, folder: Path, suffix: str = "") -> list[Path]:
    """Draw the plots of one scenario's result; the paths written (none for a scenario
    without a plot, such as ``scale``: its figures are a table)."""
    plotter = PLOTTERS.get(name)
    return plotter(result, folder, suffix) if plotter else []


def main(argv: list[str] | None = None) -> int:
    from bench.run import PLOTS

    for arg in argv if argv is not None else sys.argv[1:]:
        result = json.loads(Path(arg).read_text())
        suffix = "-quick" if result.get("quick") else ""
        for path in plot(result["scenario"], result, PLOTS, suffix):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
