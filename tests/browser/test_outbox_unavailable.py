"""The phone waits out a busy database: its board opens, its idea stays, once it can.

A real server (SQLite, ``PINNWAND_DB_TIMEOUT=1``) in Chromium. While another connection holds
SQLite's write lock, a phone entering a workshop for the first time (its membership is written)
is answered ``unavailable`` with ``retry_after``; the board asks again after that time and
opens once the lock is gone. Then, under the lock again, its idea is answered ``unavailable``;
the outbox keeps it (no error, no edit asked for) and sends it again after that time, with the
same ``op_id``, until it is stored: exactly once, once the lock is gone.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Screens
from tests.support.server import Api, ServerProcess, create_moderator, server_env

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "busy@example.org", "die Datenbank ist beschäftigt"
QUESTION = "Was tun, wenn es klemmt?"


@pytest.fixture
def busy_server(tmp_path) -> Iterator[ServerProcess]:
    instance = tmp_path / "instance"
    instance.mkdir()
    env = server_env(instance, PINNWAND_DB_TIMEOUT="1")
    create_moderator(env, EMAIL, PASSWORD, "Bea Busy", cwd=instance)
    server = ServerProcess(env, cwd=instance)
    server.start()
    yield server
    server.stop()


def by(page: Page, testid: str):
    return page.get_by_test_id(testid)


@contextlib.contextmanager
def write_lock(database: str) -> Iterator[None]:
    """Another connection holds SQLite's write lock (a script, a backup) meanwhile."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


def wait_for_refusals(page: Page, server: ServerProcess, handler: str, count: int = 2) -> None:
    """Until the server has answered ``handler`` with ``unavailable`` ``count`` times (the
    client asked again after the first answer); 30 s at most."""
    line = f"socket event {handler}: database unavailable"
    for _ in range(300):
        if server.output().count(line) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the server did not answer {handler} unavailable {count} times")


def test_an_idea_waits_out_a_busy_database_and_arrives_once(chromium, busy_server, request):
    screens = Screens(chromium, busy_server.url, request.node.name)
    try:
        moderator = Api(busy_server.url).login(EMAIL, PASSWORD)
        event = moderator.post("/events", {"title": "Klemmt", "workshops": [
            {"title": "Eins", "question": QUESTION}]}, expect=201)
        phone = screens.page(screens.phone(), "phone")
        phone.goto(event["join_url"])
        by(phone, "join-name").fill("Anna")
        by(phone, "join-submit").tap()
        expect(by(phone, "workshop-choice")).to_have_count(1)
        database = busy_server.env["PINNWAND_INSTANCE_PATH"] + "/pinnwand.db"

        with write_lock(database):
            by(phone, "workshop-choice").first.tap()
            wait_for_refusals(phone, busy_server, "on_join_workshop")
            expect(by(phone, "idea-count")).not_to_have_attribute("data-count", "0")
        expect(by(phone, "idea-count")).to_have_attribute("data-count", "0")  # the board is live

        with write_lock(database):
            by(phone, "idea-text").fill("Geduld zahlt sich aus")
            by(phone, "idea-submit").tap()
            item = by(phone, "outbox-item")
            expect(item).to_have_count(1)
            wait_for_refusals(phone, busy_server, "on_create_idea")
            expect(item).to_have_count(1)
            expect(item).not_to_have_attribute("data-state", "error")
        expect(by(phone, "outbox-item")).to_have_count(0)
        expect(by(by(phone, "idea-list"), "idea-card-text")).to_have_text(
            ["Geduld zahlt sich aus"])
        report = moderator.request("GET", f"/events/{event['id']}/report.json").json()
        texts = [idea["text"] for workshop in report["workshops"] for idea in workshop["ideas"]]
        assert texts == ["Geduld zahlt sich aus"]
        screens.assert_clean()
    finally:
        screens.close()
