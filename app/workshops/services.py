"""Workshops of an event: creating, listing and changing them, locking them, who joined
them, and their JSON; no Flask.

Numbering (``seq``) and the change log are the board core's (:mod:`pinnwand.board`); running a
workshop through its steps is :mod:`pinnwand.workshops.facilitation`; the snapshot of a whole
board is :mod:`pinnwand.snapshot`.
"""

from __future__ import annotations

from pinnwand.board.changes import Change, shared
from pinnwand.board.names import WORKSHOP_LOCKED, WORKSHOP_UPDATED
from pinnwand.board.seq import claim_seq
from pinnwand.config import DEFAULT_MAX_WORKSHOPS
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import Invalid, NotFound
from pinnwand.ideas.models import Idea
from pinnwand.workshops.models import Category, Workshop, WorkshopMember
from pinnwand.workshops.schemas import WorkshopIn, WorkshopPatch
from pinnwand.workshops.templates import apply_template
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, object_session


def add_workshop(session: Session, event, data: WorkshopIn, position: int | None = None,
                 limit: int = DEFAULT_MAX_WORKSHOPS):
    """Add a parallel workshop to an event (at most ``limit`` per event); it is unlocked and
    in its first step at once, with its board's template and first columns (see
    :func:`pinnwand.workshops.templates.board_template`)."""
    count = session.scalar(select(func.count(Workshop.id)).where(Workshop.event_id == event.id))
    if count >= limit:
        raise Invalid(f"An event has at most {limit} workshops.",
                      {"workshops": f"at most {limit}"})
    workshop = Workshop(event_id=event.id, title=data.title, question=data.question,
                        position=count if position is None else position)
    session.add(workshop)
    session.flush()
    apply_template(session, workshop, data)
    return workshop


def get_workshop(session: Session, workshop_id: int) -> Workshop:
    """The workshop with this id, or :class:`NotFound`."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound("There is no such workshop.")
    return workshop


def list_workshops(session: Session, event_id: int) -> list[Workshop]:
    """An event's workshops in their agreed order."""
    query = select(Workshop).where(Workshop.event_id == event_id)
    return list(session.scalars(query.order_by(Workshop.position, Workshop.id)))


def event_workshop_ids(session: Session, event_id: int) -> list[int]:
    """The ids of an event's workshops in their agreed order (targets of event-wide
    commands, sources of the plenary)."""
    query = (select(Workshop.id).where(Workshop.event_id == event_id)
             .order_by(Workshop.position, Workshop.id))
    return list(session.scalars(query))


def update_workshop(session: Session, workshop_id: int,
                    patch: WorkshopPatch) -> tuple[dict, Change | None]:
    """Change a workshop's title, question or position (moderators).

    When something changes it takes the next ``seq`` and records ``workshop_updated
    {"workshop_id", "seq", "workshop"}``. Returns ``(the workshop, change or None)``.
    """
    workshop = get_workshop(session, workshop_id)
    changes = patch.model_dump(include=patch.model_fields_set)
    if any(value is None for value in changes.values()):
        raise Invalid("These fields cannot be cleared.",
                      {name: "required" for name, value in changes.items() if value is None})
    changes = {name: v for name, v in changes.items() if getattr(workshop, name) != v}
    if not changes:
        return workshop_json(workshop), None
    for name, value in changes.items():
        setattr(workshop, name, value)
    session.flush()
    seq = claim_seq(session, workshop.id).seq
    shown = workshop_json(workshop)
    payload = {"workshop_id": workshop.id, "seq": seq, "workshop": shown}
    return shown, shared(session, workshop.id, seq, WORKSHOP_UPDATED, payload)


def add_member(session: Session, workshop_id: int, participant_id: int) -> None:
    """Record that a participant joined a workshop (idempotent)."""
    if session.get(WorkshopMember, (workshop_id, participant_id)) is None:
        session.add(WorkshopMember(workshop_id=workshop_id, participant_id=participant_id))
        session.flush()


def is_member(session: Session, workshop_id: int, participant_id: int) -> bool:
    """Whether a participant has joined this workshop (at any time, on any connection)."""
    return session.get(WorkshopMember, (workshop_id, participant_id)) is not None


