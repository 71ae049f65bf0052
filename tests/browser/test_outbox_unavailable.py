"""The phone's outbox waits out a busy database: the idea stays, and goes once it can.

A real server (SQLite, ``PINNWAND_DB_TIMEOUT=1``) in Chromium: while another connection holds
SQLite's write lock, the phone's idea is answered ``unavailable`` with ``retry_after``; the
outbox keeps it (no error, no edit asked for) and sends it again after that time, with the same
``op_id``, until it is stored: exactly once, once the lock is gone.
"""

from __future__ import annotations

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
        by(phone, "workshop-choice").first.tap()
        expect(by(phone, "board-question")).to_have_text(QUESTION)

        holder = sqlite3.connect(busy_server.env["PINNWAND_INSTANCE_PATH"] + "/pinnwand.db",
                                 isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            by(phone, "idea-text").fill("Geduld zahlt sich aus")
            by(phone, "idea-submit").tap()
            item = by(phone, "outbox-item")
            expect(item).to_have_count(1)
            for _ in range(200):  # the server answers unavailable at least once (20 s at most)
                if "database unavailable" in busy_server.output():
                    break
                phone.wait_for_timeout(100)
            else:
                raise AssertionError("the server never answered unavailable")
            expect(item).to_have_count(1)
            expect(item).not_to_have_attribute("data-state", "error")
        finally:
            holder.rollback()
            holder.close()
        expect(by(phone, "outbox-item")).to_have_count(0)
        expect(by(by(phone, "idea-list"), "idea-card-text")).to_have_text(
            ["Geduld zahlt sich aus"])
        report = moderator.request("GET", f"/events/{event['id']}/report.json").json()
        texts = [idea["text"] for workshop in report["workshops"] for idea in workshop["ideas"]]
        assert texts == ["Geduld zahlt sich aus"]
        screens.assert_clean()
    finally:
        screens.close()
