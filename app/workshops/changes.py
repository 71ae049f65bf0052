"""Numbered changes and who may see what of them.

Every change a workshop's room sees is a :class:`Change`. Most are the same for everyone. Some
hide part of themselves from the room (an idea written privately, a secret vote): then
``payload`` is what the workshop's **staff** (the event's moderators and the workshop's hosts)
see, ``withheld`` what everyone else sees, and the **owner** (the participant who wrote the idea
or cast the vote) sees ``owner_payload``, or ``payload`` when that is empty. The same rule picks
what a reconnecting client catches up on (:func:`view_of`), so nothing hidden ever leaves the
server, and every recipient still gets every ``seq``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from pinnwand.db import utcnow
from pinnwand.workshops.models import WorkshopChange
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Audience:
    """Who reads: the workshop's staff, a participant (by id), or neither (a projector)."""

    staff: bool = False
    participant_id: int | None = None

    @classmethod
    def of(cls, identity, staff: bool) -> Audience:
        """The audience an identity belongs to in one workshop."""
        return cls(staff=staff, participant_id=identity.participant_id)


STAFF = Audience(staff=True)
ROOM = Audience()


@dataclass(frozen=True)
class Change:
    """One numbered change of a workshop, with the variants hidden parts require."""

    workshop_id: int
    seq: int
    name: str
    payload: dict
    withheld: dict | None = None
    owner_id: int | None = None
    owner_payload: dict | None = None

    @property
    def is_split(self) -> bool:
        """Whether some recipients see something other than ``payload``."""
        return self.withheld is not None or self.owner_payload is not None

    def for_audience(self, audience: Audience) -> dict:
        """The payload this audience may see."""
        return view_of(self.payload, self.withheld, self.owner_id, self.owner_payload, audience)


def view_of(payload: dict, withheld: dict | None, owner_id: int | None,
            owner_payload: dict | None, audience: Audience) -> dict:
    """Pick the variant of a change an audience may see."""
    if audience.staff:
        return payload
    if owner_id is not None and audience.participant_id == owner_id:
        return owner_payload if owner_payload is not None else payload
    return withheld if withheld is not None else payload


# -- writing on the hot path -----------------------------------------------------------------
# Numbering and logging a change happen for every idea of a live workshop, so these few
# statements go straight to the DBAPI connection of the session's transaction (same
# transaction, same commit) instead of through SQLAlchemy's statement execution, which costs
# several times the database's own work per statement. Only SQLite and PostgreSQL are served.

LOG_CHANGE_SQL = (
    "INSERT INTO workshop_changes (workshop_id, seq, name, payload, withheld,"
    " owner_participant_id, owner_payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


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


def record_change(session: Session, workshop_id: int, seq: int, name: str, payload: dict, *,
                  withheld: dict | None = None, owner_id: int | None = None,
                  owner_payload: dict | None = None) -> Change:
    """Append a numbered change to the workshop's log (for clients that catch up later) and
    return it for broadcasting after the commit."""
    driver_row(session, LOG_CHANGE_SQL, (
        workshop_id, seq, name, json.dumps(payload), driver_json(withheld), owner_id,
        driver_json(owner_payload), driver_time(session, utcnow())))
    return Change(workshop_id, seq, name, payload, withheld, owner_id, owner_payload)


def logged_view(row: WorkshopChange, audience: Audience) -> dict:
    """A logged change as this audience may see it, with its ``event`` name (catch-up)."""
    payload = view_of(row.payload, row.withheld, row.owner_participant_id, row.owner_payload,
                      audience)
    return {**payload, "event": row.name}


def withheld_idea(idea: dict) -> dict:
    """An idea as the room sees it while its author writes privately: its place on the board,
    but neither its text nor its author."""
    return {**idea, "text": None, "author": None, "hidden": True}


# Socket.IO rooms of one workshop. Everyone who opened the board is in the main room; for
# split changes the server addresses the staff, each participant and the projectors apart.

def workshop_room(workshop_id: int) -> str:
    """The room of everyone who joined a workshop's board."""
    return f"workshop:{workshop_id}"


def staff_room(workshop_id: int) -> str:
    """The event's moderators and the workshop's hosts on its board."""
    return f"workshop:{workshop_id}:staff"


def participant_room(workshop_id: int, participant_id: int) -> str:
    """One participant's sockets on a workshop's board."""
    return f"workshop:{workshop_id}:p:{participant_id}"


def viewer_room(workshop_id: int) -> str:
    """The workshop's projectors (read-only viewers)."""
    return f"workshop:{workshop_id}:viewers"


def audience_rooms(identity, workshop_id: int, staff: bool) -> list[str]:
    """Every room a socket of this identity joins when it opens a workshop's board."""
    rooms = [workshop_room(workshop_id)]
    if staff:
        rooms.append(staff_room(workshop_id))
    elif identity.is_participant:
        rooms.append(participant_room(workshop_id, identity.participant_id))
    else:
        rooms.append(viewer_room(workshop_id))
    return rooms
