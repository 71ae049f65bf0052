"""Storms against a running server while a bystander phone posts ideas: failed sign-ins, and
many phones opening a big board at once.

Used by ``tests/integration/test_sign_in_storm.py`` and ``test_big_board.py`` (a generous
bound, correctness) and ``bench/signin_storm.py`` and ``bench/snapshot_storm.py`` (the
figures). The server must trust one proxy
(``PINNWAND_TRUSTED_PROXIES=1``): each simulated address sends its own ``X-Forwarded-For``.
Every attempt names an e-mail without an account, so each costs a full Argon2 verification
(against the dummy hash) and stays within the per-address and per-account budgets.
"""

from __future__ import annotations

import multiprocessing
import statistics
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from tests.support.server import LiveClient

HTTP_TIMEOUT_S = 60
PROBE_EVERY_S = 0.05  # the bystander posts an idea every 50 ms


@dataclass
class StormResult:
    """What the storm's sign-ins got and how long the bystander waited for its acks."""

    statuses: Counter = field(default_factory=Counter)
    missing_retry_after: int = 0  # 429/503 answers without a Retry-After header
    acks: list[float] = field(default_factory=list)  # the bystander's, in seconds
    seconds: float = 0.0

    @property
    def worst_ack(self) -> float:
        return max(self.acks, default=0.0)

    def summary(self) -> str:
        acks = sorted(self.acks)
        median = statistics.median(acks) if acks else 0.0
        p99 = acks[min(len(acks) - 1, int(len(acks) * 0.99))] if acks else 0.0
        return (f"{sum(self.statuses.values())} sign-ins in {self.seconds:.1f} s "
                f"({dict(self.statuses)}); bystander: {len(acks)} acks, median "
                f"{median * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, worst "
                f"{self.worst_ack * 1000:.0f} ms")


def sign_in_storm(url: str, client: LiveClient, workshop_id: int, addresses: int = 20,
                  attempts: int = 10) -> StormResult:
    """``addresses`` × ``attempts`` failed sign-ins (each address one after the other, all
    addresses at once) while ``client`` posts ideas to ``workshop_id`` one after another."""
    result = StormResult()
    stop = threading.Event()
    bystander = threading.Thread(target=_post_until, args=(client, workshop_id, stop, result))
    began = time.perf_counter()
    bystander.start()
    try:
        with ThreadPoolExecutor(max_workers=addresses) as pool:
            answers = list(pool.map(lambda n: _guess(url, n, attempts), range(addresses)))
    finally:
        stop.set()
        bystander.join(HTTP_TIMEOUT_S)
    result.seconds = time.perf_counter() - began
    for status, retry_after in (answer for batch in answers for answer in batch):
        result.statuses[status] += 1
        if status in (429, 503) and not retry_after:
            result.missing_retry_after += 1
    return result


def _guess(url: str, address: int, attempts: int) -> list[tuple[int, str | None]]:
    session = requests.Session()
    forwarded = {"X-Forwarded-For": f"10.77.{address // 250}.{address % 250 + 1}"}
    answers = []
    for attempt in range(attempts):
        response = session.post(f"{url}/api/v1/auth/token", headers=forwarded,
                                timeout=HTTP_TIMEOUT_S,
                                json={"email": f"guess-{address}-{attempt}@example.org",
                                      "password": f"wrong guess {attempt}"})
        answers.append((response.status_code, response.headers.get("Retry-After")))
    return answers


def _post_until(client: LiveClient, workshop_id: int, stop: threading.Event,
                result: StormResult) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        client.call_ok("create_idea", {"workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
                                       "text": "Ich warte nicht"}, timeout=HTTP_TIMEOUT_S)
        result.acks.append(time.perf_counter() - began)
        stop.wait(PROBE_EVERY_S)


# -- many phones opening a big board at once ---------------------------------------------------


