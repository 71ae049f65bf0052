"""Counting review verdicts: per action, in one workshop, one event or the whole register.
Plain queries on a Session; nothing here knows who reads (see
:mod:`pinnwand.board.visibility`)."""

from __future__ import annotations

from collections.abc import Iterable

from pinnwand.db import isoformat
from pinnwand.reviews.models import VERDICTS, ReviewVerdict
from pinnwand.workshops.models import Workshop
from sqlalchemy import func, select
from sqlalchemy.orm import Session


def no_verdicts() -> dict:
    """The counts of an action nobody reviewed yet."""
    return {verdict: 0 for verdict in VERDICTS}


def comment_json(verdict: str, comment: str, at) -> dict:
    """A comment as every output shows it: the verdict it came with, never who wrote it."""
    return {"verdict": verdict, "comment": comment, "at": isoformat(at)}


def _scope(action_ids: list[int], workshop_id: int | None, event_id: int | None) -> list:
    """The conditions selecting the verdicts on these actions in one workshop, one event's
    workshops, or (neither) anywhere."""
    where = [ReviewVerdict.action_id.in_(action_ids)]
    if workshop_id is not None:
        where.append(ReviewVerdict.workshop_id == workshop_id)
    if event_id is not None:
        where.append(ReviewVerdict.workshop_id.in_(
            select(Workshop.id).where(Workshop.event_id == event_id)))
    return where


def tallies(session: Session, action_ids: Iterable[int], *, workshop_id: int | None = None,
            event_id: int | None = None) -> dict[int, dict]:
    """Per action: ``{"action_id", "given", "review": counts, "comments": [comment_json]}``
    over the verdicts given in one workshop, in every workshop of one event, or (neither)
    anywhere. Every asked action is in the answer, with zeros when nobody reviewed it. Two
    statements: the counts grouped in the database, the comments oldest first."""
    ids = list(action_ids)
    answer = {i: {"action_id": i, "given": 0, "review": no_verdicts(), "comments": []}
              for i in ids}
    if not ids:
        return answer
    where = _scope(ids, workshop_id, event_id)
    counts = (select(ReviewVerdict.action_id, ReviewVerdict.verdict, func.count())
              .where(*where).group_by(ReviewVerdict.action_id, ReviewVerdict.verdict))
    for action_id, verdict, count in session.execute(counts):
        answer[action_id]["given"] += count
        answer[action_id]["review"][verdict] += count
    comments = (select(ReviewVerdict.action_id, ReviewVerdict.verdict, ReviewVerdict.comment,
                       ReviewVerdict.at)
                .where(*where, ReviewVerdict.comment.is_not(None))
                .order_by(ReviewVerdict.at, ReviewVerdict.id))
    for action_id, verdict, comment, at in session.execute(comments):
        answer[action_id]["comments"].append(comment_json(verdict, comment, at))
    return answer


def reviewed_actions(session: Session, event_id: int) -> list[int]:
    """The actions that got at least one verdict in a workshop of this event."""
    query = (select(ReviewVerdict.action_id).distinct()
             .join(Workshop, Workshop.id == ReviewVerdict.workshop_id)
             .where(Workshop.event_id == event_id))
    return list(session.scalars(query))
