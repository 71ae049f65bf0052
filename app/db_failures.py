"""Telling a database that is busy or out of reach from a bug.

A lock held too long (SQLite's write lock, a PostgreSQL table lock beyond ``lock_timeout``), a
statement cut by ``statement_timeout``, a refused or dropped connection and an exhausted
connection pool are passing conditions: the client hears ``unavailable`` with the seconds to
wait (HTTP 503 with ``Retry-After``, or the ack's ``retry_after``), never ``internal``. Anything
else the database raises (a missing table, a broken constraint) stays a server fault.
"""

from __future__ import annotations

from pinnwand.errors import Unavailable
from sqlalchemy import exc as sa

BUSY_RETRY_SECONDS = 2
DOWN_RETRY_SECONDS = 5

# PostgreSQL SQLSTATEs (and classes) of passing conditions.
_PG_BUSY = ("55P03", "57014", "40P01")  # lock_not_available, query_canceled, deadlock_detected
_PG_DOWN_CLASSES = ("08", "53", "57")  # connection, insufficient resources, operator intervention
_SQLITE_BUSY = ("database is locked", "database is busy", "database table is locked")
_SQLITE_DOWN = ("disk i/o error", "unable to open database", "database or disk is full")

BUSY_MESSAGE = "The database is busy right now; try again in a moment."
DOWN_MESSAGE = "The server cannot reach its database right now; try again in a moment."


def as_unavailable(error: BaseException) -> Unavailable | None:
    """The :class:`Unavailable` a database failure stands for, or ``None`` for anything that
    is not a passing database condition."""
    if isinstance(error, Unavailable):
        return error
    if isinstance(error, sa.TimeoutError):  # no pooled connection came free in time
        return Unavailable(BUSY_MESSAGE, BUSY_RETRY_SECONDS)
    if not isinstance(error, sa.DBAPIError):
        return None
    if is_busy(error):
        return Unavailable(BUSY_MESSAGE, BUSY_RETRY_SECONDS)
    if is_unreachable(error):
        return Unavailable(DOWN_MESSAGE, DOWN_RETRY_SECONDS)
    return None


def is_busy(error: BaseException) -> bool:
    """A lock that was not granted in time, or a statement cut by its timeout."""
    if not isinstance(error, sa.DBAPIError):
        return False
    state = _sqlstate(error)
    if state is not None:
        return state in _PG_BUSY
    return _message(error).startswith(_SQLITE_BUSY)


def is_unreachable(error: BaseException) -> bool:
    """The database cannot be reached (refused, dropped or broken connection, shut down)."""
    if not isinstance(error, sa.DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, sa.InterfaceError):
        return True
    state = _sqlstate(error)
    if state is not None:
        return state[:2] in _PG_DOWN_CLASSES and state not in _PG_BUSY
    if isinstance(error, sa.OperationalError) and _is_postgres(error):
        return True  # a psycopg connection failure carries no SQLSTATE
    return _message(error).startswith(_SQLITE_DOWN)


def _sqlstate(error: sa.DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None)


def _is_postgres(error: sa.DBAPIError) -> bool:
    return type(error.orig).__module__.startswith("psycopg")


def _message(error: sa.DBAPIError) -> str:
    return str(error.orig).strip().lower()
