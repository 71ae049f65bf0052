"""Group commit (SQLite): writes that are ready at the same moment share one transaction.

SQLite commits one transaction at a time anyway, and a commit costs about as much as the rest
of a post's writes, so a room full of phones posting at once is written in few commits. A write
joins a queue. The first to find nobody writing becomes the **writer**: it lets the event loop
run once (writes that are ready then join the queue), takes up to :attr:`GroupCommit.MAX_BATCH`
queued writes, and writes them in one transaction under the order locks of their boards (taken
in key order) — each in its own **savepoint**, so a write that fails (a locked workshop, a
repeated ``op_id``…) is rolled back alone and gets its own error while the others commit
together. A write alone in its batch (a quiet room, posts spread out) is written without a
savepoint: rolling back its transaction undoes the same. After the commit it publishes every
change in order (a publish that fails keeps back no other), answers the batch, and hands the
writing over to the oldest write still waiting.

Whatever happens to the writer, the hand-over happens and nobody of its batch waits for ever;
a write that waits longer than :attr:`GroupCommit.wait_seconds` gets an ``internal`` error
(taken out of the queue when it was not being written yet; otherwise its answer is remembered
under its ``op_id``, so a retry receives it).
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack

from pinnwand.board.changes import changes_of
from pinnwand.errors import Internal

BUSY = "The server is busy right now: send it again."


class Pending:
    """One write waiting in a :class:`GroupCommit`: what to run, and its outcome."""

    __slots__ = ("answer", "changes", "done", "error", "key", "lead", "work")

    def __init__(self, key: int, work):
        self.key, self.work = key, work
        self.answer: dict | None = None
        self.changes: list = []
        self.error: BaseException | None = None
        self.lead = False  # appointed to write the next batch
        self.done = threading.Event()  # set when answered, or when appointed to lead

    @property
    def finished(self) -> bool:
        return self.answer is not None or self.error is not None

    def finish(self, answer: dict, changes: list) -> None:
        self.answer, self.changes = answer, changes
        self.done.set()

    def fail(self, error: BaseException) -> None:
        self.error = error
        self.done.set()

    def outcome(self) -> tuple[dict, list]:
        """``(answer, changes)``, or the error raised again in the sender's own handler."""
        if self.error is not None:
            raise self.error
        return self.answer, self.changes


class GroupCommit:
    """The queue and the writer hand-over of one :class:`~pinnwand.board.write.Writer`."""

    MAX_BATCH = 64

    def __init__(self, writer, wait_seconds: float = 30.0):
        self.writer = writer
        self.wait_seconds = wait_seconds
        self._queue: list[Pending] = []
        self._writing = False
        self._guard = threading.Lock()

    @property
    def waiting(self) -> int:
        """How many writes wait in the queue (not yet taken into a batch)."""
        with self._guard:
            return len(self._queue)

    def submit(self, key: int, work) -> tuple[dict, list]:
        """Write ``work`` (with whatever writes join it): ``(answer, changes)``, or its error
        raised."""
        pending = Pending(key, work)
        with self._guard:
            self._queue.append(pending)
            leading, self._writing = not self._writing, True
        if not leading:
            try:
                leading = self._wait_turn(pending)
            except BaseException:
                self._abandon(pending)
                raise
        if leading:
            self._lead(pending)
        return pending.outcome()

    def _wait_turn(self, pending: Pending) -> bool:
        """Wait until ``pending`` is answered (``False``) or appointed to write (``True``); after
        :attr:`wait_seconds` refuse it as busy."""
        if pending.done.wait(self.wait_seconds):
            return pending.lead
        with self._guard:
            if pending.lead:
                return True
        raise Internal(BUSY)

    def _abandon(self, pending: Pending) -> None:
        """A write whose sender stops waiting (refused as busy, or its thread is ended) leaves
        the queue; appointed to write already, it hands the writing over first."""
        with self._guard:
            if not pending.lead:
                if pending in self._queue:
                    self._queue.remove(pending)
                return
        self._hand_over(pending, [])

    def _lead(self, own: Pending) -> None:
        """Write the next batch (``own`` is in it), then hand over, whatever happened."""
        batch: list[Pending] = []
        try:
            time.sleep(0)  # let the writes that are ready right now join this batch
            with self._guard:
                batch = self._queue[:self.MAX_BATCH]
                del self._queue[:self.MAX_BATCH]
            self.write(batch)
        finally:
            self._hand_over(own, batch)

    def _hand_over(self, own: Pending, batch: list[Pending]) -> None:
        """Answer what the batch left unanswered (``internal``) and appoint the oldest waiting
        write to write next, or note that nobody writes."""
        for pending in batch:
            if not pending.finished:
                pending.fail(Internal())
        with self._guard:
            if own in self._queue:  # the writer failed before it took its batch
                self._queue.remove(own)
                own.fail(Internal())
            if self._queue:
                successor = self._queue[0]
                successor.lead = True
                successor.done.set()
            else:
                self._writing = False

    def write(self, batch: list[Pending]) -> None:
        """Write ``batch`` in one transaction under its boards' order locks, publish what was
        written in order, and answer every write of the batch."""
        db = self.writer.db
        with ExitStack() as locks:
            for key in sorted({pending.key for pending in batch}):
                locks.enter_context(db.ordered(key))
            for pending, answer, changes in self._commit(batch):
                self.writer.publish(changes)
                pending.finish(answer, changes)

    def _commit(self, batch: list[Pending]) -> list[tuple[Pending, dict, list]]:
        """Run each write of ``batch`` in its own savepoint of one transaction; the writes
        committed, with their answers and changes. A write that fails is rolled back alone
        and gets its error; when the transaction itself fails (it could not begin, or not commit),
        every other write of the batch gets that error, so a busy database answers
        ``unavailable`` rather than ``internal``.

        A write alone in its batch (a quiet room) needs no savepoint: when it fails, the whole
        transaction is rolled back, which is the same."""
        written = []
        try:
            # On SQLite the transaction has begun (BEGIN IMMEDIATE) when the session is handed
            # out, so the savepoints nest in it.
            with self.writer.db.transaction() as session:
                if len(batch) == 1:
                    answer, outcome = batch[0].work(session)
                    written.append((batch[0], answer, changes_of(outcome)))
                else:
                    written = self._each_in_a_savepoint(session, batch)
        except Exception as error:  # the whole transaction failed (e.g. the database is busy)
            for pending in batch:
                if pending.error is None:
                    pending.fail(error)
            return []
        return written

    @staticmethod
    def _each_in_a_savepoint(session, batch: list[Pending]) -> list[tuple[Pending, dict, list]]:
        """Run each write of ``batch`` in its own savepoint of ``session``'s transaction; the
        writes that succeeded, with their answers and changes (a write that failed gets its
        error)."""
        written = []
        for pending in batch:
            try:
                with session.begin_nested():
                    answer, outcome = pending.work(session)
            except Exception as error:
                pending.fail(error)
            else:
                written.append((pending, answer, changes_of(outcome)))
        return written
