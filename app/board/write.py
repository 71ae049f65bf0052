"""The one write path: every change of a board — a workshop's or an event's plenary — is
written and published here.

A write is ``work(session) -> (answer, change | [changes] | None)``: a service that validates,
takes its ``seq`` (:mod:`pinnwand.board.seq`), changes rows and returns the changes to publish
(none for a no-op). :meth:`Writer.write` runs it

1. under the **order lock** of its board (``key``: a workshop's id, or
   :func:`plenary_key` of an event), held from the ``seq`` through the commit and the publish,
   so this process emits every board's changes in ``seq`` order;
2. in **one transaction**, committed once;
3. then **publishes** each change after the commit (each audience its variant, see
   :mod:`pinnwand.board.publish`); a publish that fails is logged and the others still go out
   (clients close the gap from the change log);
4. and, outside the lock, tells the **cockpit** which workshops changed.

A refused write raises before anything changes. On SQLite, writes that are ready at the same
moment may share one transaction (``grouped=True``, :mod:`pinnwand.board.group_commit`); the
steps stay the same.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from pinnwand.board.changes import AnyChange, Change, Outcome, changes_of
from pinnwand.board.group_commit import GroupCommit
from pinnwand.db import Database
from sqlalchemy.orm import Session

Work = Callable[[Session], tuple[dict, Outcome]]
log = logging.getLogger(__name__)


def plenary_key(event_id: int) -> int:
    """The order key of an event's plenary: negative, so it never meets a workshop's
    (workshop ids are positive)."""
    return -event_id


class Writer:
    """Writes and publishes the changes of every board of one app."""

    def __init__(self, db: Database, publish: Callable[[AnyChange], None],
                 touch: Callable[[int], None]):
        self.db = db
        self._publish = publish
        self._touch = touch
        self.group_commit = GroupCommit(self)
        self.last_published: dict[int, float] = {}  # workshop id -> time.monotonic()

    def write(self, key: int, work: Work, *, grouped: bool = False) -> dict:
        """Run ``work`` as the module describes; its answer. ``grouped``: on SQLite, share one
        transaction with the writes that are ready at the same moment."""
        if grouped and self.db.is_sqlite:
            answer, changes = self.group_commit.submit(key, work)
        else:
            answer, changes = self.write_alone(key, work)
        self.changed(changes)
        return answer

    def write_alone(self, key: int, work: Work) -> tuple[dict, list[AnyChange]]:
        """Steps 1–3 for one write in its own transaction: ``(answer, changes)``."""
        with self.db.ordered(key):
            with self.db.transaction() as session:
                answer, outcome = work(session)
            changes = changes_of(outcome)
            self.publish(changes)
        return answer, changes

    def publish(self, changes: Iterable[AnyChange]) -> None:
        """Publish committed changes in order; one that fails does not keep back the others."""
        for change in changes:
            try:
                self._publish(change)
            except Exception:
                log.exception("could not publish %s #%s", change.name, change.seq)

    def changed(self, changes: Iterable[AnyChange]) -> None:
        """Tell the cockpit which workshops changed (their figures and last activity), and
        note when each last published here (:meth:`published_within`)."""
        now = time.monotonic()
        for workshop_id in dict.fromkeys(c.workshop_id for c in changes
                                         if isinstance(c, Change)):
            self.last_published[workshop_id] = now
            self._touch(workshop_id)

    def published_within(self, workshop_id: int, seconds: float) -> bool:
        """Whether this process published a change of the workshop in the last ``seconds``."""
        last = self.last_published.get(workshop_id)
        return last is not None and time.monotonic() - last < seconds
