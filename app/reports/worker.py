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
server process; further requests wait their turn (a small report takes a second or two).
Light formats (Markdown, CSV, XLSX, JSON) render in a worker thread
(:func:`pinnwand.background.run_blocking`).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time

from pinnwand.background import run_blocking
from pinnwand.reports.archive import report_from_json, report_to_json
from pinnwand.reports.model import EventReport
from pinnwand.reports.render import render

HEAVY = frozenset({"pdf", "docx"})
MAX_WORKERS = 1  # a 6,000-idea PDF peaks near 2 GB: one at a time per server process
TIMEOUT_SECONDS = 900
POLL_SECONDS = 0.05
log = logging.getLogger(__name__)

# Created when this module is imported, i.e. after the serve command monkey-patched
# ``threading``: under eventlet and gevent this is a green semaphore, as it must be.
_slots = threading.BoundedSemaphore(MAX_WORKERS)


class RenderFailed(RuntimeError):
    """The worker process failed or ran out of time."""


def render_file(report: EventReport, fmt: str, lang: str) -> bytes:
    """The report as a file in ``fmt``, rendered without stalling anything else."""
    if fmt not in HEAVY:
        return run_blocking(render, report, fmt, lang)
    with _slots:
        return _render_in_process(report, fmt, lang)


def _render_in_process(report: EventReport, fmt: str, lang: str) -> bytes:
    payload = run_blocking(_payload, report, fmt, lang)
    with tempfile.TemporaryDirectory(prefix="pinnwand-report-") as folder:
        source, target, messages = (os.path.join(folder, name)
                                    for name in ("in.json", "out", "err.txt"))
        with open(source, "wb") as handle:
            handle.write(payload)
        with open(source, "rb") as stdin, open(target, "wb") as stdout, \
                open(messages, "wb") as stderr:
            child = subprocess.Popen(
                [sys.executable, "-m", "pinnwand.reports.worker"], stdin=stdin, stdout=stdout,
                stderr=stderr, env=_environment(), close_fds=True,
            )
        code = _wait(child)
        with open(messages, "rb") as handle:
            errors = handle.read()[-4000:].decode("utf-8", "replace")
        if code != 0:
            log.error("report worker (%s) exited with %s: %s", fmt, code, errors[-2000:])
            raise RenderFailed(f"The {fmt} report could not be rendered.")
        with open(target, "rb") as handle:
            return handle.read()


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
    """``python -m pinnwand.reports.worker``: archive JSON on stdin → the file on stdout."""
    data = json.loads(sys.stdin.buffer.read())
    body = render(report_from_json(data["report"]), data["format"], data["lang"])
    sys.stdout.buffer.write(body)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
