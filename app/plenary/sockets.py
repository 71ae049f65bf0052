"""Socket handlers of the plenary board: one per event, on the projector and the phones.

Every change is broadcast as ``plenary_changed {"event_id", "seq", "plenary"}`` to the room
``plenary:<event_id>``: while the plenary is open everyone in it gets the same payload; while
it is closed the moderators (``plenary:<event_id>:staff``) get the items and everyone else
(``plenary:<event_id>:public``) the same ``seq`` with ``"items": []``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_socketio import join_room
from pinnwand.board.rooms import plenary_rooms
from pinnwand.board.write import plenary_key
from pinnwand.errors import Forbidden, NotFound
from pinnwand.plenary import services
from pinnwand.plenary.schemas import (
    ConfigurePlenary,
    PlenaryAdd,
    PlenaryPullTop,
    PlenaryRef,
    PlenaryRemove,
    PlenaryVoteIn,
)
from pinnwand.realtime import acked, current_identity
from pinnwand.state import AppState, state
from pinnwand.validation import parse


def ensure_event(app_state: AppState, event_id: int) -> None:
    """:class:`NotFound` unless the event exists."""
    with app_state.db.read() as session:
        services.plenary_state(session, event_id)


def hosts_in(app_state: AppState, identity, event_id: int) -> bool:
    """Whether ``identity`` is the host of one of the event's workshops."""
    if not identity.is_host or identity.workshop_id is None:
        return False
    try:
        return app_state.access.event_of(identity.workshop_id) == event_id
    except NotFound:
        return False


def require_plenary_reader(app_state: AppState, identity, event_id: int) -> bool:
    """Whether ``identity`` reads the plenary as one of the event's moderators (``True``) or
    as a participant of the event, a host of one of its workshops or a projector of this
    plenary (``False``, read-only: items only while it is open); anyone else is
    :class:`Forbidden`."""
    if app_state.access.moderates(identity, event_id):
        return True
    if identity.is_participant and identity.event_id == event_id:
        return False
    if identity.is_viewer and identity.workshop_id is None and identity.event_id == event_id:
        return False
    if hosts_in(app_state, identity, event_id):
        return False
    raise Forbidden("This plenary belongs to an event you are not part of.")


def run_ordered(app_state: AppState, event_id: int, command: Callable) -> dict:
    """Run ``command(session)`` → ``(answer, change or None)`` on the event's plenary through
    the one write path (under the plenary's order lock, published after the commit); the
    answer."""
    return app_state.writer.write(plenary_key(event_id), command)


def run_moderated(event_id: int, command: Callable) -> dict:
    """A moderator's plenary command: the event must exist (else ``not_found``) and the
    sender be one of its moderators (else ``forbidden``; hosts and participants too)."""
    app_state = state()
    identity = current_identity()
    ensure_event(app_state, event_id)
    app_state.access.require_event_moderator(identity, event_id)
    return run_ordered(app_state, event_id, command)


@acked
def on_join_plenary(payload):
    """Sent by the event's moderators (the projector page), its participants (their phones,
    right after connecting, so they learn when it opens), hosts of its workshops and the
    plenary's projector link (read-only).

    Joins the socket to ``plenary:<event_id>`` (and the moderators' or everyone else's room)
    *before* reading, then answers ``{"plenary", "me": {"votes": [{"item_id", "count"}],
    "remaining"}}`` as this reader may see it (items only while open, except for moderators;
    ``remaining`` is ``null`` for anyone but participants). Changes and broadcasts nothing.
    """
    data = parse(PlenaryRef, payload)
    identity = current_identity()
    app_state = state()
    ensure_event(app_state, data.event_id)
    staff = require_plenary_reader(app_state, identity, data.event_id)
    for room in plenary_rooms(data.event_id, staff):
        join_room(room)
    participant_id = identity.participant_id if identity.is_participant else None
    with app_state.db.read() as session:
        return services.join_answer(session, data.event_id, staff, participant_id)


@acked
def on_plenary_add(payload):
    """Sent by one of the event's moderators to bring ideas or clusters to the plenary.

    Copies each one's title and text as of now (skipping those already there); refuses the
    whole request when one is unknown, of another event, deleted, merged or hidden. Broadcasts
    ``plenary_changed {"event_id", "seq", "plenary"}`` when something was added. Answers
    ``{"plenary"}``.
    """
    data = parse(PlenaryAdd, payload)
    return run_moderated(data.event_id, lambda session: services.add_items(
        session, data.event_id, data.items))


@acked
def on_plenary_pull_top(payload):
    """Sent by one of the event's moderators to bring every workshop's top ``per_workshop``
    (1–10) clusters by votes (or ideas, when a workshop has no clusters; never hidden ones).

    Skips what is on the plenary already, so pulling again changes nothing. Broadcasts
    ``plenary_changed`` when something was added. Answers ``{"plenary"}``.
    """
    data = parse(PlenaryPullTop, payload)
    return run_moderated(data.event_id, lambda session: services.pull_top(
        session, data.event_id, data.per_workshop))


@acked
def on_plenary_remove(payload):
    """Sent by one of the event's moderators to take an item off the plenary (its dots go back
    to the voters). Broadcasts ``plenary_changed``. Answers ``{"plenary"}``.
    """
    data = parse(PlenaryRemove, payload)
    return run_moderated(data.event_id, lambda session: services.remove_item(
        session, data.event_id, data.item_id))


@acked
def on_configure_plenary(payload):
    """Sent by one of the event's moderators to open or close the plenary, start or stop its
    vote, or set the dots per participant (``vote_budget`` 1–20).

    Starting the vote opens the plenary; closing it stops the vote. Broadcasts
    ``plenary_changed`` only when something changes. Answers ``{"plenary"}``.
    """
    data = parse(ConfigurePlenary, payload)
    return run_moderated(data.event_id, lambda session: services.configure(
        session, data.event_id, data))


@acked
def on_plenary_vote(payload):
    """Sent by a participant of the event while the plenary is open and voting: their dots on
    one item (``count`` 0…``vote_budget``, setting, not adding; all their dots within the
    budget).

    Broadcasts ``plenary_changed`` with the new totals when the count changes (a retry changes
    nothing). Answers ``{"item_id", "count", "remaining"}``; ``locked`` while the vote is not
    running.
    """
    data = parse(PlenaryVoteIn, payload)
    identity = current_identity()
    app_state = state()
    ensure_event(app_state, data.event_id)
    if not (identity.is_participant and identity.event_id == data.event_id):
        raise Forbidden("Only this event's participants vote in the plenary.")
    return run_ordered(app_state, data.event_id, lambda session: services.vote(
        session, data.event_id, identity.participant_id, data.item_id, data.count))


def register(socketio) -> None:
    """Bind the plenary handlers to ``socketio``."""
    socketio.on_event("join_plenary", on_join_plenary)
    socketio.on_event("plenary_add", on_plenary_add)
    socketio.on_event("plenary_pull_top", on_plenary_pull_top)
    socketio.on_event("plenary_remove", on_plenary_remove)
    socketio.on_event("configure_plenary", on_configure_plenary)
    socketio.on_event("plenary_vote", on_plenary_vote)
