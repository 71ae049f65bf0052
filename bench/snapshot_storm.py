"""Benchmark: a bystander phone's acks while many phones open a big board at once.

Starts ``pinnwand serve`` in a fresh instance folder for each async mode, writes ``--ideas``
ideas onto one workshop's board, then lets ``--openers`` phones send ``join_workshop`` for it
at the same moment while a phone in another workshop (in a process of its own) posts an idea
every 50 ms. Prints per mode: how long the openers waited, and the bystander's median, p99
and worst ack. The finding it answers: 20 phones opening a 20,000-idea board took 12–46 s and
phones in other workshops waited up to 8.8 s, because the snapshot was built and encoded on
the event loop in one piece.

    .venv/bin/python -m bench.snapshot_storm [--modes eventlet,gevent,threading]
        [--ideas 5000] [--openers 20] [--json results.json]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.bystander import ack_figures, run_modes
from tests.support.server import (
    Api,
    ServerProcess,
    close_clients,
    create_moderator,
    open_clients,
    server_env,
)
from tests.support.storm import open_big_board, seed_ideas

MODERATOR = ("bench@example.org", "bench-password-123")


def measure(mode: str, ideas: int, openers: int) -> dict:
    """One storm of openers against a fresh server in ``mode``; its figures."""
    with tempfile.TemporaryDirectory(prefix="pinnwand-board-") as folder:
        instance = Path(folder) / "instance"
        instance.mkdir()
        env = server_env(instance, async_mode=mode, PINNWAND_SNAPSHOT_LIMIT="0")
        with ServerProcess(env, cwd=Path(folder)) as server:
            create_moderator(env, *MODERATOR, "Bench")
            moderator = Api(server.url).login(*MODERATOR)
            event = moderator.post("/events", {"title": "Board", "workshops": [
                {"title": "Big", "question": "?"}, {"title": "Quiet", "question": "?"}]},
                expect=201)
            big, quiet = (workshop["id"] for workshop in event["workshops"])
            seed_ideas(f"sqlite:///{instance / 'pinnwand.db'}", big, ideas)
            tokens = [Api(server.url).post("/join", {"code": event["join_code"],
                                                     "name": f"P{n}"})["token"]
                      for n in range(openers + 1)]
            clients = open_clients(server.url, [(token, f"opener {n}")
                                                for n, token in enumerate(tokens[1:])])
            try:
                result = open_big_board(clients, big, tokens[0], quiet)
            finally:
                close_clients(clients)
    return {
        "mode": mode, "ideas": ideas, "openers": openers,
        "seconds": round(result.seconds, 2),
        "open_slowest_s": round(max(result.opens), 2),
        **ack_figures(result.acks, result.worst_ack),
        "summary": result.summary(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="eventlet,gevent,threading")
    parser.add_argument("--ideas", type=int, default=5000)
    parser.add_argument("--openers", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    return run_modes(args.modes, lambda mode: measure(mode, args.ideas, args.openers), args.json)


if __name__ == "__main__":
    sys.exit(main())
