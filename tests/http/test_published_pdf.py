"""The published results PDF is rendered once per publication and language, for every reader;
publishing again renders it anew; deleting personal data or withdrawing deletes it; and
moderators' renders go before anonymous readers', whose line is short.

Real renders: WeasyPrint in the worker process, as in production.
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from pinnwand.reports import worker
from pinnwand.reports.models import PublishedFile
from pinnwand.reports.worker import MODERATOR, PUBLIC
from sqlalchemy import func, select

from tests.support.server import wait_until

READERS = 10


def publish(client, auth, event_id: int, **body) -> str:
    """Publish an event's results; the path of its PDF."""
    answer = client.put(f"/api/v1/events/{event_id}/publication", headers=auth, json=body)
    assert answer.status_code == 200, answer.json
    return re.sub(r"^https?://[^/]+", "", answer.json["pdf_url"])


def stored_files(app) -> list[tuple[int, str, int]]:
    with app.extensions["pinnwand"].db.read() as session:
        return list(session.execute(select(PublishedFile.publication_id, PublishedFile.lang,
                                           PublishedFile.version)).all())


def read_at_once(app, path: str, readers: int = READERS) -> list:
    """``readers`` anonymous downloads of ``path`` at the same time (each its own client)."""
    answers: list = [None] * readers
    start = threading.Barrier(readers)

    def read(number: int) -> None:
        client = app.test_client()
        start.wait(10)
        answers[number] = client.get(path)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def test_many_readers_at_once_get_one_render(app, client, auth, event):
    path = publish(client, auth, event["id"])
    started = worker.queue.started
    answers = read_at_once(app, path)
    assert [answer.status_code for answer in answers] == [200] * READERS
    assert answers[0].data.startswith(b"%PDF")
    assert all(answer.data == answers[0].data for answer in answers)
    assert worker.queue.started - started == 1
    assert len(stored_files(app)) == 1
    again = client.get(path)
    assert again.data == answers[0].data and worker.queue.started - started == 1
    assert again.headers["Content-Disposition"].endswith('.pdf"')


def test_publishing_again_renders_anew_and_deleting_personal_data_deletes_the_file(
        app, client, auth, event):
    path = publish(client, auth, event["id"], lang="de")
    first = client.get(path)
    assert first.status_code == 200
    [(_, lang, version)] = stored_files(app)
    started = worker.queue.started
    assert publish(client, auth, event["id"], lang="de", authors=True) == path  # same link
    assert stored_files(app) == []  # the old version is gone at once
    second = client.get(path)
    assert second.status_code == 200 and worker.queue.started - started == 1
    assert stored_files(app) == [(stored_files(app)[0][0], lang, version + 1)]
    english = client.get(f"{path}?lang=en")
    assert english.status_code == 200 and english.data != second.data
    assert len(stored_files(app)) == 2
    purged = client.post(f"/api/v1/events/{event['id']}/privacy/purge", headers=auth)
    assert purged.status_code == 200
    assert stored_files(app) == []  # the stored PDFs could name participants
    assert client.get(path).status_code == 200


def test_withdrawing_deletes_the_file(app, client, auth, event):
    path = publish(client, auth, event["id"])
    assert client.get(path).status_code == 200 and len(stored_files(app)) == 1
    assert client.delete(f"/api/v1/events/{event['id']}/publication",
                         headers=auth).status_code == 204
    assert stored_files(app) == []
    assert client.get(path).status_code == 410


@pytest.fixture
def short_line():
    """The renders' queue with a line of two anonymous readers (restored afterwards)."""
    before = worker.queue.public_waiting
    worker.queue.public_waiting = 2
    yield worker.queue
    worker.queue.public_waiting = before


def test_the_moderator_goes_before_anonymous_readers(app, client, auth, short_line):
    """Renders are held up; two readers of two published events wait, a third is told to come
    back; then the moderator's download overtakes the two readers."""
    events = [client.post("/api/v1/events", headers=auth, json={
        "title": f"Veranstaltung {n}", "workshops": [{"title": "W", "question": "?"}]}).json
        for n in range(3)]
    paths = [publish(client, auth, event["id"]) for event in events]
    finished: dict[str, float] = {}
    answers: dict[str, object] = {}
    release, holding = threading.Event(), threading.Event()

    def hold() -> None:
        with short_line.turn(MODERATOR):
            holding.set()
            release.wait(60)

    def fetch(name: str, path: str, headers=None) -> None:
        answers[name] = app.test_client().get(path, headers=headers)
        finished[name] = time.monotonic()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    readers = []
    for number, path in enumerate(paths[:2]):
        readers.append(threading.Thread(target=fetch, args=(f"reader {number}", path)))
        readers[-1].start()
        wait_until(lambda n=number: short_line.waiting(PUBLIC) == n + 1, what="a reader in line")
    turned_away = client.get(paths[2])
    assert turned_away.status_code == 503 and int(turned_away.headers["Retry-After"]) >= 1
    assert turned_away.json["error"]["code"] == "unavailable"
    moderator = threading.Thread(target=fetch, args=(
        "moderator", f"/api/v1/events/{events[2]['id']}/report.pdf", auth))
    moderator.start()
    wait_until(lambda: short_line.waiting(MODERATOR) == 1, what="the moderator in line")
    release.set()
    for thread in [holder, moderator, *readers]:
        thread.join(120)
    assert {name: answer.status_code for name, answer in answers.items()} == \
        {"moderator": 200, "reader 0": 200, "reader 1": 200}
    assert finished["moderator"] < min(finished["reader 0"], finished["reader 1"])
    with app.extensions["pinnwand"].db.read() as session:
        assert session.scalar(select(func.count()).select_from(PublishedFile)) == 2
