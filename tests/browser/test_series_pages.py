"""The action register and the personal link's phone page in Chromium, against a real
``pinnwand serve``: at 1440 px the moderator filters, searches and sorts the register of a
series, sets a status, hands out a personal link (URL and QR code); on a phone (360 and
390 px) the owner opens that link, sets the status and adds a note, and the register shows
it. Layout invariants on every screen (nothing wider than the viewport, no sideways
scrolling); screenshots in ``test-artifacts/screenshots/``."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import LAPTOP_1440, PHONE, PHONE_390
from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import Page, expect
except ImportError:  # without Playwright: skip here, fail in CI (like a missing Chromium)
    from tests.support.services import in_ci

    if in_ci():
        raise
    pytest.skip("Playwright for Python is not installed: pip install -e '.[test]'",
                allow_module_level=True)

pytestmark = pytest.mark.browser

LAYOUT_PROBLEMS = (Path(__file__).with_name("layout_problems.js")).read_text(encoding="utf-8")
LONG_TITLE = ("Ausbildungsplatzakquisekampagne in Berufsbildungszentren der Mecklenburgischen "
              "Seenplatte")


def by(page: Page, testid: str):
    return page.get_by_test_id(testid)


def assert_layout(page: Page, what: str) -> None:
    problems = page.evaluate(LAYOUT_PROBLEMS, "body")
    assert problems == [], f"{what}:\n" + "\n".join(problems)


@pytest.fixture
def series(live_server, moderator) -> dict:
    """A series of two forums with three actions (one with a long German title)."""
    api = Api(live_server.url).login(moderator.email, moderator.password)
    series = api.post("/series", {"title": f"Dialogforen Seenplatte {uuid.uuid4().hex[:4]}"},
                      expect=201)
    forums = [api.post("/events", {"title": title, "date": date, "series_id": series["id"],
                                   "workshops": [{"title": "Halten", "question": "Wie?"}]},
                       expect=201)
              for title, date in (("Frühjahrsforum", "2026-04-01"),
                                  ("Herbstforum", "2026-10-01"))]
    mod = LiveClient(live_server.url, api.token, "mod").connect()
    actions = []
    try:
        for forum, title, owner in ((forums[0], "Pendlerbus", "Stadtwerke"),
                                    (forums[0], LONG_TITLE, "Kreishandwerkerschaft"),
                                    (forums[1], "Mentoring", "Handwerkskammer")):
            actions.append(mod.call_ok("save_action", {
                "workshop_id": forum["workshops"][0]["id"], "op_id": uuid.uuid4().hex,
                "title": title, "owner": owner, "due": "2026-09-30",
                "what": "Ein Bus vom Bahnhof ins Gewerbegebiet, morgens und abends"})["action"])
    finally:
        mod.close()
    return {"api": api, "series": series, "actions": actions}


def _sign_in(page: Page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


def test_the_moderator_works_the_register(screens, series, moderator):
    page = screens.page(screens._context(LAPTOP_1440), "register")
    _sign_in(page, moderator)
    page.goto(f"/moderator/series/{series['series']['id']}")
    expect(by(page, "series-title")).to_have_text(series["series"]["title"])
    items = by(page, "register-item")
    expect(items).to_have_count(3)
    expect(by(page, "series-events")).to_contain_text("Herbstforum")
    by(page, "register-search").fill("bus")
    expect(items).to_have_count(3)  # "Bus" is in every action's description
    by(page, "register-search").fill("pendler")
    expect(items).to_have_count(1)
    by(page, "register-search").fill("")
    expect(items).to_have_count(3)
    by(page, "register-sort").select_option("title")
    expect(items.first.get_by_test_id("register-item-title")).to_have_text(LONG_TITLE)

    bus = page.locator('[data-testid="register-item"]', has_text="Pendlerbus")
    bus.get_by_test_id("register-update-status").select_option("running")
    bus.get_by_test_id("register-update-note").fill("Fahrplan steht")
    bus.get_by_test_id("register-update-save").click()
    bus = page.locator('[data-testid="register-item"][data-status="running"]')
    expect(bus.get_by_test_id("register-item-latest")).to_contain_text("Fahrplan steht")
    by(page, "register-status").select_option("running")
    expect(items).to_have_count(1)
    by(page, "register-status").select_option("")
    expect(items).to_have_count(3)

    bus.locator("summary").click()
    bus.get_by_test_id("register-link-name").fill("Stadtwerke")
    bus.get_by_test_id("register-link-create").click()
    expect(bus.get_by_test_id("register-link-qr")).to_be_visible()
    url = bus.get_by_test_id("register-link-url").inner_text()
    assert f"/actions/{series['actions'][0]['id']}/update#token=" in url
    expect(bus.get_by_test_id("register-link")).to_have_count(1)
    assert_layout(page, "register at 1440 px")
    screens.shot(page, "register", full_page=True)
    screens.assert_clean()


@pytest.mark.parametrize("shape", [PHONE, PHONE_390], ids=["360", "390"])
def test_the_owner_updates_the_action_from_a_phone(screens, series, shape):
    action = series["actions"][1]
    link = series["api"].post(f"/actions/{action['id']}/update-link",
                              {"name": "Kreishandwerkerschaft"}, expect=201)
    page = screens.page(screens._context(shape), "personal link")
    page.goto("/" + link["url"].split("/", 3)[3])
    expect(by(page, "update-title")).to_have_text(LONG_TITLE)
    expect(by(page, "update-status-planned")).to_be_checked()
    assert_layout(page, f"personal link page at {shape['viewport']['width']} px")
    by(page, "update-status-running").check()
    by(page, "update-note").fill("Erste Gespräche mit drei Berufsschulen geführt")
    by(page, "update-submit").click()
    expect(by(page, "update-feedback")).to_contain_text("gespeichert")
    expect(by(page, "update-entry").first).to_contain_text("drei Berufsschulen")
    assert_layout(page, f"personal link page after the update at {shape['viewport']['width']} px")
    screens.shot(page, f"update-link-phone-{shape['viewport']['width']}", full_page=True)
    entry = series["api"].get(f"/actions/{action['id']}")
    assert entry["status"] == "running"
    screens.assert_clean()
    # A link that is revoked opens nothing any more (the refused request is logged by the
    # browser, so this comes after the clean check).
    series["api"].request("DELETE", f"/actions/{action['id']}/update-links/{link['id']}",
                          expect=204)
    page.reload()
    expect(by(page, "update-error")).to_be_visible()


def test_the_event_editor_leads_to_the_register_and_the_next_forum(screens, series, moderator):
    page = screens.page(screens._context(LAPTOP_1440), "event editor")
    _sign_in(page, moderator)
    expect(by(page, "series-item").filter(has_text=series["series"]["title"])).to_contain_text(
        "2 Foren")
    spring = series["api"].get(f"/series/{series['series']['id']}")["events"][0]
    page.goto(f"/moderator/events/{spring['id']}")
    expect(by(page, "event-series")).to_have_value(str(series["series"]["id"]))
    expect(by(page, "event-register")).to_have_attribute(
        "href", f"/moderator/series/{series['series']['id']}")
    by(page, "next-forum").locator("summary").click()
    by(page, "next-forum-title").fill("Sommerforum")
    by(page, "next-forum-date").fill("2026-07-01")
    by(page, "next-forum-moderators").uncheck()
    by(page, "next-forum-create").click()
    page.wait_for_url(re.compile(r"/moderator/events/\d+$"))
    expect(by(page, "event-title")).to_have_value("Sommerforum")
    expect(by(page, "workshop-row")).to_have_count(1)
    expect(by(page, "event-series")).to_have_value(str(series["series"]["id"]))
    assert_layout(page, "event editor at 1440 px")
    screens.assert_clean()
