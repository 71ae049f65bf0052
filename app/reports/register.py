"""The "Action register" section of a forum's report: the register of the event's series as it
stood at the end of the forum (the end of the event's day in the report's time zone, or now
when that is still to come or the event has no date). Reads the database; no Flask."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pinnwand.actions.models import Action
from pinnwand.db import utcnow
from pinnwand.events.models import Event
from pinnwand.reports.model import RegisterRow
from pinnwand.series.models import ActionCarry, ActionUpdate, series_events
from pinnwand.workshops.models import Workshop
from sqlalchemy import select
from sqlalchemy.orm import Session


def end_of_forum(event: Event, time_zone: str, now: datetime | None = None) -> datetime:
    """The moment the register's state is read at: the end of the event's day in
    ``time_zone``, or ``now`` when that lies ahead or the event has no date."""
    now = now or utcnow()
    if event.date is None:
        return now
    midnight = datetime.combine(event.date + timedelta(days=1), time(), ZoneInfo(time_zone))
    return min(now, midnight)


def _forums(session: Session, event: Event) -> list[int]:
    """The ids of the series' events up to this one: dated on or before its date (or, for an
    undated event, created before it), and itself."""
    series_id = session.scalar(select(series_events.c.series_id)
                               .where(series_events.c.event_id == event.id))
    if series_id is None:
        return []
    query = (select(Event.id, Event.date).join(series_events, series_events.c.event_id == Event.id)
             .where(series_events.c.series_id == series_id))
    return [eid for eid, day in session.execute(query)
            if eid == event.id or (event.date is None and eid < event.id)
            or (event.date is not None and day is not None and day <= event.date)]


def register_at_end(session: Session, event: Event, time_zone: str,
                    now: datetime | None = None) -> tuple[RegisterRow, ...]:
    """The register of the event's series at the end of the forum, by forum and position
    (empty when the event is in no series): every action agreed by then, not deleted, with
    its status, due date and latest update as they stood at that moment."""
    forums = _forums(session, event)
    if not forums:
        return ()
    cutoff = end_of_forum(event, time_zone, now)
    rows = session.execute(
        select(Action, Event.title).join(Workshop, Workshop.id == Action.workshop_id)
        .join(Event, Event.id == Workshop.event_id)
        .where(Event.id.in_(forums), Action.deleted_at.is_(None), Action.created_at <= cutoff)
        .order_by(Event.date.asc().nulls_last(), Event.id, Workshop.position, Workshop.id,
                  Action.position, Action.id)).all()
    ids = [action.id for action, _ in rows]
    updates = _by_action(session.scalars(select(ActionUpdate).where(
        ActionUpdate.action_id.in_(ids)).order_by(ActionUpdate.at, ActionUpdate.id)))
    carries = _by_action(session.scalars(select(ActionCarry).where(
        ActionCarry.action_id.in_(ids)).order_by(ActionCarry.at, ActionCarry.id)))
    here = set(session.scalars(select(Workshop.id).where(Workshop.event_id == event.id)))
    return tuple(_row(action, title, updates.get(action.id, []), carries.get(action.id, []),
                      cutoff, here) for action, title in rows)


def _by_action(rows) -> dict[int, list]:
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.action_id, []).append(row)
    return found


def _row(action: Action, event_title: str, updates: list[ActionUpdate],
         carries: list[ActionCarry], cutoff: datetime, here: set[int]) -> RegisterRow:
    """One action as it stood at ``cutoff``: the status of its last update by then (its
    status now when it was never updated; ``planned`` when every update came later), the due
    date before the first later carry, and this forum's decision about it."""
    before = [u for u in updates if u.at <= cutoff]
    status = before[-1].status if before else (action.status if not updates else "planned")
    later_carry = next((c for c in carries if c.at > cutoff), None)
    due = later_carry.due_before if later_carry else action.due
    decision = next((c.kind for c in carries if c.workshop_id in here and c.at <= cutoff),
                    None)
    latest = before[-1] if before else None
    return RegisterRow(id=action.id, title=action.title, event=event_title, status=status,
                       owner=action.owner, organisation=action.owner_organisation, due=due,
                       latest_note=latest.note if latest else None,
                       latest_at=latest.at if latest else None, decision=decision)
