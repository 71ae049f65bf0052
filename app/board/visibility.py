"""Who sees what of a workshop's board: the one rule.

Every broadcast, every catch-up from the change log and every snapshot shows an idea, a
cluster, an action or a vote through the functions here, so the three can never disagree.

Audiences: the workshop's **staff** (the event's moderators and the workshop's hosts) see
everything. Everyone else — a participant, or a projector (:data:`VIEWER`) — sees:

- **ideas** on the board only (withdrawn and merged ones are the staff's, to restore them);
  an idea written privately (``hidden``) without its text and author (:func:`withheld_idea`),
  except by its **owner**, the participant who wrote it;
- **vote totals** (``votes`` of ideas and clusters) only when the workshop's votes are not
  secret or have been revealed, or voting has not started yet (:func:`totals_hidden`): until
  the workshop first reaches the vote step every total is 0 — no dot can be cast before —
  and 0 is what everyone sees; from then on ``"votes": null`` until the reveal, also after a
  step back and for ideas posted later, so a secret total never leaves the server. A vote
  change shows them only ``{"hidden": true}``, and the voter their own dots;
- **clusters** and **actions** that were not removed;
- **review verdicts** (counts and comments on an earlier forum's actions) only when the
  workshop's votes are not secret or the staff revealed the verdicts (:func:`reviews_hidden`);
  until then only how many verdicts each action got, and each reviewer their own.

A change whose single subject is off the board for an audience (e.g. a sign-up withdrawn from a
deleted action) reaches it as :func:`gone`: the id, flagged ``deleted``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Audience:
    """Who reads: the workshop's staff, a participant (by id), or neither (a projector)."""

    staff: bool = False
    participant_id: int | None = None

    @classmethod
    def of(cls, identity, staff: bool) -> Audience:
        """The audience an identity belongs to in one workshop."""
        return cls(staff=staff, participant_id=identity.participant_id)

    def owns(self, owner_id: int | None) -> bool:
        """Whether this audience is the participant ``owner_id``."""
        return owner_id is not None and self.participant_id == owner_id


STAFF = Audience(staff=True)
VIEWER = Audience()
"""A projector; it sees what every participant sees of what they do not own."""


def totals_hidden(state) -> bool:
    """Whether vote totals are withheld from everyone but the staff: the workshop's votes are
    secret, not revealed, and voting has started (before that every total is a plain 0).
    ``state`` is a workshop or the row :func:`pinnwand.board.seq.claim_seq` returned."""
    return bool(state.votes_secret and not state.votes_revealed and state.voting_started)


def without_totals(node):
    """``node`` (a change's payload) with every vote total (a number under ``votes``) withheld
    as ``None``; a voter's own dots are counted under ``count``/``mine``, so they stay."""
    if isinstance(node, list):
        return [without_totals(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: None if key == "votes" and isinstance(value, int) else without_totals(value)
            for key, value in node.items()}


def withheld_idea(idea: dict) -> dict:
    """An idea as the room sees it while its author writes privately: its place on the board,
    but neither its text nor its author."""
    return {**idea, "text": None, "author": None, "hidden": True}


def gone(subject: dict) -> dict:
    """What an audience sees of something that is off its board: its id, flagged deleted."""
    return {"id": subject["id"], "workshop_id": subject["workshop_id"], "deleted": True}


def idea_view(idea: dict, owner_id: int | None, audience: Audience, state) -> dict | None:
    """An idea (as :meth:`pinnwand.ideas.models.Idea.to_json` shows it to the staff, written
    by the participant ``owner_id``) as ``audience`` may see it, or ``None`` when it is off
    their board."""
    if audience.staff:
        return idea
    if idea["deleted"] or idea["merged_into"] is not None:
        return None
    seen = {**idea, "votes": None} if totals_hidden(state) else idea
    if idea["hidden"] and not audience.owns(owner_id):
        return withheld_idea(seen)
    return seen


def cluster_view(cluster: dict, audience: Audience, state) -> dict | None:
    """A cluster as ``audience`` may see it, or ``None`` when it was removed (the staff keep
    it, flagged, to see what was)."""
    if audience.staff:
        return cluster
    if cluster["deleted"]:
        return None
    return {**cluster, "votes": None} if totals_hidden(state) else cluster


def action_view(action: dict, audience: Audience) -> dict | None:
    """An action as ``audience`` may see it, or ``None`` when it was deleted (the staff keep
    it, flagged, to restore it)."""
    if audience.staff or not action["deleted"]:
        return action
    return None


def carried_view(carried: dict, audience: Audience) -> dict:
    """A later forum's decision about a series' action (carried forward or dropped) as
    ``audience`` may see it: the staff all of it; everyone else the action without the names
    of its contributors (their organisations and what they bring stay), since those people
    agreed at another forum and the register is the moderators'."""
    if audience.staff:
        return carried
    action = carried["action"]
    unnamed = [{"organisation": c["organisation"], "brings": c["brings"]}
               for c in action["contributors"]]
    return {**carried, "action": {**action, "contributors": unnamed}}


def vote_view(payload: dict, voter_id: int, mine: int, audience: Audience, state) -> dict:
    """A ``votes_changed`` change as ``audience`` may see it: the new total while totals are
    visible to them; otherwise only that something changed (``"hidden": true``), and for the
    voter also their own dots on the target (``mine``)."""
    if audience.staff or not totals_hidden(state):
        return payload
    hidden = {"workshop_id": payload["workshop_id"], "seq": payload["seq"], "hidden": True}
    if audience.owns(voter_id):
        return {**hidden, "target_type": payload["target_type"],
                "target_id": payload["target_id"], "mine": mine}
    return hidden


def plenary_items_visible(staff: bool, is_open: bool) -> bool:
    """Whether a reader sees the plenary's items: the event's moderators always, everyone else
    (participants, hosts) only while it is open."""
    return staff or is_open


# -- review verdicts (the review step) -------------------------------------------------------

def reviews_hidden(state) -> bool:
    """Whether review verdicts (their counts and comments) are withheld from everyone but the
    staff: the workshop's votes are secret (the same setting covers verdicts) and the staff
    have not revealed the verdicts yet. ``state`` is a workshop or a claimed row."""
    return bool(state.votes_secret and not state.reviews_revealed)


def review_tally_view(tally: dict, audience: Audience, state) -> dict:
    """One action's verdicts (``{"action_id", "given", "review", "comments"}``) as
    ``audience`` may see them: while verdicts are hidden from it, only how many were given
    (``"review"`` and ``"comments"`` are ``null``, ``"hidden": true``)."""
    if audience.staff or not reviews_hidden(state):
        return tally
    return {**tally, "review": None, "comments": None, "hidden": True}


def review_view(payload: dict, reviewer_id: int | None, mine: dict, audience: Audience,
                state) -> dict:
    """A ``review_changed`` change as ``audience`` may see it (see :func:`review_tally_view`);
    the reviewer (a participant) also gets their own verdict and comment under ``mine``."""
    seen = review_tally_view(payload, audience, state)
    if audience.owns(reviewer_id):
        return {**seen, "mine": mine}
    return seen
