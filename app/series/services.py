"""Series, their moderators and the action register; plain functions on a Session, no Flask.

The register of a series is every action (not deleted) of a workshop of one of its events,
read live: there is no copy to drift from the boards. Moderators and the holders of an
action's personal link move its ``status`` on with dated updates (:class:`ActionUpdate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pinnwand.actions.models import Action, Contributor
from pinnwand.actions.services import action_json
from pinnwand.auth.identity import UPDATER, Identity
from pinnwand.auth.models import Token
from pinnwand.auth.services import issue_update_token
from pinnwand.clusters.models import Cluster
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import Forbidden, NotFound
from pinnwand.events.models import Event, event_moderators
from pinnwand.ideas.models import Idea
from pinnwand.reviews.tallies import tallies
from pinnwand.series.models import (
    ActionCarry,
    ActionUpdate,
    Series,
    UpdateLink,
    series_events,
    series_moderators,
)
from pinnwand.workshops.models import Workshop
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

STATUSES = ("planned", "running", "done", "dropped")
OPEN_STATUSES = ("planned", "running")
SORTS = ("event", "due", "status", "title", "updated")
NO_REVIEW = {"worked": 0, "partly": 0, "not": 0, "unsure": 0}


# -- series ------------------------------------------------------------------------------------


def create_series(session: Session, moderator_id: int, title: str) -> Series:
    """A new series; its creator becomes its moderator."""
    series = Series(title=title, created_by=moderator_id)
    session.add(series)
    session.flush()
    session.execute(series_moderators.insert().values(series_id=series.id,
                                                      moderator_id=moderator_id))
    return series


def is_series_moderator(session: Session, moderator_id: int, series_id: int) -> bool:
    """Whether this moderator created the series or runs one of its events."""
    own = exists().where(series_moderators.c.series_id == series_id,
                         series_moderators.c.moderator_id == moderator_id)
    runs_event = exists().where(event_moderators.c.moderator_id == moderator_id,
                                event_moderators.c.event_id == series_events.c.event_id,
                                series_events.c.series_id == series_id)
    return bool(session.scalar(select(or_(own, runs_event))))


def moderated_series(session: Session, identity: Identity, series_id: int) -> Series:
    """The series if ``identity`` is one of its moderators; else 404 (none) or 403."""
    series = session.get(Series, series_id)
    if series is None:
        raise NotFound("There is no such series.")
    if not (identity.is_moderator
            and is_series_moderator(session, identity.moderator_id, series_id)):
        raise Forbidden("Only this series' moderators may do this.")
    return series


def list_series(session: Session, moderator_id: int) -> list[Series]:
    """Every series this moderator moderates, by title."""
    own = select(series_moderators.c.series_id).where(
        series_moderators.c.moderator_id == moderator_id)
    via_events = (select(series_events.c.series_id)
                  .join(event_moderators,
                        event_moderators.c.event_id == series_events.c.event_id)
                  .where(event_moderators.c.moderator_id == moderator_id))
    query = select(Series).where(or_(Series.id.in_(own), Series.id.in_(via_events)))
    return list(session.scalars(query.order_by(Series.title, Series.id)))


def events_of(session: Session, series_id: int) -> list[Event]:
    """The series' events by date (undated last), then by id."""
    query = (select(Event).join(series_events, series_events.c.event_id == Event.id)
             .where(series_events.c.series_id == series_id)
             .order_by(Event.date.asc().nulls_last(), Event.id))
    return list(session.scalars(query))


def series_json(session: Session, series: Series) -> dict:
    """``{"id", "title", "events": [{"id", "title", "date"}]}``."""
    return {"id": series.id, "title": series.title,
            "events": [{"id": e.id, "title": e.title,
                        "date": e.date.isoformat() if e.date else None}
                       for e in events_of(session, series.id)]}


# -- the register ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterQuery:
    """What part of the register to show and in which order (``GET …/actions`` arguments)."""

    statuses: tuple[str, ...] = ()
    event_id: int | None = None
    words: tuple[str, ...] = ()
    sort: str = "event"


