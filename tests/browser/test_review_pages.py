"""The review step in Chromium against a real ``pinnwand serve``: a later forum of a series
reviews the earlier forum's open actions.

- On a phone (360 and 390 px, German) a participant sees one card per open action with its
  latest update, taps one of the four verdicts (their own shows as pressed), adds a comment;
  others' verdicts stay hidden until the moderator reveals them, then the bars appear.
  Nothing is wider than the viewport; axe finds nothing serious (390 px, before and after
  the reveal).
- The projector (1280×720 and 1920×1080) shows how many verdicts came in, then the bars.
- The moderator's board (1440 px) offers the review step and shows every verdict at once;
  the series' register shows them on the action's entry.

Screenshots: ``phone-review`` (390 px) and ``projector-review`` (1920×1080) in
``test-artifacts/screenshots/``; their copies are ``docs/screenshots/phone-review.png`` and
``docs/screenshots/projector-review.png``.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import LAPTOP_1440, PHONE, PHONE_390
from tests.browser.test_accessibility import AUDIT, Audit, axe_script  # noqa: F401
from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    Page = expect = None

pytestmark = pytest.mark.browser

LAYOUT_PROBLEMS = (Path(__file__).with_name("layout_problems.js")).read_text(encoding="utf-8")
LONG_TITLE = ("Ausbildungsplatzakquisekampagne in Berufsbildungszentren der Mecklenburgischen "
              "Seenplatte")
QUESTION = "Wie halten wir Fachkräfte in der Region?"
PROJECTORS = {"1280x720": {"viewport": {"width": 1280, "height": 720}, "locale": "de-DE"},
              "1920x1080": {"viewport": {"width": 1920, "height": 1080}, "locale": "de-DE"}}


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


PLACED = """() => {
  const cards = [...document.querySelectorAll('[data-testid="projector-review"]')];
  return cards.length > 0 && cards.every((card) => card.dataset.page !== undefined);
}"""


def placed(projector: Page) -> None:
    """Wait until the projector's wall has placed every review card (once per frame)."""
    projector.wait_for_function(PLACED)


def assert_layout(page: Page, what: str) -> None:
    problems = page.evaluate(LAYOUT_PROBLEMS, "body")
    assert problems == [], f"{what}:\n" + "\n".join(problems)


class Forums:
    """A series with a spring forum (two open actions, one with an update, and one done)
    and an autumn forum whose workshop is in its review step; Quirin has given a verdict."""

    def __init__(self, server, moderator):
        self.server = server
        self.api = Api(server.url).login(moderator.email, moderator.password)
        series = self.api.post("/series", {"title": f"Reihe {uuid.uuid4().hex[:4]}"},
                               expect=201)
        spring, autumn = (self.api.post("/events", {
            "title": title, "date": date, "series_id": series["id"],
            "workshops": [{"title": "Halten", "question": QUESTION}]}, expect=201)
            for title, date in (("Frühjahrsforum", "2026-04-01"), ("Herbstforum", "2026-10-01")))
        self.autumn = autumn
        self.series = series
        self.workshop_id = autumn["workshops"][0]["id"]
        self.clients: list[LiveClient] = []
        self.mod = self.client(self.api.token, "moderator")
        spring_ws = spring["workshops"][0]["id"]
        self.actions = [self.mod.call_ok("save_action", {
            "workshop_id": spring_ws, "op_id": uuid.uuid4().hex, "title": title, "owner": owner,
            "what": "Ein Bus vom Bahnhof ins Gewerbegebiet"})["action"]
            for title, owner in (("Pendlerbus", "Stadtwerke"),
                                 (LONG_TITLE, "Kreishandwerkerschaft"),
                                 ("Willkommensmappe", "Landkreis"))]
        self.api.post(f"/actions/{self.actions[0]['id']}/updates",
                      {"status": "running", "note": "Fahrplan steht, erste Fahrt im Mai"},
                      expect=201)
        self.api.post(f"/actions/{self.actions[2]['id']}/updates", {"status": "done"},
                      expect=201)
        self.staff("set_step", step="review")
        joined = Api(server.url).post("/join", {"code": autumn["join_code"], "name": "Quirin"})
        ben = self.client(joined["token"], "Quirin")
        ben.call_ok("review_action", {"workshop_id": self.workshop_id,
                                      "action_id": self.actions[0]["id"], "verdict": "partly",
                                      "comment": "Fährt, aber zu selten"})

    def client(self, token: str, label: str) -> LiveClient:
        client = LiveClient(self.server.url, token, label)
        self.clients.append(client)
        client.connect()
        client.call_ok("join_workshop", {"workshop_id": self.workshop_id})
        return client

    def staff(self, name: str, **fields) -> dict:
        return self.mod.call_ok(name, {"workshop_id": self.workshop_id, **fields})

    def close(self) -> None:
        for client in self.clients:
            client.close()


