"""HTTP routes for events, their agenda and moderators, and joining by code."""

from __future__ import annotations

from flask import request
from pinnwand.api import api
from pinnwand.api.helpers import base_url, json_body, moderator
from pinnwand.auth.services import issue_token
from pinnwand.auth.views import moderator_json
from pinnwand.db import isoformat
from pinnwand.errors import NotFound
from pinnwand.events import joining, services
from pinnwand.events.schemas import (
    AgendaItemIn,
    AgendaItemPatch,
    EventIn,
    EventPatch,
    JoinIn,
    JoiningPatch,
    ModeratorIn,
)
from pinnwand.series.services import moderated_series
from pinnwand.state import state
from pinnwand.validation import parse


@api.get("/events")
def list_events():
    """The calling moderator's events, newest first: ``{"events": [...]}``."""
    identity = moderator()
    with state().db.read() as session:
        events = services.list_events(session, identity.moderator_id)
        return {"events": [_event_json(session, e) for e in events]}


@api.post("/events")
def create_event():
    """A moderator creates an event with its workshops (and agenda), optionally in one of
    their series (``series_id``: ``404`` none, ``403`` another's): ``201`` the event."""
    identity = moderator()
    data = parse(EventIn, json_body())
    with state().db.transaction() as session:
        if data.series_id is not None:
            moderated_series(session, identity, data.series_id)
        event = services.create_event(session, identity.moderator_id, data,
                                      state().settings.max_workshops)
        answer = _event_json(session, event)
    return answer, 201


@api.get("/events/<int:event_id>")
def get_event(event_id: int):
    """The event with its agenda and workshops, each with ``participants`` and ``ideas``."""
    identity = moderator()
    with state().db.read() as session:
        event = services.moderated_event(session, identity, event_id)
        return _event_json(session, event)


def _event_json(session, event) -> dict:
    return services.event_json(session, event, base_url(), join_days=state().settings.join_days)


@api.patch("/events/<int:event_id>")
def update_event(event_id: int):
    """Change an event's title, date, location, description or series (one the caller
    moderates; ``null``: none)."""
    identity = moderator()
    patch = parse(EventPatch, json_body())
    with state().db.transaction() as session:
        event = services.moderated_event(session, identity, event_id)
        if patch.series_id is not None:
            moderated_series(session, identity, patch.series_id)
        services.update_event(session, event, patch)
        return _event_json(session, event)


@api.get("/events/<int:event_id>/agenda")
def get_agenda(event_id: int):
    """The event's keynote talks in order: ``{"agenda": [...]}``."""
    identity = moderator()
    with state().db.read() as session:
        event = services.moderated_event(session, identity, event_id)
        return {"agenda": [services.agenda_item_json(item) for item in event.agenda]}


@api.post("/events/<int:event_id>/agenda")
def add_agenda_item(event_id: int):
    """Add a keynote talk (title, speaker, organisation, starts_at): ``201`` the talk."""
    identity = moderator()
    data = parse(AgendaItemIn, json_body())
    with state().db.transaction() as session:
        event = services.moderated_event(session, identity, event_id)
        item = services.add_agenda_item(session, event, data)
        answer = services.agenda_item_json(item)
    return answer, 201


@api.patch("/events/<int:event_id>/agenda/<int:item_id>")
def update_agenda_item(event_id: int, item_id: int):
    """Change a keynote talk."""
    identity = moderator()
    patch = parse(AgendaItemPatch, json_body())
    with state().db.transaction() as session:
        event = services.moderated_event(session, identity, event_id)
        item = services.get_agenda_item(session, event, item_id)
        return services.agenda_item_json(services.update_agenda_item(session, item, patch))


@api.delete("/events/<int:event_id>/agenda/<int:item_id>")
def delete_agenda_item(event_id: int, item_id: int):
    """Remove a keynote talk: ``204``."""
    identity = moderator()
    with state().db.transaction() as session:
        event = services.moderated_event(session, identity, event_id)
        services.delete_agenda_item(session, services.get_agenda_item(session, event, item_id))
    return "", 204


