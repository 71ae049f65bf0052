"""Events, agenda, co-moderators and joining by code; plain functions on a Session."""

from __future__ import annotations

from pinnwand.auth.identity import Identity
from pinnwand.auth.models import Moderator
from pinnwand.auth.services import find_moderator, issue_token
from pinnwand.config import DEFAULT_JOIN_DAYS, DEFAULT_MAX_WORKSHOPS
from pinnwand.db import isoformat
from pinnwand.errors import Conflict, Forbidden, Invalid, NotFound
from pinnwand.events import joining
from pinnwand.events.joining import (  # noqa: F401  (the code's alphabet, as before)
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    new_join_code,
)
from pinnwand.events.models import AgendaItem, Event, Participant, event_moderators
from pinnwand.events.schemas import (
    AgendaItemIn,
    AgendaItemPatch,
    EventIn,
    EventPatch,
)
from pinnwand.series.models import series_events
from pinnwand.workshops import services as workshops
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

NO_OPEN_EVENT = "No event has this code, or it takes no new participants now. Check the code."


def create_event(session: Session, moderator_id: int, data: EventIn,
                 max_workshops: int = DEFAULT_MAX_WORKSHOPS) -> Event:
    """Create an event with its workshops (at most ``max_workshops``) and agenda, in the
    series ``data.series_id`` if given (the caller has checked it may use it); the creator
    becomes its moderator."""
    event = Event(
        title=data.title, date=data.date, location=data.location or None,
        description=data.description or None, join_code=new_join_code(session),
        created_by=moderator_id,
    )
    session.add(event)
    session.flush()
    session.execute(event_moderators.insert().values(event_id=event.id, moderator_id=moderator_id))
    set_series(session, event.id, data.series_id)
    for position, workshop in enumerate(data.workshops):
        workshops.add_workshop(session, event, workshop, position=position, limit=max_workshops)
    for position, item in enumerate(data.agenda):
        add_agenda_item(session, event, item, position=position)
    return event


def get_event(session: Session, event_id: int) -> Event:
    """The event with this id, or :class:`NotFound`."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("There is no such event.")
    return event


def is_event_moderator(session: Session, moderator_id: int, event_id: int) -> bool:
    """Whether this moderator may run this event."""
    query = select(exists().where(
        event_moderators.c.event_id == event_id, event_moderators.c.moderator_id == moderator_id
    ))
    return bool(session.scalar(query))


def moderated_event(session: Session, identity: Identity, event_id: int) -> Event:
    """The event, if ``identity`` is one of its moderators; else 404 or 403."""
    event = get_event(session, event_id)
    allowed = identity.is_moderator and is_event_moderator(session, identity.moderator_id, event_id)
    if not allowed:
        raise Forbidden("Only this event's moderators may do this.")
    return event


def list_events(session: Session, moderator_id: int) -> list[Event]:
    """Every event this moderator runs, newest first."""
    query = (
        select(Event)
        .join(event_moderators, event_moderators.c.event_id == Event.id)
        .where(event_moderators.c.moderator_id == moderator_id)
        .order_by(Event.date.desc().nulls_last(), Event.id.desc())
    )
    return list(session.scalars(query))


def series_of(session: Session, event_id: int) -> int | None:
    """The id of the series the event belongs to, or ``None``."""
    return session.scalar(select(series_events.c.series_id)
                          .where(series_events.c.event_id == event_id))


def set_series(session: Session, event_id: int, series_id: int | None) -> None:
    """Put the event into the series ``series_id`` (out of any other), or out of its series
    (``None``); the caller has checked that it may use that series."""
    session.execute(delete(series_events).where(series_events.c.event_id == event_id))
    if series_id is not None:
        session.execute(series_events.insert().values(event_id=event_id, series_id=series_id))


def update_event(session: Session, event: Event, patch: EventPatch) -> Event:
    """Change the given fields of an event; ``title`` cannot be cleared; ``series_id`` moves
    it into a series (``None``: out of its series)."""
    changes = patch.model_dump(include=patch.model_fields_set)
    if "series_id" in changes:
        set_series(session, event.id, changes.pop("series_id"))
    if "title" in changes and changes["title"] is None:
        raise Invalid("An event needs a title.", {"title": "required"})
    for name, value in changes.items():
        setattr(event, name, value if value != "" or name == "title" else None)
    session.flush()
    return event


def add_moderator(session: Session, event: Event, email: str) -> Moderator:
    """Give another moderator (by e-mail) access to the event; 409 if they have it already."""
    moderator = find_moderator(session, email)
    if moderator is None:
        raise NotFound("There is no moderator with this e-mail.", {"email": "unknown"})
    if is_event_moderator(session, moderator.id, event.id):
        raise Conflict("This moderator runs the event already.", {"email": "already a moderator"})
    session.execute(event_moderators.insert().values(event_id=event.id, moderator_id=moderator.id))
    return moderator


def event_moderators_of(session: Session, event_id: int) -> list[Moderator]:
    """The moderators of an event, by name."""
    query = (
        select(Moderator)
        .join(event_moderators, event_moderators.c.moderator_id == Moderator.id)
        .where(event_moderators.c.event_id == event_id)
        .order_by(Moderator.name)
    )
    return list(session.scalars(query))


def add_agenda_item(session: Session, event: Event, data: AgendaItemIn,
                    position: int | None = None) -> AgendaItem:
    """Append a keynote talk to the event's agenda (or put it at ``position``)."""
    if position is None:
        position = len(event.agenda)
    item = AgendaItem(event_id=event.id, position=position, **data.model_dump())
    session.add(item)
    session.flush()
    return item


