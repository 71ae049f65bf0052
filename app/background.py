"""Run blocking work (report rendering) off the event loop, whatever the async mode."""

from __future__ import annotations

import sys


def run_blocking(function, *args):
    """Call ``function(*args)`` in a real OS thread and wait for it without blocking other
    green threads (eventlet's ``tpool``, gevent's thread pool, or directly under threading)."""
    if _patched_by("eventlet"):
        from eventlet import tpool

        return tpool.execute(function, *args)
    if _patched_by("gevent"):
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)


def _patched_by(library: str) -> bool:
    module = sys.modules.get(f"{library}.patcher" if library == "eventlet" else "gevent.monkey")
    if module is None:
        return False
    if library == "eventlet":
        return module.is_monkey_patched("thread")
    return module.is_module_patched("threading")
