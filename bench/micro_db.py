"""Micro-benchmark: the database work of one ``create_idea``, today and in leaner variants.

Runs in one plain process (no server, no sockets) against a fresh SQLite file migrated with
Pinnwand's own migrations, and measures CPU µs per idea (``time.process_time``) for:

- ``today``: exactly what ``app/ideas/sockets.py:on_create_idea`` does with the database —
  ``services.remembered`` in a read session, then ``services.create_idea`` in
  ``Database.ordered`` + ``Database.transaction``;
- ``no-precheck``: the same without the ``remembered`` SELECT (rely on the unique constraint
  on ``(sender, op_id)`` and read the remembered answer only on ``IntegrityError``);
- ``text-seq``: also ``next_seq`` as a module-level ``text()`` statement instead of an
  ORM-enabled ``update()`` (no session synchronisation, no per-call statement building);
- ``core``: the whole write as Core statements in one session — ``UPDATE … RETURNING``,
  ``INSERT … RETURNING`` for the idea, executemany-free inserts of the change-log and
  operation rows, one commit (same rows, same JSON as today);
- ``core-batch10``: ``core`` with ten ideas per transaction (group commit under load);
- ``raw-sqlite3``: the same four statements on the DBAPI connection — the floor of this design.

Each variant writes the same rows, so the differences are the cost of the way they are
written. ``python -m bench.micro_db [--ideas 2000]``; results to ``bench/results/``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

ROOT = Path(__file__).resolve().parent.parent


def setup(folder: Path):
    from app.auth.identity import PARTICIPANT, Identity
    from app.auth.models import Moderator
    from app.db import Database
    from app.events.schemas import EventIn
    from app.events.services import create_event, join_event
    from app.migrate import upgrade_database

    url = f"sqlite:///{folder / 'micro.db'}"
    upgrade_database(url)
    db = Database(url)
    with db.transaction() as session:
        moderator = Moderator(email="m@example.org", name="M", password_hash="x")
        session.add(moderator)
        session.flush()
        event = create_event(session, moderator.id, EventIn.model_validate(
            {"title": "Micro", "workshops": [{"title": "W", "question": "Q?"}]}))
        joined = join_event(session, event.join_code, "Phone", 30)
        workshop_id = event.workshops[0].id if hasattr(event, "workshops") else None
    if workshop_id is None:
        from app.workshops.services import list_workshops

        with db.read() as session:
            workshop_id = list_workshops(session, joined["event_id"])[0].id
    identity = Identity(PARTICIPANT, 1, "Phone", participant_id=joined["participant_id"],
                        event_id=joined["event_id"])
    return db, identity, workshop_id


def payload(workshop_id: int):
    from app.ideas.schemas import CreateIdea

    return CreateIdea.model_validate({"workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
                                      "text": "An idea of about sixty characters, as in the bench"})


def today(db, identity, data, *, precheck=True):
    from app.ideas import services

    if precheck:
        with db.read() as session:
            if services.remembered(session, identity.sender, data.op_id) is not None:
                return
    with db.ordered(data.workshop_id):
        try:
            with db.transaction() as session:
                services.create_idea(session, identity, data)
        except IntegrityError:
            with db.read() as session:
                services.remembered(session, identity.sender, data.op_id)


NEXT_SEQ = text("UPDATE workshops SET seq = seq + 1 WHERE id = :id RETURNING seq, locked")


def text_seq(db, identity, data):
    """``no-precheck`` with ``next_seq`` replaced by :data:`NEXT_SEQ`."""
    from app.ideas import services

    original = services.next_seq

    def next_seq(session, workshop_id):
        row = session.execute(NEXT_SEQ, {"id": workshop_id}).one()
        return row.seq, row.locked

    services.next_seq = next_seq
    try:
        today(db, identity, data, precheck=False)
    finally:
        services.next_seq = original


def _core_write(session, identity, data) -> dict:
    from app.db import isoformat
    from app.ideas.models import Idea, Operation
    from app.workshops.models import WorkshopChange

    seq, locked = session.execute(NEXT_SEQ, {"id": data.workshop_id}).one()
    if locked:
        raise RuntimeError("locked")
    now = datetime.now(UTC)
    idea_id = session.execute(
        insert(Idea.__table__).returning(Idea.__table__.c.id),
        {"workshop_id": data.workshop_id, "text": data.text, "anonymous": data.anonymous,
         "author_name": identity.name, "participant_id": identity.participant_id,
         "moderator_id": identity.moderator_id, "votes": 0, "created_at": now}).scalar_one()
    idea = {"id": idea_id, "workshop_id": data.workshop_id, "text": data.text,
            "author": None if data.anonymous else identity.name,
            "created_at": isoformat(now), "votes": 0}
    change = {"workshop_id": data.workshop_id, "seq": seq, "idea": idea}
    session.execute(insert(WorkshopChange.__table__),
                    {"workshop_id": data.workshop_id, "seq": seq, "name": "idea_created",
                     "payload": change, "created_at": now})
    answer = {"idea": idea, "seq": seq}
    session.execute(insert(Operation.__table__),
                    {"sender": identity.sender, "op_id": data.op_id, "response": answer,
                     "created_at": now})
    return answer


def core(db, identity, data):
    with db.ordered(data.workshop_id), db.transaction() as session:
        _core_write(session, identity, data)


def core_batch(db, identity, batch):
    with db.ordered(batch[0].workshop_id), db.transaction() as session:
        for data in batch:
            _core_write(session, identity, data)


def raw_sqlite3(connection, identity, data):
    now = datetime.now(UTC).replace(tzinfo=None)
    cursor = connection.cursor()
    seq, locked = cursor.execute(
        "UPDATE workshops SET seq = seq + 1 WHERE id = ? RETURNING seq, locked",
        (data.workshop_id,)).fetchone()
    if locked:
        raise RuntimeError("locked")
    idea_id = cursor.execute(
        "INSERT INTO ideas (workshop_id, text, anonymous, author_name, participant_id, votes,"
        " created_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id",
        (data.workshop_id, data.text, data.anonymous, identity.name, identity.participant_id,
         now)).fetchone()[0]
    stamp = now.isoformat(timespec="milliseconds") + "Z"
    idea = {"id": idea_id, "workshop_id": data.workshop_id, "text": data.text,
            "author": identity.name, "created_at": stamp, "votes": 0}
    change = json.dumps({"workshop_id": data.workshop_id, "seq": seq, "idea": idea})
    cursor.execute("INSERT INTO workshop_changes (workshop_id, seq, name, payload, created_at)"
                   " VALUES (?, ?, 'idea_created', ?, ?)", (data.workshop_id, seq, change, now))
    cursor.execute("INSERT INTO operations (sender, op_id, response, created_at)"
                   " VALUES (?, ?, ?, ?)",
                   (identity.sender, data.op_id, json.dumps({"idea": idea, "seq": seq}), now))
    connection.commit()


def measure(name: str, ideas: int, run) -> dict:
    """CPU and wall µs per idea over ``ideas`` calls of ``run(i)`` (after 50 warm-up calls)."""
    for i in range(50):
        run(i)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(ideas):
        run(i)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"variant": name, "cpu_us_per_idea": cpu / ideas * 1e6,
            "wall_us_per_idea": wall / ideas * 1e6}


def run_all(ideas: int, rounds: int) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="bench-micro-"))
    try:
        db, identity, workshop_id = setup(folder)
        prepared = [payload(workshop_id) for _ in range((ideas + 50) * rounds * 8)]
        feed = iter(prepared)
        raw = db.engine.raw_connection()
        variants = {
            "today": lambda _i: today(db, identity, next(feed)),
            "no-precheck": lambda _i: today(db, identity, next(feed), precheck=False),
            "text-seq": lambda _i: text_seq(db, identity, next(feed)),
            "core": lambda _i: core(db, identity, next(feed)),
            "core-batch10": lambda i: (core_batch(db, identity, [next(feed) for _ in range(10)])
                                       if i % 10 == 0 else None),
            "raw-sqlite3": lambda _i: raw_sqlite3(raw.driver_connection, identity, next(feed)),
        }
        samples: dict[str, list[dict]] = {name: [] for name in variants}
        for _ in range(rounds):  # interleaved rounds, so drifts hit every variant alike
            for name, run in variants.items():
                samples[name].append(measure(name, ideas, run))
        raw.close()
        db.dispose()
        out = []
        for name, runs in samples.items():
            out.append({"variant": name, "rounds": rounds, "ideas": ideas,
                        "cpu_us_per_idea": statistics.median(r["cpu_us_per_idea"] for r in runs),
                        "wall_us_per_idea": statistics.median(r["wall_us_per_idea"]
                                                              for r in runs)})
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.micro_db",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--ideas", type=int, default=1000, help="per variant and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    results = run_all(args.ideas, args.rounds)
    base = results[0]["cpu_us_per_idea"]
    for r in results:
        print(f"{r['variant']:>13}: {r['cpu_us_per_idea']:7.1f} µs CPU per idea "
              f"({r['cpu_us_per_idea'] / base:4.2f}× today), wall {r['wall_us_per_idea']:7.1f} µs")
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text_out = json.dumps({"started": stamp, "results": results}, indent=1)
    (folder / f"micro_db-{stamp}.json").write_text(text_out)
    (folder / "micro_db-latest.json").write_text(text_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
