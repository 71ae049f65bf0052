"""Reading an event's report from the database: the one place that knows the tables.

Facilitation (clusters, categories, actions, hosts, steps) is not built yet;
:func:`_clusters_of` and :func:`_actions_of` are where it will be read, and every other part of
the report already has its place for it (:mod:`app.reports.model`).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import Moderator
from app.db import utcnow
from app.errors import NotFound
from app.events.models import AgendaItem, Event, Participant, event_moderators
from app.events.services import join_url
from app.ideas.models import Idea
from app.privacy.models import EventPrivacy
from app.reports.model import (
    ActionRow,
    AgendaRow,
    ClusterFacts,
    EventInfo,
    EventReport,
    IdeaRow,
    ReportOptions,
    WorkshopFacts,
    assemble_report,
    to_millis,
)
from app.reports.models import IdeaRedaction, ReportSettings
from app.workshops.models import Workshop, WorkshopMember


def build_report(session: Session, event_id: int, *, base_url: str,
                 options: ReportOptions | None = None) -> EventReport:
    """Read an event's report from the database in a fixed handful of queries.

    Raises :class:`app.errors.NotFound` when the event does not exist.
    """
    options = options or ReportOptions()
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("There is no such event.")
    ideas = _ideas_by_workshop(session, event_id, options)
    members = _members_by_workshop(session, event_id)
    clusters, actions = _clusters_of(session, event_id), _actions_of(session, event_id)
    facts = [
        WorkshopFacts(
            id=w.id, position=w.position, title=w.title, question=w.question, locked=w.locked,
            step=w.step, steps=(w.step,), participants=members.get(w.id, 0),
            ideas=ideas.get(w.id, []), clusters=clusters.get(w.id, []),
            actions=actions.get(w.id, []),
        )
        for w in session.scalars(select(Workshop).where(Workshop.event_id == event_id)
                                 .order_by(Workshop.position, Workshop.id))
    ]
    privacy = session.get(EventPrivacy, event_id)
    participants = session.scalar(
        select(func.count(Participant.id)).where(Participant.event_id == event_id)) or 0
    return assemble_report(
        event=_event_info(session, event, base_url),
        agenda=_agenda(session, event_id),
        workshops=facts,
        participants=participants,
        options=options,
        generated_at=utcnow(),
        personal_data_removed_at=privacy.purged_at if privacy else None,
    )


def _event_info(session: Session, event: Event, base_url: str) -> EventInfo:
    settings = session.get(ReportSettings, event.id)
    names = session.scalars(
        select(Moderator.name)
        .join(event_moderators, event_moderators.c.moderator_id == Moderator.id)
        .where(event_moderators.c.event_id == event.id).order_by(Moderator.name)
    )
    return EventInfo(
        id=event.id, title=event.title, date=event.date, location=event.location,
        description=event.description, organiser=settings.organiser if settings else None,
        moderators=tuple(names), join_code=event.join_code,
        join_url=join_url(base_url, event.join_code),
    )


def _agenda(session: Session, event_id: int) -> tuple[AgendaRow, ...]:
    query = (
        select(AgendaItem.title, AgendaItem.speaker, AgendaItem.organisation,
               AgendaItem.starts_at)
        .where(AgendaItem.event_id == event_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    return tuple(AgendaRow(*row) for row in session.execute(query))


def _ideas_by_workshop(session: Session, event_id: int,
                       options: ReportOptions) -> dict[int, list[IdeaRow]]:
    query = (
        select(Idea.id, Idea.workshop_id, Idea.text, Idea.author_name, Idea.anonymous,
               Idea.votes, Idea.created_at, IdeaRedaction.text.label("redaction"))
        .join(Workshop, Workshop.id == Idea.workshop_id)
        .outerjoin(IdeaRedaction, IdeaRedaction.idea_id == Idea.id)
        .where(Workshop.event_id == event_id)
        .order_by(Idea.id)
    )
    ideas: dict[int, list[IdeaRow]] = {}
    for row in session.execute(query):
        shown = options.authors and not row.anonymous
        idea = IdeaRow(
            id=row.id, workshop_id=row.workshop_id,
            text=row.text if row.redaction is None else row.redaction,
            author=(row.author_name or None) if shown else None,
            votes=row.votes or 0, created_at=to_millis(row.created_at),
            redacted=row.redaction is not None,
        )
        ideas.setdefault(row.workshop_id, []).append(idea)
    return ideas


def _members_by_workshop(session: Session, event_id: int) -> dict[int, int]:
    query = (
        select(WorkshopMember.workshop_id, func.count())
        .join(Workshop, Workshop.id == WorkshopMember.workshop_id)
        .where(Workshop.event_id == event_id).group_by(WorkshopMember.workshop_id)
    )
    return {workshop_id: count for workshop_id, count in session.execute(query)}


def _clusters_of(session: Session, event_id: int) -> dict[int, list[ClusterFacts]]:
    """Clusters per workshop. Clustering is not built yet (the facilitation feature adds it),
    so no idea belongs to a cluster and every idea is listed as unclustered."""
    return {}


def _actions_of(session: Session, event_id: int) -> dict[int, list[ActionRow]]:
    """Concrete actions per workshop. Not recorded yet (the facilitation feature adds them);
    the report then says so ("no actions recorded")."""
    return {}