def get_agenda_item(session: Session, event: Event, item_id: int) -> AgendaItem:
    """A talk of this event's agenda, or :class:`NotFound`."""
    item = session.get(AgendaItem, item_id)
    if item is None or item.event_id != event.id:
        raise NotFound("There is no such agenda item in this event.")
    return item


def update_agenda_item(session: Session, item: AgendaItem, patch: AgendaItemPatch) -> AgendaItem:
    """Change the given fields of a keynote talk."""
    changes = patch.model_dump(include=patch.model_fields_set)
    if changes.get("title", "") is None or changes.get("position", 0) is None:
        raise Invalid("Title and position cannot be cleared.", {"title": "required"})
    for name, value in changes.items():
        setattr(item, name, value or (0 if name == "position" else None))
    session.flush()
    return item


def delete_agenda_item(session: Session, item: AgendaItem) -> None:
    """Remove a keynote talk from the agenda."""
    session.delete(item)
    session.flush()


def join_event(session: Session, code: str, name: str, token_days: int, *,
               key: str | None = None, join_days: int = DEFAULT_JOIN_DAYS) -> dict:
    """A participant joins by code (and, from the join link, its ``key``) with a name: creates
    them and a token. ``404`` for a wrong code or key, and while joining is closed (the same
    answer: a closed event's code is not confirmed to a guesser)."""
    if key is None:
        event = joining.event_by_code(session, code)
    else:
        event = joining.event_by_key(session, code, key)
    if event is None or not joining.is_open(event, join_days):
        raise NotFound(NO_OPEN_EVENT)
    participant = Participant(event_id=event.id, name=name)
    session.add(participant)
    session.flush()
    token, expires_at = issue_token(session, days=token_days, participant=participant)
    return {
        "token": token,
        "expires_at": isoformat(expires_at),
        "participant_id": participant.id,
        "event_id": event.id,
        "event": {"id": event.id, "title": event.title},
        "workshops": [
            workshops.workshop_summary(w) for w in workshops.list_workshops(session, event.id)
        ],
    }


def event_json(session: Session, event: Event, base_url: str, with_counts: bool = True,
               join_days: int = DEFAULT_JOIN_DAYS) -> dict:
    """The event as the API shows it to its moderators, workshops with their counts;
    ``join_url`` is the join link with its key (the QR code's target), ``joining`` says
    whether new participants may join and until when."""
    state = joining.joining_json(event, base_url, join_days)
    return {
        "id": event.id,
        "title": event.title,
        "date": event.date.isoformat() if event.date else None,
        "location": event.location,
        "description": event.description,
        "join_code": event.join_code,
        "join_url": state["join_url"],
        "joining": {name: state[name] for name in ("open", "closes_at", "closed_at")},
        "created_at": isoformat(event.created_at),
        "series_id": series_of(session, event.id),
        "agenda": [agenda_item_json(item) for item in event.agenda],
        "workshops": workshops.workshops_json(session, event.id, with_counts=with_counts),
    }


def join_url(base_url: str, code: str) -> str:
    """The page of a join code, without the link's key (as printed in the results report;
    the QR code and ``join_url`` of the API carry the key, see :func:`joining.join_link`)."""
    return f"{base_url.rstrip('/')}/join/{code}"


def agenda_item_json(item: AgendaItem) -> dict:
    """A keynote talk as the API shows it."""
    return {
        "id": item.id, "position": item.position, "title": item.title, "speaker": item.speaker,
        "organisation": item.organisation, "starts_at": item.starts_at,
    }
