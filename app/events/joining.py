"""Who may join an event, and how: the code, the link's key, the join window, closing and
replacing the code. Plain functions on a Session; no Flask.

- The **code** (6 characters) is typed by hand; wrong codes draw on the join budgets
  (:mod:`pinnwand.events.join_budgets`).
- The **link** (``join_url``, the QR code's target) also carries the event's ``join_key``, 128
  random bits: nobody can guess it, so joining with it is never slowed down.
- Joining (by code or link) is **open** from the moment the event is created (or reopened)
  until ``join_days`` after the event's day (or after the opening, whichever is later), unless
  a moderator **closes** it; reopening starts a new window from now.
- **Replacing the code** gives the event a new code and key at once; the old ones join nobody
  any more. Participants who joined keep their tokens, and their phone page still opens under
  the old code (it is kept as a :class:`RetiredJoinCode`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from pinnwand.db import isoformat, utcnow
from pinnwand.events.models import Event, RetiredJoinCode, new_join_key
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
JOIN_CODE_LENGTH = 6


def new_join_code(session: Session) -> str:
    """A fresh six-character join code without look-alike characters, used by no event now
    and never before (a replaced code still opens its participants' phone page)."""
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        taken = select(exists().where(Event.join_code == code)).scalar_subquery()
        retired = select(exists().where(RetiredJoinCode.code == code)).scalar_subquery()
        if not session.scalar(select(taken | retired)):
            return code


def normal_code(code: str) -> str:
    """A typed code as stored: trimmed, upper case."""
    return code.strip().upper()


def closes_at(event: Event, join_days: int) -> datetime:
    """When joining closes by itself: ``join_days`` after the end of the event's day, or after
    the last opening when that is later."""
    start = event.join_opened_at
    if event.date is not None:
        day_ends = datetime.combine(event.date + timedelta(days=1), time.min, tzinfo=UTC)
        start = max(start, day_ends)
    return start + timedelta(days=join_days)


def is_open(event: Event, join_days: int, now: datetime | None = None) -> bool:
    """Whether new participants may join now (by code or link)."""
    return event.join_closed_at is None and (now or utcnow()) < closes_at(event, join_days)


def event_by_code(session: Session, code: str) -> Event | None:
    """The event whose current code this is (open or not), or ``None``."""
    return session.scalars(select(Event).where(Event.join_code == normal_code(code))).first()


def event_by_key(session: Session, code: str, key: str | None) -> Event | None:
    """The event whose current code and link key these are, or ``None``."""
    if not key:
        return None
    query = select(Event).where(Event.join_code == normal_code(code), Event.join_key == key)
    return session.scalars(query).first()


def event_by_retired_code(session: Session, code: str) -> Event | None:
    """The event that had this code before a moderator replaced it, or ``None``."""
    retired = session.get(RetiredJoinCode, normal_code(code))
    return session.get(Event, retired.event_id) if retired is not None else None


def close(session: Session, event: Event) -> None:
    """Stop new participants from joining (by code and by link) until reopened."""
    if event.join_closed_at is None:
        event.join_closed_at = utcnow()
        session.flush()


def reopen(session: Session, event: Event) -> None:
    """Let new participants join again, for a new window counted from now."""
    event.join_closed_at = None
    event.join_opened_at = utcnow()
    session.flush()


def replace_code(session: Session, event: Event) -> None:
    """Give the event a new code and link key; the old code joins nobody any more but still
    opens the phone page of those who joined with it."""
    session.add(RetiredJoinCode(code=event.join_code, event_id=event.id))
    event.join_code = new_join_code(session)
    event.join_key = new_join_key()
    session.flush()


def join_link(base_url: str, event: Event) -> str:
    """The link a phone opens (the QR code's target): the code's page with the link key."""
    return f"{base_url.rstrip('/')}/join/{event.join_code}?key={event.join_key}"


def joining_json(event: Event, base_url: str, join_days: int) -> dict:
    """How participants join the event now: ``{"open", "closes_at", "closed_at",
    "join_code", "join_url"}``."""
    return {
        "open": is_open(event, join_days),
        "closes_at": isoformat(closes_at(event, join_days)),
        "closed_at": isoformat(event.join_closed_at),
        "join_code": event.join_code,
        "join_url": join_link(base_url, event),
    }
