"""Micro-benchmark: the database work of one ``create_idea``, as it was and as it is.

Runs in one plain process (no server, no sockets) against a fresh SQLite file migrated with
Pinnwand's own migrations, and measures CPU µs per idea (``time.process_time``) for:

- ``orm``: the former way, kept here as a replica — the ``remembered`` pre-check SELECT in a
  read session, then an ORM-enabled ``update(Workshop)…returning()`` for the ``seq`` and the
  idea, change-log and operation rows as ORM objects with two flushes, one commit;
- ``core``: the same rows as Core statements (prepared ``update()``/``insert()`` on the
  tables, executed on the session's connection), no pre-check, no ORM objects;
- ``service``: the database work of the server's write path today —
  ``pinnwand.ideas.services.create_idea`` inside ``Database.ordered`` + ``Database.transaction``
  (four statements on the DBAPI connection of the session's transaction);
- ``service-batch10``: ``service`` with ten ideas per transaction (what a group commit under
  load would save);
- ``raw-sqlite3``: the same four statements on a DBAPI connection of its own, no session —
  the floor of this design.

Each variant writes the same rows, so the differences are the cost of the way they are
written. ``python -m bench.micro_db [--ideas 2000]``; results to ``bench/results/``.

``--postgres`` runs ``service`` and ``service-batch10`` against a fresh PostgreSQL database
instead (``PINNWAND_TEST_POSTGRES_URL`` or the local server), where every statement is a round
trip: wall time per idea is mostly waiting for the server, CPU time is the client's share.
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

from sqlalchemy import bindparam, insert, update

from bench.fixtures import one_workshop

ROOT = Path(__file__).resolve().parent.parent


def setup(folder: Path, url: str | None = None):
    from pinnwand.auth.identity import PARTICIPANT, Identity
    from pinnwand.events.services import join_event

    db, _event_id, code, workshop_id = one_workshop(folder, "Micro", url)
    with db.transaction() as session:
        joined = join_event(session, code, "Phone", 30)
    identity = Identity(PARTICIPANT, 1, "Phone", participant_id=joined["participant_id"],
                        event_id=joined["event_id"])
    return db, identity, workshop_id


def payload(workshop_id: int):
    from pinnwand.ideas.schemas import CreateIdea

    return CreateIdea.model_validate({"workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
                                      "text": "An idea of about sixty characters, as in the bench"})


def orm(db, identity, data):
    """The former ``on_create_idea`` database work (pre-check, ORM seq, ORM rows)."""
    from pinnwand.board.models import Operation, WorkshopChange
    from pinnwand.ideas.models import Idea
    from pinnwand.workshops.models import Workshop
    from sqlalchemy import select, update

    with db.read() as session:
        if session.scalar(select(Operation.response).where(
                Operation.sender == identity.sender, Operation.op_id == data.op_id)):
            return
    with db.ordered(data.workshop_id), db.transaction() as session:
        seq, locked = session.execute(
            update(Workshop).where(Workshop.id == data.workshop_id)
            .values(seq=Workshop.seq + 1).returning(Workshop.seq, Workshop.locked)).one()
        if locked:
            raise RuntimeError("locked")
        idea = Idea(workshop_id=data.workshop_id, text=data.text, anonymous=data.anonymous,
                    author_name=identity.name, participant_id=identity.participant_id,
                    moderator_id=identity.moderator_id, hidden=False, position=float(seq))
        session.add(idea)
        session.flush()
        shown = idea.to_json()
        payload = {"workshop_id": data.workshop_id, "seq": seq, "idea": shown}
        session.add(WorkshopChange(workshop_id=data.workshop_id, seq=seq, name="idea_created",
                                   payload=payload))
        session.add(Operation(sender=identity.sender, op_id=data.op_id,
                              response={"idea": shown, "seq": seq}))
        session.flush()


def _core_statements():
    from pinnwand.board.models import Operation, WorkshopChange
    from pinnwand.ideas.models import Idea
    from pinnwand.workshops.models import Workshop

    workshops = Workshop.__table__
    claim = (update(workshops).where(workshops.c.id == bindparam("claimed"))
             .values(seq=workshops.c.seq + 1)
             .returning(workshops.c.seq, workshops.c.locked, workshops.c.step,
                        workshops.c.private_writing))
    return (claim, insert(Idea.__table__).returning(Idea.__table__.c.id),
            insert(WorkshopChange.__table__), insert(Operation.__table__))


CORE = None


def core(db, identity, data):
    """The same rows as Core statements on the session's connection."""
    from pinnwand.db import utcnow
    from pinnwand.ideas.services import new_idea_json

    global CORE
    CORE = CORE or _core_statements()
    claim, add_idea, log_change, remember = CORE
    with db.ordered(data.workshop_id), db.transaction() as session:
        connection = session.connection()
        state = connection.execute(claim, {"claimed": data.workshop_id}).one()
        if state.locked:
            raise RuntimeError("locked")
        now, position = utcnow(), float(state.seq)
        idea_id = connection.execute(add_idea, {
            "workshop_id": data.workshop_id, "text": data.text, "anonymous": data.anonymous,
            "author_name": identity.name, "participant_id": identity.participant_id,
            "moderator_id": identity.moderator_id, "votes": 0, "created_at": now,
            "hidden": False, "position": position, "category_id": None}).scalar_one()
        shown = new_idea_json(idea_id, data, identity, now, False, position)
        connection.execute(log_change, {
            "workshop_id": data.workshop_id, "seq": state.seq, "name": "idea_created",
            "payload": {"workshop_id": data.workshop_id, "seq": state.seq, "idea": shown},
            "created_at": now})
        connection.execute(remember, {"sender": identity.sender, "op_id": data.op_id,
                                      "response": {"idea": shown, "seq": state.seq},
                                      "created_at": now})


