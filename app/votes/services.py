"""Dot voting: each participant's dots on ideas and clusters within the workshop's budget;
no Flask.

A participant's dots on one target are *set*, not added, so a retry changes nothing. Only dots
on targets still on the board (ideas neither deleted nor merged, clusters not deleted) count
against the budget: dots left on a target the staff removed are given back. The aggregate
``votes`` of the idea or cluster is kept in step in the same transaction.
"""

from __future__ import annotations

from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, numbered, shared
from pinnwand.board.names import VOTES_CHANGED, VOTES_REVEALED
from pinnwand.board.rules import VOTE, ensure_step
from pinnwand.board.seq import claim_seq
from pinnwand.board.visibility import Audience, vote_view
from pinnwand.clusters.models import Cluster
from pinnwand.errors import Invalid, NotFound
from pinnwand.ideas.lookups import idea_on_board
from pinnwand.ideas.models import Idea
from pinnwand.votes.models import Vote
from pinnwand.votes.schemas import CastVote, RevealVotes
from pinnwand.workshops.models import Workshop
from pinnwand.workshops.services import get_workshop
from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

TARGET_MODELS = {"idea": Idea, "cluster": Cluster}


def _on_board(target_type: str):
    """The condition that an idea or cluster (of ``target_type``) is still on the board."""
    if target_type == "idea":
        return idea_on_board()
    return Cluster.deleted_at.is_(None)


def _vote_on_board():
    """The condition that a :class:`Vote` row's target is still on the board."""
    return or_(
        and_(Vote.target_type == "idea",
             exists().where(Idea.id == Vote.target_id, _on_board("idea"))),
        and_(Vote.target_type == "cluster",
             exists().where(Cluster.id == Vote.target_id, _on_board("cluster"))),
    )


def _voter_rows(workshop_id: int, participant_id: int):
    """The condition selecting one participant's vote rows in one workshop."""
    return and_(Vote.workshop_id == workshop_id, Vote.participant_id == participant_id)


def my_votes(session: Session, workshop, participant_id: int | None) -> dict:
    """A participant's dots in a workshop and how many of the budget remain
    (``{"votes": [{"target_type", "target_id", "count"}], "remaining"}``)."""
    if participant_id is None:
        return {"votes": [], "remaining": None}
    query = (select(Vote).where(_voter_rows(workshop.id, participant_id), Vote.count > 0,
                                _vote_on_board())
             .order_by(Vote.target_type, Vote.target_id))
    votes = [{"target_type": v.target_type, "target_id": v.target_id, "count": v.count}
             for v in session.scalars(query)]
    used = sum(v["count"] for v in votes)
    return {"votes": votes, "remaining": max(0, workshop.vote_budget - used)}


def dots_on(session: Session, data: CastVote, participant_id: int) -> int:
    """The dots this participant has on the vote's target now (0 when none)."""
    query = select(Vote.count).where(
        _voter_rows(data.workshop_id, participant_id),
        Vote.target_type == data.target_type, Vote.target_id == data.target_id)
    return session.scalar(query) or 0


def dots_elsewhere(session: Session, data: CastVote, participant_id: int) -> int:
    """The participant's dots on every other target still on the board of the workshop."""
    other_target = or_(Vote.target_type != data.target_type, Vote.target_id != data.target_id)
    query = select(func.coalesce(func.sum(Vote.count), 0)).where(
        _voter_rows(data.workshop_id, participant_id), other_target, _vote_on_board())
    return session.scalar(query) or 0


def ensure_target(session: Session, workshop_id: int, target_type: str, target_id: int) -> None:
    """Refuse with :class:`NotFound` unless the idea or cluster is on this workshop's board."""
    model = TARGET_MODELS[target_type]
    query = select(model.id).where(model.id == target_id, model.workshop_id == workshop_id,
                                   _on_board(target_type))
    if session.scalar(query) is None:
        raise NotFound(f"There is no such {target_type} on this workshop's board.")


def ensure_count_allowed(state, count: int, elsewhere: int) -> None:
    """Refuse with :class:`Invalid` a count above the per-target cap or beyond the budget."""
    if count > state.vote_max_per_target:
        raise Invalid(f"At most {state.vote_max_per_target} dots per idea or cluster.",
                      {"count": f"at most {state.vote_max_per_target}"})
    if elsewhere + count > state.vote_budget:
        left = max(0, state.vote_budget - elsewhere)
        raise Invalid(f"That is over your budget of {state.vote_budget} dots: you have "
                      f"{left} left for this one.", {"count": f"at most {left}"})


def _store_dots(session: Session, data: CastVote, participant_id: int, previous: int) -> None:
    """Insert, update or (for 0 dots) delete the participant's vote row."""
    key = (_voter_rows(data.workshop_id, participant_id),
           Vote.target_type == data.target_type, Vote.target_id == data.target_id)
    if data.count == 0:
        session.execute(delete(Vote).where(*key))
    elif previous == 0:
        session.execute(delete(Vote).where(*key))  # a row left holding 0 dots, if any
        session.execute(insert(Vote).values(
            workshop_id=data.workshop_id, participant_id=participant_id,
            target_type=data.target_type, target_id=data.target_id, count=data.count))
    else:
        session.execute(update(Vote).where(*key).values(count=data.count))


