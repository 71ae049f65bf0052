"""Idempotency by ``op_id``: a sender repeating a command (after a lost ack, a reconnect, a
server restart) receives the first successful answer again, and nothing happens twice.

A command that creates something stores its answer under ``(sender, op_id)`` in the same
transaction (:func:`remember`); the unique key makes a repeat fail there
(``IntegrityError``), which rolls the repeat back. The handler runs the command through
:func:`answer_once`, which answers the remembered answer when the command fails — refused now,
or its ``op_id`` taken — so the lookup never lies on the way of a new command. Error answers
are not remembered: a refused command can be retried later.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from pinnwand.board.models import Operation
from pinnwand.db import Database, driver_later, driver_time, utcnow
from pinnwand.errors import ApiError
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

REMEMBER_SQL = "INSERT INTO operations (sender, op_id, response, created_at) VALUES (?, ?, ?, ?)"
_OPERATIONS = Operation.__table__
REMEMBERED = select(_OPERATIONS.c.response).where(
    _OPERATIONS.c.sender == bindparam("sender"),
    _OPERATIONS.c.op_id == bindparam("op_id"),
)


def remember(session: Session, sender: str, op_id: str, answer: dict) -> None:
    """Keep ``answer`` as the one answer to this sender's ``op_id`` (one statement on the DBAPI
    connection: this runs for every idea); raises ``IntegrityError`` when it has one already —
    on PostgreSQL at the commit, where the statement goes out (:func:`driver_later`)."""
    driver_later(session, REMEMBER_SQL,
               (sender, op_id, json.dumps(answer), driver_time(session, utcnow())))


def remembered(session: Session, sender: str, op_id: str) -> dict | None:
    """The first successful answer to this sender's ``op_id``, or ``None``."""
    return session.connection().execute(REMEMBERED, {"sender": sender, "op_id": op_id}).scalar()


def answer_once(db: Database, sender: str, op_id: str, command: Callable[[], dict]) -> dict:
    """Run ``command`` (which remembers its answer, see :func:`remember`) and return its
    answer; when it fails — refused, or the ``op_id`` is taken — answer the first successful
    answer to this sender's ``op_id`` instead, if there is one (a retry that raced its original
    finds what the original committed), else raise the failure."""
    try:
        return command()
    except (ApiError, IntegrityError):
        with db.read() as session:
            answer = remembered(session, sender, op_id)
        if answer is None:
            raise
        return answer
