"""Member contributions on the register page in Chromium, against a real ``pinnwand serve``:
per organisation what it owns and contributes across the series, on a phone (360 and 390 px)
and a laptop (1440 px), nothing wider than the viewport. The laptop's view is the documented
screenshot ``docs/screenshots/register-organisations.png``."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import LAPTOP_1440, PHONE, PHONE_390, REPO_ROOT
from tests.browser.test_series_pages import _sign_in, assert_layout, by
from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import expect
except ImportError:  # without Playwright: skip here, fail in CI (like a missing Chromium)
    from tests.support.services import in_ci

    if in_ci():
        raise
    pytest.skip("Playwright for Python is not installed: pip install -e '.[test]'",
                allow_module_level=True)

pytestmark = pytest.mark.browser

SCREENSHOT = REPO_ROOT / "docs" / "screenshots" / "register-organisations.png"
LONG_ORGANISATION = "Kreishandwerkerschaft Mecklenburgische Seenplatte-Müritz"


@pytest.fixture
def members(live_server, moderator) -> dict:
    """Two forums; actions owned by the Stadtwerke (twice) and a long-named chamber, with
    contributors from the IHK and the Landkreis."""
    api = Api(live_server.url).login(moderator.email, moderator.password)
    series = api.post("/series", {"title": f"Seenplatte {uuid.uuid4().hex[:4]}"}, expect=201)
    forums = [api.post("/events", {"title": title, "date": date, "series_id": series["id"],
                                   "workshops": [{"title": "Halten", "question": "Wie?"}]},
                       expect=201)
              for title, date in (("Frühjahrsforum", "2026-04-01"),
                                  ("Herbstforum", "2026-10-01"))]
    mod = LiveClient(live_server.url, api.token, "mod").connect()
    try:
        for forum, title, organisation in ((forums[0], "Pendlerbus", "Stadtwerke"),
                                           (forums[0], "Ausbildungsmesse", LONG_ORGANISATION),
                                           (forums[1], "Rufbus", "Stadtwerke")):
            workshop = forum["workshops"][0]["id"]
            action = mod.call_ok("save_action", {
                "workshop_id": workshop, "op_id": uuid.uuid4().hex, "title": title,
                "owner": "Frau Roth", "owner_organisation": organisation})["action"]
            for name, helper in (("Jana", "IHK"), ("Kai", "Landkreis")):
                mod.call_ok("sign_up", {"workshop_id": workshop, "action_id": action["id"],
                                        "name": name, "organisation": helper,
                                        "brings": "Kontakte"})
    finally:
        mod.close()
    return {"series": series}


@pytest.mark.parametrize("shape", [PHONE, PHONE_390, LAPTOP_1440],
                         ids=["360", "390", "1440"])
def test_the_register_shows_what_each_organisation_owns_and_contributes(
        screens, members, moderator, shape):
    width = shape["viewport"]["width"]
    page = screens.page(screens._context(shape), f"register organisations {width}")
    _sign_in(page, moderator)
    page.goto(f"/moderator/series/{members['series']['id']}")
    expect(by(page, "register-item")).to_have_count(3)
    cards = by(page, "organisation")
    expect(cards).to_have_count(4)
    stadtwerke = page.locator('[data-testid="organisation"][data-name="Stadtwerke"]')
    expect(stadtwerke.get_by_test_id("organisation-owns")).to_contain_text("(2)")
    expect(stadtwerke.get_by_test_id("organisation-owns")).to_contain_text("Rufbus")
    ihk = page.locator('[data-testid="organisation"][data-name="IHK"]')
    expect(ihk.get_by_test_id("organisation-contributes")).to_contain_text("(3)")
    expect(ihk.get_by_test_id("organisation-owns")).to_contain_text("(0)")
    expect(by(page, "register-item").first).to_contain_text("Jana, IHK (Kontakte)")
    by(page, "register-organisations").scroll_into_view_if_needed()
    assert_layout(page, f"register with organisations at {width} px")
    if width == 1440:
        Path(SCREENSHOT).parent.mkdir(parents=True, exist_ok=True)
        by(page, "register-organisations").screenshot(path=str(SCREENSHOT),
                                                      animations="disabled")
    screens.shot(page, f"register-organisations-{width}", full_page=True)
    screens.assert_clean()


def test_the_later_forum_carries_one_action_forward_and_drops_another(screens, members,
                                                                      moderator, live_server):
    api = Api(live_server.url).login(moderator.email, moderator.password)
    autumn = api.get(f"/series/{members['series']['id']}")["events"][1]
    workshop = api.get(f"/events/{autumn['id']}")["workshops"][0]["id"]
    mod = LiveClient(live_server.url, api.token, "mod").connect()
    try:
        mod.call_ok("set_step", {"workshop_id": workshop, "step": "act"})
    finally:
        mod.close()
    page = screens.page(screens._context(LAPTOP_1440), "series panel")
    _sign_in(page, moderator)
    page.goto(f"/moderator/workshops/{workshop}")
    panel = by(page, "series-panel")
    expect(panel).to_be_visible()
    open_actions = panel.get_by_test_id("series-action")
    expect(open_actions).to_have_count(2)  # the spring forum's; not the autumn forum's own
    bus = open_actions.filter(has_text="Pendlerbus")
    bus.get_by_test_id("series-carry-due").fill("2027-03-31")
    bus.get_by_test_id("series-carry-name").fill("Jörg Brandt")
    bus.get_by_test_id("series-carry-organisation").fill("Landkreis")
    bus.get_by_test_id("series-carry").click()
    carried = panel.locator('[data-testid="series-decision"][data-kind="carried"]')
    expect(carried).to_contain_text("Pendlerbus")
    expect(carried).to_contain_text("31. März 2027")
    expect(carried).to_contain_text("Jörg Brandt, Landkreis")

    fair = panel.get_by_test_id("series-action").filter(has_text="Ausbildungsmesse")
    fair.get_by_test_id("series-drop").click()
    expect(by(page, "series-feedback")).to_be_visible()  # a reason is needed
    fair.get_by_test_id("series-drop-reason").fill("Die Messe findet nicht mehr statt")
    fair.get_by_test_id("series-drop").click()
    dropped = panel.locator('[data-testid="series-decision"][data-kind="dropped"]')
    expect(dropped).to_contain_text("Die Messe findet nicht mehr statt")
    expect(panel.get_by_test_id("series-action")).to_have_count(0)
    expect(by(page, "series-feedback")).to_be_hidden()
    assert_layout(page, "series panel at 1440 px")
    screens.shot(page, "series-panel-1440", full_page=True)

    register = {a["title"]: a for a in api.get(
        f"/series/{members['series']['id']}/actions")["actions"]}
    assert register["Pendlerbus"]["due"] == "2027-03-31"
    assert register["Ausbildungsmesse"]["status"] == "dropped"
    screens.assert_clean()
