"""Socket handlers of dot voting."""

from __future__ import annotations

from pinnwand.commands import participants_only, sender_of, staff_only, write
from pinnwand.realtime import acked
from pinnwand.votes import services
from pinnwand.votes.schemas import CastVote, RevealVotes


@acked
def on_vote(payload):
    """Sent by a participant who joined the workshop, in its vote step, while it is unlocked
    (staff, hosts and projectors are refused with ``forbidden``).

    Sets the sender's dots on one idea or cluster (0 removes them) within the per-target cap
    and the budget, and moves the target's total. When the count changes, broadcasts
    ``votes_changed {"workshop_id", "seq", "target_type", "target_id", "votes"}`` — while votes
    are secret only the staff get the total, the voter ``{"workshop_id", "seq", "hidden",
    "target_type", "target_id", "mine"}`` and everyone else ``{"workshop_id", "seq",
    "hidden"}``. Answers ``{"target_type", "target_id", "count", "remaining", "seq"}``.
    """
    data, identity, _ = sender_of(CastVote, payload, participants_only)
    return write(data.workshop_id, lambda session: services.cast_vote(session, identity, data))


@acked
def on_reveal_votes(payload):
    """Sent by the workshop's staff (the event's moderators, its host).

    Makes the totals public: sets ``votes_revealed`` and broadcasts ``votes_revealed
    {"workshop_id", "seq", "ideas": [{"id", "votes"}], "clusters": [{"id", "votes"}]}`` to the
    workshop's room; already revealed, nothing changes. Answers ``{"seq"}``.
    """
    data, _, _ = sender_of(RevealVotes, payload, staff_only)
    return write(data.workshop_id, lambda session: services.reveal_votes(session, data))


def register(socketio) -> None:
    """Bind the voting handlers to ``socketio``."""
    socketio.on_event("vote", on_vote)
    socketio.on_event("reveal_votes", on_reveal_votes)
