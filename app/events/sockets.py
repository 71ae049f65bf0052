"""Socket handler for the moderators' cockpit: watching every workshop of an event."""

from __future__ import annotations

from flask_socketio import join_room
from pinnwand.board.rooms import event_room
from pinnwand.errors import Forbidden
from pinnwand.events.services import get_event
from pinnwand.realtime import acked, current_identity
from pinnwand.state import state
from pinnwand.validation import Id, Payload, parse
from pinnwand.workshops.stats import event_overview


class WatchEvent(Payload):
    """``watch_event``: follow an event's figures in the cockpit."""

    event_id: Id


@acked
def on_watch_event(payload):
    """Sent by one of the event's moderators opening the cockpit.

    Joins the socket to the event's cockpit room, which receives ``workshop_stats
    {"event_id", "workshop_id", "participants", "ideas", "connected", "last_activity",
    "locked"}`` whenever a workshop's figures change. Answers ``{"event_id", "workshops"}``
    with every workshop's figures. Changes nothing.
    """
    data = parse(WatchEvent, payload)
    app_state = state()
    with app_state.db.read() as session:
        get_event(session, data.event_id)
    if not app_state.access.moderates(current_identity(), data.event_id):
        raise Forbidden("Only this event's moderators may watch it.")
    join_room(event_room(data.event_id))
    with app_state.db.read() as session:
        workshops = event_overview(session, data.event_id, app_state.presence)
    return {"event_id": data.event_id, "workshops": workshops}


def register(socketio) -> None:
    """Bind the cockpit handler to ``socketio``."""
    socketio.on_event("watch_event", on_watch_event)
