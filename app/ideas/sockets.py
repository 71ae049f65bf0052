"""Socket handler for posting ideas."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.ideas import services
from app.ideas.schemas import CreateIdea
from app.realtime import acked, current_identity
from app.state import state
from app.validation import parse


@acked
def on_create_idea(payload):
    """Sent by a participant who joined the workshop, or by one of the event's moderators.

    Idempotent per sender and ``op_id``: a repeat answers the first successful answer again and
    creates nothing. Otherwise checks access and the idea rate limit, stores the idea with the
    next ``seq`` (``locked`` while the workshop is locked), then broadcasts
    ``idea_created {"workshop_id", "seq", "idea"}`` to the workshop's room.
    Answers ``{"idea", "seq"}``.
    """
    data = parse(CreateIdea, payload)
    identity = current_identity()
    app_state = state()
    with app_state.db.read() as session:
        answer = services.remembered(session, identity.sender, data.op_id)
    if answer is not None:
        return answer
    app_state.access.require_poster(identity, data.workshop_id)
    limited = identity.is_participant
    if limited:
        app_state.idea_limiter.check(
            identity.participant_id, "You are posting very fast: wait {seconds} s and try again."
        )
    with app_state.db.ordered(data.workshop_id):
        try:
            with app_state.db.transaction() as session:
                answer, change = services.create_idea(session, identity, data)
        except IntegrityError:
            # A retry raced its original: answer what the original committed.
            with app_state.db.read() as session:
                answer = services.remembered(session, identity.sender, data.op_id)
            if answer is None:
                raise
            return answer
        app_state.realtime.broadcast(data.workshop_id, services.IDEA_CREATED, change)
    if limited:
        app_state.idea_limiter.record(identity.participant_id)
    app_state.stats.touch(data.workshop_id)
    return answer


def register(socketio) -> None:
    """Bind the idea handlers to ``socketio``."""
    socketio.on_event("create_idea", on_create_idea)
