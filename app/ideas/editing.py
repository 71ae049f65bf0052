"""Curating ideas on a workshop's board: edit, withdraw, restore, merge and move; no Flask.

Every service validates before it changes anything: an unknown idea or category, or one of
another workshop, is ``not_found``, a withdrawn or merged idea ``invalid``, someone who may
never do this ``forbidden``, a participant outside the step (or while the workshop is
locked) ``locked``. When nothing would change it answers the current state without taking a ``seq``;
otherwise it takes the workshop's next ``seq`` (:func:`claim_seq`), re-checks the step on the
row it claimed, changes the rows and returns ``(ack data, Change)``: the caller publishes the
change after the commit.

Visibility: an idea written privately (``hidden``) reaches the room withheld (no text, no
author) and its author in full; while votes are secret and unrevealed, totals reach only the
staff (``"votes": null`` for everyone else). Each change carries these variants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from pinnwand.auth.identity import Identity
from pinnwand.clusters.models import Cluster
from pinnwand.db import utcnow
from pinnwand.errors import Forbidden, Invalid, NotFound
from pinnwand.ideas.edit_schemas import IdeaRef, MergeIdeas, MoveIdea, UpdateIdea
from pinnwand.ideas.models import Idea
from pinnwand.votes.models import Vote
from pinnwand.workshops.changes import Audience, Change, record_change, withheld_idea
from pinnwand.workshops.models import Category
from pinnwand.workshops.services import claim_seq, ensure_step, get_workshop
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

T = TypeVar("T")

IDEA_UPDATED = "idea_updated"
IDEA_DELETED = "idea_deleted"
IDEA_RESTORED = "idea_restored"
IDEAS_MERGED = "ideas_merged"
IDEA_MOVED = "idea_moved"

COLLECT = ("collect",)
CLUSTER = ("cluster",)
EDITABLE_FIELDS = ("text", "category_id", "anonymous")


# --- Lookups and rules shared with clustering, voting and actions -----------------------------

def of_workshop(session: Session, model: type[T], workshop_id: int, row_id: int,
                noun: str) -> T:
    """The row ``row_id`` of ``model`` (an idea, cluster, column, action…) if it belongs to
    this workshop, else :class:`NotFound` — another workshop's is as unknown as a missing one."""
    row = session.get(model, row_id)
    if row is None or row.workshop_id != workshop_id:
        raise NotFound(f"There is no such {noun} in this workshop.")
    return row


def get_idea(session: Session, workshop_id: int, idea_id: int) -> Idea:
    """The idea ``idea_id`` of this workshop, or :class:`NotFound`."""
    return of_workshop(session, Idea, workshop_id, idea_id, "idea")


def is_on_board(idea: Idea) -> bool:
    """Whether the idea is neither withdrawn (deleted) nor merged into another."""
    return idea.deleted_at is None and idea.merged_into_id is None


def idea_on_board():
    """:func:`is_on_board` as a query condition on :class:`Idea` rows."""
    return and_(Idea.deleted_at.is_(None), Idea.merged_into_id.is_(None))


def ensure_on_board(idea: Idea, field: str = "idea_id") -> None:
    """Refuse with :class:`Invalid` an idea that was withdrawn or merged."""
    if not is_on_board(idea):
        raise Invalid("This idea was withdrawn or merged: restore it first.",
                      {field: "withdrawn or merged"})


def ensure_category(session: Session, workshop_id: int, category_id: int | None) -> None:
    """Refuse with :class:`NotFound` a ``category_id`` that is not a column of this workshop
    (another workshop's is as unknown as a missing one, as for ``create_idea``); ``None``, no
    column, is always fine."""
    if category_id is not None:
        of_workshop(session, Category, workshop_id, category_id, "category")


def is_author(identity: Identity, idea: Idea) -> bool:
    """Whether ``identity`` is the participant who wrote the idea."""
    return identity.is_participant and idea.participant_id == identity.participant_id


def ensure_author_or_staff(identity: Identity, idea: Idea, staff: bool) -> None:
    """Refuse with :class:`Forbidden` anyone but the idea's author and the workshop's staff."""
    if not staff and not is_author(identity, idea):
        raise Forbidden("Only the idea's author and this workshop's moderators and host may "
                        "do this.")


def ensure_arranging(state, staff: bool, doing: str) -> None:
    """Participants arrange the board (move, group, ungroup, rename clusters) only when the
    workshop lets everyone cluster (``forbidden`` otherwise), in its cluster step and while it
    is unlocked (``locked`` otherwise); the staff always may. ``state`` is a workshop or the
    row :func:`claim_seq` returned."""
    if staff:
        return
    if state.cluster_by != "everyone":
        raise Forbidden("In this workshop only the moderators and host arrange the ideas.")
    ensure_step(state, staff, CLUSTER, doing)


