"""Running a workshop: its step, its settings, its categories (columns) and the reveal of
ideas written privately; no Flask.

Every function that changes the board validates first, takes the workshop's next ``seq`` only
once something will change, and returns the ack data with the :class:`Change` (or changes) the
caller publishes after the commit. A no-op takes no ``seq`` and returns no change.
"""

from __future__ import annotations

from pinnwand.board.changes import Change, numbered, shared
from pinnwand.board.names import IDEAS_REVEALED, STEP_CHANGED, TIMER_CHANGED, WORKSHOP_UPDATED
from pinnwand.board.rules import VOTING_ONWARDS
from pinnwand.board.seq import claim_seq, current_seq
from pinnwand.board.visibility import Audience, idea_view
from pinnwand.clusters.models import Cluster
from pinnwand.errors import Invalid, NotFound
from pinnwand.ideas.models import Idea
from pinnwand.reviews.services import ensure_review_possible
from pinnwand.workshops.models import REVIEW_STEP, Category, Workshop
from pinnwand.workshops.schemas import ConfigureWorkshop, SetCategories
from pinnwand.workshops.services import get_workshop, timer_json, workshop_json
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

SETTINGS = ("private_writing", "cluster_by", "vote_budget", "vote_max_per_target",
            "votes_secret")


# Steps -------------------------------------------------------------------------------------

def set_step(session: Session, workshop_id: int,
             step: str) -> tuple[dict, list[Change]]:
    """Move a workshop to ``step`` (its staff; for every workshop of an event, its moderators).

    Only when the step changes it takes the next ``seq`` and records ``step_changed
    {"workshop_id", "seq", "step"}``. Reaching the vote step or a later one starts voting
    (``voting_started``; see :func:`pinnwand.board.visibility.totals_hidden`). A timer that had
    ended ("time is up" belongs to the step before) goes back to idle with the next ``seq``:
    ``timer_changed {"workshop_id", "seq", "timer"}``; a running or paused one runs on.
    ``review`` is ``conflict`` unless the event has an earlier forum in its series.
    Returns ``({"workshop_id", "step", "seq"}, changes)`` with the last ``seq`` taken; no
    changes when the workshop was in that step already.
    """
    workshop = get_workshop(session, workshop_id)
    if workshop.step == step:
        return step_answer(workshop_id, step, workshop.seq), []
    if step == REVIEW_STEP:
        ensure_review_possible(session, workshop)
    seq = claim_seq(session, workshop_id).seq
    values = {"step": step}
    if step in VOTING_ONWARDS:
        values["voting_started"] = True  # stays set: totals stay secret after a step back
    session.execute(update(Workshop).where(Workshop.id == workshop_id).values(**values))
    payload = {"workshop_id": workshop_id, "seq": seq, "step": step}
    changes = [shared(session, workshop_id, seq, STEP_CHANGED, payload)]
    if workshop.timer_state == "ended":
        changes.append(clear_ended_timer(session, workshop))
    return step_answer(workshop_id, step, changes[-1].seq), changes


def clear_ended_timer(session: Session, workshop: Workshop) -> Change:
    """Put an ended timer back to idle, numbered as ``timer_changed``."""
    seq = claim_seq(session, workshop.id).seq
    workshop.timer_state = "idle"
    workshop.timer_duration = 0
    workshop.timer_ends_at = None
    workshop.timer_remaining = None
    workshop.timer_lock_at_end = False
    session.flush()
    payload = {"workshop_id": workshop.id, "seq": seq, "timer": timer_json(workshop)}
    return shared(session, workshop.id, seq, TIMER_CHANGED, payload)


def step_answer(workshop_id: int, step: str, seq: int) -> dict:
    """The ack of ``set_step`` for one workshop."""
    return {"workshop_id": workshop_id, "step": step, "seq": seq}


# Settings ----------------------------------------------------------------------------------

def configure_workshop(session: Session, data: ConfigureWorkshop) -> tuple[dict, list[Change]]:
    """Change how a workshop runs (its staff): private writing, who clusters, the dot budget,
    secret votes.

    Only settings that differ count; then it takes the next ``seq`` and records
    ``workshop_updated {"workshop_id", "seq", "workshop"}``. Switching secret votes on hides
    revealed totals again (``votes_revealed`` false). Switching private writing off while
    hidden ideas exist reveals them as a second change, ``ideas_revealed``, with its own
    ``seq``. Returns ``({"workshop", "seq"}, changes)`` — ``seq`` the last one taken; no
    changes when nothing differs.
    """
    wanted = requested_settings(data)
    workshop = get_workshop(session, data.workshop_id)
    changes = {name: value for name, value in wanted.items() if getattr(workshop, name) != value}
    if changes.get("votes_secret") is True and workshop.votes_revealed:
        changes["votes_revealed"] = False
    if not changes:
        return {"workshop": workshop_json(workshop), "seq": workshop.seq}, []
    seq = claim_seq(session, workshop.id).seq
    for name, value in changes.items():
        setattr(workshop, name, value)
    session.flush()
    session.refresh(workshop)
    payload = {"workshop_id": workshop.id, "seq": seq, "workshop": workshop_json(workshop)}
    published = [shared(session, workshop.id, seq, WORKSHOP_UPDATED, payload)]
    if changes.get("private_writing") is False:
        _, revealed = reveal_hidden_ideas(session, workshop.id)
        if revealed is not None:
            published.append(revealed)
            session.refresh(workshop)
    return {"workshop": workshop_json(workshop), "seq": published[-1].seq}, published


