"""Database plumbing: declarative base, engine, sessions, the in-process write locks and the
few DBAPI helpers of the hot path.

Services receive a :class:`sqlalchemy.orm.Session` and only flush; the caller commits once,
through the one write path (:mod:`pinnwand.board.write`) or :meth:`Database.transaction`.

No call waits in the dark: PostgreSQL sessions carry a ``lock_timeout`` and a
``statement_timeout``, connecting and taking a pooled connection are bounded, and SQLite's write
lock is taken with ``BEGIN IMMEDIATE`` in short tries with cooperative pauses in between (the
event loop keeps serving while another connection holds the lock). Past the timeout the caller
gets :class:`~pinnwand.errors.Unavailable`; while the database is unreachable, calls fail at
once for a moment instead of each waiting for its own connection attempt.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import NamedTuple

from pinnwand.db_failures import (
    BUSY_MESSAGE,
    BUSY_RETRY_SECONDS,
    DOWN_MESSAGE,
    DOWN_RETRY_SECONDS,
    is_busy,
    is_unreachable,
)
from pinnwand.errors import Unavailable
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

DEFAULT_TIMEOUT = 5.0  # seconds a call may wait for a lock (PINNWAND_DB_TIMEOUT)
STATEMENT_TIMEOUT_FACTOR = 3  # a statement may run three times as long as a lock may be awaited
SQLITE_BUSY_MS = 10  # the longest SQLite itself blocks the process for a lock, per try
SQLITE_MIGRATION_BUSY_MS = 30_000
SQLITE_PAUSES = (0.005, 0.01, 0.02, 0.05, 0.1)  # cooperative pauses between tries
DOWN_PAUSE = 2.0  # after a failed connection, calls fail at once for this long
WRITE_DEADLINE = "pinnwand_write_deadline"  # execution option: take SQLite's write lock by then
PING_AFTER_REST = 1.0  # seconds in the pool after which a connection is pinged before use
RESTING_SINCE = "pinnwand_resting_since"  # pool record info: when it came back to the pool
LATER = "pinnwand_later"  # Session.info: statements sent with the COMMIT (driver_later)

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


def make_engine(url: str, timeout: float | None = DEFAULT_TIMEOUT) -> Engine:
    """An engine for ``url``. SQLite files get WAL, foreign keys and transactions begun by
    Pinnwand itself (see :func:`_sqlite_begin`); PostgreSQL sessions get a lock and a statement
    timeout derived from ``timeout`` seconds (``None``: no timeouts, for migrations, which may
    wait for another process's migration and rewrite big tables)."""
    if url.startswith("sqlite"):
        # Serving, SQLite itself blocks for a lock only briefly (the waiting is done by
        # _sqlite_begin); migrating before serving, it may simply wait for another process.
        busy_ms = SQLITE_BUSY_MS if timeout is not None else SQLITE_MIGRATION_BUSY_MS
        engine = create_engine(url, connect_args={"timeout": busy_ms / 1000,
                                                  "check_same_thread": False})
        event.listen(engine, "connect", functools.partial(_sqlite_pragmas, busy_ms=busy_ms))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    options = {"pool_size": 10, "max_overflow": 20}
    if timeout is None:
        return _ping_rested_connections(create_engine(url, **options))
    lock_ms = int(timeout * 1000)
    return _ping_rested_connections(create_engine(url, **options, pool_timeout=timeout,
                                                  connect_args={
        "connect_timeout": max(2, math.ceil(timeout)),
        "options": f"-c lock_timeout={lock_ms} "
                   f"-c statement_timeout={lock_ms * STATEMENT_TIMEOUT_FACTOR}",
    }))


def _ping_rested_connections(engine: Engine) -> Engine:
    """Ping a pooled PostgreSQL connection before handing it out only when it has rested in
    the pool for :data:`PING_AFTER_REST` seconds or more (a server restart, an idle timeout of a
    proxy). A connection in steady use is not pinged: that would add a round trip to every
    transaction of a busy workshop. A server restart takes longer than that second, so the
    connections it killed have all rested and are replaced before use. A connection killed
    while in steady use (``pg_terminate_backend``) fails the one transaction that meets it, like
    any lost database (``unavailable``, :data:`DOWN_PAUSE`); SQLAlchemy then replaces every
    older connection of the pool."""
    event.listen(engine, "checkin", _note_rest)
    event.listen(engine, "checkout", _ping_if_rested)
    return engine


def _note_rest(_dbapi_connection, record) -> None:
    if record is not None:
        record.info[RESTING_SINCE] = time.monotonic()


def _ping_if_rested(dbapi_connection, record, _proxy) -> None:
    """``checkout``: one round trip on a connection that rested long; a dead one makes the pool
    connect anew (:class:`~sqlalchemy.exc.DisconnectionError`)."""
    since = record.info.get(RESTING_SINCE)
    if since is None or time.monotonic() - since < PING_AFTER_REST:
        return
    try:
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.rollback()
    except Exception as error:  # any failure: this connection is not to be trusted
        raise sa_exc.DisconnectionError(str(error)) from error


def _sqlite_pragmas(dbapi_connection, _record, busy_ms: int) -> None:
    dbapi_connection.isolation_level = None  # the driver begins nothing; _sqlite_begin does
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Begin a SQLite transaction: a read begins deferred (in WAL mode it never waits); a write
    (:data:`WRITE_DEADLINE` given) takes the write lock at once with ``BEGIN IMMEDIATE``. While
    another connection holds that lock, each try blocks for at most :data:`SQLITE_BUSY_MS`, and
    between tries the caller sleeps cooperatively, so the event loop keeps serving. Past the
    deadline: :class:`Unavailable`."""
    deadline = connection.get_execution_options().get(WRITE_DEADLINE)
    if deadline is None:
        connection.exec_driver_sql("BEGIN")
        return
    for attempt in itertools.count():
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except sa_exc.OperationalError as error:
            pause = SQLITE_PAUSES[min(attempt, len(SQLITE_PAUSES) - 1)]
            if not is_busy(error) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)  # green under eventlet and gevent: other requests run meanwhile


class Database:
    """The engine, a session factory and the locks that order writes within this process.

    ``timeout`` (seconds) bounds every wait for a lock: SQLite's write lock (in this process
    and between connections), PostgreSQL's locks, a free pooled connection.
    """

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT):
        self.url = url
        self.timeout = timeout
        self.engine = make_engine(url, timeout)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.engine.dialect.name == "postgresql":
            event.listen(self._sessions, "before_commit", send_with_commit)
            event.listen(self._sessions, "after_transaction_end", forget_later)
        self._sqlite_writer = threading.RLock()
        self._workshop_locks: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
        self._locks_guard = threading.Lock()
        self._down_until = 0.0

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back when it raises.

        On SQLite every transaction of this process is serialised, so a green thread never
        yields while another holds the database's write lock; the lock (this process's, then
        SQLite's) is awaited for at most ``timeout`` seconds, then :class:`Unavailable`.
        """
        self._refuse_while_down()
        with self._sqlite_write_lock():
            session = self._sessions()
            try:
                if self.is_sqlite:
                    deadline = time.monotonic() + self.timeout
                    session.connection(execution_options={WRITE_DEADLINE: deadline})
                yield session
                session.commit()
            except BaseException as error:
                self._note_failure(error)
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; nothing it does is committed."""
        self._refuse_while_down()
        session = self._sessions()
        try:
            yield session
        except BaseException as error:
            self._note_failure(error)
            raise
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def _sqlite_write_lock(self) -> Iterator[None]:
        if not self.is_sqlite:
            yield
            return
        if not self._sqlite_writer.acquire(timeout=self.timeout):
            raise Unavailable(BUSY_MESSAGE, BUSY_RETRY_SECONDS)
        try:
            yield
        finally:
            self._sqlite_writer.release()

    def _note_failure(self, error: BaseException) -> None:
        """After a failed connection, refuse calls for :data:`DOWN_PAUSE` seconds."""
        if is_unreachable(error):
            self._down_until = time.monotonic() + DOWN_PAUSE

    def _refuse_while_down(self) -> None:
        if time.monotonic() < self._down_until:
            raise Unavailable(DOWN_MESSAGE, DOWN_RETRY_SECONDS)

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


# -- statements on the DBAPI connection ------------------------------------------------------
# A few statements run for every idea of a live workshop (numbering, the idea, the change log,
# the remembered answer), so they go straight to the DBAPI connection of the session's
# transaction (same transaction, same commit) instead of through SQLAlchemy's statement
# execution, which costs several times the database's own work per statement. Only SQLite and
# PostgreSQL are served.

DRIVER_KEY = "pinnwand.driver"  # Session.info: the DBAPI connection of its transaction


class Driver(NamedTuple):
    """The DBAPI connection of one session transaction, kept in the session's ``info`` so the
    statements of a post find it without asking SQLAlchemy again (``Session.connection()``
    walks the session's transaction state each time)."""

    transaction: object  # the session's innermost transaction (a savepoint, or the root)
    connection: object  # the DBAPI connection
    dialect: object
    is_sqlite: bool
    placeholder: str  # "?" or "%s"


def driver(session: Session) -> Driver:
    """The DBAPI connection of ``session``'s transaction (begun if need be), found again
    cheaply by every further statement of the same transaction.

    It is asked of SQLAlchemy anew whenever the session's innermost transaction changed: the
    first statement after ``begin_nested()`` must go through ``Session.connection()``, which
    is what emits the ``SAVEPOINT``; so must the first after a commit or a rollback."""
    current = session.get_nested_transaction() or session.get_transaction()
    found = session.info.get(DRIVER_KEY)
    if found is not None and current is not None and found.transaction is current:
        return found
    connection = session.connection()
    dialect = connection.dialect
    found = session.info[DRIVER_KEY] = Driver(
        session.get_nested_transaction() or session.get_transaction(),
        connection.connection.driver_connection, dialect, dialect.name == "sqlite",
        "?" if dialect.paramstyle == "qmark" else "%s")
    return found


def driver_row(session: Session, sql: str, params: tuple) -> tuple | None:
    """Run one statement (``?`` placeholders) on the DBAPI connection of ``session``'s
    transaction; its first row (``RETURNING``), or ``None``. Database errors are raised as
    SQLAlchemy's (a unique violation is an :class:`~sqlalchemy.exc.IntegrityError`)."""
    found = driver(session)
    if found.placeholder != "?":
        sql = sql.replace("?", found.placeholder)
    cursor = found.connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchone() if cursor.description else None
    except found.dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(sql, params, error, found.dialect.loaded_dbapi.Error) from None
    finally:
        cursor.close()


def driver_later(session: Session, sql: str, params: tuple) -> None:
    """Run a statement whose result nobody reads (``?`` placeholders) in ``session``'s
    transaction — at once on SQLite; on PostgreSQL with the ``COMMIT``: the statements wait in
    the session and go out together with the ``COMMIT`` in one round trip
    (:func:`send_with_commit`). A unique violation then fails the commit as an
    :class:`~sqlalchemy.exc.IntegrityError`, and the whole transaction rolls back. Nothing in
    the same transaction may read what such a statement writes."""
    found = driver(session)  # begins the transaction the statement belongs to
    if found.is_sqlite or session.in_nested_transaction():
        driver_row(session, sql, params)
        return
    session.info.setdefault(LATER, []).append((sql.replace("?", found.placeholder), params))


def send_with_commit(session: Session) -> None:
    """``before_commit`` of PostgreSQL sessions: flush the session, then send the statements
    :func:`driver_later` kept and the ``COMMIT`` as one query string (one round trip; psycopg's
    client-side binding quotes the parameters into it). The session's own commit that follows
    finds the transaction committed and sends nothing."""
    from psycopg import ClientCursor

    later = session.info.pop(LATER, None)
    if not later:
        return
    session.flush()
    connection = session.connection()
    driver_connection = connection.connection.driver_connection
    error_class = connection.dialect.loaded_dbapi.Error
    sql = "; ".join([statement for statement, _params in later] + ["COMMIT"])
    params = tuple(itertools.chain.from_iterable(p for _statement, p in later))
    try:
        with ClientCursor(driver_connection) as cursor:
            cursor.execute(sql, params)
    except error_class as error:
        raise DBAPIError.instance(sql, params, error, error_class) from None


def forget_later(session: Session, transaction) -> None:
    """``after_transaction_end``: when a session's outermost transaction ends (committed or
    rolled back), drop the statements still kept for its commit."""
    if transaction.parent is None:
        session.info.pop(LATER, None)


def driver_time(session: Session, moment: datetime):
    """``moment`` (aware) as the DBAPI parameter of a ``UTCDateTime`` column: naive UTC, on
    SQLite as the text SQLAlchemy stores there (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    if driver(session).is_sqlite:
        return naive.isoformat(" ", "microseconds")
    return naive


def driver_json(value: dict | None) -> str | None:
    """A ``JSON`` column's DBAPI parameter (SQL ``NULL`` for ``None``)."""
    return None if value is None else json.dumps(value)
