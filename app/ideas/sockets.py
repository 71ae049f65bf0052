"""Socket handler for posting ideas.

``create_idea`` is the hot path of a live workshop (every phone, every idea), so:

- it is bound on the python-socketio server itself rather than through Flask-SocketIO's
  ``on_event``, which would build a Flask request context and open the cookie session for every
  event; it enters only the app context and finds the sender by the socket's ``sid``;
- it goes through the one write path with ``grouped=True``: on SQLite, posts that are ready at
  the same moment are written in one transaction (:mod:`pinnwand.board.group_commit`), since
  SQLite commits one transaction at a time anyway and a commit costs about as much as the rest
  of a post's writes;
- the service writes its rows with statements on the DBAPI connection
  (:mod:`pinnwand.ideas.services`).
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict

from pinnwand.auth.identity import Identity
from pinnwand.board.operations import answer_once
from pinnwand.db import Database
from pinnwand.errors import Unauthorized
from pinnwand.ideas import services
from pinnwand.ideas.schemas import CreateIdea
from pinnwand.realtime import acked, failed
from pinnwand.state import AppState, state
from pinnwand.validation import parse

NAMESPACE = "/"
RATE_LIMITED_MESSAGE = "You are posting very fast: wait {seconds} s and try again."


@acked
def on_create_idea(event: tuple[str, object]):
    """Sent by a participant who joined the workshop, or by one of the event's moderators or
    the workshop's host: ``create_idea {"workshop_id", "op_id", "text", "anonymous"?,
    "category_id"?}`` (``event`` is the sender's ``sid`` and that payload).

    Idempotent per sender and ``op_id``: a repeat answers the first successful answer again and
    creates nothing — even when it would be refused now (locked, rate limited). Otherwise checks
    access and the idea rate limit, stores the idea with the next ``seq`` (``locked`` while the
    workshop is locked, or for participants outside the collect step; ``not_found`` for a
    ``category_id`` that is not one of the workshop's categories), then broadcasts
    ``idea_created {"workshop_id", "seq", "idea"}`` to the workshop's room — each audience the
    idea as it may see it (text and author withheld from the room while it writes privately,
    the total while votes are secret). Answers ``{"idea", "seq"}``, the idea as the sender sees
    it.

    The remembered answer is looked up only when the post is refused or its ``op_id`` is taken
    (:func:`~pinnwand.board.operations.answer_once`), never on the way of a new idea.
    """
    sid, payload = event
    data = parse(CreateIdea, payload)
    app_state = state()
    identity = app_state.realtime.identity(sid)
    return answer_once(app_state.db, identity.sender, data.op_id,
                       lambda: post_idea(app_state, identity, data))


def post_idea(app_state: AppState, identity: Identity, data: CreateIdea) -> dict:
    """Check access and the rate limit, then write the idea through the one write path
    (published after the commit, in ``seq`` order per workshop) and count it for the rate
    limit.

    A participant's posts are written one after the other (the next one waits for the
    previous one's answer), so the rate limit always counts the previous one."""
    app_state.access.require_poster(identity, data.workshop_id)
    if not identity.is_participant:
        staff = app_state.access.is_staff(identity, data.workshop_id)
        return write(app_state, identity, data, staff)
    with participant_lock(app_state.db, identity.participant_id):
        app_state.idea_limiter.check(identity.participant_id, RATE_LIMITED_MESSAGE)
        answer = write(app_state, identity, data, False)
        app_state.idea_limiter.record(identity.participant_id)
    return answer


def write(app_state: AppState, identity: Identity, data: CreateIdea, staff: bool) -> dict:
    """Write and publish one post, with the posts that are ready at the same moment on SQLite;
    its answer."""
    return app_state.writer.write(
        data.workshop_id,
        lambda session: services.create_idea(session, identity, data, staff),
        grouped=True)


_PARTICIPANT_LOCKS: weakref.WeakKeyDictionary[Database, defaultdict[int, threading.Lock]] = \
    weakref.WeakKeyDictionary()
_PARTICIPANT_LOCKS_GUARD = threading.Lock()


def participant_lock(db: Database, participant_id: int) -> threading.Lock:
    """The lock that lets one participant's posts to ``db`` through one at a time (in this
    process)."""
    with _PARTICIPANT_LOCKS_GUARD:
        locks = _PARTICIPANT_LOCKS.get(db)
        if locks is None:
            locks = _PARTICIPANT_LOCKS[db] = defaultdict(threading.Lock)
        return locks[participant_id]


def in_app_context(server, handler):
    """``handler`` as a python-socketio event handler ``(sid, *args)``: it runs in the app
    context of the socket's app and receives ``(sid, first argument or None)``."""

    def on_event(sid, *args):
        environ = server.get_environ(sid, namespace=NAMESPACE) or {}
        app = environ.get("flask.app")
        if app is None:  # not (or no longer) a connected socket of this server
            return failed(Unauthorized("This connection is not signed in."))
        with app.app_context():
            return handler((sid, args[0] if args else None))

    on_event.__name__ = on_event.__qualname__ = handler.__name__
    on_event.__doc__ = handler.__doc__
    return on_event


def register(socketio) -> None:
    """Bind the idea handlers to ``socketio``'s server (see the module's docstring)."""
    socketio.server.on("create_idea", in_app_context(socketio.server, on_create_idea),
                       namespace=NAMESPACE)
