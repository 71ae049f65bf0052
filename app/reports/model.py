"""The report model: everything a results report shows, read from the database in one place.

Every format renders from an :class:`EventReport` alone; figures are computed here, once, so
all formats agree. Later sections (clusters, vote rounds, actions) become further fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import isoformat, utcnow
from app.errors import NotFound
from app.events.models import AgendaItem, Event, Participant
from app.events.services import join_url
from app.ideas.models import Idea
from app.workshops.models import Workshop
from app.workshops.services import list_workshops, workshop_counts


@dataclass(frozen=True, slots=True)
class EventInfo:
    """The event's own details."""

    id: int
    title: str
    date: date | None
    location: str | None
    description: str | None
    join_code: str
    join_url: str


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One talk on the agenda; ``starts_at`` is ``HH:MM`` or ``None``."""

    title: str
    speaker: str | None
    organisation: str | None
    starts_at: str | None


@dataclass(frozen=True, slots=True)
class IdeaRow:
    """One idea; ``author`` is ``None`` when it was posted anonymously."""

    id: int
    workshop_id: int
    text: str
    author: str | None
    votes: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WorkshopFigures:
    """A workshop's counts: distinct participants who joined, ideas, votes on its ideas."""

    participants: int
    ideas: int
    votes: int


@dataclass(frozen=True, slots=True)
class WorkshopReport:
    """One workshop with its ideas in the order they were posted."""

    id: int
    position: int
    title: str
    question: str
    locked: bool
    step: str
    figures: WorkshopFigures
    ideas: tuple[IdeaRow, ...]

    @property
    def participants(self) -> int:
        """Distinct participants who joined this workshop."""
        return self.figures.participants


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """The event's headline numbers: participants who joined it, workshops, ideas, votes."""

    participants: int
    workshops: int
    ideas: int
    votes: int


@dataclass(frozen=True, slots=True)
class EventReport:
    """Everything one results report shows, as of ``generated_at``."""

    event: EventInfo
    agenda: tuple[AgendaRow, ...]
    workshops: tuple[WorkshopReport, ...]
    figures: KeyFigures
    generated_at: datetime


def build_report(session: Session, event_id: int, *, base_url: str) -> EventReport:
    """Read an event's report from the database in a fixed handful of queries.

    Raises :class:`app.errors.NotFound` when the event does not exist.
    """
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("There is no such event.")
    ideas = _ideas_by_workshop(session, event_id)
    counts = workshop_counts(session, event_id)
    workshops = tuple(
        _workshop_report(workshop, ideas.get(workshop.id, ()),
                         counts.get(workshop.id, {}).get("participants", 0))
        for workshop in list_workshops(session, event_id)
    )
    return EventReport(
        event=_event_info(event, base_url),
        agenda=_agenda(session, event_id),
        workshops=workshops,
        figures=_key_figures(session, event_id, workshops),
        generated_at=utcnow(),
    )


def _event_info(event: Event, base_url: str) -> EventInfo:
    return EventInfo(
        id=event.id, title=event.title, date=event.date, location=event.location,
        description=event.description, join_code=event.join_code,
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


def _ideas_by_workshop(session: Session, event_id: int) -> dict[int, list[IdeaRow]]:
    query = (
        select(Idea.id, Idea.workshop_id, Idea.text, Idea.author_name, Idea.anonymous,
               Idea.votes, Idea.created_at)
        .join(Workshop, Workshop.id == Idea.workshop_id)
        .where(Workshop.event_id == event_id)
        .order_by(Idea.id)
    )
    ideas: dict[int, list[IdeaRow]] = {}
    for row in session.execute(query):
        idea = IdeaRow(
            id=row.id, workshop_id=row.workshop_id, text=row.text,
            author=None if row.anonymous else row.author_name,
            votes=row.votes or 0, created_at=row.created_at,
        )
        ideas.setdefault(row.workshop_id, []).append(idea)
    return ideas


def _workshop_report(workshop: Workshop, ideas, participants: int) -> WorkshopReport:
    ideas = tuple(ideas)
    figures = WorkshopFigures(
        participants=participants, ideas=len(ideas), votes=sum(idea.votes for idea in ideas)
    )
    return WorkshopReport(
        id=workshop.id, position=workshop.position, title=workshop.title,
        question=workshop.question, locked=workshop.locked, step=workshop.step,
        figures=figures, ideas=ideas,
    )


def _key_figures(session: Session, event_id: int, workshops) -> KeyFigures:
    participants = session.scalar(
        select(func.count(Participant.id)).where(Participant.event_id == event_id)
    )
    return KeyFigures(
        participants=participants or 0,
        workshops=len(workshops),
        ideas=sum(w.figures.ideas for w in workshops),
        votes=sum(w.figures.votes for w in workshops),
    )


def report_to_json(report: EventReport) -> dict:
    """The report as plain JSON data; the contract's ``event`` and ``workshops`` keys plus
    ``generated_at``, ``agenda`` and ``figures``."""
    event = report.event
    return {
        "generated_at": isoformat(report.generated_at),
        "event": {
            "id": event.id,
            "title": event.title,
            "date": event.date.isoformat() if event.date else None,
            "location": event.location,
            "description": event.description,
            "join_code": event.join_code,
            "join_url": event.join_url,
        },
        "agenda": [_agenda_json(item) for item in report.agenda],
        "figures": _figures_json(report.figures),
        "workshops": [_workshop_json(workshop) for workshop in report.workshops],
    }


def _agenda_json(item: AgendaRow) -> dict:
    return {"title": item.title, "speaker": item.speaker, "organisation": item.organisation,
            "starts_at": item.starts_at}


def _figures_json(figures: KeyFigures) -> dict:
    return {"participants": figures.participants, "workshops": figures.workshops,
            "ideas": figures.ideas, "votes": figures.votes}


def _workshop_json(workshop: WorkshopReport) -> dict:
    return {
        "id": workshop.id,
        "position": workshop.position,
        "title": workshop.title,
        "question": workshop.question,
        "locked": workshop.locked,
        "step": workshop.step,
        "participants": workshop.figures.participants,
        "figures": {"participants": workshop.figures.participants,
                    "ideas": workshop.figures.ideas, "votes": workshop.figures.votes},
        "ideas": [_idea_json(idea) for idea in workshop.ideas],
    }


def _idea_json(idea: IdeaRow) -> dict:
    return {
        "id": idea.id,
        "workshop_id": idea.workshop_id,
        "text": idea.text,
        "author": idea.author,
        "votes": idea.votes,
        "created_at": isoformat(idea.created_at),
    }