@api.get("/events/<int:event_id>/moderators")
def list_moderators(event_id: int):
    """Who runs the event: ``{"moderators": [{"id", "email", "name"}]}``."""
    identity = moderator()
    with state().db.read() as session:
        services.moderated_event(session, identity, event_id)
        moderators = services.event_moderators_of(session, event_id)
        return {"moderators": [moderator_json(m) for m in moderators]}


@api.post("/events/<int:event_id>/moderators")
def add_moderator(event_id: int):
    """Give another moderator account access to the event: ``201``; ``409`` if it has it."""
    identity = moderator()
    data = parse(ModeratorIn, json_body())
    with state().db.transaction() as session:
        event = services.moderated_event(session, identity, event_id)
        answer = moderator_json(services.add_moderator(session, event, data.email))
    return answer, 201


@api.post("/join")
def join():
    """Anyone with the code joins the event under a name: ``200 {"token", "participant_id",
    "event_id", "workshops"}``; a wrong code, or an event not open for joining, is ``404``.

    The join link also sends ``key``: such a join is never slowed down. Only wrong codes typed
    by hand count against the join budgets (per address, per server; ``429`` once used up),
    so a whole venue behind one address joins without a hitch (``join_budgets.py``).
    """
    data = parse(JoinIn, json_body())
    app_state = state()
    budgets, address = app_state.join_budgets, request.remote_addr
    with app_state.db.read() as session:
        keyed = joining.event_by_key(session, data.code, data.key) is not None
    if not keyed:
        budgets.check(address)
    try:
        with app_state.db.transaction() as session:
            return services.join_event(
                session, data.code, data.name, app_state.settings.participant_token_days,
                key=data.key if keyed else None, join_days=app_state.settings.join_days)
    except NotFound:
        if not keyed:
            budgets.failed(address)
        raise


@api.get("/events/<int:event_id>/joining")
def get_joining(event_id: int):
    """How participants join the event: ``{"open", "closes_at", "closed_at", "join_code",
    "join_url"}`` (the event's moderators)."""
    identity = moderator()
    with state().db.read() as session:
        event = services.moderated_event(session, identity, event_id)
        return _joining_json(event)


@api.patch("/events/<int:event_id>/joining")
def set_joining(event_id: int):
    """Close joining (``{"open": false}``: code and link take nobody new) or reopen it
    (``{"open": true}``: for a new window from now). Answers as ``GET``."""
    identity = moderator()
    data = parse(JoiningPatch, json_body())
    with state().db.transaction() as session:
        event = services.moderated_event(session, identity, event_id)
        if data.open:
            joining.reopen(session, event)
        else:
            joining.close(session, event)
        return _joining_json(event)


@api.post("/events/<int:event_id>/joining/new-code")
def replace_join_code(event_id: int):
    """Give the event a new join code and link (e.g. when the code got around): the old ones
    join nobody any more; who joined keeps their token. Answers as ``GET``."""
    identity = moderator()
    with state().db.transaction() as session:
        event = services.moderated_event(session, identity, event_id)
        joining.replace_code(session, event)
        return _joining_json(event)


def _joining_json(event) -> dict:
    return joining.joining_json(event, base_url(), state().settings.join_days)


PLENARY_VIEWER_DAYS = 30


@api.post("/events/<int:event_id>/plenary/viewer-link")
def create_plenary_viewer_link(event_id: int):
    """A moderator of the event creates a read-only projector link of its plenary for the
    venue PC: ``201 {"token", "url", "expires_at"}``; the token can only watch this plenary
    (what the room sees: the items while it is open)."""
    identity = moderator()
    with state().db.transaction() as session:
        services.moderated_event(session, identity, event_id)
        token, expires_at = issue_token(session, days=PLENARY_VIEWER_DAYS, event_id=event_id)
    url = f"{base_url()}/plenary/{event_id}#token={token}"
    return {"token": token, "url": url, "expires_at": isoformat(expires_at)}, 201
