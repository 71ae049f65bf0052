"""Rendering a report off the server's event loop: heavy formats in a separate process.

WeasyPrint (PDF) and python-docx (DOCX) are pure-Python heavyweights: a 30-workshop event
takes about a minute of CPU and, for the PDF, a couple of gigabytes at its peak
(``docs/report-performance.md``). Done in a thread of the server they would compete with the
live boards for the GIL and leave the server process bloated afterwards (CPython rarely hands
freed memory back). So :func:`render_file` hands them to a fresh ``python -m
pinnwand.reports.worker`` process: the report goes in as the archive JSON
(:mod:`pinnwand.reports.archive`), the file comes out; the process's memory is gone when it exits.

The server waits by polling the child (``Popen.poll`` and a short ``time.sleep``), which is
cooperative under eventlet and gevent and plain waiting under threading, so no green thread
and no thread-pool thread is ever blocked. At most :data:`MAX_WORKERS` renders run at once per
server process; further requests wait their turn in a :class:`RenderQueue` (a small report
takes a second or two): moderators first, then anonymous readers of published pages, each in
the order they came. At most :data:`PUBLIC_WAITING` anonymous renders wait; more are told to
come back (``503`` with ``Retry-After``), so anonymous readers can neither starve moderators
nor pile up work. Workers run niced (:data:`NICENESS`): a large PDF is laid out by two
processes at once, and when the cores are busy the live boards go first. Light formats
(Markdown, CSV, XLSX, JSON) render in a worker thread (:func:`pinnwand.background.run_blocking`).

Starting a worker costs about a second before it renders anything (imports, fonts, the
hyphenation dictionaries). So after each heavy render the server starts one *spare* worker
that does all of that and then waits for its job; the next render hands its job to the
spare and only waits for the render itself. A spare renders one job and exits like any
worker (its memory goes back to the system); it also exits after :data:`SPARE_IDLE_SECONDS`
without a job, or as soon as the server process is gone (its job pipe closes).
"""

from __future__ import annotations

import json
import logging
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from contextlib import contextmanager

from pinnwand.background import run_blocking
from pinnwand.errors import Unavailable
from pinnwand.reports.archive import report_from_json, report_to_json
from pinnwand.reports.model import EventReport
from pinnwand.reports.render import render

HEAVY = frozenset({"pdf", "docx"})
MAX_WORKERS = 1  # one render at a time per server process (a large PDF uses two cores)
NICENESS = 10  # workers yield the CPU to the server (and everything else at the default 0)
PUBLIC_WAITING = 4  # anonymous renders waiting for their turn; more get 503
PUBLIC_RETRY_SECONDS = 10
TIMEOUT_SECONDS = 900
POLL_SECONDS = 0.05
SPARE_IDLE_SECONDS = 600  # a spare worker nobody used for this long exits
MODERATOR, PUBLIC = "moderator", "public"
log = logging.getLogger(__name__)


class RenderQueue:
    """Turns for heavy renders: ``workers`` at once; a waiting moderator always goes before a
    waiting anonymous reader, each kind in the order it came; at most ``public_waiting``
    anonymous renders wait (then :class:`Unavailable`)."""

    def __init__(self, workers: int = MAX_WORKERS, public_waiting: int = PUBLIC_WAITING):
        self.workers = workers
        self.public_waiting = public_waiting
        self.started = 0  # renders that got their turn since the start (a figure for tests)
        self._running = 0
        self._lines: dict[str, deque] = {MODERATOR: deque(), PUBLIC: deque()}
        self._changed = threading.Condition()

    @contextmanager
    def turn(self, who: str = MODERATOR):
        """Wait for a turn as ``who`` (:data:`MODERATOR` or :data:`PUBLIC`), then hold it."""
        ticket = object()
        with self._changed:
            line = self._lines[who]
            if who == PUBLIC and len(line) >= self.public_waiting:
                raise Unavailable("Many reports are being prepared right now: try again in a "
                                  "few seconds.", PUBLIC_RETRY_SECONDS)
            line.append(ticket)
            while not (self._running < self.workers and self._next() is ticket):
                self._changed.wait()
            line.popleft()
            self._running += 1
            self.started += 1
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()

    def waiting(self, who: str) -> int:
        """How many of ``who`` wait for a turn now."""
        return len(self._lines[who])

    def _next(self):
        for who in (MODERATOR, PUBLIC):
            if self._lines[who]:
                return self._lines[who][0]
        return None


# Created when this module is imported, i.e. after the serve command monkey-patched
# ``threading``: under eventlet and gevent its condition is green, as it must be.
queue = RenderQueue()


def render_file(report: EventReport, fmt: str, lang: str, who: str = MODERATOR) -> bytes:
    """The report as a file in ``fmt``, rendered without stalling anything else; a heavy
    format waits for its turn as ``who`` (:class:`RenderQueue`)."""
    if fmt not in HEAVY:
        return run_blocking(render, report, fmt, lang)
    with queue.turn(who):
        try:
            return _render_in_process(report, fmt, lang)
        finally:
            spares.refill()


