"""Workshops, their membership, lock state and numbered change log; no Flask.

Every change a workshop's room sees goes through :func:`next_seq` and :func:`record_change`
in the same transaction as the change itself, so ``seq`` is gapless and survives restarts.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.config import DEFAULT_MAX_WORKSHOPS
from app.errors import Invalid, Locked, NotFound
from app.events.schemas import WorkshopIn, WorkshopPatch
from app.ideas.models import Idea
from app.workshops.models import Workshop, WorkshopChange, WorkshopMember

# A reconnecting client further behind than this gets a fresh snapshot instead of the log.
MAX_CATCH_UP = 1000
WORKSHOP_LOCKED = "workshop_locked"
WORKSHOP_UPDATED = "workshop_updated"


def add_workshop(session: Session, event, data: WorkshopIn, position: int | None = None,
                 limit: int = DEFAULT_MAX_WORKSHOPS):
    """Add a parallel workshop to an event (at most ``limit`` per event); it is unlocked and
    in its first step at once."""
    count = session.scalar(select(func.count(Workshop.id)).where(Workshop.event_id == event.id))
    if count >= limit:
        raise Invalid(f"An event has at most {limit} workshops.",
                      {"workshops": f"at most {limit}"})
    workshop = Workshop(event_id=event.id, title=data.title, question=data.question,
                        position=count if position is None else position)
    session.add(workshop)
    session.flush()
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


def update_workshop(session: Session, workshop: Workshop, patch: WorkshopPatch) -> dict | None:
    """Change a workshop's title, question or position (moderators).

    When something changes, the change is numbered and logged; returns the
    ``workshop_updated {"workshop_id", "seq", "workshop"}`` payload to broadcast, else ``None``.
    """
    changes = patch.model_dump(include=patch.model_fields_set)
    if any(value is None for value in changes.values()):
        raise Invalid("These fields cannot be cleared.",
                      {name: "required" for name, value in changes.items() if value is None})
    changes = {name: v for name, v in changes.items() if getattr(workshop, name) != v}
    if not changes:
        return None
    for name, value in changes.items():
        setattr(workshop, name, value)
    session.flush()
    seq, _ = next_seq(session, workshop.id)
    session.refresh(workshop)
    payload = {"workshop_id": workshop.id, "seq": seq, "workshop": workshop_json(workshop)}
    record_change(session, workshop.id, seq, WORKSHOP_UPDATED, payload)
    return payload


def add_member(session: Session, workshop_id: int, participant_id: int) -> None:
    """Record that a participant joined a workshop (idempotent)."""
    if session.get(WorkshopMember, (workshop_id, participant_id)) is None:
        session.add(WorkshopMember(workshop_id=workshop_id, participant_id=participant_id))
        session.flush()


def is_member(session: Session, workshop_id: int, participant_id: int) -> bool:
    """Whether a participant has joined this workshop (at any time, on any connection)."""
    return session.get(WorkshopMember, (workshop_id, participant_id)) is not None


def next_seq(session: Session, workshop_id: int) -> tuple[int, bool]:
    """Take the workshop's next ``seq`` atomically in the database; also returns ``locked``.

    The row stays locked for writers until the transaction ends, so two processes can never
    take the same number, and a rolled-back change gives its number back.
    """
    statement = (
        update(Workshop).where(Workshop.id == workshop_id)
        .values(seq=Workshop.seq + 1).returning(Workshop.seq, Workshop.locked)
    )
    row = session.execute(statement).one_or_none()
    if row is None:
        raise NotFound("There is no such workshop.")
    return row.seq, row.locked


def record_change(session: Session, workshop_id: int, seq: int, name: str, payload: dict) -> None:
    """Append a broadcast change to the workshop's log, for clients that catch up later."""
    session.add(WorkshopChange(workshop_id=workshop_id, seq=seq, name=name, payload=payload))


def set_locked(session: Session, workshop_id: int, locked: bool) -> dict | None:
    """Lock or unlock a workshop (moderators). Returns the broadcast payload, or ``None``
    when the state does not change (then nothing is numbered or broadcast)."""
    workshop = get_workshop(session, workshop_id)
    if workshop.locked == locked:
        return None
    seq, _ = next_seq(session, workshop_id)
    session.execute(update(Workshop).where(Workshop.id == workshop_id).values(locked=locked))
    payload = {"workshop_id": workshop_id, "seq": seq, "locked": locked}
    record_change(session, workshop_id, seq, WORKSHOP_LOCKED, payload)
    return payload


def current_seq(session: Session, workshop_id: int) -> int:
    """The workshop's last ``seq``."""
    return session.scalar(select(Workshop.seq).where(Workshop.id == workshop_id)) or 0


def snapshot(session: Session, workshop_id: int) -> dict:
    """The whole board: the workshop, every idea and the ``seq`` it is current to."""
    workshop = get_workshop(session, workshop_id)
    ideas = session.scalars(select(Idea).where(Idea.workshop_id == workshop_id).order_by(Idea.id))
    return {
        "workshop": workshop_json(workshop),
        "ideas": [idea.to_json() for idea in ideas],
        "seq": workshop.seq,
    }


def catch_up(session: Session, workshop_id: int, since_seq: int) -> dict:
    """Every change after ``since_seq`` as ``{"events", "seq"}``, or the full snapshot when
    the log cannot serve (a ``since_seq`` from the future, or too far behind)."""
    seq = current_seq(session, workshop_id)
    if since_seq > seq or seq - since_seq > MAX_CATCH_UP:
        return snapshot(session, workshop_id)
    query = (
        select(WorkshopChange)
        .where(WorkshopChange.workshop_id == workshop_id, WorkshopChange.seq > since_seq,
               WorkshopChange.seq <= seq)
        .order_by(WorkshopChange.seq)
    )
    changes = list(session.scalars(query))
    if len(changes) != seq - since_seq:
        return snapshot(session, workshop_id)
    return {"events": [{**c.payload, "event": c.name} for c in changes], "seq": seq}


def ensure_open(locked: bool) -> None:
    """Refuse with :class:`Locked` while the workshop does not accept contributions."""
    if locked:
        raise Locked("This workshop is locked: it does not accept new ideas right now.")


def workshop_summary(workshop: Workshop) -> dict:
    """The fields a participant needs to pick a workshop."""
    return {"id": workshop.id, "title": workshop.title, "question": workshop.question}


def workshop_json(workshop: Workshop) -> dict:
    """A workshop with its state, as boards and moderators see it."""
    return {
        **workshop_summary(workshop),
        "event_id": workshop.event_id,
        "position": workshop.position,
        "step": workshop.step,
        "locked": workshop.locked,
        "seq": workshop.seq,
    }


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


def member_workshop_ids(session: Session, participant_id: int) -> set[int]:
    """The workshops a participant has joined."""
    query = select(WorkshopMember.workshop_id)
    return set(session.scalars(query.where(WorkshopMember.participant_id == participant_id)))
