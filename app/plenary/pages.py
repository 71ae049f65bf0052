"""The plenary's projector page for the moderator's laptop."""

from __future__ import annotations

from flask import Response
from pinnwand.api.helpers import base_url, bearer_token
from pinnwand.auth.services import resolve_token
from pinnwand.errors import Forbidden
from pinnwand.events import joining
from pinnwand.events.services import get_event
from pinnwand.pages.blueprint import pages
from pinnwand.pages.views import page
from pinnwand.state import state


@pages.get("/moderator/events/<int:event_id>/plenary")
def plenary_board(event_id: int):
    """The event's plenary, projector-sized: the items brought from every workshop as large
    cards (by votes while voting), and the moderator's controls. Signs in like the other
    moderator pages; the plenary itself comes over Socket.IO (``join_plenary``). While
    presenting, the cards page like the projector's wall (its strings too)."""
    return page("plenary.html", "moderator", "plenary", "projector", event_id=event_id)


@pages.get("/plenary/<int:event_id>")
def plenary_projector(event_id: int):
    """The event's plenary on the venue PC, read-only, without the moderator's controls: what
    the room sees, with the join code and QR; the viewer token is in the URL fragment."""
    response = Response(*page("plenary_projector.html", "projector", "plenary",
                              event_id=event_id))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@pages.get("/plenary/<int:event_id>/info")
def plenary_projector_info(event_id: int):
    """The event's title, join code and link for the plenary's projector: for the plenary's
    viewer token (or one of the event's moderators), sent as ``Authorization: Bearer``."""
    app_state = state()
    with app_state.db.read() as session:
        identity = resolve_token(session, bearer_token())
        event = get_event(session, event_id)
        plenary_viewer = (identity.is_viewer and identity.workshop_id is None
                          and identity.event_id == event_id)
        if not (plenary_viewer or app_state.access.moderates(identity, event_id)):
            raise Forbidden("This screen belongs to another event.")
        return {"event": {"id": event.id, "title": event.title, "join_code": event.join_code,
                          "join_url": joining.join_link(base_url(), event)}}
