"""Socket handlers of facilitation: steps, settings, categories, revealing private ideas and
who is on a workshop's board right now."""

from __future__ import annotations

from pinnwand.commands import for_one_or_all, sender_of, staff_only, write
from pinnwand.realtime import acked
from pinnwand.state import state
from pinnwand.validation import parse
from pinnwand.workshops import facilitation
from pinnwand.workshops.schemas import ConfigureWorkshop, SetCategories, SetStep, WorkshopRef


@acked
def on_set_step(payload):
    """Sent by a workshop's staff (``workshop_id``) or by one of the event's moderators for
    all its workshops (``event_id``).

    Moves the workshop(s) to ``step``; each workshop whose step changes takes its next ``seq``
    and its room receives ``step_changed {"workshop_id", "seq", "step"}``. Answers
    ``{"workshop_id", "step", "seq"}``, or ``{"workshops": [that, per workshop]}`` for an event.
    """
    data = parse(SetStep, payload)

    def move(workshop_id: int) -> dict:
        return write(workshop_id,
                     lambda session: facilitation.set_step(session, workshop_id, data.step))

    return for_one_or_all(data, move)


@acked
def on_configure_workshop(payload):
    """Sent by a workshop's staff to change how it runs (``private_writing``, ``cluster_by``,
    ``vote_budget``, ``vote_max_per_target``, ``votes_secret``).

    When a setting changes the room receives ``workshop_updated {"workshop_id", "seq",
    "workshop"}``; switching private writing off also reveals hidden ideas (``ideas_revealed``,
    the next ``seq``). Answers ``{"workshop", "seq"}``.
    """
    data, _, _ = sender_of(ConfigureWorkshop, payload, staff_only)
    return write(data.workshop_id,
                 lambda session: facilitation.configure_workshop(session, data))


@acked
def on_set_categories(payload):
    """Sent by a workshop's staff with the board's complete list of columns
    (``[{"id"?, "title"}]``, at most 12).

    Keeps, retitles and reorders listed columns, creates new ones, deletes the others (their
    ideas and clusters become uncategorised); when something changes the room receives
    ``workshop_updated {"workshop_id", "seq", "workshop"}``. Answers ``{"workshop", "seq"}``.
    """
    data, _, _ = sender_of(SetCategories, payload, staff_only)
    return write(data.workshop_id, lambda session: facilitation.set_categories(session, data))


@acked
def on_reveal_ideas(payload):
    """Sent by a workshop's staff to publish the ideas written privately.

    Every hidden idea becomes visible; the room receives ``ideas_revealed {"workshop_id",
    "seq", "ideas"}`` with their texts and authors. Answers ``{"revealed": n, "seq"}``;
    with nothing hidden nothing changes.
    """
    data, _, _ = sender_of(WorkshopRef, payload, staff_only)
    return write(data.workshop_id,
                 lambda session: facilitation.reveal_ideas(session, data.workshop_id))


@acked
def on_get_presence(payload):
    """Sent by a workshop's staff: who is on its board right now (participants with a socket
    in its room on this server process). Changes and broadcasts nothing. Answers
    ``{"workshop_id", "people": [{"participant_id", "name"}]}`` sorted by name."""
    data, _, _ = sender_of(WorkshopRef, payload, staff_only)
    return {"workshop_id": data.workshop_id, "people": state().presence.people(data.workshop_id)}


def register(socketio) -> None:
    """Bind the facilitation handlers to ``socketio``."""
    socketio.on_event("set_step", on_set_step)
    socketio.on_event("configure_workshop", on_configure_workshop)
    socketio.on_event("set_categories", on_set_categories)
    socketio.on_event("reveal_ideas", on_reveal_ideas)
    socketio.on_event("get_presence", on_get_presence)
