"""Bringing the database schema up to date with the Alembic migrations in ``migrations/``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from pinnwand.db import make_engine
from pinnwand.resources import package_folder
from sqlalchemy import text
from sqlalchemy.engine import Connection

MIGRATIONS = package_folder("pinnwand.migrations")
# Any constant works; it names the lock all server processes take while migrating.
MIGRATION_LOCK_KEY = 72_016_105


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at this project's migrations and ``url``."""
    if not (MIGRATIONS / "env.py").exists():
        raise RuntimeError(f"Migrations not found at {MIGRATIONS}; reinstall Pinnwand")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """Apply every pending migration. On PostgreSQL an advisory lock makes processes that start
    together migrate one after the other."""
    config = alembic_config(url)
    engine = make_engine(url, timeout=None)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                connection.commit()
            try:
                config.attributes["connection"] = connection
                with sqlite_foreign_keys_off(connection):
                    command.upgrade(config, revision)
                    connection.commit()
            finally:
                if engine.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                    connection.commit()
    finally:
        engine.dispose()


@contextmanager
def sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, migrate with foreign keys off, as SQLite's own procedure for changing a table
    asks: a migration rebuilds a table by copying it and dropping the old one, and dropping a
    table with foreign keys on deletes every row that refers to it (``ON DELETE CASCADE``) —
    an upgrade would empty the participants of every event. Afterwards every reference is
    checked (a broken one fails the upgrade) and foreign keys are on again. Elsewhere: nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.dbapi_connection
    raw.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or SQLite ignores it
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left references that point nowhere: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")
