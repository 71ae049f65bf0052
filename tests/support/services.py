"""External services the integration tests may need: PostgreSQL and Redis.

On a developer's laptop a missing service skips the tests that need it, with a reason that says
how to provide it. With ``CI=true`` a missing service fails them: CI must exercise everything.
"""

from __future__ import annotations

import contextlib
import functools
import os
import uuid
from collections.abc import Iterator

import pytest

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES_ENV = "PINNWAND_TEST_POSTGRES_URL"
REDIS_ENV = "PINNWAND_TEST_REDIS_URL"
CONNECT_TIMEOUT_S = 3
TEST_DATABASE_PREFIX = "pinnwand_test_"


def in_ci() -> bool:
    """Whether we run in CI (``CI=true``), where every service must be present."""
    return os.environ.get("CI", "").strip().lower() == "true"


def postgres_url() -> str:
    """The SQLAlchemy URL of the PostgreSQL server to test against (env or default)."""
    return os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES_URL


def redis_url() -> str:
    """The URL of the Redis server to test against (env or default)."""
    return os.environ.get(REDIS_ENV) or DEFAULT_REDIS_URL


def libpq_url(sqlalchemy_url: str) -> str:
    """``postgresql+psycopg://…`` → ``postgresql://…``, which psycopg itself understands."""
    from sqlalchemy.engine import make_url

    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def with_database(sqlalchemy_url: str, name: str) -> str:
    """The same server URL, pointing at database ``name``."""
    from sqlalchemy.engine import make_url

    return make_url(sqlalchemy_url).set(database=name).render_as_string(hide_password=False)


def _shown(url: str) -> str:
    """A URL fit for messages: the password masked."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


@functools.cache
def postgres_problem(url: str) -> str | None:
    """Why PostgreSQL at ``url`` cannot be used, or ``None`` when it answers."""
    try:
        import psycopg
    except ImportError as error:  # pragma: no cover - psycopg is a dependency
        return f"psycopg is not installed ({error})"
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=CONNECT_TIMEOUT_S,
                             autocommit=True) as connection:
            connection.execute("SELECT 1")
    except Exception as error:
        return f"{type(error).__name__}: {str(error).strip()}"
    return None


@functools.cache
def redis_problem(url: str) -> str | None:
    """Why Redis at ``url`` cannot be used, or ``None`` when it answers PING."""
    try:
        import redis
    except ImportError as error:  # pragma: no cover - redis is a dependency
        return f"redis-py is not installed ({error})"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S,
                                      socket_timeout=CONNECT_TIMEOUT_S)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:
        return f"{type(error).__name__}: {str(error).strip()}"
    return None


def unavailable(message: str):
    """Skip the current test, or fail it when ``CI=true``."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: missing services are failures)", pytrace=False)
    pytest.skip(message)


def need_postgres() -> str:
    """The PostgreSQL URL to test against, or skip (fail in CI) when it does not answer."""
    url = postgres_url()
    problem = postgres_problem(url)
    if problem:
        unavailable(f"PostgreSQL not reachable at {_shown(url)}: start it or set "
                    f"{POSTGRES_ENV} ({problem})")
    return url


def need_redis() -> str:
    """The Redis URL to test against, or skip (fail in CI) when it does not answer."""
    url = redis_url()
    problem = redis_problem(url)
    if problem:
        unavailable(f"Redis not reachable at {_shown(url)}: start it or set {REDIS_ENV} "
                    f"({problem})")
    return url


@contextlib.contextmanager
def fresh_postgres_database(server_url: str | None = None) -> Iterator[str]:
    """A new, uniquely named, empty PostgreSQL database for one test; dropped afterwards.

    Yields its SQLAlchemy URL (same driver as ``server_url``). The drop uses ``WITH (FORCE)``
    so connections a killed server left behind cannot keep it alive.
    """
    import psycopg
    from psycopg import sql

    base = server_url or need_postgres()
    name = f"{TEST_DATABASE_PREFIX}{uuid.uuid4().hex[:16]}"
    admin = libpq_url(base)
    with psycopg.connect(admin, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(base, name)
    finally:
        with psycopg.connect(admin, autocommit=True,
                             connect_timeout=CONNECT_TIMEOUT_S) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
