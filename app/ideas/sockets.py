"""Socket handler for posting ideas.

``create_idea`` is the hot path of a live workshop (every phone, every idea), so:

- it is bound on the python-socketio server itself rather than through Flask-SocketIO's
  ``on_event``, which would build a Flask request context and open the cookie session for every
  event; it enters only the app context and finds the sender by the socket's ``sid``;
- on SQLite, posts that are ready at the same moment are written in one transaction
  (:class:`GroupCommit`): SQLite commits one transaction at a time anyway, and a commit costs
  about as much as the rest of a post's writes.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import defaultdict
from contextlib import ExitStack

from pinnwand.auth.identity import Identity
from pinnwand.db import Database
from pinnwand.errors import ApiError, Internal, Unauthorized
from pinnwand.ideas import services
from pinnwand.ideas.schemas import CreateIdea
from pinnwand.realtime import acked, failed
from pinnwand.state import AppState, state
from pinnwand.validation import parse
from sqlalchemy.exc import IntegrityError

NAMESPACE = "/"
RATE_LIMITED_MESSAGE = "You are posting very fast: wait {seconds} s and try again."
log = logging.getLogger(__name__)


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
    ``idea_created {"workshop_id", "seq", "idea"}`` to the workshop's room — with text and
    author withheld from the room while it writes privately. Answers ``{"idea", "seq"}``.

    The remembered answer is looked up only when the post is refused or its ``op_id`` is taken
    (the unique ``(sender, op_id)`` fails the insert and rolls everything back), never on the
    way of a new idea.
    """
    sid, payload = event
    data = parse(CreateIdea, payload)
    app_state = state()
    identity = app_state.realtime.identity(sid)
    try:
        return post_idea(app_state, identity, data)
    except (ApiError, IntegrityError):
        answer = remembered_answer(app_state, identity, data.op_id)
        if answer is None:
            raise
        return answer


def post_idea(app_state: AppState, identity: Identity, data: CreateIdea) -> dict:
    """Check access and the rate limit, write the idea in one transaction, publish it after the
    commit (in ``seq`` order per workshop), count it for the rate limit and the cockpit.

    A participant's posts are written one after the other (the next one waits for the
    previous one's answer), so the rate limit always counts the previous one."""
    app_state.access.require_poster(identity, data.workshop_id)
    if not identity.is_participant:
        staff = app_state.access.is_staff(identity, data.workshop_id)
        answer = write(app_state, identity, data, staff)
    else:
        with participant_lock(app_state.db, identity.participant_id):
            app_state.idea_limiter.check(identity.participant_id, RATE_LIMITED_MESSAGE)
            answer = write(app_state, identity, data, False)
            app_state.idea_limiter.record(identity.participant_id)
    app_state.stats.touch(data.workshop_id)
    return answer


def write(app_state: AppState, identity: Identity, data: CreateIdea, staff: bool) -> dict:
    """Write and publish one post: with the posts that are ready at the same moment on SQLite
    (:class:`GroupCommit`), alone otherwise. Its answer."""
    if app_state.db.is_sqlite:
        return per_database(app_state.db).group_commit.post(app_state, identity, data, staff)
    return write_alone(app_state, identity, data, staff)


def write_alone(app_state: AppState, identity: Identity, data: CreateIdea, staff: bool) -> dict:
    """Write one post in its own transaction and publish it after the commit, holding the
    workshop's ``ordered`` lock throughout; its answer."""
    with app_state.db.ordered(data.workshop_id):
        with app_state.db.transaction() as session:
            answer, change = services.create_idea(session, identity, data, staff)
        app_state.realtime.publish(change)
    return answer


class Post:
    """One ``create_idea`` waiting in a :class:`GroupCommit`: what to write, and its outcome."""

    __slots__ = ("answer", "data", "done", "error", "identity", "lead", "staff")

    def __init__(self, identity: Identity, data: CreateIdea, staff: bool):
        self.identity, self.data, self.staff = identity, data, staff
        self.answer: dict | None = None
        self.error: BaseException | None = None
        self.lead = False  # appointed to write the next batch
        self.done = threading.Event()  # set when answered, or when appointed to lead

    @property
    def finished(self) -> bool:
        return self.answer is not None or self.error is not None

    def finish(self, answer: dict | None = None, error: BaseException | None = None) -> None:
        self.answer, self.error = answer, error
        self.done.set()

    def outcome(self) -> dict:
        """The answer, or the error raised again in the sender's own handler."""
        if self.error is not None:
            raise self.error
        return self.answer


