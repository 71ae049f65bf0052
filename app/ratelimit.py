"""Sliding-window counters for the idea rate limit and for failed sign-ins and join codes."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from pinnwand.errors import RateLimited

SWEEP_EVERY = 1024  # records between sweeps of keys whose hits have all expired


class SlidingWindow:
    """At most ``limit`` hits per key within ``window`` seconds; ``limit`` 0 means no limit.

    Kept in this process's memory: with several processes each enforces its own window. Keys
    whose hits have all expired are forgotten now and then, so memory follows the recent
    traffic, not every key ever seen.
    """

    def __init__(self, limit: int, window: float = 60.0, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[object, deque[float]] = {}
        self._guard = threading.Lock()
        self._records = 0

    def check(self, key, message: str) -> None:
        """Raise :class:`RateLimited` (with seconds to wait) if ``key`` used up its window."""
        wait = self.wait(key)
        if wait:
            raise RateLimited(message.format(seconds=wait), retry_after=wait)

    def wait(self, key) -> int:
        """Whole seconds until ``key`` may hit again (``0``: now)."""
        if self.limit <= 0:
            return 0
        with self._guard:
            hits = self._recent(key)
            if len(hits) < self.limit:
                return 0
            return max(1, math.ceil(hits[-self.limit] + self.window - self._clock()))

    def count(self, key) -> int:
        """How many hits ``key`` has within the window."""
        with self._guard:
            return len(self._recent(key))

    def record(self, key) -> None:
        """Count one hit for ``key`` now."""
        if self.limit <= 0:
            return
        with self._guard:
            self._recent(key).append(self._clock())
            self._records += 1
            if self._records % SWEEP_EVERY == 0:
                self._sweep()

    def reset(self, key) -> None:
        """Forget ``key``'s hits (e.g. after a successful sign-in)."""
        with self._guard:
            self._hits.pop(key, None)

    def _recent(self, key) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        horizon = self._clock() - self.window
        while hits and hits[0] <= horizon:
            hits.popleft()
        return hits

    def _sweep(self) -> None:
        horizon = self._clock() - self.window
        for key in [key for key, hits in self._hits.items() if not hits or hits[-1] <= horizon]:
            del self._hits[key]