def service(db, identity, data):
    """What the one write path (``app/board/write.py``) does with the database for a post."""
    from pinnwand.ideas import services

    with db.ordered(data.workshop_id), db.transaction() as session:
        services.create_idea(session, identity, data)


def service_batch(db, identity, batch):
    """``service`` with several ideas in one transaction (group commit)."""
    from pinnwand.ideas import services

    with db.ordered(batch[0].workshop_id), db.transaction() as session:
        for data in batch:
            services.create_idea(session, identity, data)


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


def run_all(ideas: int, rounds: int, postgres: bool = False) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="bench-micro-"))
    database = PostgresDatabase() if postgres else None
    try:
        db, identity, workshop_id = setup(folder, database.__enter__() if database else None)
        prepared = [payload(workshop_id) for _ in range((ideas + 50) * rounds * 8)]
        feed = iter(prepared)
        raw = db.engine.raw_connection()
        variants = {
            "orm": lambda _i: orm(db, identity, next(feed)),
            "core": lambda _i: core(db, identity, next(feed)),
            "service": lambda _i: service(db, identity, next(feed)),
            "service-batch10": lambda i: (
                service_batch(db, identity, [next(feed) for _ in range(10)])
                if i % 10 == 0 else None),
            "raw-sqlite3": lambda _i: raw_sqlite3(raw.driver_connection, identity, next(feed)),
        }
        if postgres:
            variants = {name: variants[name] for name in ("service", "service-batch10")}
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
        if database:
            database.__exit__()


class PostgresDatabase:
    """A fresh PostgreSQL database for one run (its URL from ``__enter__``), dropped after."""

    def __init__(self):
        from bench.servers import POSTGRES_URL

        self.server_url = POSTGRES_URL
        self.name = f"pinnwand_micro_{uuid.uuid4().hex[:12]}"

    def _admin(self, sql: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.server_url).set(drivername="postgresql")
        with psycopg.connect(url.render_as_string(hide_password=False),
                             autocommit=True) as connection:
            connection.execute(sql)

    def __enter__(self) -> str:
        from sqlalchemy.engine import make_url

        self._admin(f'CREATE DATABASE "{self.name}"')
        return make_url(self.server_url).set(database=self.name).render_as_string(
            hide_password=False)

    def __exit__(self, *_exc) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.micro_db",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--ideas", type=int, default=1000, help="per variant and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true",
                        help="the write path's variants against a fresh PostgreSQL database")
    args = parser.parse_args(argv)
    results = run_all(args.ideas, args.rounds, args.postgres)
    base = results[0]["cpu_us_per_idea"]
    for r in results:
        print(f"{r['variant']:>15}: {r['cpu_us_per_idea']:7.1f} µs CPU per idea "
              f"({r['cpu_us_per_idea'] / base:4.2f}× {results[0]['variant']}), "
              f"wall {r['wall_us_per_idea']:7.1f} µs")
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    text_out = json.dumps({"started": stamp, "results": results}, indent=1)
    (folder / f"micro_db-{stamp}.json").write_text(text_out)
    (folder / "micro_db-latest.json").write_text(text_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
