"""Micro-benchmark: the ``join_workshop`` snapshot of a big, fully facilitated board.

The board-size curve of ``bench.run`` fills a board with ideas only; after the facilitation
work the snapshot also reads clusters, actions and the reader's dots. This builds one
workshop in a fresh SQLite file (Pinnwand's migrations) with ``--ideas`` ideas from
``--participants`` participants, groups every second idea into clusters of ten, gives every
participant their three dots (on ideas and on clusters), adds ``--actions`` actions with two
contributors each, and times :func:`pinnwand.snapshot.snapshot` for the three kinds of
reader — the staff, a participant, a projector (no JSON encoding, no transport): CPU and wall
ms per call (median of ``--repeats``), and the answer's JSON size.

    python -m bench.snapshot_bench [--ideas 10000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.fixtures import one_workshop

ROOT = Path(__file__).resolve().parent.parent


def build_board(folder: Path, ideas: int, participants: int, actions: int):
    """A migrated database holding one big facilitated workshop; ``(db, workshop id,
    participant ids)``."""
    from pinnwand.actions.models import Action, Contributor
    from pinnwand.clusters.models import Cluster
    from pinnwand.db import utcnow
    from pinnwand.events.services import join_event
    from pinnwand.ideas.models import Idea
    from pinnwand.votes.models import Vote
    from pinnwand.workshops.services import add_member
    from sqlalchemy import insert

    db, _event_id, code, workshop_id = one_workshop(folder, "Snapshot")
    with db.transaction() as session:
        people = [join_event(session, code, f"P{n}", 30)["participant_id"]
                  for n in range(participants)]
        for person in people:
            add_member(session, workshop_id, person)
    now = utcnow()
    with db.transaction() as session:
        cluster_count = ideas // 20
        session.execute(insert(Cluster), [
            {"workshop_id": workshop_id, "title": f"Cluster {n}", "position": float(n),
             "votes": 0, "created_at": now} for n in range(cluster_count)])
        cluster_ids = sorted(c.id for c in session.query(Cluster).all())
        session.execute(insert(Idea), [
            {"workshop_id": workshop_id, "participant_id": people[n % participants],
             "author_name": f"P{n % participants}", "anonymous": False,
             "text": f"Idea {n}: " + "x" * 60, "votes": 0, "created_at": now,
             "hidden": False, "position": float(n),
             "cluster_id": cluster_ids[(n // 2) % cluster_count] if n % 2 and cluster_ids
             else None} for n in range(ideas)])
        idea_ids = sorted(i for (i,) in session.query(Idea.id).all())
        votes = []
        for n, person in enumerate(people):
            votes.append({"workshop_id": workshop_id, "participant_id": person,
                          "target_type": "idea", "target_id": idea_ids[(n * 7) % ideas],
                          "count": 2})
            if cluster_ids:
                votes.append({"workshop_id": workshop_id, "participant_id": person,
                              "target_type": "cluster",
                              "target_id": cluster_ids[n % cluster_count], "count": 1})
        session.execute(insert(Vote), votes)
        for n in range(actions):
            action = Action(workshop_id=workshop_id, title=f"Action {n}", what="What",
                            owner="Owner", prospects="Good", position=n,
                            idea_ids=idea_ids[n * 3:n * 3 + 3],
                            cluster_ids=cluster_ids[n:n + 1])
            session.add(action)
            session.flush()
            session.add_all([Contributor(action_id=action.id, participant_id=people[n],
                                         name=f"P{n}", brings="Time"),
                             Contributor(action_id=action.id, name="Guest", brings="Room")])
    return db, workshop_id, people


def measure(db, workshop_id: int, audience, repeats: int) -> dict:
    """CPU and wall ms of :func:`snapshot` for ``audience``, and its JSON size."""
    from pinnwand.snapshot import snapshot

    cpu, wall, size = [], [], 0
    for _ in range(repeats):
        with db.read() as session:
            cpu0, wall0 = time.process_time(), time.perf_counter()
            answer = snapshot(session, workshop_id, audience)
            cpu.append((time.process_time() - cpu0) * 1000)
            wall.append((time.perf_counter() - wall0) * 1000)
        size = len(json.dumps(answer, separators=(",", ":")).encode())
    return {"cpu_ms": statistics.median(cpu), "wall_ms": statistics.median(wall),
            "bytes": size, "ideas": len(answer["ideas"]), "clusters": len(answer["clusters"]),
            "actions": len(answer["actions"])}


def main(argv: list[str] | None = None) -> int:
    from pinnwand.board.visibility import STAFF, VIEWER, Audience

    parser = argparse.ArgumentParser(prog="python -m bench.snapshot_bench",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--actions", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-snapshot-"))
    try:
        db, workshop_id, people = build_board(folder, args.ideas, args.participants,
                                              args.actions)
        readers = {"staff": STAFF, "participant": Audience(participant_id=people[0]),
                   "projector": VIEWER}
        results = {name: measure(db, workshop_id, audience, args.repeats)
                   for name, audience in readers.items()}
        db.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for name, r in results.items():
        print(f"{name:>11}: {r['cpu_ms']:7.1f} ms CPU, {r['wall_ms']:7.1f} ms wall, "
              f"{r['bytes'] / 1024:8.1f} KiB ({r['ideas']} ideas, {r['clusters']} clusters, "
              f"{r['actions']} actions)")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text = json.dumps({"started": stamp, "args": vars(args), "results": results}, indent=1)
    (out / f"snapshot_bench-{stamp}.json").write_text(text)
    (out / "snapshot_bench-latest.json").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
