"""The bounded runner behind password checks: a few at a time, a short line, then 503."""

from __future__ import annotations

import threading

import pytest
from pinnwand.background import BoundedRunner
from pinnwand.errors import Unavailable

from tests.support.server import wait_until


def test_beyond_workers_and_line_the_caller_is_told_to_come_back():
    runner = BoundedRunner(2, 1, busy_message="busy", retry_after=3)
    release = threading.Event()
    started = threading.Semaphore(0)
    results: list[str] = []

    def work(name: str) -> str:
        started.release()
        release.wait(10)
        return name

    threads = [threading.Thread(target=lambda n=n: results.append(runner.run(work, n)))
               for n in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    assert started.acquire(timeout=10) and started.acquire(timeout=10)  # two run, one waits
    wait_until(lambda: runner.admitted == 3, what="the third call in line")
    with pytest.raises(Unavailable) as refused:
        runner.run(work, "d")
    assert refused.value.retry_after == 3 and refused.value.status == 503
    release.set()
    for thread in threads:
        thread.join(10)
    assert sorted(results) == ["a", "b", "c"]
    assert runner.admitted == 0
    assert runner.run(str.upper, "again") == "AGAIN"


def test_a_failing_call_frees_its_place():
    runner = BoundedRunner(1, 0, busy_message="busy")
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda: 1 / 0)
    assert runner.admitted == 0
    assert runner.run(len, "abc") == 3