class GroupCommit:
    """Writes the posts that are ready at the same moment in one SQLite transaction.

    A post joins a queue. The first post to find nobody writing becomes the writer: it lets
    the event loop run once (posts that are ready then join the queue) and writes up to
    :attr:`MAX_BATCH` queued posts in one transaction — each with its own ``seq``, idea, log
    entry and remembered answer, exactly as alone — under the ``ordered`` locks of their
    workshops (taken in id order), publishes every change after the commit in ``seq`` order,
    answers the batch's posts, and hands the writing over to the oldest post still waiting.
    Every post gets the answer, error and broadcast it would get alone: when any post of a
    batch fails (a locked workshop, a repeated ``op_id``…), the batch is rolled back and its
    posts are written one by one.
    """

    MAX_BATCH = 64

    def __init__(self):
        self._queue: list[Post] = []
        self._writing = False
        self._guard = threading.Lock()

    def post(self, app_state: AppState, identity: Identity, data: CreateIdea,
             staff: bool) -> dict:
        """Write this post (with whatever posts join it); its answer, or its error raised."""
        post = Post(identity, data, staff)
        with self._guard:
            self._queue.append(post)
            follow, self._writing = self._writing, True
        if follow:
            post.done.wait()
            if not post.lead:
                return post.outcome()
        time.sleep(0)  # let the posts that are ready right now join this batch
        self._write_next(app_state)
        return post.outcome()

    def _write_next(self, app_state: AppState) -> None:
        with self._guard:
            batch = self._queue[:self.MAX_BATCH]
            del self._queue[:self.MAX_BATCH]
        try:
            self.write(app_state, batch)
        finally:
            for post in batch:
                if not post.finished:  # write() failed unexpectedly: nobody waits forever
                    post.finish(error=Internal())
            with self._guard:
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.done.set()
                else:
                    self._writing = False

    def write(self, app_state: AppState, batch: list[Post]) -> None:
        """Write, publish and answer ``batch``: in one transaction, or when that fails, one by
        one (each post then gets its own answer or error)."""
        with ExitStack() as locks:
            for workshop_id in sorted({post.data.workshop_id for post in batch}):
                locks.enter_context(app_state.db.ordered(workshop_id))
            written = self._together(app_state, batch) if len(batch) > 1 else None
            if written is None:
                for post in batch:
                    self._alone(app_state, post)
                return
            for post, (answer, change) in zip(batch, written, strict=True):
                app_state.realtime.publish(change)
                post.finish(answer)

    @staticmethod
    def _together(app_state: AppState, batch: list[Post]) -> list | None:
        """The batch's ``(answer, change)`` pairs, committed in one transaction; ``None`` (and
        nothing written) when any post fails."""
        try:
            with app_state.db.transaction() as session:
                return [services.create_idea(session, post.identity, post.data, post.staff)
                        for post in batch]
        except Exception:
            log.debug("a batch of %d ideas failed; writing them one by one", len(batch))
            return None

    @staticmethod
    def _alone(app_state: AppState, post: Post) -> None:
        try:
            with app_state.db.transaction() as session:
                answer, change = services.create_idea(session, post.identity, post.data,
                                                      post.staff)
        except Exception as error:
            post.finish(error=error)
            return
        app_state.realtime.publish(change)
        post.finish(answer)


class PerDatabase:
    """What posting keeps per database and process: the group commit and one lock per
    participant who posted."""

    def __init__(self):
        self.group_commit = GroupCommit()
        self.participant_locks: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)


_PER_DATABASE: weakref.WeakKeyDictionary[Database, PerDatabase] = weakref.WeakKeyDictionary()
_PER_DATABASE_GUARD = threading.Lock()


def per_database(db: Database) -> PerDatabase:
    """The posting state of ``db`` in this process."""
    with _PER_DATABASE_GUARD:
        found = _PER_DATABASE.get(db)
        if found is None:
            found = _PER_DATABASE[db] = PerDatabase()
        return found


def participant_lock(db: Database, participant_id: int) -> threading.Lock:
    """The lock that lets one participant's posts through one at a time."""
    state_of_db = per_database(db)
    with _PER_DATABASE_GUARD:
        return state_of_db.participant_locks[participant_id]


def remembered_answer(app_state: AppState, identity: Identity, op_id: str) -> dict | None:
    """The first successful answer to this sender's ``op_id``, read after a refusal or a
    conflict (a retry that raced its original finds what the original committed)."""
    with app_state.db.read() as session:
        return services.remembered(session, identity.sender, op_id)


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
