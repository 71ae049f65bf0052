"""The whole board of a workshop as one reader may see it, and catching up after a reconnect.

This module sits above the domains: it reads the workshop, its ideas, clusters, actions and
messages and the reader's own ideas, dots and sign-ups, and shows each through the one rule of
:mod:`pinnwand.board.visibility` — the same rule every broadcast and the change log follow, so
a snapshot shows exactly what the changes up to its ``seq`` showed this reader.
"""

from __future__ import annotations

from pinnwand.actions.services import actions_json
from pinnwand.board.changes import logged_changes, logged_view
from pinnwand.board.seq import current_seq
from pinnwand.board.visibility import STAFF, Audience, idea_view, totals_hidden
from pinnwand.clusters.services import clusters_json
from pinnwand.ideas.models import Idea
from pinnwand.messaging.services import messages_json
from pinnwand.votes.services import my_votes
from pinnwand.workshops.services import get_workshop, workshop_json
from sqlalchemy import select
from sqlalchemy.orm import Session

# A reconnecting client further behind than this gets a fresh snapshot instead of the log.
MAX_CATCH_UP = 1000
SNAPSHOT_ATTEMPTS = 20


def snapshot(session: Session, workshop_id: int, audience: Audience = STAFF) -> dict:
    """The whole board as this audience may see it (see :func:`read_snapshot`), read again
    while a change committed during the reading: its statements may each see a newer state
    (SQLite reads outside a write, PostgreSQL's read committed), and the board must match the
    ``seq`` it names, or a client would apply a change twice or miss it."""
    for _ in range(SNAPSHOT_ATTEMPTS):
        board = read_snapshot(session, workshop_id, audience)
        if current_seq(session, workshop_id) == board["seq"]:
            return board
        session.expire_all()
    return board


def read_snapshot(session: Session, workshop_id: int, audience: Audience = STAFF) -> dict:
    """The whole board as this audience may see it: the workshop, its ideas, clusters, actions,
    the latest messages, ``me`` (the reader's own ideas, dots and sign-ups) and the ``seq`` it is
    current to."""
    workshop = get_workshop(session, workshop_id)
    ideas, own = ideas_seen(session, workshop, audience)
    me = {"staff": audience.staff, "participant_id": audience.participant_id, "ideas": own,
          **my_votes(session, workshop, audience.participant_id)}
    return {
        "workshop": workshop_json(workshop),
        "ideas": ideas,
        "clusters": clusters_json(session, workshop, audience),
        "actions": actions_json(session, workshop_id, audience),
        "messages": messages_json(session, workshop_id),
        "me": me,
        "seq": workshop.seq,
    }


def ideas_seen(session: Session, workshop, audience: Audience) -> tuple[list[dict], list[int]]:
    """The workshop's ideas as this audience may see them, and the ids of the reader's own."""
    ideas = session.scalars(select(Idea).where(Idea.workshop_id == workshop.id).order_by(Idea.id))
    shown, own = [], []
    for idea in ideas:
        view = idea_view(idea.to_json(), idea.participant_id, audience, workshop)
        if view is not None:
            shown.append(view)
        if audience.owns(idea.participant_id):
            own.append(idea.id)
    return shown, own


def catch_up(session: Session, workshop_id: int, since_seq: int,
             audience: Audience = STAFF) -> dict:
    """Every change after ``since_seq`` as ``{"events", "seq"}``, each as this audience may
    see it now (a total logged as 0 before voting began is withheld once totals are secret),
    or the full snapshot when the log cannot serve (a ``since_seq`` from the future, too far
    behind, or a gap in the log)."""
    seq = current_seq(session, workshop_id)
    if since_seq > seq or seq - since_seq > MAX_CATCH_UP:
        return snapshot(session, workshop_id, audience)
    changes = logged_changes(session, workshop_id, since_seq, seq)
    if len(changes) != seq - since_seq:
        return snapshot(session, workshop_id, audience)
    hide = not audience.staff and totals_hidden(get_workshop(session, workshop_id))
    return {"events": [logged_view(c, audience, hide) for c in changes], "seq": seq}
