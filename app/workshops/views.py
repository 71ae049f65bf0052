"""HTTP routes for an event's workshops and their projector links."""

from __future__ import annotations

from pinnwand.api import api
from pinnwand.api.helpers import base_url, caller, json_body, moderator
from pinnwand.auth.services import issue_token
from pinnwand.db import isoformat
from pinnwand.errors import Forbidden
from pinnwand.events.services import moderated_event
from pinnwand.state import state
from pinnwand.validation import parse
from pinnwand.workshops import services
from pinnwand.workshops.schemas import HostLinkIn, WorkshopIn, WorkshopPatch

VIEWER_TOKEN_DAYS = 30
HOST_TOKEN_DAYS = 30


@api.get("/events/<int:event_id>/workshops")
def list_workshops(event_id: int):
    """The event's workshops, for its moderators with counts, for its participants without."""
    identity = caller()
    with state().db.read() as session:
        if identity.is_participant:
            if identity.event_id != event_id:
                raise Forbidden("This event is not yours.")
            workshops = services.list_workshops(session, event_id)
            return {"workshops": [services.workshop_summary(w) for w in workshops]}
        moderated_event(session, identity, event_id)
        return {"workshops": services.workshops_json(session, event_id)}


@api.post("/events/<int:event_id>/workshops")
def add_workshop(event_id: int):
    """A moderator adds a parallel workshop (title, question): ``201`` the workshop."""
    identity = moderator()
    data = parse(WorkshopIn, json_body())
    with state().db.transaction() as session:
        event = moderated_event(session, identity, event_id)
        workshop = services.add_workshop(session, event, data,
                                         limit=state().settings.max_workshops)
        answer = {**services.workshop_json(workshop), "participants": 0, "ideas": 0}
    return answer, 201


@api.patch("/workshops/<int:workshop_id>")
def update_workshop(workshop_id: int):
    """A moderator of its event changes a workshop's title, question or position; the room
    receives ``workshop_updated`` with the next ``seq`` when something changed."""
    identity = moderator()
    patch = parse(WorkshopPatch, json_body())
    app_state = state()
    with app_state.db.read() as session:
        moderated_event(session, identity, services.get_workshop(session, workshop_id).event_id)
    return app_state.writer.write(
        workshop_id, lambda session: services.update_workshop(session, workshop_id, patch))


@api.post("/workshops/<int:workshop_id>/viewer-link")
def create_viewer_link(workshop_id: int):
    """A moderator of its event creates a read-only projector link for one workshop:
    ``201 {"token", "url", "expires_at"}``; the token can only watch this workshop."""
    identity = moderator()
    with state().db.transaction() as session:
        workshop = services.get_workshop(session, workshop_id)
        moderated_event(session, identity, workshop.event_id)
        token, expires_at = issue_token(session, days=VIEWER_TOKEN_DAYS, workshop_id=workshop_id)
    url = f"{base_url()}/projector/{workshop_id}#token={token}"
    return {"token": token, "url": url, "expires_at": isoformat(expires_at)}, 201


@api.post("/workshops/<int:workshop_id>/host-link")
def create_host_link(workshop_id: int):
    """A moderator of its event hands a table facilitator a host link for one workshop:
    ``201 {"token", "url", "expires_at", "name"}``; the token has moderator rights for this
    workshop only, and ``name`` is shown as the host."""
    identity = moderator()
    data = parse(HostLinkIn, json_body())
    with state().db.transaction() as session:
        workshop = services.get_workshop(session, workshop_id)
        moderated_event(session, identity, workshop.event_id)
        token, expires_at = issue_token(session, days=HOST_TOKEN_DAYS, workshop_id=workshop_id,
                                        host_name=data.name)
    url = f"{base_url()}/host/{workshop_id}#token={token}"
    return {"token": token, "url": url, "expires_at": isoformat(expires_at),
            "name": data.name}, 201
