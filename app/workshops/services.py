"""Workshops, their membership, lock state and numbered change log; no Flask.

Every change a workshop's room sees goes through :func:`next_seq` and :func:`record_change`
in the same transaction as the change itself, so ``seq`` is gapless and survives restarts.
"""

from __future__ import annotations

from typing import NamedTuple

from pinnwand.config import DEFAULT_MAX_WORKSHOPS
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import Invalid, Locked, NotFound
from pinnwand.events.schemas import WorkshopIn, WorkshopPatch
from pinnwand.ideas.models import Idea
from pinnwand.workshops.changes import (
    STAFF,
    Audience,
    driver_row,
    logged_view,
    record_change,
    withheld_idea,
)
from pinnwand.workshops.models import Category, Message, Workshop, WorkshopChange, WorkshopMember
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, object_session

# A reconnecting client further behind than this gets a fresh snapshot instead of the log.
MAX_CATCH_UP = 1000
WORKSHOP_LOCKED = "workshop_locked"
WORKSHOP_UPDATED = "workshop_updated"


def add_workshop(session: Session, event, data: WorkshopIn, position: int | None = None,
                 limit: int = DEFAULT_MAX_WORKSHOPS):
    """Add a parallel workshop to an event (at most ``limit`` per event); it is unlocked and
    in its first step at once, with its board's template and first columns (see
    :func:`pinnwand.workshops.facilitation.board_template`)."""
    from pinnwand.workshops.facilitation import apply_template

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


class ClaimedState(NamedTuple):
    """What :func:`claim_seq` returns: the new ``seq`` and the workshop's state the rules
    need, read by the same statement that took the number."""

    seq: int
    event_id: int
    locked: bool
    step: str
    private_writing: bool
    cluster_by: str
    vote_budget: int
    vote_max_per_target: int
    votes_secret: bool
    votes_revealed: bool


CLAIM_SEQ_SQL = ("UPDATE workshops SET seq = seq + 1 WHERE id = ? RETURNING "
                 + ", ".join(ClaimedState._fields))


def claim_seq(session: Session, workshop_id: int) -> ClaimedState:
    """Take the workshop's next ``seq`` atomically in the database; returns it with the state
    the rules need (``locked``, ``step``, ``private_writing``, the vote settings…), read in the
    same statement.

    The row stays locked for writers until the transaction ends, so two processes can never
    take the same number, and a rolled-back change gives its number back. Pending changes of
    ``session`` are flushed first (so the state read includes them), and a :class:`Workshop`
    loaded in ``session`` sees the new ``seq``. One statement on the DBAPI connection: this
    runs for every idea of a live workshop.
    """
    if session.autoflush and (session.identity_map or session.new):
        session.flush()
    row = driver_row(session, CLAIM_SEQ_SQL, (workshop_id,))
    if row is None:
        raise NotFound("There is no such workshop.")
    state = ClaimedState(row[0], row[1], bool(row[2]), row[3], bool(row[4]), row[5], row[6],
                         row[7], bool(row[8]), bool(row[9]))
    if session.identity_map:
        _sync_loaded_seq(session, workshop_id, state.seq)
    return state


def _sync_loaded_seq(session: Session, workshop_id: int, seq: int) -> None:
    """Give a :class:`Workshop` loaded in ``session`` the ``seq`` just claimed, as the
    database now holds it (not as a pending change)."""
    from sqlalchemy.orm.attributes import set_committed_value

    loaded = session.identity_map.get(session.identity_key(Workshop, workshop_id))
    if loaded is not None:
        set_committed_value(loaded, "seq", seq)


def next_seq(session: Session, workshop_id: int) -> tuple[int, bool]:
    """Take the workshop's next ``seq`` (see :func:`claim_seq`); also returns ``locked``."""
    row = claim_seq(session, workshop_id)
    return row.seq, row.locked


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


def votes_hidden(workshop: Workshop, audience: Audience) -> bool:
    """Whether vote totals are withheld from this audience (secret and not yet revealed)."""
    return workshop.votes_secret and not workshop.votes_revealed and not audience.staff


VOTING_STEPS = ("vote", "act", "closed")


def snapshot_hides_votes(session: Session, workshop: Workshop, audience: Audience) -> bool:
    """Whether a snapshot withholds vote totals from this audience: secret, unrevealed, and
    voting has begun (the workshop is voting or past it, or holds dots). Before that every
    total is 0, and a board is shown with its plain zeros, as ``create_idea`` answers."""
    if not votes_hidden(workshop, audience):
        return False
    if workshop.step in VOTING_STEPS:
        return True
    from pinnwand.votes.models import Vote

    return session.scalar(select(Vote.count).where(Vote.workshop_id == workshop.id).limit(1)) \
        is not None


