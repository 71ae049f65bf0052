"""A large PDF report renders while the boards stay live (real server, real sockets).

For every async mode a real ``pinnwand serve`` holds an event with three workshops and
several hundred ideas. The moderator downloads the PDF report (seconds of WeasyPrint work);
while it renders, one phone per workshop keeps posting ideas over websocket and a second phone
per workshop watches the board. Every ack must arrive, ok and quickly; every watcher must see
every idea of its workshop; the HTTP API keeps answering; the report is a real PDF.
"""

from __future__ import annotations

import io
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
import requests
from pinnwand.db import Database
from pinnwand.ideas.models import Idea

from tests.support.server import Api, create_moderator, server_env

ASYNC_MODES = ["eventlet", "gevent", "threading"]
EMAIL, PASSWORD = "moderatorin@example.org", "correct horse battery staple"
WORKSHOPS = 3
SEEDED_PER_WORKSHOP = 160  # a PDF of about 60 pages: seconds of rendering
MIN_POSTS_DURING_RENDER = 10  # per poster, at the very least
MAX_ACK_SECONDS = 3.0  # generous for a loaded CI machine; typical acks take milliseconds
POST_PAUSE_S = 0.05


def _seed(instance_path, workshop_ids: list[int]) -> None:
    """Fill the boards straight into the server's SQLite file (quicker than 480 socket
    posts; the report reads the same tables)."""
    database = Database(f"sqlite:///{instance_path / 'pinnwand.db'}")
    moment = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    try:
        with database.transaction() as session:
            for workshop_id in workshop_ids:
                session.add_all(
                    Idea(workshop_id=workshop_id, author_name=f"Person {n % 17}",
                         text=f"Idee {n}: Mentoring für „Azubis“ in Betrieben mit "
                              f"weniger als {n} Beschäftigten – Größe zählt",
                         votes=n % 9, created_at=moment + timedelta(seconds=n))
                    for n in range(SEEDED_PER_WORKSHOP))
    finally:
        database.dispose()


@pytest.mark.integration
@pytest.mark.parametrize("async_mode", ASYNC_MODES)
def test_acks_keep_arriving_while_a_large_pdf_renders(async_mode, instance_path, start_server,
                                                      open_clients):
    env = server_env(instance_path, async_mode=async_mode, idea_rate_limit=0)
    server = start_server(env)
    create_moderator(env, EMAIL, PASSWORD, "Mia Moderatorin")
    moderator = Api(server.url).login(EMAIL, PASSWORD)
    event = moderator.post("/events", {
        "title": "Fachkräfte-Forum Südwest", "date": "2026-11-21",
        "workshops": [{"title": f"Workshop {n + 1}", "question": f"Frage {n + 1}?"}
                      for n in range(WORKSHOPS)]}, expect=201)
    workshop_ids = [w["id"] for w in event["workshops"]]
    _seed(instance_path, workshop_ids)

    people = []
    for index in range(WORKSHOPS * 2):
        joined = Api(server.url).post("/join", {"code": event["join_code"],
                                                "name": f"Phone {index}"})
        people.append((joined["token"], f"phone {index}"))
    clients = open_clients(server.url, people)
    posters, watchers = clients[:WORKSHOPS], clients[WORKSHOPS:]
    for client, workshop_id in zip(clients, workshop_ids * 2, strict=True):
        client.call_ok("join_workshop", {"workshop_id": workshop_id})

    # -- the download runs in the background ---------------------------------------------------
    outcome: dict = {}

    def download():
        began = time.monotonic()
        response = requests.get(
            f"{server.url}/api/v1/events/{event['id']}/report.pdf?lang=de&authors=1",
            headers={"Authorization": f"Bearer {moderator.token}"}, timeout=600)
        outcome.update(response=response, seconds=time.monotonic() - began)

    rendering = threading.Thread(target=download, daemon=True)
    rendering.start()

    # -- meanwhile every poster posts, one idea after the other, until the PDF is there -------
    latencies: list[float] = []
    posted: dict[int, list[dict]] = {w: [] for w in workshop_ids}
    during = 0
    stop = threading.Event()

    def keep_posting(client, workshop_id):
        nonlocal during
        count = 0
        while not stop.is_set() and count < 2000:
            text = f"Live-Idee {count} aus Workshop {workshop_id} – „während des Renderns“"
            began = time.monotonic()
            ack = client.call("create_idea", {"workshop_id": workshop_id,
                                              "op_id": uuid.uuid4().hex, "text": text},
                              timeout=30)
            latencies.append(time.monotonic() - began)
            assert isinstance(ack, dict) and ack.get("ok") is True, ack
            posted[workshop_id].append(ack["data"]["idea"])
            if rendering.is_alive():
                during += 1
            count += 1
            time.sleep(POST_PAUSE_S)

    threads = [threading.Thread(target=keep_posting, args=(client, workshop_id), daemon=True)
               for client, workshop_id in zip(posters, workshop_ids, strict=True)]
    for thread in threads:
        thread.start()
    # the API answers meanwhile, too
    time.sleep(0.5)
    began = time.monotonic()
    assert moderator.get(f"/events/{event['id']}")["id"] == event["id"]
    api_seconds = time.monotonic() - began
    rendering.join(600)
    assert not rendering.is_alive(), "the PDF did not arrive within 10 minutes"
    time.sleep(0.5)  # a few more posts after the render, then stop
    stop.set()
    for thread in threads:
        thread.join(60)

    response = outcome["response"]
    assert response.status_code == 200, response.text[:500]
    assert response.content.startswith(b"%PDF")
    pages = len(pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert pages > 40, pages
    assert during >= MIN_POSTS_DURING_RENDER * WORKSHOPS, (during, outcome["seconds"])
    assert max(latencies) < MAX_ACK_SECONDS, sorted(latencies)[-5:]
    for watcher, workshop_id in zip(watchers, workshop_ids, strict=True):
        expected = {idea["id"] for idea in posted[workshop_id]}
        watcher.wait_for(lambda got, want=expected: want <= {
            payload["idea"]["id"] for name, payload in got if name == "idea_created"},
            what=f"every idea of workshop {workshop_id}")
    assert api_seconds < MAX_ACK_SECONDS, api_seconds
    print(f"\n[{async_mode}] PDF: {pages} pages in {outcome['seconds']:.1f} s; "
          f"{len(latencies)} acks ({during} during the render): median "
          f"{statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
          f"GET /events during the render {api_seconds * 1000:.0f} ms")
