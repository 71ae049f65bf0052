"""The projector's wall in a real browser (Chromium), against a real ``pinnwand serve``.

Layout invariants, not pixel diffs, on a 1280×720 and a 1920×1080 projector, for workshops of
1, 12, 40 and 150 ideas (every seventh one 500 characters long, some clustered):

- every card shown lies wholly inside the viewport and no two cards overlap;
- nothing is summed up as "+ N more": every idea (and, in the cluster step, every idea of
  every cluster) is on some page, and turning the pages (→) reaches each;
- no word breaks across lines except at a hyphen;
- in the act step, the actions stay whole on the screen after "Time is up!" appears.

The workshops are filled through the moderator's socket; the projector opens the viewer link
the moderator would hand to the venue PC. A screenshot of the 40-idea wall at 1920×1080 goes
to ``test-artifacts/screenshots/projector-wall-40-mixed.png`` (the realistic one of the docs
comes from test_wall_screenshots.py).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

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

LAYOUT_PROBLEMS = Path(__file__).with_name("layout_problems.js").read_text(encoding="utf-8")
SIZES = {
    "1280x720": {"viewport": {"width": 1280, "height": 720}, "locale": "de-DE"},
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}, "locale": "de-DE"},
}
COUNTS = (1, 12, 40, 150)
WORDS = ("Verkehrsanbindung", "Mentoring", "für", "Auszubildende", "in", "Teilzeit", "und",
         "Kinderbetreuung", "am", "Standort", "Weiterbildung", "digitale", "Werkzeuge",
         "Mitarbeiterbindung", "Sprachkurse", "flexible", "Arbeitszeiten", "mit", "Familie")
LONG_TEXT = ("Wir brauchen eine bessere Verkehrsanbindung der Gewerbegebiete, damit Auszubildende "
             "ohne eigenes Auto pünktlich zur Arbeit kommen: ein Ruftaxi am frühen Morgen, "
             "abgestimmte Fahrpläne mit den Schichtzeiten, ein Jobticket für alle, sichere "
             "Radwege und Abstellanlagen, Fahrgemeinschaften über eine gemeinsame Plattform und "
             "eine Mobilitätsberatung für neue Beschäftigte in den ersten Wochen im Betrieb. "
             "Dafür sollten sich Betriebe, Kommune und Verkehrsverbund an einen Tisch "
             "setzen.")[:500]

# Every card shown (visible, inside the wall) as {id, page, left, top, right, bottom}.
CARDS_SHOWN = """(selector) => [...document.querySelectorAll(selector)]
  .filter((node) => !node.closest('[hidden]') && getComputedStyle(node).display !== 'none')
  .map((node) => { const r = node.getBoundingClientRect();
    return {id: node.dataset.ideaId || node.dataset.clusterId || node.dataset.actionId || '',
            left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""
NEXT_FRAMES = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(done)))"""
IDEAS_SHOWN = """(selector) => [...document.querySelectorAll(selector)]
  .filter((node) => !node.closest('[hidden]'))
  .map((node) => Number(node.dataset.ideaId))"""


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def idea_text(number: int) -> str:
    if number % 7 == 3:
        return LONG_TEXT
    words = [WORDS[(number * 5 + i * 3) % len(WORDS)] for i in range(3 + number % 9)]
    return f"{number}: " + " ".join(words)


@pytest.fixture(scope="module")
def walls(live_server, moderator):
    """One event with a workshop per count, filled by the moderator; in the 40- and 150-idea
    workshops some ideas are clustered (in the 150 one, a cluster of 45 that no column holds).
    Yields ``{count: (workshop_id, viewer_url, idea_ids, clustered_ids)}`` and the socket."""
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": "Fachkräfte-Forum", "workshops": [
        {"title": f"Wand {count}", "question": "Wie gewinnen wir Fachkräfte für die Region?"}
        for count in COUNTS]}, expect=201)
    writer = LiveClient(live_server.url, api.token, "moderator").connect()
    made = {}
    for count, workshop in zip(COUNTS, event["workshops"], strict=True):
        workshop_id = workshop["id"]
        writer.call_ok("join_workshop", {"workshop_id": workshop_id})
        ids = [writer.call_ok("create_idea", {"workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
                                              "text": idea_text(n)})["idea"]["id"]
               for n in range(count)]
        clustered = []
        if count >= 40:
            groups = [ids[0:4], ids[10:16], ids[20:23]] + ([ids[50:95]] if count == 150 else [])
            for number, group in enumerate(groups):
                writer.call_ok("group_ideas", {"workshop_id": workshop_id, "idea_ids": group,
                                               "title": f"Gruppe {number + 1}: Bindung"})
                clustered += group
        viewer = api.post(f"/workshops/{workshop_id}/viewer-link", {}, expect=201)
        made[count] = (workshop_id, viewer["url"], ids, clustered)
    yield made, writer
    writer.close()


def pages_of(projector: Page) -> int:
    return int(by(projector, "wall-pages").get_attribute("data-pages"))


def check_page(projector: Page, selector: str, size: dict) -> list[dict]:
    """The cards of the page shown: each wholly on screen, none overlapping another."""
    width, height = size["viewport"]["width"], size["viewport"]["height"]
    cards = projector.evaluate(CARDS_SHOWN, selector)
    assert cards, "a page without cards"
    for card in cards:
        assert card["left"] >= -0.5 and card["top"] >= -0.5, card
        assert card["right"] <= width + 0.5 and card["bottom"] <= height + 0.5, card
    for i, one in enumerate(cards):
        for other in cards[i + 1:]:
            apart = (one["right"] <= other["left"] + 0.5 or other["right"] <= one["left"] + 0.5
                     or one["bottom"] <= other["top"] + 0.5 or other["bottom"] <= one["top"] + 0.5)
            assert apart, f"cards overlap: {one} {other}"
    return cards


def walk_pages(projector: Page, card_selector: str, idea_selector: str, size: dict) -> set[int]:
    """Every page in turn (→): its cards checked; the ideas seen on all pages together."""
    seen: set[int] = set()
    pages = pages_of(projector)
    for number in range(1, pages + 1):
        expect(by(projector, "wall-pages")).to_have_attribute("data-page", str(number))
        check_page(projector, card_selector, size)
        seen.update(projector.evaluate(IDEAS_SHOWN, idea_selector))
        problems = projector.evaluate(LAYOUT_PROBLEMS, ".projector__board")
        assert problems == [], problems
        projector.keyboard.press("ArrowRight")
    expect(by(projector, "wall-pages")).to_have_attribute("data-page", "1")
    return seen


@pytest.mark.parametrize("size_name", list(SIZES))
def test_every_idea_is_whole_on_some_page(screens, walls, size_name):
    made, writer = walls
    size = SIZES[size_name]
    projector = screens.page(screens._context(size), f"projector-{size_name}")
    for count in COUNTS:
        workshop_id, url, ids, clustered = made[count]
        projector.goto(url)
        expect(by(projector, "idea-count")).to_have_attribute("data-count", str(count))
        expect(by(projector, "idea-card")).to_have_count(count)
        assert projector.get_by_text("weitere", exact=False).count() == 0
        assert projector.get_by_text("ältere", exact=False).count() == 0
        if count == 1:
            assert pages_of(projector) == 1
        seen = walk_pages(projector, '[data-testid="idea-card"]', '[data-testid="idea-card"]', size)
        assert seen == set(ids), f"{count} ideas: missing {sorted(set(ids) - seen)[:10]}"
        if count == 40 and size_name == "1920x1080":
            screens.shot(projector, "projector-wall-40-mixed")
        if count == 150:
            assert pages_of(projector) > 1  # 150 ideas do not fit one readable screen
            if size_name == "1920x1080":
                screens.shot(projector, "projector-wall-150")

        if clustered:
            writer.call_ok("set_step", {"workshop_id": workshop_id, "step": "cluster"})
            expect(by(projector, "projector-clusters-view")).to_be_visible()
            # The clusters view fits the wall anew in the next animation frame.
            projector.evaluate(NEXT_FRAMES)
            seen = walk_pages(projector, '[data-testid="projector-cluster"]',
                              '[data-testid="projector-cluster-idea"]', size)
            missing = sorted(set(ids) - seen)[:10]
            assert seen == set(ids), f"{count} ideas clustered: missing {missing}"
            writer.call_ok("set_step", {"workshop_id": workshop_id, "step": "collect"})
    screens.assert_clean()


def test_the_pages_turn_by_themselves(screens, walls):
    made, _ = walls
    projector = screens.page(screens._context(SIZES["1280x720"]), "projector")
    projector.clock.install()
    projector.goto(made[150][1])
    expect(by(projector, "idea-card")).to_have_count(150)
    assert pages_of(projector) > 1
    expect(by(projector, "wall-pages")).to_have_attribute("data-page", "1")
    projector.clock.run_for(16_000)
    expect(by(projector, "wall-pages")).to_have_attribute("data-page", "2")
    projector.keyboard.press("ArrowLeft")
    expect(by(projector, "wall-pages")).to_have_attribute("data-page", "1")
    screens.assert_clean()


@pytest.mark.parametrize("size_name", list(SIZES))
def test_actions_stay_whole_after_the_time_is_up(screens, walls, size_name):
    made, writer = walls
    size = SIZES[size_name]
    workshop_id, url, _, _ = made[12]
    writer.call_ok("set_step", {"workshop_id": workshop_id, "step": "act"})
    existing = writer.call_ok("join_workshop", {"workshop_id": workshop_id})["actions"]
    for number in range(len(existing), 9):
        writer.call_ok("save_action", {
            "workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
            "title": f"Maßnahme {number + 1}: Mobilitätsberatung für Auszubildende",
            "what": LONG_TEXT[: 80 + number * 40], "owner": "Kreisverwaltung",
            "due": "2027-03-31"})
    projector = screens.page(screens._context(size), f"projector-act-{size_name}")
    projector.goto(url)
    expect(by(projector, "projector-action")).to_have_count(9)
    writer.call_ok("set_timer", {"workshop_id": workshop_id, "command": "start", "seconds": 10})
    writer.call_ok("set_timer", {"workshop_id": workshop_id, "command": "add", "seconds": -10})
    expect(by(projector, "timer-ended")).to_be_visible()
    # "Time is up!" takes room: the wall fits anew in the next animation frame.
    projector.evaluate(NEXT_FRAMES)
    seen_actions: set[str] = set()
    for number in range(1, pages_of(projector) + 1):
        expect(by(projector, "wall-pages")).to_have_attribute("data-page", str(number))
        cards = check_page(projector, '[data-testid="projector-action"]', size)
        seen_actions.update(card["id"] for card in cards)
        projector.keyboard.press("ArrowRight")
    assert len(seen_actions) == 9
    assert projector.get_by_text("weitere Maßnahme", exact=False).count() == 0
    writer.call_ok("set_timer", {"workshop_id": workshop_id, "command": "reset"})
    writer.call_ok("set_step", {"workshop_id": workshop_id, "step": "collect"})
    screens.assert_clean()
