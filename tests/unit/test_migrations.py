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