def requested_settings(data: ConfigureWorkshop) -> dict:
    """The settings a ``configure_workshop`` names; ``null`` cannot clear a setting."""
    wanted = data.model_dump(include=set(SETTINGS) & data.model_fields_set)
    cleared = [name for name, value in wanted.items() if value is None]
    if cleared:
        raise Invalid("Settings cannot be cleared.", {name: "required" for name in cleared})
    return wanted


# Categories --------------------------------------------------------------------------------

def set_categories(session: Session, data: SetCategories) -> tuple[dict, Change | None]:
    """Replace a workshop's columns (its staff) with the given list, in order.

    Listed ``id``s are kept (retitled, reordered), entries without ``id`` are created, columns
    left out are deleted and their ideas and clusters become uncategorised. An ``id`` that is
    not one of this workshop's columns is ``not_found``. When something changes it takes the
    next ``seq`` and records ``workshop_updated {"workshop_id", "seq", "workshop"}``.
    Returns ``({"workshop", "seq"}, change)``; no change when the list is the current one.
    """
    workshop = get_workshop(session, data.workshop_id)
    existing = workshop_categories(session, workshop.id)
    unknown = [c.id for c in data.categories if c.id is not None and c.id not in existing]
    if unknown:
        raise NotFound("There is no such category in this workshop.")
    current = [(c.id, c.title) for c in existing.values()]
    if [(c.id, c.title) for c in data.categories] == current:
        return {"workshop": workshop_json(workshop), "seq": workshop.seq}, None
    seq = claim_seq(session, workshop.id).seq
    kept = {c.id for c in data.categories if c.id is not None}
    remove_categories(session, [cid for cid in existing if cid not in kept])
    for position, item in enumerate(data.categories):
        if item.id is None:
            session.add(Category(workshop_id=workshop.id, position=position, title=item.title))
        else:
            existing[item.id].title, existing[item.id].position = item.title, position
    session.flush()
    session.refresh(workshop)
    payload = {"workshop_id": workshop.id, "seq": seq, "workshop": workshop_json(workshop)}
    change = shared(session, workshop.id, seq, WORKSHOP_UPDATED, payload)
    return {"workshop": payload["workshop"], "seq": seq}, change


def workshop_categories(session: Session, workshop_id: int) -> dict[int, Category]:
    """A workshop's columns by id, in their order."""
    query = (select(Category).where(Category.workshop_id == workshop_id)
             .order_by(Category.position, Category.id))
    return {category.id: category for category in session.scalars(query)}


def remove_categories(session: Session, category_ids: list[int]) -> None:
    """Delete columns; their ideas and clusters stay on the board, uncategorised."""
    if not category_ids:
        return
    for model in (Idea, Cluster):
        session.execute(update(model).where(model.category_id.in_(category_ids))
                        .values(category_id=None))
    session.execute(delete(Category).where(Category.id.in_(category_ids)))


# Revealing ---------------------------------------------------------------------------------

def reveal_ideas(session: Session, workshop_id: int) -> tuple[dict, Change | None]:
    """Publish every idea written privately in a workshop (its staff).

    Returns ``({"revealed": n, "seq"}, change)``; with no hidden ideas nothing changes and the
    answer is ``{"revealed": 0, "seq": <current>}``. See :func:`reveal_hidden_ideas`.
    """
    get_workshop(session, workshop_id)
    count, change = reveal_hidden_ideas(session, workshop_id)
    if change is None:
        return {"revealed": 0, "seq": current_seq(session, workshop_id)}, None
    return {"revealed": count, "seq": change.seq}, change


def reveal_hidden_ideas(session: Session, workshop_id: int) -> tuple[int, Change | None]:
    """Make every hidden idea of the workshop visible: takes the next ``seq`` and records
    ``ideas_revealed {"workshop_id", "seq", "ideas"}`` with the ideas as each audience may see
    them — texts and authors now reach everyone; ideas off the room's board (withdrawn or
    merged, which only the staff keep) are left out of its variant, and totals are withheld
    while secret (see :func:`pinnwand.board.visibility.idea_view`). Returns how many ideas were
    revealed and the change (``None`` when there were none).
    """
    query = (select(Idea).where(Idea.workshop_id == workshop_id, Idea.hidden.is_(True))
             .order_by(Idea.id))
    ideas = list(session.scalars(query))
    if not ideas:
        return 0, None
    state = claim_seq(session, workshop_id)
    for idea in ideas:
        idea.hidden = False
    session.flush()
    shown = [(idea.to_json(), idea.participant_id) for idea in ideas]

    def view(audience: Audience) -> dict:
        seen = (idea_view(idea, owner, audience, state) for idea, owner in shown)
        return {"workshop_id": workshop_id, "seq": state.seq,
                "ideas": [idea for idea in seen if idea is not None]}

    return len(ideas), numbered(session, workshop_id, state.seq, IDEAS_REVEALED, view)
