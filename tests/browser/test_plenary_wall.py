"""The plenary's cards on a screen in a real browser (Chromium), against a real
``pinnwand serve``: events of three workshops that bring 5, 10 and 30 items each (every fourth
one 500 characters long, from 10 on one of them a cluster of three ideas).

- The venue PC's projector page (``/plenary/<id>``) at 1280×720 and 1920×1080: every card
  shown lies wholly inside the viewport, none overlaps another, no word breaks except at a
  hyphen; every item is on some page, and turning the pages (→) reaches each; 15 items take
  at most two pages.
- The moderator's plenary page at 1440×900: nothing wider than the window, no card's text cut
  (the page scrolls instead); while presenting ("Hide controls") the same wall as the venue PC.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import LAPTOP_1440
from tests.browser.test_projector_wall import (
    CARDS_SHOWN,
    LAYOUT_PROBLEMS,
    LONG_TEXT,
    SIZES,
    check_page,
    pages_of,
)
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

COUNTS = (5, 10, 30)
TOPICS = ("Jobticket für alle Auszubildenden", "Mentoring im ersten Jahr",
          "Kita-Öffnungszeiten passend zu den Schichten", "Werkswohnungen für Berufseinsteiger",
          "Sprachkurse während der Arbeitszeit", "Vier-Tage-Woche in der Pflege ausprobieren",
          "Weiterbildungsverbund kleiner Betriebe", "Rückkehrer-Stammtisch in der Kreisstadt")
# Every text of the cards shown (titles and a cluster's ideas) whose box is cut: taller or
# wider than it shows.
TEXTS_CUT = """() => [...document.querySelectorAll('.pcard__title, .pcard__idea')]
  .filter((node) => !node.closest('[hidden]'))
  .filter((node) => node.scrollHeight > node.clientHeight + 1
    || node.scrollWidth > node.clientWidth + 1)
  .map((node) => node.textContent.slice(0, 40))"""
# Waits until the wall is laid out and its number of pages holds for two frames (the
# indicator's line appearing may lay it out once more).
WALL_SETTLED = """async () => {
  const list = document.querySelector('#plenary-items');
  const read = () => [list.classList.contains('pj-wall'),
    [...list.children].every((card) => card.dataset.page !== undefined),
    document.querySelector('[data-testid="wall-pages"]').dataset.pages].join();
  let last = null;
  for (let i = 0; i < 100; i += 1) {
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const now = read();
    if (now === last && now.startsWith('true,true')) return true;
    last = now;
  }
  return false;
}"""
ITEMS_SHOWN = """() => [...document.querySelectorAll('[data-testid="plenary-item"]')]
  .filter((node) => !node.closest('[hidden]')).map((node) => Number(node.dataset.itemId))"""


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def item_text(workshop: int, number: int) -> str:
    if number % 4 == 3:
        return LONG_TEXT
    topic = TOPICS[(workshop * 3 + number) % len(TOPICS)]
    return f"{topic} (Vorschlag {workshop + 1}.{number + 1})"


@pytest.fixture(scope="module")
def plenaries(live_server, moderator):
    """Per count an event of three workshops whose plenary holds ``count`` items of each
    (from 10 on, one of them a cluster of three ideas), open for voting, with some dots.
    Yields ``{count: (event_id, venue_url, item_ids)}``."""
    api = Api(live_server.url).login(moderator.email, moderator.password)
    writer = LiveClient(live_server.url, api.token, "moderator").connect()
    made = {}
    for count in COUNTS:
        event = api.post("/events", {"title": f"Plenum mit {count} je Workshop", "workshops": [
            {"title": f"Workshop {n + 1}", "question": f"Frage {n + 1}?"} for n in range(3)]},
            expect=201)
        refs = []
        for index, workshop in enumerate(event["workshops"]):
            workshop_id = workshop["id"]
            writer.call_ok("join_workshop", {"workshop_id": workshop_id})
            clustered = count >= 10
            texts = [item_text(index, n) for n in range(count - clustered + 3 * clustered)]
            ids = [writer.call_ok("create_idea", {
                "workshop_id": workshop_id, "op_id": uuid.uuid4().hex, "text": text,
            })["idea"]["id"] for text in texts]
            if clustered:
                cluster = writer.call_ok("group_ideas", {
                    "workshop_id": workshop_id, "idea_ids": ids[-3:],
                    "title": "Ankommen und Bleiben in der Region"})
                cluster_id = cluster["cluster"]["id"]
                refs.append({"workshop_id": workshop_id, "cluster_id": cluster_id})
                ids = ids[:-3]
            refs += [{"workshop_id": workshop_id, "idea_id": idea_id} for idea_id in ids]
        event_id = event["id"]
        writer.call_ok("plenary_add", {"event_id": event_id, "items": refs})
        plenary = writer.call_ok("configure_plenary", {"event_id": event_id, "open": True,
                                                       "voting": True, "vote_budget": 3})
        item_ids = [entry["id"] for entry in plenary["plenary"]["items"]]
        assert len(item_ids) == 3 * count
        venue = api.post(f"/events/{event_id}/plenary/viewer-link", {}, expect=201)
        made[count] = (event_id, venue["url"], item_ids)
    yield made
    writer.close()


def walk_pages(page: Page, size: dict) -> set[int]:
    """Every page in turn (→): its cards checked; the items seen on all pages together."""
    assert page.evaluate(WALL_SETTLED), "the wall did not settle"
    seen: set[int] = set()
    pages = pages_of(page)
    for number in range(1, pages + 1):
        expect(by(page, "wall-pages")).to_have_attribute("data-page", str(number))
        check_page(page, '[data-testid="plenary-item"]', size)
        seen.update(page.evaluate(ITEMS_SHOWN))
        assert page.evaluate(LAYOUT_PROBLEMS, ".plenary-items") == []
        page.keyboard.press("ArrowRight")
    expect(by(page, "wall-pages")).to_have_attribute("data-page", "1")
    return seen


@pytest.mark.parametrize("size_name", list(SIZES))
def test_every_item_is_whole_on_some_page(screens, plenaries, size_name):
    size = SIZES[size_name]
    venue = screens.page(screens._context(size), f"venue-{size_name}")
    for count in COUNTS:
        _, url, item_ids = plenaries[count]
        venue.goto(url)
        expect(by(venue, "plenary-item")).to_have_count(len(item_ids))
        expect(by(venue, "join-qr")).to_be_visible()
        seen = walk_pages(venue, size)
        assert seen == set(item_ids), f"{count} each: missing {sorted(set(item_ids) - seen)[:10]}"
        screens.shot(venue, f"plenary-wall-{count}-each-{size_name}")
        if count == 5:
            assert pages_of(venue) <= 2  # 15 items, three of them 500 characters long
        if count == 30:
            assert pages_of(venue) > 1  # 90 items, some long, do not fit one readable screen
    screens.assert_clean()


def test_moderator_page_at_1440(screens, plenaries, moderator):
    page = screens.page(screens._context(LAPTOP_1440), "plenary")
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()
    for count in COUNTS:
        event_id, _, item_ids = plenaries[count]
        page.goto(f"/moderator/events/{event_id}/plenary")
        expect(by(page, "plenary-item")).to_have_count(len(item_ids))
        assert page.evaluate(LAYOUT_PROBLEMS, ".plenary-items") == []
        assert page.evaluate(TEXTS_CUT) == []
        # Presenting: the cards on the wall, page by page, as on the venue PC.
        by(page, "plenary-hide-controls").click()
        expect(by(page, "plenary-controls")).to_be_hidden()
        seen = walk_pages(page, LAPTOP_1440)
        assert seen == set(item_ids)
        if pages_of(page) > 1:
            expect(by(page, "wall-pages")).to_contain_text(f"Seite 1 von {pages_of(page)}")
        assert len(page.evaluate(CARDS_SHOWN, '[data-testid="plenary-item"]')) >= min(
            len(item_ids), 6)
        by(page, "plenary-show-controls").click()
        expect(by(page, "plenary-controls")).to_be_visible()
        assert page.evaluate(LAYOUT_PROBLEMS, ".plenary-items") == []
        assert page.evaluate(TEXTS_CUT) == []
    screens.assert_clean()
