"""A storm of failed sign-ins against a running server while a bystander phone posts ideas.

Used by ``tests/integration/test_sign_in_storm.py`` (a generous bound, correctness) and
``bench/signin_storm.py`` (the figures). The server must trust one proxy
(``PINNWAND_TRUSTED_PROXIES=1``): each simulated address sends its own ``X-Forwarded-For``.
Every attempt names an e-mail without an account, so each costs a full Argon2 verification
(against the dummy hash) and stays within the per-address and per-account budgets.
"""

from __future__ import annotations

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
