"""Counting review verdicts: per action, in one workshop, one event or the whole register.
Plain queries on a Session; nothing here knows who reads (see
:mod:`pinnwand.board.visibility`)."""

from __future__ import annotations

from collections.abc import Iterable

from pinnwand.db import isoformat
from pinnwand.reviews.models import VERDICTS, ReviewVerdict
from pinnwand.workshops.models import Workshop
from sqlalchemy import select
from sqlalchemy.orm import Session


def no_verdicts() -> dict:
    """The counts of an action nobody reviewed yet."""
    return {verdict: 0 for verdict in VERDICTS}


def comment_json(row: ReviewVerdict) -> dict:
    """A comment as every output shows it: the verdict it came with, never who wrote it."""
    return {"verdict": row.verdict, "comment": row.comment, "at": isoformat(row.at)}


def _rows(session: Session, action_ids: Iterable[int], *where) -> list[ReviewVerdict]:
    ids = list(action_ids)
    if not ids:
        return []
    query = (select(ReviewVerdict).where(ReviewVerdict.action_id.in_(ids), *where)
             .order_by(ReviewVerdict.at, ReviewVerdict.id))
    return list(session.scalars(query))


def tallies(session: Session, action_ids: Iterable[int], *, workshop_id: int | None = None,
            event_id: int | None = None) -> dict[int, dict]:
    """Per action: ``{"action_id", "given", "review": counts, "comments": [comment_json]}``
    over the verdicts given in one workshop, in every workshop of one event, or (neither)
    anywhere. Every asked action is in the answer, with zeros when nobody reviewed it."""
    ids = list(action_ids)
    where = []
    if workshop_id is not None:
        where.append(ReviewVerdict.workshop_id == workshop_id)
    if event_id is not None:
        where.append(ReviewVerdict.workshop_id.in_(
            select(Workshop.id).where(Workshop.event_id == event_id)))
    answer = {i: {"action_id": i, "given": 0, "review": no_verdicts(), "comments": []}
              for i in ids}
    for row in _rows(session, ids, *where):
        tally = answer[row.action_id]
        tally["given"] += 1
        tally["review"][row.verdict] += 1
        if row.comment:
            tally["comments"].append(comment_json(row))
    return answer


def reviewed_actions(session: Session, event_id: int) -> list[int]:
    """The actions that got at least one verdict in a workshop of this event."""
    query = (select(ReviewVerdict.action_id).distinct()
             .join(Workshop, Workshop.id == ReviewVerdict.workshop_id)
             .where(Workshop.event_id == event_id))
    return list(session.scalars(query))
