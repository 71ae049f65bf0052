"""What the storm benchmarks share: a bystander phone's ack figures, and running a storm once
per async mode."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def ack_figures(acks: list[float], worst: float) -> dict:
    """A bystander's acks (seconds) as count, median, p99 and worst in milliseconds."""
    ordered = sorted(acks)
    if not ordered:
        return {"acks": 0, "ack_median_ms": None, "ack_p99_ms": None,
                "ack_worst_ms": round(worst * 1000, 1)}
    return {
        "acks": len(ordered),
        "ack_median_ms": round(ordered[len(ordered) // 2] * 1000, 1),
        "ack_p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
        "ack_worst_ms": round(worst * 1000, 1),
    }


def run_modes(modes: str, measure: Callable[[str], dict], json_path: Path | None) -> int:
    """Measure once per async mode (comma list), print each summary, optionally write JSON."""
    figures = []
    for mode in modes.split(","):
        figures.append(measure(mode.strip()))
        print(f"{mode}: {figures[-1]['summary']}", flush=True)
    if json_path:
        json_path.write_text(json.dumps(figures, indent=2))
    return 0
