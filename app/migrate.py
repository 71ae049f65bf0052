"""Bringing the database schema up to date with the Alembic migrations in ``migrations/``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from pinnwand.db import make_engine
from pinnwand.resources import package_folder
from sqlalchemy import text

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