# --- Who sees what of an idea -----------------------------------------------------------------

def totals_hidden(state) -> bool:
    """Whether vote totals are withheld from everyone but the staff (secret, not revealed)."""
    return bool(state.votes_secret and not state.votes_revealed)


@dataclass(frozen=True)
class IdeaViews:
    """One idea as the staff, its author (``owner_id``, only while hidden) and the room see it."""

    staff: dict
    owner: dict
    room: dict
    owner_id: int | None


def idea_views(idea: Idea, state) -> IdeaViews:
    """The variants of an idea: totals only for the staff while secret; text and author only
    for the staff and the author while the idea is hidden."""
    shown = idea.to_json()
    readable = {**shown, "votes": None} if totals_hidden(state) else shown
    if idea.hidden:
        return IdeaViews(shown, readable, withheld_idea(readable), idea.participant_id)
    return IdeaViews(shown, readable, readable, None)


def idea_for(idea: Idea, state, identity: Identity, staff: bool) -> dict:
    """The idea as ``identity`` may see it (answers that change nothing)."""
    views = idea_views(idea, state)
    if staff:
        return views.staff
    if views.owner_id is not None and identity.participant_id == views.owner_id:
        return views.owner
    return views.room


def record_idea_change(session: Session, seq: int, name: str, idea: Idea, state, *,
                       key: str = "idea", extra: dict | None = None) -> Change:
    """Log a change ``{"workshop_id", "seq", **extra, key: idea}`` with the variants the
    idea's visibility requires (see :func:`idea_views`)."""
    views = idea_views(idea, state)
    base = {"workshop_id": idea.workshop_id, "seq": seq, **(extra or {})}
    payload = {**base, key: views.staff}
    withheld = {**base, key: views.room} if views.room != views.staff else None
    owner_payload = None
    if views.owner_id is not None and views.owner != views.staff:
        owner_payload = {**base, key: views.owner}
    return record_change(session, idea.workshop_id, seq, name, payload, withheld=withheld,
                         owner_id=views.owner_id, owner_payload=owner_payload)


def answer_of(change: Change, identity: Identity, staff: bool, key: str = "idea") -> dict:
    """The ack ``{"idea", "seq"}`` the sender gets: its own variant of the change."""
    seen = change.for_audience(Audience.of(identity, staff))
    return {"idea": seen[key], "seq": change.seq}


# --- update_idea ------------------------------------------------------------------------------

def update_idea(session: Session, identity: Identity, data: UpdateIdea,
                staff: bool) -> tuple[dict, Change | None]:
    """Change an idea's ``text``, column (``category_id``) or ``anonymous`` flag.

    Who: its author (the participant who wrote it) in the collect step while the workshop is
    unlocked; the staff in any step, also for moderators' and hosts' ideas. Sets
    ``updated_at`` and logs ``idea_updated {"workshop_id", "seq", "idea"}``, withheld from the
    room while the idea is hidden. Answers ``{"idea", "seq"}``; sending the values the idea
    already has changes nothing and answers the current ``seq``.
    """
    workshop = get_workshop(session, data.workshop_id)
    idea = get_idea(session, data.workshop_id, data.idea_id)
    ensure_author_or_staff(identity, idea, staff)
    ensure_step(workshop, staff, COLLECT, "editing ideas")
    ensure_on_board(idea)
    edits = idea_edits(session, idea, data)
    if not edits:
        return {"idea": idea_for(idea, workshop, identity, staff), "seq": workshop.seq}, None
    state = claim_seq(session, data.workshop_id)
    ensure_step(state, staff, COLLECT, "editing ideas")
    for name, value in edits.items():
        setattr(idea, name, value)
    idea.updated_at = utcnow()
    session.flush()
    change = record_idea_change(session, state.seq, IDEA_UPDATED, idea, state)
    return answer_of(change, identity, staff), change


def idea_edits(session: Session, idea: Idea, data: UpdateIdea) -> dict:
    """The fields ``data`` sets to a new value (a ``category_id`` must be this workshop's)."""
    wanted = {name: getattr(data, name) for name in EDITABLE_FIELDS
              if name in data.model_fields_set}
    if "category_id" in wanted:
        ensure_category(session, idea.workshop_id, wanted["category_id"])
    return {name: value for name, value in wanted.items() if getattr(idea, name) != value}


# --- delete_idea / restore_idea ---------------------------------------------------------------

