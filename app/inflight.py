"""Counting the socket events being handled, so a stopping server can let them finish."""

from __future__ import annotations

import threading
import time


class InFlight:
    """How many socket events this process is handling right now."""

    def __init__(self):
        self._count = 0
        self._guard = threading.Lock()

    def __enter__(self):
        with self._guard:
            self._count += 1
        return self

    def __exit__(self, *_exc):
        with self._guard:
            self._count -= 1

    @property
    def count(self) -> int:
        return self._count

    def wait_idle(self, timeout: float, poll: float = 0.05) -> bool:
        """Wait until nothing is in flight (or ``timeout`` passed); whether it got idle."""
        deadline = time.monotonic() + timeout
        while self._count > 0 and time.monotonic() < deadline:
            time.sleep(poll)
        return self._count == 0