@dataclass
class _Entry:
    action: Action
    event: Event
    workshop: Workshop
    series_id: int | None
    contributors: list[Contributor] = field(default_factory=list)
    updates: list[ActionUpdate] = field(default_factory=list)
    carries: list[ActionCarry] = field(default_factory=list)


def register(session: Session, series_id: int,
             query: RegisterQuery | None = None) -> list[dict]:
    """The series' register entries that match ``query`` (all, by forum), in its order."""
    query = query or RegisterQuery()
    entries = _entries(session, _rows().where(series_events.c.series_id == series_id,
                                              Action.deleted_at.is_(None)))
    chosen = _ordered([e for e in entries if _matches(e, query)], query.sort)
    sources = _sources(session, chosen)
    reviews = tallies(session, [e.action.id for e in chosen])
    return [entry_json(e, sources, reviews) for e in chosen]


def _rows():
    """Actions with their workshop, event and series id (``None``: not in a series)."""
    return (select(Action, Workshop, Event, series_events.c.series_id)
            .join(Workshop, Workshop.id == Action.workshop_id)
            .join(Event, Event.id == Workshop.event_id)
            .outerjoin(series_events, series_events.c.event_id == Event.id))


def _entries(session: Session, statement) -> list[_Entry]:
    """Register entries of the rows of :func:`_rows` with their contributors and updates."""
    entries = [_Entry(action, event, workshop, series_id)
               for action, workshop, event, series_id in session.execute(statement)]
    by_id = {e.action.id: e for e in entries}
    if by_id:
        for contributor in session.scalars(select(Contributor).where(
                Contributor.action_id.in_(by_id)).order_by(Contributor.id)):
            by_id[contributor.action_id].contributors.append(contributor)
        for update in session.scalars(select(ActionUpdate).where(
                ActionUpdate.action_id.in_(by_id)).order_by(ActionUpdate.at, ActionUpdate.id)):
            by_id[update.action_id].updates.append(update)
        for carry in session.scalars(select(ActionCarry).where(
                ActionCarry.action_id.in_(by_id)).order_by(ActionCarry.at, ActionCarry.id)):
            by_id[carry.action_id].carries.append(carry)
    return entries


def _searchable(entry: _Entry) -> str:
    action = entry.action
    parts = [action.title, action.what, action.owner, action.prospects,
             *(c.name for c in entry.contributors), *(c.brings for c in entry.contributors),
             *(u.note for u in entry.updates)]
    return " ".join(p for p in parts if p).casefold()


def _matches(entry: _Entry, query: RegisterQuery) -> bool:
    if query.statuses and entry.action.status not in query.statuses:
        return False
    if query.event_id is not None and entry.event.id != query.event_id:
        return False
    text = _searchable(entry) if query.words else ""
    return all(word in text for word in query.words)


def _event_order(entry: _Entry) -> tuple:
    event = entry.event
    return (event.date is None, event.date or 0, event.id, entry.workshop.position,
            entry.workshop.id, entry.action.position, entry.action.id)


def _latest(entry: _Entry) -> str:
    moment = entry.updates[-1].at if entry.updates else entry.action.created_at
    return isoformat(moment) or ""


_SORT_KEYS = {
    "due": lambda e: (e.action.due is None, e.action.due or 0),
    "status": lambda e: STATUSES.index(e.action.status),
    "title": lambda e: e.action.title.casefold(),
}


def _ordered(entries: list[_Entry], sort: str) -> list[_Entry]:
    """The entries by forum (its date, the workshop's and the action's position), then
    (stably) by ``sort``: ``due`` (undated last), ``status`` (planned first), ``title``, or
    ``updated`` (the latest update, or the action's creation, newest first)."""
    ordered = sorted(entries, key=_event_order)
    if sort == "updated":
        ordered.sort(key=_latest, reverse=True)
    elif sort in _SORT_KEYS:
        ordered.sort(key=_SORT_KEYS[sort])
    return ordered