def delete_idea(session: Session, identity: Identity, data: IdeaRef,
                staff: bool) -> tuple[dict, Change | None]:
    """Withdraw an idea (soft delete: ``deleted_at`` = now).

    Who: its author in the collect step while unlocked; the staff always. Logs
    ``idea_deleted {"workshop_id", "seq", "idea_id"}``; the room's snapshot leaves the idea
    out, the staff's keeps it flagged ``"deleted": true``. The idea keeps its cluster, so a
    restore puts it back. Answers ``{"idea_id", "seq"}``; an idea already deleted changes
    nothing.
    """
    workshop = get_workshop(session, data.workshop_id)
    idea = get_idea(session, data.workshop_id, data.idea_id)
    ensure_author_or_staff(identity, idea, staff)
    ensure_step(workshop, staff, COLLECT, "withdrawing ideas")
    if idea.deleted_at is not None:
        return {"idea_id": idea.id, "seq": workshop.seq}, None
    state = claim_seq(session, data.workshop_id)
    ensure_step(state, staff, COLLECT, "withdrawing ideas")
    idea.deleted_at = utcnow()
    idea.withdrawn_by_author = not staff
    session.flush()
    payload = {"workshop_id": data.workshop_id, "seq": state.seq, "idea_id": idea.id}
    change = record_change(session, data.workshop_id, state.seq, IDEA_DELETED, payload)
    return {"idea_id": idea.id, "seq": state.seq}, change


def restore_idea(session: Session, identity: Identity, data: IdeaRef,
                 staff: bool) -> tuple[dict, Change | None]:
    """Bring a withdrawn or merged idea back onto the board (clears ``deleted_at`` and
    ``merged_into``).

    Who: the staff; the author for an idea they withdrew themselves, in the collect step while
    unlocked (undoing a merge or a removal by the staff is the staff's: ``forbidden`` for the
    author). Restoring a
    merged idea does not move dots back: the votes it brought to the idea it was merged into
    stay there, and it returns with the votes it has now (none). An idea whose cluster was
    removed meanwhile comes back ungrouped. Logs ``idea_restored {"workshop_id", "seq",
    "idea"}`` (withheld from the room while hidden). Answers ``{"idea", "seq"}``; an idea on
    the board changes nothing.
    """
    workshop = get_workshop(session, data.workshop_id)
    idea = get_idea(session, data.workshop_id, data.idea_id)
    ensure_author_or_staff(identity, idea, staff)
    ensure_step(workshop, staff, COLLECT, "restoring ideas")
    if not staff and idea.merged_into_id is not None:
        raise Forbidden("Only this workshop's moderators and host may undo a merge.")
    if not staff and idea.deleted_at is not None and not idea.withdrawn_by_author:
        raise Forbidden("Only this workshop's moderators and host may restore an idea "
                        "they removed.")
    if is_on_board(idea):
        return {"idea": idea_for(idea, workshop, identity, staff), "seq": workshop.seq}, None
    state = claim_seq(session, data.workshop_id)
    ensure_step(state, staff, COLLECT, "restoring ideas")
    idea.deleted_at = None
    idea.withdrawn_by_author = False
    idea.merged_into_id = None
    if idea.cluster_id is not None and not cluster_on_board(session, idea.cluster_id):
        idea.cluster_id = None
    session.flush()
    change = record_idea_change(session, state.seq, IDEA_RESTORED, idea, state)
    return answer_of(change, identity, staff), change


def cluster_on_board(session: Session, cluster_id: int) -> bool:
    """Whether the cluster exists and was not removed."""
    cluster = session.get(Cluster, cluster_id)
    return cluster is not None and cluster.deleted_at is None


# --- merge_ideas ------------------------------------------------------------------------------

def merge_ideas(session: Session, identity: Identity, data: MergeIdeas,
                staff: bool) -> tuple[dict, Change]:
    """Fold the idea ``idea_id`` into ``into_id`` (staff only; the caller checks that).

    Both must be ideas of this workshop on the board, and different. The merged idea gets
    ``merged_into`` and leaves the room's board; every participant's dots on it move onto
    ``into_id`` (added to what they had there, even beyond the per-target cap) and both
    ideas' totals are recounted. Logs ``ideas_merged {"workshop_id", "seq", "idea_id",
    "into": idea}`` (``into`` withheld from the room while hidden, its total while secret).
    Answers ``{"idea": <the idea merged into>, "seq"}``.
    """
    idea = get_idea(session, data.workshop_id, data.idea_id)
    into = get_idea(session, data.workshop_id, data.into_id)
    if idea.id == into.id:
        raise Invalid("An idea cannot be merged into itself.", {"into_id": "same as idea_id"})
    ensure_on_board(idea, "idea_id")
    ensure_on_board(into, "into_id")
    state = claim_seq(session, data.workshop_id)
    idea.merged_into_id = into.id
    move_idea_votes(session, idea, into)
    session.flush()
    change = record_idea_change(session, state.seq, IDEAS_MERGED, into, state, key="into",
                                extra={"idea_id": idea.id})
    return answer_of(change, identity, staff, key="into"), change


