"""The whole board of a workshop as one reader may see it, and catching up after a reconnect.

This module sits above the domains: it reads the workshop, its ideas, clusters, actions and
messages and the reader's own ideas, dots and sign-ups, and shows each through the one rule of
:mod:`pinnwand.board.visibility` — the same rule every broadcast and the change log follow, so
a snapshot shows exactly what the changes up to its ``seq`` showed this reader.

A big board is read at once (plain rows, so the reading is short and matches one ``seq``) and
then shown and encoded in slices of :data:`SLICE` ideas with a cooperative pause after each
(:func:`encoded_snapshot`): building the JSON of a 10,000-idea board costs a few hundred
milliseconds of CPU, and on the event loop in one piece it would stall every other board of
the process for that long.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace

from pinnwand.actions.services import actions_json
from pinnwand.board.changes import logged_changes, logged_view
from pinnwand.board.seq import current_seq
from pinnwand.board.visibility import STAFF, Audience, idea_view, totals_hidden
from pinnwand.clusters.services import clusters_json
from pinnwand.ideas.models import Idea, idea_json
from pinnwand.messaging.services import messages_json
from pinnwand.reviews.services import my_reviews, review_board
from pinnwand.safe_json import PreEncoded
from pinnwand.series.carrying import carried_of
from pinnwand.votes.services import my_votes
from pinnwand.workshops.services import get_workshop, workshop_json
from sqlalchemy import select
from sqlalchemy.orm import Session

# A reconnecting client further behind than this gets a fresh snapshot instead of the log.
MAX_CATCH_UP = 1000
SNAPSHOT_ATTEMPTS = 20
SLICE = 500  # ideas shown and encoded between two pauses
COMPACT = (",", ":")
IDEA_COLUMNS = (Idea.id, Idea.workshop_id, Idea.text, Idea.anonymous, Idea.author_name,
                Idea.participant_id, Idea.created_at, Idea.votes, Idea.hidden, Idea.position,
                Idea.category_id, Idea.cluster_id, Idea.merged_into_id, Idea.deleted_at)


class Board:
    """A board read at one ``seq``: everything but the ideas as the reader sees them
    (``parts``), the ideas' rows, and what the visibility rule needs of the workshop (its vote
    settings, kept apart from the session the board was read in)."""

    def __init__(self, parts: dict, rows: list, workshop):
        self.parts = parts
        self.rows = rows
        self.workshop = workshop

    @property
    def seq(self) -> int:
        return self.parts["seq"]


def snapshot(session: Session, workshop_id: int, audience: Audience = STAFF) -> dict:
    """The whole board as this audience may see it: the workshop, its ideas, clusters, actions,
    the latest messages, ``me`` (the reader's own ideas, dots and sign-ups) and the ``seq`` it
    is current to (see :func:`read_board`)."""
    board = read_board(session, workshop_id, audience)
    return {"workshop": board.parts["workshop"],
            "ideas": ideas_seen(board.rows, audience, board.workshop),
            **{key: value for key, value in board.parts.items() if key != "workshop"}}


def read_board(session: Session, workshop_id: int, audience: Audience = STAFF,
               pause: Callable[[], None] = lambda: None) -> Board:
    """The board read again while a change committed during the reading: its statements may
    each see a newer state (PostgreSQL's read committed), and the board must match the ``seq``
    it names, or a client would apply a change twice or miss it. The ideas' rows are taken
    :data:`SLICE` at a time with ``pause()`` in between."""
    for _ in range(SNAPSHOT_ATTEMPTS):
        board = read_once(session, workshop_id, audience, pause)
        if current_seq(session, workshop_id) == board.seq:
            return board
        session.expire_all()
    return board


def read_once(session: Session, workshop_id: int, audience: Audience,
              pause: Callable[[], None]) -> Board:
    """One reading of the board: the ideas as rows (one statement, so they match one state,
    taken a slice at a time), everything else as the reader sees it."""
    workshop = get_workshop(session, workshop_id)
    result = session.execute(select(*IDEA_COLUMNS).where(Idea.workshop_id == workshop_id)
                             .order_by(Idea.id))
    rows = []
    while chunk := result.fetchmany(SLICE):
        rows.extend(chunk)
        pause()
    own = [row.id for row in rows if audience.owns(row.participant_id)]
    me = {"staff": audience.staff, "participant_id": audience.participant_id, "ideas": own,
          **my_votes(session, workshop, audience.participant_id),
          "reviews": my_reviews(session, workshop_id, audience)}
    parts = {
        "workshop": workshop_json(workshop),
        "clusters": clusters_json(session, workshop, audience),
        "actions": actions_json(session, workshop_id, audience),
        "carried": carried_of(session, workshop_id, audience),
        "messages": messages_json(session, workshop_id),
        "review": review_board(session, workshop, audience),
        "me": me,
        "seq": workshop.seq,
    }
    state = SimpleNamespace(votes_secret=workshop.votes_secret,
                            votes_revealed=workshop.votes_revealed,
                            voting_started=workshop.voting_started)
    return Board(parts, rows, state)


def ideas_seen(rows, audience: Audience, workshop) -> list[dict]:
    """These ideas (rows of :data:`IDEA_COLUMNS`) as this audience may see them."""
    views = (idea_view(idea_json(row), row.participant_id, audience, workshop) for row in rows)
    return [view for view in views if view is not None]


def encoded_snapshot(board: Board, audience: Audience, pause: Callable[[], None]) -> PreEncoded:
    """The snapshot of ``board`` as JSON text, its ideas shown and encoded :data:`SLICE` at a
    time with ``pause()`` (a cooperative yield) after each slice, so other boards are served
    in between."""
    slices = []
    for start in range(0, len(board.rows), SLICE):
        seen = ideas_seen(board.rows[start:start + SLICE], audience, board.workshop)
        if seen:
            slices.append(json.dumps(seen, separators=COMPACT)[1:-1])
        pause()
    rest = {key: value for key, value in board.parts.items() if key != "workshop"}
    return PreEncoded("".join((
        '{"workshop":', json.dumps(board.parts["workshop"], separators=COMPACT),
        ',"ideas":[', ",".join(slices), "],", json.dumps(rest, separators=COMPACT)[1:])))


def needs_snapshot(session: Session, workshop_id: int, since_seq: int | None) -> bool:
    """Whether ``join_workshop`` with this ``since_seq`` is answered with the whole board: no
    ``since_seq``, one from the future, or one further behind than the log serves."""
    if since_seq is None:
        return True
    seq = current_seq(session, workshop_id)
    return since_seq > seq or seq - since_seq > MAX_CATCH_UP


def logged_since(session: Session, workshop_id: int, since_seq: int,
                 audience: Audience = STAFF) -> dict | None:
    """Every change after ``since_seq`` as ``{"events", "seq"}``, each as this audience may
    see it now (a total logged as 0 before voting began is withheld once totals are secret),
    or ``None`` when the log cannot serve (a ``since_seq`` from the future, too far behind,
    or a gap in the log)."""
    seq = current_seq(session, workshop_id)
    if since_seq > seq or seq - since_seq > MAX_CATCH_UP:
        return None
    changes = logged_changes(session, workshop_id, since_seq, seq)
    if len(changes) != seq - since_seq:
        return None
    hide = not audience.staff and totals_hidden(get_workshop(session, workshop_id))
    return {"events": [logged_view(c, audience, hide) for c in changes], "seq": seq}


def catch_up(session: Session, workshop_id: int, since_seq: int,
             audience: Audience = STAFF) -> dict:
    """:func:`logged_since`, or the full snapshot when the log cannot serve."""
    caught_up = logged_since(session, workshop_id, since_seq, audience)
    return caught_up if caught_up is not None else snapshot(session, workshop_id, audience)
