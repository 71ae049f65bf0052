"""Heavy renders in worker processes: after each one a warmed-up spare waits for the next
job, takes it, renders it and exits; a spare whose server is gone exits too, a spare that
died is replaced by a fresh worker, and workers run at a lower priority than the server.
Real processes, real renders (DOCX: the quicker one)."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime, timedelta

import docx
import pytest
from pinnwand.reports import worker
from pinnwand.reports.model import EventInfo, IdeaRow, ReportOptions, WorkshopFacts, assemble_report
from pinnwand.reports.worker import Spares, Worker, render_file

from tests.support.server import wait_until

START = datetime(2026, 11, 21, 9, 5, tzinfo=UTC)


def _report():
    ideas = [IdeaRow(id=n, workshop_id=1, text=f"Idee Nummer {n}", author=None, votes=n,
                     created_at=START + timedelta(minutes=n)) for n in range(1, 6)]
    facts = [WorkshopFacts(id=1, position=1, title="Ausbildung", question="Wie?", locked=False,
                           step="act", participants=3, ideas=ideas, actions=[])]
    event = EventInfo(id=1, title="Forum", date=date(2026, 11, 21), location="Siegen",
                      description=None, organiser=None, moderators=("Maria",),
                      join_code="ABC234", join_url="https://example.org/join/ABC234",
                      time_zone="Europe/Berlin", page_size="A4")
    return assemble_report(event=event, agenda=(), workshops=facts, participants=3,
                           options=ReportOptions(), generated_at=START + timedelta(hours=8))


@pytest.fixture
def spares(monkeypatch):
    fresh = Spares()
    monkeypatch.setattr(worker, "spares", fresh)
    yield fresh
    if fresh._spare is not None:
        fresh._spare.close()


def _text(body: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)


def test_the_next_heavy_render_goes_to_the_spare_started_after_the_last(spares):
    report = _report()
    assert "Ausbildung" in _text(render_file(report, "docx", "de"))
    spare = spares._spare
    assert spare is not None and spare.alive()  # started after the render, waiting
    body = render_file(report, "docx", "de")
    assert "Ausbildung" in _text(body)
    assert spare.process.returncode == 0  # it rendered the job and exited
    assert spares._spare is not spare and spares._spare.alive()  # the next one waits


def test_a_spare_exits_when_its_server_closes_the_job_pipe():
    spare = Worker()
    spare.close()
    assert wait_until(lambda: spare.process.poll() is not None, timeout=60,
                      what="the spare to exit") is not None
    assert spare.process.returncode == 0


def test_a_worker_yields_the_cpu_to_the_server():
    spare = Worker()
    try:
        server = os.getpriority(os.PRIO_PROCESS, 0)
        assert wait_until(lambda: os.getpriority(os.PRIO_PROCESS, spare.process.pid)
                          == min(server + worker.NICENESS, 19), timeout=60,
                          what="the worker to lower its priority")
    finally:
        spare.close()


def test_a_dead_spare_is_replaced_by_a_fresh_worker(spares):
    report = _report()
    spares.refill()
    dead = spares._spare
    dead.process.kill()
    dead.process.wait()
    assert "Ausbildung" in _text(render_file(report, "docx", "en"))
    assert spares._spare is not dead and spares._spare.alive()


def test_a_failing_job_exits_non_zero_with_its_message(spares, tmp_path):
    spares.refill()
    spare = spares.take()
    source = tmp_path / "in.json"
    source.write_text("{not json")
    code = spare.run(str(source), str(tmp_path / "out"))
    assert code != 0 and "JSONDecodeError" in spare.messages()
    spare.close()


def test_a_spare_that_left_just_before_its_job_is_replaced(spares, monkeypatch):
    gone = Worker()
    gone.process.kill()
    gone.process.wait()
    monkeypatch.setattr(spares, "take", lambda: gone)  # as if it left after take() looked
    assert "Ausbildung" in _text(render_file(_report(), "docx", "de"))
