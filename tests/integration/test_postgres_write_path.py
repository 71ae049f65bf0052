"""The write path's round trips on PostgreSQL, in-process against a fresh database.

A post sends its change-log row and its remembered answer together with the ``COMMIT``
(:func:`pinnwand.db.driver_later`), and pooled connections are pinged only after resting
(:func:`pinnwand.db._ping_if_rested`). What must hold regardless:

- a post's idea, change-log entry and remembered answer are all committed, and the log reads
  back as the change that was published;
- a repeated ``op_id`` fails at the commit, rolls back everything of the repeat (no second
  idea, no ``seq`` taken) and is answered with the first answer;
- statements kept for a commit that never comes are gone with the rollback;
- a connection whose server process died while it rested is replaced before use; one that
  dies in steady use fails one transaction, and the next one works.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from pinnwand import db as db_module
from pinnwand.auth.identity import PARTICIPANT, Identity
from pinnwand.auth.models import Moderator
from pinnwand.board.changes import logged_changes
from pinnwand.board.operations import answer_once, remember, remembered
from pinnwand.db import Database, driver_later
from pinnwand.events.schemas import EventIn
from pinnwand.events.services import create_event, join_event
from pinnwand.ideas import services
from pinnwand.ideas.models import Idea
from pinnwand.ideas.schemas import CreateIdea
from pinnwand.migrate import upgrade_database
from pinnwand.workshops.models import Workshop
from pinnwand.workshops.services import list_workshops
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from tests.support.services import libpq_url

pytestmark = pytest.mark.integration


@pytest.fixture()
def stage(postgres_database):
    """A migrated database with one workshop and a participant who joined it."""
    upgrade_database(postgres_database)
    database = Database(postgres_database)
    with database.transaction() as session:
        moderator = Moderator(email="rt@example.org", name="M", password_hash="x")
        session.add(moderator)
        session.flush()
        event = create_event(session, moderator.id, EventIn.model_validate(
            {"title": "Round trips", "workshops": [{"title": "W", "question": "Q?"}]}))
        workshop_id = list_workshops(session, event.id)[0].id
        joined = join_event(session, event.join_code, "Phone", 30)
    identity = Identity(PARTICIPANT, 1, "Phone", participant_id=joined["participant_id"],
                        event_id=joined["event_id"])
    yield database, identity, workshop_id
    database.dispose()


def post(database: Database, identity: Identity, workshop_id: int, op_id: str, text: str):
    """What the write path does for ``create_idea``: the answer, once per ``op_id``."""
    data = CreateIdea.model_validate({"workshop_id": workshop_id, "op_id": op_id, "text": text})

    def command():
        with database.ordered(workshop_id), database.transaction() as session:
            answer, _change = services.create_idea(session, identity, data)
        return answer

    return answer_once(database, identity.sender, op_id, command)


def counts(database: Database, workshop_id: int) -> tuple[int, int]:
    with database.read() as session:
        ideas = session.scalar(select(func.count()).select_from(Idea)
                               .where(Idea.workshop_id == workshop_id))
        seq = session.scalar(select(Workshop.seq).where(Workshop.id == workshop_id))
    return ideas, seq


def test_a_post_commits_its_idea_log_entry_and_answer(stage):
    database, identity, workshop_id = stage
    answer = post(database, identity, workshop_id, uuid.uuid4().hex, "Mentoring für Azubis")
    assert counts(database, workshop_id) == (1, answer["seq"])
    with database.read() as session:
        [logged] = logged_changes(session, workshop_id, answer["seq"] - 1, answer["seq"])
        name, payload = logged.name, logged.payload
    assert name == "idea_created"
    assert payload["idea"]["text"] == "Mentoring für Azubis"
    assert payload["idea"]["id"] == answer["idea"]["id"]


def test_a_repeated_op_id_is_answered_once_and_changes_nothing(stage):
    database, identity, workshop_id = stage
    op_id = uuid.uuid4().hex
    first = post(database, identity, workshop_id, op_id, "Betriebsbesuche für Schulen")
    again = post(database, identity, workshop_id, op_id, "Betriebsbesuche für Schulen")
    assert again == first
    assert counts(database, workshop_id) == (1, first["seq"])  # no second idea, no seq taken
    following = post(database, identity, workshop_id, uuid.uuid4().hex, "Pendlerbus")
    assert following["seq"] == first["seq"] + 1  # gapless


def test_a_statement_failing_at_the_commit_rolls_back_the_whole_transaction(stage):
    database, identity, workshop_id = stage
    taken = uuid.uuid4().hex
    post(database, identity, workshop_id, taken, "Erste Idee")
    before = counts(database, workshop_id)
    data = CreateIdea.model_validate({"workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
                                      "text": "Zweite Idee"})
    with pytest.raises(IntegrityError), database.transaction() as session:
        services.create_idea(session, identity, data)
        remember(session, identity.sender, taken, {"clash": True})  # fails at COMMIT
    assert counts(database, workshop_id) == before


def test_statements_kept_for_a_commit_are_gone_with_a_rollback(stage):
    database, identity, _workshop_id = stage
    op_id = uuid.uuid4().hex
    session = database._sessions()
    try:
        remember(session, identity.sender, op_id, {"kept": True})
        assert session.info.get(db_module.LATER)
        session.rollback()
        assert not session.info.get(db_module.LATER)
        session.commit()
    finally:
        session.close()
    with database.read() as reading:
        assert remembered(reading, identity.sender, op_id) is None


def test_driver_later_runs_at_once_inside_a_savepoint(stage):
    database, identity, _workshop_id = stage
    op_id = uuid.uuid4().hex
    with database.transaction() as session, session.begin_nested():
        driver_later(session, "INSERT INTO operations (sender, op_id, response, created_at)"
                     " VALUES (?, ?, ?, now())", (identity.sender, op_id, "{}"))
        assert not session.info.get(db_module.LATER)
    with database.read() as reading:
        assert remembered(reading, identity.sender, op_id) == {}


def backend_pid(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.pg_backend_pid()))


def terminate(url: str, pid: int) -> None:
    with psycopg.connect(libpq_url(url), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_connection_that_died_while_resting_is_replaced_before_use(
        stage, postgres_database, monkeypatch):
    database, identity, workshop_id = stage
    database.engine.pool.dispose()
    monkeypatch.setattr(db_module, "PING_AFTER_REST", 0.0)  # every checkout has rested
    pid = backend_pid(database)
    terminate(postgres_database, pid)
    answer = post(database, identity, workshop_id, uuid.uuid4().hex, "Nach dem Neustart")
    assert answer["seq"] >= 1
    assert backend_pid(database) != pid


def test_a_connection_that_died_in_steady_use_fails_one_transaction_only(
        stage, postgres_database, monkeypatch):
    database, identity, workshop_id = stage
    monkeypatch.setattr(db_module, "DOWN_PAUSE", 0.0)  # no pause after the lost connection
    pid = backend_pid(database)  # back in the pool just now: not pinged at the next checkout
    terminate(postgres_database, pid)
    with pytest.raises(DBAPIError):
        post(database, identity, workshop_id, uuid.uuid4().hex, "Geht verloren")
    answer = post(database, identity, workshop_id, uuid.uuid4().hex, "Geht durch")
    assert counts(database, workshop_id) == (1, answer["seq"])