@pytest.fixture
def forums(live_server, moderator):
    made = Forums(live_server, moderator)
    yield made
    made.close()


def _phone(screens, forums: Forums, shape: dict, name: str) -> Page:
    page = screens.page(screens._context(shape), f"phone {name}")
    page.goto(forums.autumn["join_url"])
    by(page, "join-name").fill(name)
    by(page, "join-submit").tap()
    by(page, "workshop-choice").first.tap()
    expect(by(page, "view-review")).to_be_visible()
    return page


@pytest.mark.parametrize("shape", [PHONE, PHONE_390], ids=["360", "390"])
def test_a_phone_gives_verdicts_and_sees_them_once_revealed(screens, forums, shape,
                                                           axe_script):  # noqa: F811 (fixture)
    width = shape["viewport"]["width"]
    page = _phone(screens, forums, {**shape, **AUDIT}, "Anna")
    cards = by(page, "review-card")
    expect(cards).to_have_count(2)  # the done action is not under review
    bus = cards.filter(has_text="Pendlerbus")
    expect(by(bus, "review-update")).to_contain_text("Fahrplan steht")
    expect(by(bus, "review-status")).to_have_text("Läuft")
    expect(by(page, "review-secret")).to_be_visible()
    expect(by(bus, "review-given")).to_have_text("1 Bewertung bisher")
    expect(page.locator("main")).not_to_contain_text("zu selten")
    assert_layout(page, f"review at {width} px")

    by(bus, "review-verdict").filter(has_text="Hat gewirkt").tap()
    worked = bus.locator('[data-testid="review-verdict"][data-verdict="worked"]')
    expect(worked).to_have_attribute("aria-pressed", "true")
    expect(by(bus, "review-mine")).to_have_text("Deine Bewertung: Hat gewirkt")
    expect(by(bus, "review-given")).to_have_text("2 Bewertungen bisher")
    by(bus, "review-comment").fill("Der Bus ist morgens voll")
    by(bus, "review-comment-save").tap()
    expect(by(page, "toast")).to_contain_text("Kommentar gespeichert")
    long_card = cards.filter(has_text="Ausbildungsplatz")
    by(long_card, "review-verdict").filter(has_text="Zu früh").tap()
    expect(by(long_card, "review-mine")).to_have_text("Deine Bewertung: Zu früh")
    assert_layout(page, f"review with verdicts at {width} px")
    audit = Audit(axe_script)
    audit.check(page, f"phone review {width} (secret)")

    tallies = {a["id"]: a["review"] for a in forums.staff("join_workshop")["review"]["actions"]}
    assert tallies[forums.actions[0]["id"]] == {"worked": 1, "partly": 1, "not": 0, "unsure": 0}

    forums.staff("reveal_reviews")
    expect(by(page, "review-secret")).to_be_hidden()
    results = by(bus, "review-results")
    expect(results.locator('[data-verdict="worked"]')).to_have_attribute("data-count", "1")
    expect(results.locator('[data-verdict="partly"]')).to_have_attribute("data-count", "1")
    expect(by(bus, "review-comments")).to_contain_text("Fährt, aber zu selten")
    expect(by(bus, "review-comments")).to_contain_text("Der Bus ist morgens voll")
    expect(page.locator("main")).not_to_contain_text("Quirin")
    assert_layout(page, f"review revealed at {width} px")
    audit.check(page, f"phone review {width} (revealed)")
    audit.assert_no_blocking()
    if width == 390:
        # the picture shows the page, not the last note
        expect(by(page, "toast")).not_to_have_attribute("data-open", re.compile(".*"),
                                                        timeout=10_000)
        screens.shot(page, "phone-review", full_page=True)
    screens.assert_clean()