class Worker:
    """A ``python -m pinnwand.reports.worker`` process waiting for one job on its stdin: the
    paths of the archive JSON to read and of the file to write."""

    def __init__(self):
        # kept open for the worker's life, closed in close()
        self.errors = tempfile.TemporaryFile(prefix="pinnwand-worker-")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pinnwand.reports.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=self.errors, env=_environment(), close_fds=True,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def run(self, source: str, target: str) -> int:
        """Hand the job over, wait for the worker to finish it; its exit code."""
        self.process.stdin.write(json.dumps({"input": source, "output": target}).encode()
                                 + b"\n")
        self.process.stdin.close()
        return _wait(self.process)

    def messages(self) -> str:
        self.errors.seek(0)
        return self.errors.read()[-4000:].decode("utf-8", "replace")

    def close(self) -> None:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()  # a waiting worker exits
        self.errors.close()


class Spares:
    """At most one warmed-up worker waiting for the next heavy render."""

    def __init__(self):
        self._spare: Worker | None = None
        self._lock = threading.Lock()

    def take(self) -> Worker:
        """The spare if it is still waiting, else a new (cold) worker."""
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is not None and spare.alive():
            return spare
        if spare is not None:
            spare.close()
        return Worker()

    def refill(self) -> None:
        """Start a spare unless one is waiting (or cannot be started)."""
        with self._lock:
            if self._spare is not None and self._spare.alive():
                return
            if self._spare is not None:
                self._spare.close()  # it waited too long and left
            try:
                self._spare = Worker()
            except OSError:
                log.exception("could not start a spare report worker")
                self._spare = None


spares = Spares()


class RenderFailed(RuntimeError):
    """The worker process failed or ran out of time."""


def _render_in_process(report: EventReport, fmt: str, lang: str) -> bytes:
    payload = run_blocking(_payload, report, fmt, lang)
    with tempfile.TemporaryDirectory(prefix="pinnwand-report-") as folder:
        source, target = (os.path.join(folder, name) for name in ("in.json", "out"))
        with open(source, "wb") as handle:
            handle.write(payload)
        code, errors = _run_job(spares.take(), source, target)
        if code != 0:
            log.error("report worker (%s) exited with %s: %s", fmt, code, errors[-2000:])
            raise RenderFailed(f"The {fmt} report could not be rendered.")
        with open(target, "rb") as handle:
            return handle.read()


def _run_job(worker: Worker, source: str, target: str) -> tuple[int, str]:
    """Let ``worker`` render ``source`` into ``target``: its exit code and messages. A spare
    that left just before it got the job (its idle time ran out) is replaced by a fresh
    worker."""
    try:
        try:
            code = worker.run(source, target)
        except BrokenPipeError:
            worker.close()
            worker = Worker()
            code = worker.run(source, target)
        return code, worker.messages()
    finally:
        worker.close()


def _payload(report: EventReport, fmt: str, lang: str) -> bytes:
    return json.dumps({"format": fmt, "lang": lang, "report": report_to_json(report)},
                      ensure_ascii=False).encode()


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PINNWAND_ASYNC_MODE", None)  # the worker never serves; nothing to patch
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _wait(child: subprocess.Popen) -> int:
    """Wait for the child without blocking: poll, then yield (green or real sleep)."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while (code := child.poll()) is None:
        if time.monotonic() > deadline:
            child.kill()
            child.wait()
            raise RenderFailed("Rendering the report took too long.")
        time.sleep(POLL_SECONDS)
    return code


def main() -> int:
    """``python -m pinnwand.reports.worker``: get ready, wait for one job on stdin (a line
    ``{"input": path, "output": path}``), render the archive JSON at ``input`` into the file
    at ``output``. Exits without rendering when no job comes within
    :data:`SPARE_IDLE_SECONDS` or stdin closes."""
    _lower_priority()
    if not _job_waiting(0):
        warm_up()
    if not _job_waiting(SPARE_IDLE_SECONDS):
        return 0
    line = sys.stdin.buffer.readline()
    if not line.strip():
        return 0  # the server closed the pipe: nothing to do
    job = json.loads(line)
    with open(job["input"], "rb") as handle:
        data = json.loads(handle.read())
    body = render(report_from_json(data["report"]), data["format"], data["lang"])
    with open(job["output"], "wb") as handle:
        handle.write(body)
    return 0


def _lower_priority() -> None:
    """Run at :data:`NICENESS`: when the cores are busy, the server's live boards go first
    (a large PDF lays out two parts at once, see :data:`pinnwand.reports.formats.pdf.PROCESSES`)."""
    try:
        os.nice(NICENESS)
    except OSError:
        log.warning("could not lower the report worker's priority")


def _job_waiting(seconds: float) -> bool:
    readable, _, _ = select.select([sys.stdin], [], [], seconds)
    return bool(readable)


def warm_up() -> None:
    """Import the heavy formats and let them load what every render needs (fonts,
    hyphenation dictionaries), so that a job starts rendering at once."""
    from pinnwand.reports.formats import pdf, word  # noqa: F401

    pdf.warm_up()


if __name__ == "__main__":
    sys.exit(main())
