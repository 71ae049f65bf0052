"""The phone's cluster view for one thumb, in Chromium at 360 and 390 px (German), against a
real ``pinnwand serve``: everyone may group; a cluster holds a long idea (500 characters of
long German words).

- No element is wider than the window; the "take out" control is a small button beside the
  idea, which keeps most of the row's width.
- The bar at the bottom (its hint, the count, its buttons) is one line, and it stays there
  while the page scrolls; the toast after grouping shows above it and covers none of it.
- Long ideas are set with hyphenation (``hyphens: auto`` in the page's language).

A screenshot at 390 px goes to ``test-artifacts/screenshots/phone-cluster-390.png`` (the one of
``docs/screenshots/phone-cluster.png``, of a realistic workshop, comes from
test_wall_screenshots.py).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE, PHONE_390
from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    expect = None

pytestmark = pytest.mark.browser

QUESTION = "Wie halten wir Fachkräfte in der Region?"
LONG = ("Ausbildungsverbünde kleiner und mittlerer Handwerksbetriebe mit gemeinsamer "
        "Berufsschulbegleitung, Wohnheimplätzen in der Kreisstadt, Mentoringprogramm und "
        "Jobticket für Berufsschulpendlerinnen und Berufsschulpendler aus den Dörfern ringsum; "
        "dazu eine Ansprechperson für alle Fragen rund um Ausbildungsvergütung, Prüfungen und "
        "Weiterbildungsmöglichkeiten nach dem Abschluss, damit niemand abbricht und alle bleiben")

# Elements beyond the window, sideways scrolling, words in `selector` broken mid-word.
LAYOUT_PROBLEMS = (Path(__file__).parent / "layout_problems.js").read_text()


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def overlaps(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("size", [PHONE, PHONE_390], ids=["360", "390"])
def test_the_cluster_view_fits_one_thumb(screens, live_server, moderator, size):
    width = size["viewport"]["width"]
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": "Cluster am Telefon", "workshops": [
        {"title": "Halten", "question": QUESTION}]}, expect=201)
    workshop_id = event["workshops"][0]["id"]
    mod = LiveClient(live_server.url, api.token, "moderator").connect()
    joined = Api(live_server.url).post("/join", {"code": event["join_code"], "name": "Ben"})
    ben = LiveClient(live_server.url, joined["token"], "Ben").connect()
    try:
        ben.call_ok("join_workshop", {"workshop_id": workshop_id})
        texts = [LONG, "Mentoring", "Patenschaften", "Betriebskita", "Jobrad", "Homeoffice",
                 "Wohnungen für Azubis", "Vier-Tage-Woche", "Sprachkurse", "Jobticket"]
        ideas = [ben.call_ok("create_idea", {"workshop_id": workshop_id,
                                             "op_id": uuid.uuid4().hex, "text": text})["idea"]
                 for text in texts]
        staff = {"workshop_id": workshop_id}
        mod.call_ok("join_workshop", staff)
        mod.call_ok("configure_workshop", {**staff, "cluster_by": "everyone"})
        mod.call_ok("set_step", {**staff, "step": "cluster"})
        mod.call_ok("group_ideas", {**staff, "idea_ids": [ideas[0]["id"], ideas[1]["id"]],
                                    "title": "Ausbildung"})

        phone = screens.page(screens._context(size), f"phone {width}")
        phone.goto(event["join_url"])
        by(phone, "join-name").fill("Anna")
        by(phone, "join-submit").tap()
        by(phone, "workshop-choice").first.tap()
        expect(by(phone, "view-cluster")).to_be_visible()
        cluster = by(phone, "cluster")
        expect(cluster.locator('[data-testid="cluster-idea"]')).to_have_count(2)
        assert phone.evaluate(LAYOUT_PROBLEMS, '[data-testid="group-bar"]') == []

        # "Take out" is a small button; the idea keeps the row.
        long_chip = cluster.locator(f'[data-idea-id="{ideas[0]["id"]}"]')
        take_out = by(cluster, "idea-ungroup").first
        expect(take_out).to_have_attribute("aria-label", re.compile(r"^Herausnehmen: Ausbildungs"))
        chip_box, out_box = long_chip.bounding_box(), take_out.bounding_box()
        assert out_box["width"] <= 48
        assert chip_box["width"] >= 0.75 * (chip_box["width"] + out_box["width"])
        hyphens = long_chip.locator(".chipcard__text").evaluate(
            "node => [getComputedStyle(node).hyphens, node.closest('[lang]').lang]")
        assert hyphens == ["auto", "de"]

        # The bar: one line, its hint short.
        bar = by(phone, "group-bar")
        count = by(phone, "group-count")
        expect(count).to_have_text("Ideen antippen")
        line = count.evaluate("node => parseFloat(getComputedStyle(node).lineHeight)")
        assert count.bounding_box()["height"] < 1.5 * line
        unclustered = by(phone, "unclustered").locator('[data-testid="cluster-idea"]')
        unclustered.nth(0).tap()
        unclustered.nth(1).tap()
        expect(count).to_have_text("2 ausgewählt")
        expect(by(phone, "group-clear")).to_have_attribute("aria-label", "Auswahl aufheben")
        by(phone, "group-clear").tap()  # ✕: nothing selected, the focus on the first idea
        expect(count).to_have_text("Ideen antippen")
        expect(phone.locator('button[data-testid="cluster-idea"]').first).to_be_focused()
        unclustered.nth(0).tap()
        unclustered.nth(1).tap()
        expect(count).to_have_text("2 ausgewählt")
        assert count.bounding_box()["height"] < 1.5 * line
        assert phone.evaluate(LAYOUT_PROBLEMS, '[data-testid="group-bar"]') == []

        # The bar stays at the bottom of the window while the page scrolls.
        phone.evaluate("window.scrollTo(0, 0)")
        bar_box = bar.bounding_box()
        assert bar_box["y"] + bar_box["height"] <= size["viewport"]["height"]
        assert bar_box["y"] + bar_box["height"] >= size["viewport"]["height"] - 24

        # Grouping: the toast shows above the bar, over none of its parts.
        by(phone, "group-ideas").tap()
        toast = by(phone, "toast")
        expect(toast).to_have_attribute("data-open", "true")
        expect(by(phone, "cluster")).to_have_count(2)
        toast.evaluate("node => Promise.all(node.getAnimations().map((a) => a.finished))")
        toast_box = toast.bounding_box()
        expect(by(phone, "group-clear")).to_have_count(0)  # nothing selected: only "Group"
        for part in (bar, count, by(phone, "group-ideas")):
            part_box = part.bounding_box()
            assert not overlaps(toast_box, part_box), (toast_box, part_box)
        if width == 390:
            screens.shot(phone, "phone-cluster-390")
        screens.assert_clean()
    finally:
        ben.close()
        mod.close()