def move_idea_votes(session: Session, source: Idea, target: Idea) -> None:
    """Move every dot on ``source`` onto ``target``, participant by participant, then recount
    both ideas' ``votes``."""
    query = select(Vote).where(Vote.workshop_id == source.workshop_id,
                               Vote.target_type == "idea", Vote.target_id == source.id)
    for vote in list(session.scalars(query)):
        kept = session.get(Vote, (vote.workshop_id, vote.participant_id, "idea", target.id))
        if kept is None:
            session.add(Vote(workshop_id=vote.workshop_id, participant_id=vote.participant_id,
                             target_type="idea", target_id=target.id, count=vote.count))
        else:
            kept.count += vote.count
        session.delete(vote)
    session.flush()
    for idea in (source, target):
        idea.votes = idea_total(session, idea)


def idea_total(session: Session, idea: Idea) -> int:
    """All participants' dots on an idea."""
    query = select(func.coalesce(func.sum(Vote.count), 0)).where(
        Vote.workshop_id == idea.workshop_id, Vote.target_type == "idea",
        Vote.target_id == idea.id)
    return int(session.scalar(query))


# --- move_idea --------------------------------------------------------------------------------

def move_idea(session: Session, identity: Identity, data: MoveIdea,
              staff: bool) -> tuple[dict, Change | None]:
    """Reorder an idea (``after_id``: right after that idea; ``null``: first) and/or move it to
    another column (``category_id``, ``null`` for none). Never changes its cluster.

    Who: the staff; participants when the workshop lets everyone cluster, in its cluster step
    while unlocked. The new ``position`` lies halfway between ``after_id`` and the idea that
    follows it (one past the last, one before the first). Logs ``idea_moved {"workshop_id",
    "seq", "idea"}`` (withheld from the room while hidden). Answers ``{"idea", "seq"}``; a
    move to where the idea already is changes nothing.
    """
    workshop = get_workshop(session, data.workshop_id)
    ensure_arranging(workshop, staff, "arranging ideas")
    idea = get_idea(session, data.workshop_id, data.idea_id)
    ensure_on_board(idea)
    moves = idea_moves(session, idea, data)
    if not moves:
        return {"idea": idea_for(idea, workshop, identity, staff), "seq": workshop.seq}, None
    state = claim_seq(session, data.workshop_id)
    ensure_arranging(state, staff, "arranging ideas")
    for name, value in moves.items():
        setattr(idea, name, value)
    session.flush()
    change = record_idea_change(session, state.seq, IDEA_MOVED, idea, state)
    return answer_of(change, identity, staff), change


def idea_moves(session: Session, idea: Idea, data: MoveIdea) -> dict:
    """The new ``position`` and ``category_id`` the move asks for, leaving out what stays."""
    moves: dict = {}
    if "category_id" in data.model_fields_set:
        ensure_category(session, idea.workshop_id, data.category_id)
        if data.category_id != idea.category_id:
            moves["category_id"] = data.category_id
    if "after_id" in data.model_fields_set:
        after = None
        if data.after_id is not None:
            after = get_idea(session, idea.workshop_id, data.after_id)
            if after.id == idea.id:
                raise Invalid("An idea cannot be placed after itself.",
                              {"after_id": "same as idea_id"})
            ensure_on_board(after, "after_id")
        position = position_after(session, idea, after)
        if position is not None:
            moves["position"] = position
    return moves


def position_after(session: Session, idea: Idea, after: Idea | None) -> float | None:
    """The position that puts ``idea`` right after ``after`` (first when ``None``) in the
    board's order (``position``, then ``id``), or ``None`` when it is there already.

    Positions are fractional: halfway between the two neighbours, so no other idea moves.
    """
    others = (Idea.workshop_id == idea.workshop_id, Idea.id != idea.id)
    before_idea = or_(Idea.position < idea.position,
                      and_(Idea.position == idea.position, Idea.id < idea.id))
    predecessor = session.scalars(
        select(Idea).where(*others, before_idea)
        .order_by(Idea.position.desc(), Idea.id.desc()).limit(1)).first()
    if predecessor is after:
        return None
    if after is None:
        first = session.scalars(
            select(Idea).where(*others).order_by(Idea.position, Idea.id).limit(1)).first()
        return first.position - 1.0
    behind_after = or_(Idea.position > after.position,
                       and_(Idea.position == after.position, Idea.id > after.id))
    following = session.scalars(
        select(Idea).where(*others, behind_after).order_by(Idea.position, Idea.id)
        .limit(1)).first()
    if following is None:
        return after.position + 1.0
    return (after.position + following.position) / 2