def _sources(session: Session, entries: list[_Entry]) -> dict[str, dict[int, str]]:
    """The texts of the ideas and titles of the clusters the entries came from."""
    idea_ids = {i for e in entries for i in (e.action.idea_ids or [])}
    cluster_ids = {i for e in entries for i in (e.action.cluster_ids or [])}
    ideas = dict(session.execute(select(Idea.id, Idea.text).where(Idea.id.in_(idea_ids)))
                 .all()) if idea_ids else {}
    clusters = dict(session.execute(select(Cluster.id, Cluster.title)
                                    .where(Cluster.id.in_(cluster_ids))).all()) \
        if cluster_ids else {}
    return {"ideas": ideas, "clusters": clusters}


def update_json(update: ActionUpdate) -> dict:
    """One entry of an action's log."""
    return {"id": update.id, "status": update.status, "note": update.note, "link": update.link,
            "at": isoformat(update.at), "by": update.by}


def carry_json(carry: ActionCarry) -> dict:
    """A later forum's decision about the action (see :mod:`pinnwand.series.carrying`)."""
    return {"workshop_id": carry.workshop_id, "kind": carry.kind,
            "due_before": carry.due_before.isoformat() if carry.due_before else None,
            "due": carry.due.isoformat() if carry.due else None, "reason": carry.reason,
            "at": isoformat(carry.at)}


def entry_json(entry: _Entry, sources: dict[str, dict[int, str]],
               reviews: dict[int, dict] | None = None) -> dict:
    """An action in the register: the board's action plus its event, series, status, log and
    review verdicts (``review`` counts, zero until reviewed, and ``review_comments``, without
    names), and the texts of its sources."""
    answer = action_json(entry.action, entry.contributors)
    tally = (reviews or {}).get(entry.action.id)
    answer.update({
        "event_id": entry.event.id,
        "series_id": entry.series_id,
        "status": entry.action.status,
        "updates": [update_json(u) for u in entry.updates],
        "carried": [carry_json(c) for c in entry.carries],
        "review": tally["review"] if tally else dict(NO_REVIEW),
        "review_comments": tally["comments"] if tally else [],
        "event": {"id": entry.event.id, "title": entry.event.title,
                  "date": entry.event.date.isoformat() if entry.event.date else None},
        "workshop": {"id": entry.workshop.id, "title": entry.workshop.title},
        "sources": {
            "ideas": [{"id": i, "text": sources["ideas"][i]}
                      for i in entry.action.idea_ids or [] if i in sources["ideas"]],
            "clusters": [{"id": i, "title": sources["clusters"][i]}
                         for i in entry.action.cluster_ids or [] if i in sources["clusters"]],
        },
    })
    return answer


# -- the review step of a later forum (pinnwand.reviews) --------------------------------------


def earlier_events(session: Session, event_id: int) -> tuple[int | None, list[int]]:
    """The event's series (``None``: in none) and the ids of the series' forums before it, in
    the register's order (by date, undated last, then by id)."""
    series_id = session.scalar(select(series_events.c.series_id)
                               .where(series_events.c.event_id == event_id))
    if series_id is None:
        return None, []
    ids = [event.id for event in events_of(session, series_id)]
    return series_id, ids[:ids.index(event_id)] if event_id in ids else []


def open_entries(session: Session, event_ids: list[int]) -> list[_Entry]:
    """The open actions (``planned``/``running``, not deleted) agreed at these events, in the
    register's order, with their updates."""
    if not event_ids:
        return []
    statement = _rows().where(Event.id.in_(event_ids), Action.deleted_at.is_(None),
                              Action.status.in_(OPEN_STATUSES))
    return _ordered(_entries(session, statement), "event")


# -- one action --------------------------------------------------------------------------------


def _entry_of(session: Session, action_id: int) -> _Entry:
    """The register entry of one action (not deleted), or :class:`NotFound`."""
    entries = _entries(session, _rows().where(Action.id == action_id,
                                              Action.deleted_at.is_(None)))
    if not entries:
        raise NotFound("There is no such action.")
    return entries[0]


def may_manage(session: Session, identity: Identity, entry: _Entry) -> bool:
    """Whether ``identity`` is a moderator of the entry's event or of its series."""
    if not identity.is_moderator:
        return False
    from_event = session.scalar(select(exists().where(
        event_moderators.c.event_id == entry.event.id,
        event_moderators.c.moderator_id == identity.moderator_id)))
    if from_event:
        return True
    return entry.series_id is not None and is_series_moderator(
        session, identity.moderator_id, entry.series_id)


