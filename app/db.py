"""Database plumbing: declarative base, engine, sessions, the in-process write locks and the
few DBAPI helpers of the hot path.

Services receive a :class:`sqlalchemy.orm.Session` and only flush; the caller commits once,
through the one write path (:mod:`pinnwand.board.write`) or :meth:`Database.transaction`.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model; constraint names follow :data:`NAMING_CONVENTION`."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timestamp stored without zone and always handed out as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def isoformat(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` suffix, as the API hands out every time."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Database:
    """The engine, a session factory and the locks that order writes within this process."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._sqlite_writer = threading.RLock()
        self._workshop_locks: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
        self._locks_guard = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back when it raises.

        On SQLite every transaction of this process is serialised, so a green thread never
        yields while another holds the database's write lock.
        """
        with _maybe(self._sqlite_writer if self.is_sqlite else None):
            session = self._sessions()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def begin_now(self, session: Session) -> None:
        """Begin ``session``'s transaction in the database right away, so savepoints nest in
        it: pysqlite begins a transaction only before the first INSERT, UPDATE or DELETE, and
        SQLite takes a SAVEPOINT outside a transaction for one that commits on its release.
        On SQLite this takes the write lock at once (``BEGIN IMMEDIATE``)."""
        if self.is_sqlite:
            driver_row(session, "BEGIN IMMEDIATE", ())

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; nothing it does is committed."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def ordered(self, workshop_id: int) -> Iterator[None]:
        """Hold a workshop's lock from ``seq`` assignment through commit and broadcast, so this
        process emits the workshop's changes in ``seq`` order. Take it before a transaction."""
        with self._locks_guard:
            lock = self._workshop_locks[workshop_id]
        with lock:
            yield

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


@contextmanager
def _maybe(lock) -> Iterator[None]:
    if lock is None:
        yield
        return
    with lock:
        yield


# -- statements on the DBAPI connection ------------------------------------------------------
# A few statements run for every idea of a live workshop (numbering, the idea, the change log,
# the remembered answer), so they go straight to the DBAPI connection of the session's
# transaction (same transaction, same commit) instead of through SQLAlchemy's statement
# execution, which costs several times the database's own work per statement. Only SQLite and
# PostgreSQL are served.

def driver_row(session: Session, sql: str, params: tuple) -> tuple | None:
    """Run one statement (``?`` placeholders) on the DBAPI connection of ``session``'s
    transaction; its first row (``RETURNING``), or ``None``. Database errors are raised as
    SQLAlchemy's (a unique violation is an :class:`~sqlalchemy.exc.IntegrityError`)."""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchone() if cursor.description else None
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(sql, params, error, dialect.loaded_dbapi.Error) from None
    finally:
        cursor.close()


def driver_time(session: Session, moment: datetime):
    """``moment`` (aware) as the DBAPI parameter of a ``UTCDateTime`` column: naive UTC, on
    SQLite as the text SQLAlchemy stores there (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    if session.get_bind().dialect.name == "sqlite":
        return naive.isoformat(" ", "microseconds")
    return naive


def driver_json(value: dict | None) -> str | None:
    """A ``JSON`` column's DBAPI parameter (SQL ``NULL`` for ``None``)."""
    return None if value is None else json.dumps(value)
