"""The sliding window behind the idea rate limit and the sign-in throttle, on a fake clock."""

from __future__ import annotations

import pytest
from pinnwand.errors import RateLimited
from pinnwand.ratelimit import SlidingWindow


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


def _hit(window: SlidingWindow, key, times: int = 1) -> None:
    for _ in range(times):
        window.check(key, "wait {seconds} s")
        window.record(key)


def test_allows_up_to_the_limit_then_refuses(clock):
    window = SlidingWindow(3, 60.0, clock=clock)
    _hit(window, "anna", 3)
    with pytest.raises(RateLimited) as caught:
        window.check("anna", "wait {seconds} s")
    assert caught.value.code == "rate_limited"
    assert caught.value.status == 429
    assert caught.value.retry_after == 60
    assert caught.value.message == "wait 60 s"


def test_retry_after_counts_down_to_the_oldest_hit(clock):
    window = SlidingWindow(2, 60.0, clock=clock)
    _hit(window, "anna")
    clock.advance(10)
    _hit(window, "anna")
    clock.advance(15.5)
    with pytest.raises(RateLimited) as caught:
        window.check("anna", "{seconds}")
    assert caught.value.retry_after == 35  # ceil(60 - 25.5)
    assert caught.value.message == "35"


def test_retry_after_is_at_least_one_second(clock):
    window = SlidingWindow(1, 60.0, clock=clock)
    _hit(window, "anna")
    clock.advance(59.99)
    with pytest.raises(RateLimited) as caught:
        window.check("anna", "x")
    assert caught.value.retry_after == 1


def test_window_slides(clock):
    window = SlidingWindow(2, 60.0, clock=clock)
    _hit(window, "anna")
    clock.advance(30)
    _hit(window, "anna")
    clock.advance(29.9)
    with pytest.raises(RateLimited):
        window.check("anna", "x")
    clock.advance(0.1)  # the first hit is now exactly one window old
    _hit(window, "anna")
    with pytest.raises(RateLimited):
        window.check("anna", "x")
    clock.advance(30)
    window.check("anna", "x")


def test_checking_does_not_count(clock):
    window = SlidingWindow(1, 60.0, clock=clock)
    for _ in range(10):
        window.check("anna", "x")
    _hit(window, "anna")
    with pytest.raises(RateLimited):
        window.check("anna", "x")


def test_keys_are_independent(clock):
    window = SlidingWindow(1, 60.0, clock=clock)
    _hit(window, "anna")
    with pytest.raises(RateLimited):
        window.check("anna", "x")
    _hit(window, "ben")
    _hit(window, 42)


def test_reset_forgets_a_key(clock):
    window = SlidingWindow(1, 60.0, clock=clock)
    _hit(window, "anna")
    _hit(window, "ben")
    window.reset("anna")
    window.check("anna", "x")
    with pytest.raises(RateLimited):
        window.check("ben", "x")
    window.reset("never-seen")


def test_limit_zero_means_no_limit(clock):
    window = SlidingWindow(0, 60.0, clock=clock)
    _hit(window, "anna", 1000)
    window.check("anna", "x")


def test_default_clock_is_real_time():
    window = SlidingWindow(1, 60.0)
    _hit(window, "anna")
    with pytest.raises(RateLimited):
        window.check("anna", "x")
