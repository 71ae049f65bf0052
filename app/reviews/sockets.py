"""Socket handlers of the review step."""

from __future__ import annotations

from pinnwand.access import Access
from pinnwand.auth.identity import Identity
from pinnwand.commands import sender_of, staff_only, write
from pinnwand.realtime import acked
from pinnwand.reviews import services
from pinnwand.reviews.schemas import RevealReviews, ReviewAction


def reviewers(access: Access, identity: Identity, workshop_id: int) -> bool:
    """Who gives verdicts: the event's moderators (staff) and the participants who joined the
    workshop; hosts and projectors are refused (``forbidden``)."""
    if identity.is_moderator and access.moderates(identity, access.event_of(workshop_id)):
        return True
    access.require_participant(identity, workshop_id)
    return False


@acked
def on_review_action(payload):
    """Sent by a participant who joined the workshop, or one of the event's moderators, in
    the workshop's review step.

    Sets the sender's verdict (``worked``/``partly``/``not``/``unsure``) and optional comment
    (≤ 500 characters) on one open action of the series' earlier forums. When it changes,
    broadcasts ``review_changed {"workshop_id", "seq", "action_id", "given", "review",
    "comments"}`` — while verdicts are secret only the staff get ``review`` and ``comments``;
    the room gets them as ``null`` with ``"hidden": true`` and the reviewer also ``mine``.
    Answers ``{"action_id", "verdict", "comment", "seq"}``.
    """
    data, identity, staff = sender_of(ReviewAction, payload, reviewers)
    return write(data.workshop_id,
                 lambda session: services.review_action(session, identity, data, staff))


@acked
def on_reveal_reviews(payload):
    """Sent by the workshop's staff (the event's moderators, its host).

    Makes the verdicts public: sets ``reviews_revealed`` and broadcasts ``reviews_revealed
    {"workshop_id", "seq", "actions": [{"action_id", "given", "review", "comments"}]}``;
    already revealed, nothing changes. Answers ``{"seq"}``.
    """
    data, _, _ = sender_of(RevealReviews, payload, staff_only)
    return write(data.workshop_id, lambda session: services.reveal_reviews(session, data))


def register(socketio) -> None:
    """Bind the review handlers to ``socketio``."""
    socketio.on_event("review_action", on_review_action)
    socketio.on_event("reveal_reviews", on_reveal_reviews)
