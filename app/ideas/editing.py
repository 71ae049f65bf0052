"""Curating ideas on a workshop's board: edit, withdraw, restore, merge and move; no Flask.

Every service validates before it changes anything: an unknown idea or category, or one of
another workshop, is ``not_found``, a withdrawn or merged idea ``invalid``, someone who may
never do this ``forbidden``, a participant outside the step (or while the workshop is
locked) ``locked``. When nothing would change it answers the current state without taking a ``seq``;
otherwise it takes the workshop's next ``seq`` (:func:`claim_seq`), re-checks the step on the
row it claimed, changes the rows and returns ``(ack data, Change)``: the caller publishes the
change after the commit.

What each audience sees of the idea in a change (and in the ack) is the one rule of
:func:`pinnwand.board.visibility.idea_view`.
"""

from __future__ import annotations

from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, numbered, shared
from pinnwand.board.names import (
    IDEA_DELETED,
    IDEA_MOVED,
    IDEA_RESTORED,
    IDEA_UPDATED,
    IDEAS_MERGED,
)
from pinnwand.board.rules import COLLECT, ensure_arranging, ensure_step
from pinnwand.board.seq import claim_seq
from pinnwand.board.visibility import Audience, idea_view
from pinnwand.clusters.models import Cluster
from pinnwand.db import utcnow
from pinnwand.errors import Forbidden, Invalid
from pinnwand.ideas.edit_schemas import IdeaRef, MergeIdeas, MoveIdea, UpdateIdea
from pinnwand.ideas.lookups import ensure_on_board, get_idea, is_on_board
from pinnwand.ideas.models import Idea
from pinnwand.ideas.services import ensure_category
from pinnwand.votes.models import Vote
from pinnwand.workshops.services import get_workshop
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

EDITABLE_FIELDS = ("text", "category_id", "anonymous")


# --- Rules of curating --------------------------------------------------------------------------

def is_author(identity: Identity, idea: Idea) -> bool:
    """Whether ``identity`` is the participant who wrote the idea."""
    return identity.is_participant and idea.participant_id == identity.participant_id


def wrote(identity: Identity, idea: Idea) -> bool:
    """Whether ``identity`` wrote the idea: the participant, or the moderator, who posted it
    (a host's ideas name no one who could prove it)."""
    if identity.is_moderator:
        return idea.moderator_id is not None and idea.moderator_id == identity.moderator_id
    return is_author(identity, idea)


def ensure_anonymity_kept(identity: Identity, idea: Idea, edits: dict) -> None:
    """Anonymity is one-way for everyone but the author: only whoever wrote an anonymous idea
    may put their name back on it (:class:`Forbidden` for the staff, whose edit would
    broadcast the name)."""
    if edits.get("anonymous") is False and not wrote(identity, idea):
        raise Forbidden("Only its author may put their name on an anonymous idea.",
                        {"anonymous": "only the author may undo this"})


def ensure_author_or_staff(identity: Identity, idea: Idea, staff: bool) -> None:
    """Refuse with :class:`Forbidden` anyone but the idea's author and the workshop's staff."""
    if not staff and not is_author(identity, idea):
        raise Forbidden("Only the idea's author and this workshop's moderators and host may "
                        "do this.")


# --- Who sees what of an idea -----------------------------------------------------------------

def idea_for(idea: Idea, state, identity: Identity, staff: bool) -> dict:
    """The idea as ``identity`` may see it (answers that change nothing)."""
    return idea_view(idea.to_json(), idea.participant_id, Audience.of(identity, staff), state)


def record_idea_change(session: Session, seq: int, name: str, idea: Idea, state, *,
                       key: str = "idea", extra: dict | None = None) -> Change:
    """Log a change ``{"workshop_id", "seq", **extra, key: idea}``, the idea as each audience
    may see it (see :func:`pinnwand.board.visibility.idea_view`)."""
    shown = idea.to_json()

    def view(audience: Audience) -> dict:
        return {"workshop_id": idea.workshop_id, "seq": seq, **(extra or {}),
                key: idea_view(shown, idea.participant_id, audience, state)}

    return numbered(session, idea.workshop_id, seq, name, view, owner_id=idea.participant_id)


def answer_of(change: Change, identity: Identity, staff: bool, key: str = "idea") -> dict:
    """The ack ``{"idea", "seq"}`` the sender gets: its own variant of the change."""
    seen = change.for_audience(Audience.of(identity, staff))
    return {"idea": seen[key], "seq": change.seq}


# --- update_idea ------------------------------------------------------------------------------

def update_idea(session: Session, identity: Identity, data: UpdateIdea,
                staff: bool) -> tuple[dict, Change | None]:
    """Change an idea's ``text``, column (``category_id``) or ``anonymous`` flag.

    Who: its author (the participant who wrote it) in the collect step while the workshop is
    unlocked; the staff in any step, also for moderators' and hosts' ideas — but only its
    author may make an anonymous idea named again (else ``forbidden``). Sets
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
    ensure_anonymity_kept(identity, idea, edits)
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
    change = shared(session, data.workshop_id, state.seq, IDEA_DELETED, payload)
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
