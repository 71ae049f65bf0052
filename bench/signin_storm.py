"""Benchmark: a bystander phone's acks while a storm of failed sign-ins runs.

Starts ``pinnwand serve`` (real Argon2 parameters) in a fresh instance folder for each async
mode, creates an event with one workshop and a phone on its board, then sends
``--addresses`` × ``--attempts`` failed sign-ins (each address from its own
``X-Forwarded-For``, all addresses at once, e-mails without accounts) while the phone posts an
idea every 50 ms. Prints per mode: the sign-ins' answers, and the phone's median, p99 and
worst ack. The finding it answers: 20 addresses × 10 failed sign-ins froze a process for
~27 s while Argon2 ran on the event loop (a phone waited 12.7 s for an ack).

    .venv/bin/python -m bench.signin_storm [--modes eventlet,gevent,threading]
        [--addresses 20] [--attempts 10] [--json results.json]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.bystander import ack_figures, run_modes
from tests.support.server import Api, LiveClient, ServerProcess, create_moderator, server_env
from tests.support.storm import sign_in_storm

MODERATOR = ("bench@example.org", "bench-password-123")


def measure(mode: str, addresses: int, attempts: int) -> dict:
    """One storm against a fresh server in ``mode``; its figures."""
    with tempfile.TemporaryDirectory(prefix="pinnwand-storm-") as folder:
        instance = Path(folder) / "instance"
        instance.mkdir()
        env = server_env(instance, async_mode=mode, PINNWAND_TRUSTED_PROXIES="1")
        with ServerProcess(env, cwd=Path(folder)) as server:
            create_moderator(env, *MODERATOR, "Bench")
            moderator = Api(server.url).login(*MODERATOR)
            event = moderator.post("/events", {"title": "Storm", "workshops": [
                {"title": "Calm", "question": "?"}]}, expect=201)
            workshop = event["workshops"][0]["id"]
            phone = Api(server.url).post("/join", {"code": event["join_code"], "name": "P"})
            client = LiveClient(server.url, phone["token"], "bystander").connect()
            try:
                client.call_ok("join_workshop", {"workshop_id": workshop})
                result = sign_in_storm(server.url, client, workshop, addresses, attempts)
            finally:
                client.close()
    return {
        "mode": mode, "addresses": addresses, "attempts": attempts,
        "seconds": round(result.seconds, 2), "statuses": dict(result.statuses),
        **ack_figures(result.acks, result.worst_ack),
        "summary": result.summary(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="eventlet,gevent,threading")
    parser.add_argument("--addresses", type=int, default=20)
    parser.add_argument("--attempts", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    return run_modes(args.modes, lambda mode: measure(mode, args.addresses, args.attempts),
                     args.json)


if __name__ == "__main__":
    sys.exit(main())