@dataclass
class OpenResult:
    """What the openers of a big board got and how long a bystander waited for its acks."""

    snapshots: list[dict] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)  # each opener's join_workshop, seconds
    acks: list[float] = field(default_factory=list)  # the bystander's, seconds
    seconds: float = 0.0

    @property
    def worst_ack(self) -> float:
        return max(self.acks, default=0.0)

    def summary(self) -> str:
        acks, opens = sorted(self.acks), sorted(self.opens)
        median = statistics.median(acks) if acks else 0.0
        p99 = acks[min(len(acks) - 1, int(len(acks) * 0.99))] if acks else 0.0
        return (f"{len(opens)} openers in {self.seconds:.1f} s (each: median "
                f"{statistics.median(opens) if opens else 0:.2f} s, slowest "
                f"{max(opens, default=0):.2f} s); bystander: {len(acks)} acks, median "
                f"{median * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, worst "
                f"{self.worst_ack * 1000:.0f} ms")


def seed_ideas(database_url: str, workshop_id: int, count: int) -> None:
    """Write ``count`` ideas onto a workshop's board straight into the database (as a board
    that grew during a long event would hold them)."""
    from pinnwand.db import Database, utcnow
    from pinnwand.ideas.models import Idea
    from pinnwand.models import Base  # every table, so the ideas' foreign keys resolve
    from sqlalchemy import insert

    assert "ideas" in Base.metadata.tables

    db = Database(database_url)
    now = utcnow()
    try:
        with db.transaction() as session:
            session.execute(insert(Idea), [
                {"workshop_id": workshop_id, "text": f"Gesammelte Idee Nummer {n} mit etwas Text",
                 "author_name": f"Teilnehmerin {n % 150}", "anonymous": n % 7 == 0,
                 "votes": 0, "created_at": now, "hidden": False, "position": float(n)}
                for n in range(count)])
    finally:
        db.dispose()


def open_big_board(openers: list[LiveClient], workshop_id: int, bystander_token: str,
                   bystander_workshop: int) -> OpenResult:
    """Every opener sends ``join_workshop`` for ``workshop_id`` at the same moment while a
    bystander phone posts ideas to ``bystander_workshop`` one after another. The bystander runs
    in a process of its own, so decoding the openers' big answers here does not delay its
    acks."""
    result = OpenResult()
    context = multiprocessing.get_context("spawn")
    stop, ready, acks = context.Event(), context.Event(), context.Queue()
    bystander = context.Process(target=_bystander, args=(
        openers[0].url, bystander_token, bystander_workshop, stop, ready, acks))
    barrier = threading.Barrier(len(openers))

    def open_board(client: LiveClient) -> tuple[dict, float]:
        barrier.wait(HTTP_TIMEOUT_S)
        began = time.perf_counter()
        data = client.call_ok("join_workshop", {"workshop_id": workshop_id},
                              timeout=HTTP_TIMEOUT_S * 2)
        return data, time.perf_counter() - began

    bystander.start()
    try:
        assert ready.wait(HTTP_TIMEOUT_S), "the bystander phone did not start"
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(openers)) as pool:
            answers = list(pool.map(open_board, openers))
        result.seconds = time.perf_counter() - began
    finally:
        stop.set()
        result.acks = acks.get(timeout=HTTP_TIMEOUT_S)
        bystander.join(HTTP_TIMEOUT_S)
    result.snapshots = [data for data, _ in answers]
    result.opens = [seconds for _, seconds in answers]
    return result


def _bystander(url: str, token: str, workshop_id: int, stop, ready, acks) -> None:
    """A phone in its own process: posts ideas until ``stop``; puts its ack times on
    ``acks``."""
    client = LiveClient(url, token, "bystander").connect()
    probe = StormResult()
    try:
        client.call_ok("join_workshop", {"workshop_id": workshop_id})
        ready.set()
        _post_until(client, workshop_id, stop, probe)
    finally:
        acks.put(probe.acks)
        client.close()
