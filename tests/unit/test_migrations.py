"""The Alembic migrations build exactly the schema the models describe (SQLite, PostgreSQL)."""

from __future__ import annotations

import pinnwand.models  # noqa: F401  (fills Base.metadata)
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from pinnwand.db import Base, make_engine
from pinnwand.migrate import alembic_config, upgrade_database
from sqlalchemy import inspect, text

from tests.support.services import fresh_postgres_database, need_postgres


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def _state(url: str) -> tuple[str | None, set[str]]:
    """The database's Alembic revision and its tables."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version"))
            return revision.scalar_one_or_none(), set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def _head(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def _check_upgrade(url: str) -> None:
    upgrade_database(url)
    assert _differences(url) == []
    revision, tables = _state(url)
    assert revision == _head(url)
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    upgrade_database(url)  # a second run finds nothing to do
    assert _state(url)[0] == revision
    assert _differences(url) == []


def test_single_head():
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_sqlite_schema_matches_the_models(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    _check_upgrade(f"sqlite:///{path}")


def test_sqlite_file_is_created_when_missing(tmp_path):
    path = tmp_path / "new.db"
    upgrade_database(f"sqlite:///{path}")
    assert path.exists()
    assert _differences(f"sqlite:///{path}") == []


@pytest.mark.postgres
def test_postgres_schema_matches_the_models():
    server = need_postgres()  # skips with the reason, or fails when CI=true
    with fresh_postgres_database(server) as url:
        _check_upgrade(url)


FIRST_REVISION = "3f937373b421"
SEEDED_ROWS = {
    "events": "INSERT INTO events (id, title, join_code, created_at)"
              " VALUES (1, 'Forum', 'ABCDEF', '2026-01-01 09:00:00')",
    "participants": "INSERT INTO participants (id, event_id, name, created_at)"
                    " VALUES (1, 1, 'Anna', '2026-01-01 09:00:00')",
    "workshops": "INSERT INTO workshops (id, event_id, position, title, question, step,"
                 " locked, seq, created_at)"
                 " VALUES (1, 1, 0, 'Eins', '?', 'collect', 0, 1, '2026-01-01 09:00:00')",
    "ideas": "INSERT INTO ideas (id, workshop_id, participant_id, anonymous, text, votes,"
             " created_at) VALUES (1, 1, 1, 0, 'Idee', 0, '2026-01-01 09:00:00')",
}


def test_upgrading_a_filled_sqlite_database_keeps_every_row(tmp_path):
    """Migrations rebuild tables on SQLite (copy, drop, rename); with foreign keys on, the drop
    would delete every row that refers to the table (the participants of every event)."""
    url = f"sqlite:///{tmp_path / 'pinnwand.db'}"
    upgrade_database(url, FIRST_REVISION)
    engine = make_engine(url)
    with engine.begin() as connection:
        for insert in SEEDED_ROWS.values():
            connection.execute(text(insert))
    engine.dispose()

    upgrade_database(url)

    engine = make_engine(url)
    with engine.connect() as connection:
        counts = {table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
                  for table in SEEDED_ROWS}
        broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar()
    engine.dispose()
    assert counts == {table: 1 for table in SEEDED_ROWS}
    assert broken == [] and foreign_keys == 1
