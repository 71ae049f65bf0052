""""Next forum in this series": a new event in the same series that copies what the moderator
chooses of the forum before it (its agenda, its workshops with their templates and columns,
their settings, its moderators). No Flask."""

from __future__ import annotations

from pinnwand.auth.identity import Identity
from pinnwand.errors import Conflict
from pinnwand.events import services as events
from pinnwand.events.models import Event, event_moderators
from pinnwand.events.schemas import AgendaItemIn, EventIn
from pinnwand.series.schemas import NextForumIn
from pinnwand.workshops import services as workshops
from pinnwand.workshops.models import Category, Workshop
from pinnwand.workshops.schemas import WorkshopIn
from sqlalchemy import select
from sqlalchemy.orm import Session

# The board settings a copied workshop keeps (its step, lock, timer and votes start afresh).
COPIED_SETTINGS = ("private_writing", "cluster_by", "vote_budget", "vote_max_per_target",
                   "votes_secret")


def next_forum(session: Session, identity: Identity, source: Event, data: NextForumIn,
               max_workshops: int) -> Event:
    """Create the next forum of ``source``'s series (the caller moderates ``source``): a new
    event in that series with ``data``'s title, date, place and description, and the parts of
    ``source`` that ``data.parts`` (``copy``) names. ``409`` when ``source`` is in no series."""
    series_id = events.series_of(session, source.id)
    if series_id is None:
        raise Conflict("This event belongs to no series: put it into one first.")
    event = events.create_event(session, identity.moderator_id, EventIn.model_construct(
        title=data.title, date=data.date, location=data.location,
        description=data.description, series_id=series_id, workshops=[], agenda=[]),
        max_workshops)
    if data.parts.agenda:
        _copy_agenda(session, source, event)
    if data.parts.workshops:
        _copy_workshops(session, source, event, data.parts.settings, max_workshops)
    if data.parts.moderators:
        _copy_moderators(session, source, event, identity.moderator_id)
    return event


def _copy_agenda(session: Session, source: Event, event: Event) -> None:
    for position, item in enumerate(source.agenda):
        events.add_agenda_item(session, event, AgendaItemIn.model_construct(
            title=item.title, speaker=item.speaker, organisation=item.organisation,
            starts_at=item.starts_at), position=position)


def _copy_workshops(session: Session, source: Event, event: Event, settings: bool,
                    max_workshops: int) -> None:
    for position, old in enumerate(workshops.list_workshops(session, source.id)):
        columns = list(session.scalars(select(Category.title)
                                       .where(Category.workshop_id == old.id)
                                       .order_by(Category.position, Category.id)))
        new = workshops.add_workshop(session, event, WorkshopIn.model_validate({
            "title": old.title, "question": old.question, "template": old.template,
            "categories": columns if old.template == "categories" else None,
        }), position=position, limit=max_workshops)
        if settings:
            _copy_settings(old, new)


def _copy_settings(old: Workshop, new: Workshop) -> None:
    for name in COPIED_SETTINGS:
        setattr(new, name, getattr(old, name))


def _copy_moderators(session: Session, source: Event, event: Event, creator_id: int) -> None:
    others = session.scalars(select(event_moderators.c.moderator_id)
                             .where(event_moderators.c.event_id == source.id,
                                    event_moderators.c.moderator_id != creator_id))
    for moderator_id in list(others):
        session.execute(event_moderators.insert().values(event_id=event.id,
                                                         moderator_id=moderator_id))