def managed_entry(session: Session, identity: Identity, action_id: int) -> _Entry:
    """The action's register entry for a moderator of its event or series; 404 / 403."""
    entry = _entry_of(session, action_id)
    if not may_manage(session, identity, entry):
        raise Forbidden("Only the moderators of this action's event or series may do this.")
    return entry


def ensure_own_action(identity: Identity, action_id: int) -> None:
    """A personal link reaches its own action only: any other is ``forbidden`` (before the
    request is read or anything looked up)."""
    if identity.is_updater and identity.action_id != action_id:
        raise Forbidden("This link belongs to another action.")


def reachable_entry(session: Session, identity: Identity, action_id: int) -> _Entry:
    """The entry for a moderator (as :func:`managed_entry`) or the action's own personal
    link."""
    if identity.is_updater:
        ensure_own_action(identity, action_id)
        return _entry_of(session, action_id)
    return managed_entry(session, identity, action_id)


def action_view(session: Session, identity: Identity, action_id: int) -> dict:
    """An action as the caller may see it: the full register entry for its moderators; for
    its personal link what the phone page shows, without the names of contributors and the
    texts it came from."""
    entry = reachable_entry(session, identity, action_id)
    full = entry_json(entry, _sources(session, [entry]), tallies(session, [entry.action.id]))
    if not identity.is_updater:
        return full
    shown = ("id", "title", "what", "owner", "owner_organisation", "due", "prospects",
             "status", "updates", "event", "workshop", "event_id", "series_id")
    return {key: full[key] for key in shown} | {"link_name": identity.name or None}


def add_update(session: Session, identity: Identity, action_id: int, status: str,
               note: str | None, link: str | None) -> dict:
    """Log a dated update and set the action's status (its personal link, or a moderator of
    its event or series). Returns the update."""
    entry = reachable_entry(session, identity, action_id)
    update = ActionUpdate(action_id=entry.action.id, status=status, note=note or None,
                          link=link or None, by=identity.name[:80] if identity.name else None,
                          token_id=identity.token_id if identity.is_updater else None,
                          at=utcnow())
    entry.action.status = status
    session.add(update)
    session.flush()
    return update_json(update)


# -- personal update links ---------------------------------------------------------------------


def create_update_link(session: Session, identity: Identity, action_id: int, name: str | None,
                       days: int, email: str | None = None) -> tuple[str, Token]:
    """A personal link for one action (a moderator of its event or series), with the address
    its reminders go to (optional): the raw token (shown once) and its row."""
    entry = managed_entry(session, identity, action_id)
    raw, token = issue_update_token(session, action_id=entry.action.id, name=name, days=days)
    session.get(UpdateLink, token.id).email = email
    return raw, token


def update_link_json(token: Token, email: str | None = None) -> dict:
    """A personal link as its moderators see it (never the token itself)."""
    return {"id": token.id, "name": token.name or None, "email": email,
            "created_at": isoformat(token.created_at),
            "expires_at": isoformat(token.expires_at), "revoked": token.revoked_at is not None}


def update_links(session: Session, identity: Identity, action_id: int) -> list[dict]:
    """The action's personal links, oldest first."""
    entry = managed_entry(session, identity, action_id)
    query = (select(Token, UpdateLink.email).join(UpdateLink, UpdateLink.token_id == Token.id)
             .where(UpdateLink.action_id == entry.action.id))
    return [update_link_json(t, email) for t, email in session.execute(query.order_by(Token.id))]


def revoke_update_link(session: Session, identity: Identity, action_id: int,
                       link_id: int) -> None:
    """Revoke one of the action's personal links at once (already revoked: nothing to do)."""
    entry = managed_entry(session, identity, action_id)
    link = session.get(UpdateLink, link_id)
    token = session.get(Token, link_id) if link is not None else None
    if token is None or token.kind != UPDATER or link.action_id != entry.action.id:
        raise NotFound("This action has no such link.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