def _add_to_total(session: Session, target_type: str, target_id: int, delta: int) -> int:
    """Change the target's aggregate ``votes`` by ``delta`` in the database; its new total."""
    model = TARGET_MODELS[target_type]
    statement = (update(model).where(model.id == target_id)
                 .values(votes=model.votes + delta).returning(model.votes))
    return session.execute(statement).scalar_one()


def _answer(data: CastVote, remaining: int, seq: int) -> dict:
    """The ``vote`` ack: the sender's dots on the target, what is left of the budget, ``seq``."""
    return {"target_type": data.target_type, "target_id": data.target_id, "count": data.count,
            "remaining": max(0, remaining), "seq": seq}


def cast_vote(session: Session, identity: Identity, data: CastVote) -> tuple[dict, Change | None]:
    """Set a participant's dots on an idea or cluster (participants who joined, in the vote
    step, while unlocked; the caller has checked that the sender is such a participant).

    Checks the step, the target, the per-target cap and the budget; the same count as before
    is a no-op (no ``seq``, no change). Otherwise stores the dots, moves the target's total by
    the difference and numbers ``votes_changed {"workshop_id", "seq", "target_type",
    "target_id", "votes"}``. While votes are secret the room's variant is ``{"workshop_id",
    "seq", "hidden": true}`` and the voter's own adds ``"target_type", "target_id", "mine"``.
    Returns ``(ack data, change or None)``.
    """
    participant_id = identity.participant_id
    workshop = get_workshop(session, data.workshop_id)
    ensure_step(workshop, False, VOTE, "voting")
    ensure_target(session, data.workshop_id, data.target_type, data.target_id)
    elsewhere = dots_elsewhere(session, data, participant_id)
    if dots_on(session, data, participant_id) == data.count:
        return _answer(data, workshop.vote_budget - elsewhere - data.count, workshop.seq), None
    ensure_count_allowed(workshop, data.count, elsewhere)
    state = claim_seq(session, data.workshop_id)
    ensure_step(state, False, VOTE, "voting")
    # Read again under the workshop's row lock: another process may have voted meanwhile.
    elsewhere = dots_elsewhere(session, data, participant_id)
    ensure_count_allowed(state, data.count, elsewhere)
    previous = dots_on(session, data, participant_id)
    _store_dots(session, data, participant_id, previous)
    total = _add_to_total(session, data.target_type, data.target_id, data.count - previous)
    return (_answer(data, state.vote_budget - elsewhere - data.count, state.seq),
            _votes_changed(session, data, state, total, participant_id))


def _votes_changed(session: Session, data: CastVote, state, total: int,
                   voter_id: int) -> Change:
    """Log ``votes_changed``, as each audience may see it (see
    :func:`pinnwand.board.visibility.vote_view`): withheld from everyone but the staff and the
    voter while totals are secret."""
    payload = {"workshop_id": data.workshop_id, "seq": state.seq,
               "target_type": data.target_type, "target_id": data.target_id, "votes": total}

    def view(audience: Audience) -> dict:
        return vote_view(payload, voter_id, data.count, audience, state)

    return numbered(session, data.workshop_id, state.seq, VOTES_CHANGED, view,
                    owner_id=voter_id)


def totals(session: Session, workshop_id: int) -> dict:
    """The totals of every idea and cluster on the board:
    ``{"ideas": [{"id", "votes"}], "clusters": [{"id", "votes"}]}``."""
    ideas = session.execute(select(Idea.id, Idea.votes).where(
        Idea.workshop_id == workshop_id, _on_board("idea")).order_by(Idea.id))
    clusters = session.execute(select(Cluster.id, Cluster.votes).where(
        Cluster.workshop_id == workshop_id, _on_board("cluster")).order_by(Cluster.id))
    return {"ideas": [{"id": i, "votes": v} for i, v in ideas],
            "clusters": [{"id": i, "votes": v} for i, v in clusters]}


def reveal_votes(session: Session, data: RevealVotes) -> tuple[dict, Change | None]:
    """Publish the totals (the workshop's staff; the caller has checked that).

    Sets ``votes_revealed`` and numbers ``votes_revealed {"workshop_id", "seq", "ideas":
    [{"id", "votes"}], "clusters": [{"id", "votes"}]}`` with everything on the board. Already
    revealed: a no-op answering the current ``seq``. Returns ``({"seq"}, change or None)``.
    """
    workshop = get_workshop(session, data.workshop_id)
    if workshop.votes_revealed:
        return {"seq": workshop.seq}, None
    state = claim_seq(session, data.workshop_id)
    session.execute(update(Workshop).where(Workshop.id == data.workshop_id)
                    .values(votes_revealed=True))
    payload = {"workshop_id": data.workshop_id, "seq": state.seq,
               **totals(session, data.workshop_id)}
    change = shared(session, data.workshop_id, state.seq, VOTES_REVEALED, payload)
    return {"seq": state.seq}, change
