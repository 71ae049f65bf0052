"""The report's "Review: which actions worked" section: the earlier forums' actions reviewed
at an event, with the verdicts and comments given there (never who gave them)."""

from __future__ import annotations

from pinnwand.actions.models import Action
from pinnwand.events.models import Event
from pinnwand.reports.model import ReviewComment, ReviewRow
from pinnwand.reviews.tallies import reviewed_actions, tallies
from pinnwand.workshops.models import Workshop
from sqlalchemy import select
from sqlalchemy.orm import Session


def review_rows(session: Session, event_id: int) -> list[ReviewRow]:
    """Every action that got a verdict at this event, in the register's order (its forum's
    date, the workshop's and the action's position), with this event's counts and comments
    and the action's status now."""
    ids = reviewed_actions(session, event_id)
    if not ids:
        return []
    counted = tallies(session, ids, event_id=event_id)
    query = (select(Action, Event.title)
             .join(Workshop, Workshop.id == Action.workshop_id)
             .join(Event, Event.id == Workshop.event_id)
             .where(Action.id.in_(ids))
             .order_by(Event.date.asc().nulls_last(), Event.id, Workshop.position,
                       Workshop.id, Action.position, Action.id))
    return [_row(action, forum, counted[action.id]) for action, forum in session.execute(query)]


def _row(action: Action, forum: str, tally: dict) -> ReviewRow:
    review = tally["review"]
    return ReviewRow(action_id=action.id, title=action.title, status=action.status,
                     forum=forum, worked=review["worked"], partly=review["partly"],
                     not_=review["not"], unsure=review["unsure"],
                     comments=tuple(ReviewComment(c["verdict"], c["comment"])
                                    for c in tally["comments"]))