def idea_view(idea: Idea, audience: Audience, hide_votes: bool) -> dict | None:
    """An idea as this audience may see it, or ``None`` when it is off the board for them
    (deleted or merged ideas are shown to the staff only, flagged, so they can be restored)."""
    if not audience.staff and (idea.deleted_at is not None or idea.merged_into_id is not None):
        return None
    shown = idea.to_json()
    if idea.hidden and not audience.staff and idea.participant_id != audience.participant_id:
        shown = withheld_idea(shown)
    if hide_votes:
        shown["votes"] = None
    return shown


SNAPSHOT_ATTEMPTS = 20


def snapshot(session: Session, workshop_id: int, audience: Audience = STAFF) -> dict:
    """The whole board as this audience may see it (see :func:`read_snapshot`), read again
    while a change committed during the reading: its statements may each see a newer state
    (SQLite reads outside a write, PostgreSQL's read committed), and the board must match the
    ``seq`` it names, or a client would apply a change twice or miss it."""
    for _ in range(SNAPSHOT_ATTEMPTS):
        board = read_snapshot(session, workshop_id, audience)
        if current_seq(session, workshop_id) == board["seq"]:
            return board
        session.expire_all()
    return board


def read_snapshot(session: Session, workshop_id: int, audience: Audience = STAFF) -> dict:
    """The whole board as this audience may see it: the workshop, its ideas, clusters, actions,
    the latest messages, ``me`` (the reader's own ideas, dots and sign-ups) and the ``seq`` it is
    current to. Hidden texts and secret totals are withheld here exactly as in broadcasts."""
    from pinnwand.actions.services import actions_json
    from pinnwand.clusters.services import clusters_json
    from pinnwand.votes.services import my_votes

    workshop = get_workshop(session, workshop_id)
    hide_votes = snapshot_hides_votes(session, workshop, audience)
    ideas = session.scalars(select(Idea).where(Idea.workshop_id == workshop_id).order_by(Idea.id))
    own = []
    shown = []
    for idea in ideas:
        view = idea_view(idea, audience, hide_votes)
        if view is not None:
            shown.append(view)
        if audience.participant_id is not None and idea.participant_id == audience.participant_id:
            own.append(idea.id)
    me = {"staff": audience.staff, "participant_id": audience.participant_id, "ideas": own,
          **my_votes(session, workshop, audience.participant_id)}
    return {
        "workshop": workshop_json(workshop),
        "ideas": shown,
        "clusters": clusters_json(session, workshop_id, audience, hide_votes),
        "actions": actions_json(session, workshop_id, audience),
        "messages": messages_json(session, workshop_id),
        "me": me,
        "seq": workshop.seq,
    }


def messages_json(session: Session, workshop_id: int, limit: int = 5) -> list[dict]:
    """The workshop's latest broadcast messages, oldest first."""
    query = (select(Message).where(Message.workshop_id == workshop_id)
             .order_by(Message.id.desc()).limit(limit))
    return [message_json(m) for m in reversed(list(session.scalars(query)))]


def message_json(message: Message) -> dict:
    """A broadcast message as clients show it."""
    return {"id": message.id, "text": message.text, "from": message.sender_name,
            "sent_at": isoformat(message.created_at)}


def catch_up(session: Session, workshop_id: int, since_seq: int,
             audience: Audience = STAFF) -> dict:
    """Every change after ``since_seq`` as ``{"events", "seq"}``, each as this audience may
    see it, or the full snapshot when the log cannot serve (a ``since_seq`` from the future,
    or too far behind)."""
    seq = current_seq(session, workshop_id)
    if since_seq > seq or seq - since_seq > MAX_CATCH_UP:
        return snapshot(session, workshop_id, audience)
    query = (
        select(WorkshopChange)
        .where(WorkshopChange.workshop_id == workshop_id, WorkshopChange.seq > since_seq,
               WorkshopChange.seq <= seq)
        .order_by(WorkshopChange.seq)
    )
    changes = list(session.scalars(query))
    if len(changes) != seq - since_seq:
        return snapshot(session, workshop_id, audience)
    return {"events": [logged_view(c, audience) for c in changes], "seq": seq}


def ensure_open(locked: bool) -> None:
    """Refuse with :class:`Locked` while the workshop does not accept contributions."""
    if locked:
        raise Locked("This workshop is locked: it does not accept new ideas right now.")


def ensure_step(state, staff: bool, steps: tuple[str, ...], doing: str) -> None:
    """Refuse a participant's contribution with :class:`Locked` unless the workshop is
    unlocked and in one of ``steps``; the workshop's staff may curate in any step.

    ``state`` is the row :func:`claim_seq` returned (or a :class:`Workshop`).
    """
    if staff:
        return
    if state.locked:
        raise Locked("This workshop is locked right now.")
    if state.step not in steps:
        raise Locked(f"This workshop is in its {state.step} step: {doing} is not possible now.")


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


def member_workshop_ids(session: Session, participant_id: int) -> set[int]:
    """The workshops a participant has joined."""
    query = select(WorkshopMember.workshop_id)
    return set(session.scalars(query.where(WorkshopMember.participant_id == participant_id)))
