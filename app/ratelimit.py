"""Sliding-window counters for the idea rate limit and for failed sign-in attempts."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from pinnwand.errors import RateLimited


class SlidingWindow:
    """At most ``limit`` hits per key within ``window`` seconds; ``limit`` 0 means no limit.

    Kept in this process's memory: with several processes each enforces its own window.
    """

    def __init__(self, limit: int, window: float = 60.0, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[object, deque[float]] = {}
        self._guard = threading.Lock()

    def check(self, key, message: str) -> None:
        """Raise :class:`RateLimited` (with seconds to wait) if ``key`` used up its window."""
        if self.limit <= 0:
            return
        with self._guard:
            hits = self._recent(key)
            if len(hits) >= self.limit:
                wait = max(1, math.ceil(hits[0] + self.window - self._clock()))
                raise RateLimited(message.format(seconds=wait), retry_after=wait)

    def record(self, key) -> None:
        """Count one hit for ``key`` now."""
        if self.limit <= 0:
            return
        with self._guard:
            self._recent(key).append(self._clock())

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