def set_locked(session: Session, workshop_id: int, locked: bool) -> tuple[dict, Change | None]:
    """Lock or unlock a workshop (its staff). Only when the state changes it takes the next
    ``seq`` and records ``workshop_locked {"workshop_id", "seq", "locked"}``. Returns
    ``({"locked", "seq"}, change or None)``."""
    workshop = get_workshop(session, workshop_id)
    if workshop.locked == locked:
        return {"locked": locked, "seq": workshop.seq}, None
    seq = claim_seq(session, workshop_id).seq
    session.execute(update(Workshop).where(Workshop.id == workshop_id).values(locked=locked))
    payload = {"workshop_id": workshop_id, "seq": seq, "locked": locked}
    return {"locked": locked, "seq": seq}, shared(session, workshop_id, seq, WORKSHOP_LOCKED,
                                                  payload)


def workshop_summary(workshop: Workshop) -> dict:
    """The fields a participant needs to pick a workshop."""
    return {"id": workshop.id, "title": workshop.title, "question": workshop.question}


def workshop_json(workshop: Workshop) -> dict:
    """A workshop with its state, as boards and moderators see it: its step, template and
    categories, how it runs (``settings``) and its countdown (``timer``)."""
    return {
        **workshop_summary(workshop),
        "event_id": workshop.event_id,
        "position": workshop.position,
        "step": workshop.step,
        "locked": workshop.locked,
        "seq": workshop.seq,
        "template": workshop.template,
        "categories": categories_json(object_session(workshop), workshop.id),
        "settings": settings_json(workshop),
        "timer": timer_json(workshop),
    }


def settings_json(workshop: Workshop) -> dict:
    """How the workshop runs its steps (private writing, who clusters, the dot budget)."""
    return {
        "private_writing": workshop.private_writing,
        "cluster_by": workshop.cluster_by,
        "vote_budget": workshop.vote_budget,
        "vote_max_per_target": workshop.vote_max_per_target,
        "votes_secret": workshop.votes_secret,
        "votes_revealed": workshop.votes_revealed,
        "reviews_revealed": workshop.reviews_revealed,
    }


def timer_json(workshop: Workshop) -> dict:
    """The countdown: ``state`` idle/running/paused/ended, its ``duration`` and, while running,
    ``ends_at``; ``remaining`` seconds as of now."""
    remaining = workshop.timer_remaining
    if workshop.timer_state == "running" and workshop.timer_ends_at is not None:
        remaining = max(0.0, (workshop.timer_ends_at - utcnow()).total_seconds())
    return {
        "state": workshop.timer_state,
        "duration": workshop.timer_duration,
        "ends_at": isoformat(workshop.timer_ends_at) if workshop.timer_state == "running" else None,
        "remaining": None if remaining is None else round(remaining, 1),
        "lock_at_end": workshop.timer_lock_at_end,
    }


def categories_json(session: Session | None, workshop_id: int) -> list[dict]:
    """A workshop's categories (columns) in order."""
    if session is None:
        return []
    query = select(Category).where(Category.workshop_id == workshop_id)
    return [{"id": c.id, "title": c.title}
            for c in session.scalars(query.order_by(Category.position, Category.id))]


def workshops_json(session: Session, event_id: int, with_counts: bool = True) -> list[dict]:
    """An event's workshops; with ``participants`` and ``ideas`` counts for moderators."""
    items = [workshop_json(w) for w in list_workshops(session, event_id)]
    if with_counts:
        counts = workshop_counts(session, event_id)
        for item in items:
            item.update(counts.get(item["id"], {"participants": 0, "ideas": 0}))
    return items


def workshop_counts(session: Session, event_id: int) -> dict[int, dict[str, int]]:
    """Per workshop of an event: distinct participants who joined, and ideas posted."""
    members = session.execute(
        select(WorkshopMember.workshop_id, func.count())
        .join(Workshop, Workshop.id == WorkshopMember.workshop_id)
        .where(Workshop.event_id == event_id).group_by(WorkshopMember.workshop_id)
    )
    ideas = session.execute(
        select(Idea.workshop_id, func.count())
        .join(Workshop, Workshop.id == Idea.workshop_id)
        .where(Workshop.event_id == event_id).group_by(Idea.workshop_id)
    )
    counts: dict[int, dict[str, int]] = {}
    for workshop_id, number in members:
        counts.setdefault(workshop_id, {"participants": 0, "ideas": 0})["participants"] = number
    for workshop_id, number in ideas:
        counts.setdefault(workshop_id, {"participants": 0, "ideas": 0})["ideas"] = number
    return counts
