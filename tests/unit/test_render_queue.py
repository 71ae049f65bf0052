"""The queue of heavy renders: moderators first, anonymous readers in a short line."""

from __future__ import annotations

import threading

import pytest
from pinnwand.errors import Unavailable
from pinnwand.reports.worker import MODERATOR, PUBLIC, RenderQueue

from tests.support.server import wait_until


class Holder:
    """A render that holds its turn until released."""

    def __init__(self, queue: RenderQueue, who: str = MODERATOR):
        self.release = threading.Event()
        self.holding = threading.Event()
        self.thread = threading.Thread(target=self._hold, args=(queue, who))
        self.thread.start()
        assert self.holding.wait(10)

    def _hold(self, queue, who):
        with queue.turn(who):
            self.holding.set()
            self.release.wait(10)

    def done(self):
        self.release.set()
        self.thread.join(10)


def test_a_waiting_moderator_goes_before_every_waiting_reader():
    queue = RenderQueue(workers=1, public_waiting=10)
    holder = Holder(queue)
    order: list[str] = []

    def render(name: str, who: str) -> None:
        with queue.turn(who):
            order.append(name)

    threads = []
    for name, who, count in (("reader 1", PUBLIC, 1), ("reader 2", PUBLIC, 2),
                             ("reader 3", PUBLIC, 3), ("moderator", MODERATOR, 1)):
        threads.append(threading.Thread(target=render, args=(name, who)))
        threads[-1].start()
        wait_until(lambda w=who, c=count: queue.waiting(w) == c, what=f"{name} in line")
    holder.done()
    for thread in threads:
        thread.join(10)
    assert order == ["moderator", "reader 1", "reader 2", "reader 3"]
    assert queue.started == 5


def test_the_readers_line_is_short_and_moderators_are_never_turned_away():
    queue = RenderQueue(workers=1, public_waiting=2)
    holder = Holder(queue)
    readers = []
    for number in range(2):
        readers.append(threading.Thread(target=_take_turn, args=(queue, PUBLIC)))
        readers[-1].start()
        wait_until(lambda n=number: queue.waiting(PUBLIC) == n + 1, what="a reader in line")
    with pytest.raises(Unavailable) as refused, queue.turn(PUBLIC):
        pass
    assert refused.value.status == 503 and refused.value.retry_after >= 1
    moderators = [threading.Thread(target=_take_turn, args=(queue, MODERATOR))
                  for _ in range(5)]
    for thread in moderators:
        thread.start()
    wait_until(lambda: queue.waiting(MODERATOR) == 5, what="five moderators in line")
    holder.done()
    for thread in readers + moderators:
        thread.join(10)
    assert queue.started == 1 + 2 + 5


def _take_turn(queue: RenderQueue, who: str) -> None:
    with queue.turn(who):
        pass
