"""Run blocking work (password hashing, report rendering) off the event loop, whatever the async
mode, and keep a queue of such work from growing without bound."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pinnwand.errors import Unavailable


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


class Turns:
    """At most ``at_once`` callers at a time and ``waiting`` more in line; beyond that the
    caller gets :class:`Unavailable` (``Retry-After``) at once instead of a place in an ever
    longer queue.

    Build it once the standard library is patched (in ``create_app``), so that waiting for a
    turn is cooperative under eventlet and gevent.
    """

    def __init__(self, at_once: int, waiting: int, *, busy_message: str, retry_after: int = 2):
        self.at_once = at_once
        self.capacity = at_once + waiting
        self._slots = threading.BoundedSemaphore(at_once)
        self._guard = threading.Lock()
        self._admitted = 0  # inside or waiting
        self._busy = Unavailable(busy_message, retry_after)

    @property
    def admitted(self) -> int:
        """How many callers are inside or wait right now."""
        return self._admitted

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for a turn and hold it for the block; :class:`Unavailable` when the line is
        full."""
        with self._guard:
            if self._admitted >= self.capacity:
                raise Unavailable(self._busy.message, self._busy.retry_after)
            self._admitted += 1
        try:
            with self._slots:
                yield
        finally:
            with self._guard:
                self._admitted -= 1


class BoundedRunner:
    """Blocking work off the event loop, at most ``workers`` at once and ``waiting`` more in
    line; beyond that :class:`Unavailable` at once (see :class:`Turns`)."""

    def __init__(self, workers: int, waiting: int, *, busy_message: str, retry_after: int = 2):
        self.workers = workers
        self._turns = Turns(workers, waiting, busy_message=busy_message,
                            retry_after=retry_after)
        self.capacity = self._turns.capacity

    @property
    def admitted(self) -> int:
        """How many calls run or wait right now."""
        return self._turns.admitted

    def run(self, function, *args):
        """``function(*args)`` in a worker thread, in turn; :class:`Unavailable` when full."""
        with self._turns.turn():
            return run_blocking(function, *args)


def _patched_by(library: str) -> bool:
    module = sys.modules.get(f"{library}.patcher" if library == "eventlet" else "gevent.monkey")
    if module is None:
        return False
    if library == "eventlet":
        return module.is_monkey_patched("thread")
    return module.is_module_patched("threading")
