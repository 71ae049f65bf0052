"""The in-flight counter a stopping server waits on."""

from __future__ import annotations

import threading

from pinnwand.inflight import InFlight


def test_counts_nested_work_and_reports_idle():
    in_flight = InFlight()
    with in_flight, in_flight:
        assert in_flight.count == 2
        assert in_flight.wait_idle(timeout=0.01) is False
    assert in_flight.count == 0
    assert in_flight.wait_idle(timeout=0.01) is True


def test_waits_until_the_last_event_finishes():
    in_flight = InFlight()
    entered, release = threading.Event(), threading.Event()

    def handler():
        with in_flight:
            entered.set()
            release.wait(5)

    worker = threading.Thread(target=handler)
    worker.start()
    entered.wait(5)
    assert in_flight.wait_idle(timeout=0.05) is False
    release.set()
    assert in_flight.wait_idle(timeout=5) is True
    worker.join()