@pytest.mark.parametrize("size", list(PROJECTORS))
def test_the_projector_counts_then_shows_the_bars(screens, forums, size):
    viewer = forums.api.post(f"/workshops/{forums.workshop_id}/viewer-link", {}, expect=201)
    projector = screens.page(screens._context(PROJECTORS[size]), f"projector {size}")
    projector.goto(viewer["url"])
    expect(by(projector, "step-banner")).to_have_attribute("data-step", "review")
    reviews = by(projector, "projector-review")
    expect(reviews).to_have_count(2)
    expect(by(projector, "projector-review-secret")).to_be_visible()
    expect(by(reviews.first, "projector-review-given")).to_have_text("1 Bewertung bisher")
    expect(projector.locator("main")).not_to_contain_text("zu selten")
    placed(projector)
    assert_layout(projector, f"projector review {size} (secret)")
    forums.staff("reveal_reviews")
    bars = by(reviews.first, "projector-review-results")
    expect(bars.locator('[data-verdict="partly"]')).to_have_attribute("data-count", "1")
    expect(by(projector, "projector-review-secret")).to_be_hidden()
    placed(projector)
    assert_layout(projector, f"projector review {size} (revealed)")
    if size == "1920x1080":
        screens.shot(projector, "projector-review")
    screens.assert_clean()


def test_the_moderator_board_offers_review_and_sees_every_verdict(screens, forums, moderator):
    page = screens.page(screens._context(LAPTOP_1440), "board")
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()
    page.goto(f"/moderator/workshops/{forums.workshop_id}")
    review_step = page.locator('[data-testid="step-button"][data-step="review"]')
    expect(review_step).to_be_visible()
    expect(review_step).to_have_attribute("aria-pressed", "true")
    panel = by(page, "review-panel")
    expect(panel).to_be_visible()
    bus = by(panel, "review-card").filter(has_text="Pendlerbus")
    expect(by(bus, "review-results").locator('[data-verdict="partly"]')).to_have_attribute(
        "data-count", "1")
    expect(by(bus, "review-comments")).to_contain_text("Fährt, aber zu selten")
    by(page, "reveal-reviews").click()
    expect(panel).to_have_attribute("data-revealed", "true")
    expect(by(page, "reveal-reviews")).to_be_hidden()
    page.locator('[data-testid="step-button"][data-step="collect"]').click()
    expect(panel).to_be_hidden()
    assert_layout(page, "moderator board at 1440 px")

    # The register shows the verdicts and comments on the action's entry (no names).
    page.goto(f"/moderator/series/{forums.series['id']}")
    entry = page.locator('[data-testid="register-item"]', has_text="Pendlerbus")
    review = by(entry, "register-review")
    expect(review).to_have_attribute("data-verdicts", "1")
    expect(review).to_contain_text("teilweise 1")
    expect(by(entry, "register-review-comments")).to_contain_text("Fährt, aber zu selten")
    expect(page.locator("main")).not_to_contain_text("Quirin")
    assert_layout(page, "register with review at 1440 px")
    screens.assert_clean()
