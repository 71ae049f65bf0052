"""The phone's first screen needs none of the board's code, and the board's code survives a
failed fetch (real Chromium).

On slow venue Wi-Fi the phone page draws the name screen from its first scripts alone; the
Socket.IO client, the outbox, the step views and their styles follow at low priority and are
applied when the board opens. Here every fetch of those is refused at first: the name screen
works, joining works and the workshop list shows; picking a workshop shows "Loading" and the
banner says the server cannot be reached. Once the network lets them through, the phone's own
retries load them, the board comes up live and takes an idea — without a reload.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.support.server import Api

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    expect = None

pytestmark = pytest.mark.browser

BOARD_CODE = re.compile(
    r"/assets/(?:js/(?:phone-steps|outbox)\.js|vendor/socket\.io/socket\.io\.min\.js"
    r"|css/steps\.css)"
)
QUESTION = "Wo finden wir Fachkräfte?"
# What Chromium logs by itself about the refused fetches (nothing else may show up).
REFUSED_NOISE = re.compile(r"ERR_FAILED|Failed to fetch dynamically imported module")


def by(scope, testid: str):
    return scope.locator(f'[data-testid="{testid}"]')


def test_the_board_code_is_not_needed_before_the_board_and_is_fetched_again(
    screens, moderator, live_server
):
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": "Forum im Funkloch", "workshops": [
        {"title": "Region", "question": QUESTION}]}, expect=201)

    refused: Counter[str] = Counter()

    def refuse(route):
        refused[BOARD_CODE.search(route.request.url).group(0)] += 1
        route.abort()

    phone = screens.page(screens.phone(), "phone")
    phone.route(BOARD_CODE, refuse)
    phone.goto(event["join_url"])
    expect(by(phone, "step-name")).to_be_visible()
    by(phone, "join-name").fill("Rita")
    by(phone, "join-submit").tap()
    expect(by(phone, "workshop-choice")).to_have_count(1)
    by(phone, "workshop-choice").tap()
    expect(by(phone, "step-loading")).to_be_visible()
    expect(by(phone, "connection-status")).to_have_attribute("data-state", "error")
    expect(by(phone, "step-board")).to_be_hidden()
    assert len(refused) == 4, f"refused only {sorted(refused)}"

    phone.unroute(BOARD_CODE)
    expect(by(phone, "board-question")).to_have_text(QUESTION)
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "0")  # the board is live
    expect(by(phone, "connection-status")).to_be_hidden()
    by(phone, "idea-text").fill("Ausbildung im Verbund")
    by(phone, "idea-submit").tap()
    expect(by(by(phone, "idea-list"), "idea-card-text")).to_have_text(["Ausbildung im Verbund"])
    expect(by(by(phone, "idea-list"), "idea-card").first).to_have_attribute("data-mine", "true")
    # The step views' styles apply: the step banner is laid out by steps.css.
    assert phone.evaluate(
        "[...document.styleSheets].some((sheet) => (sheet.href || '').includes('/css/steps.css'))"
    )
    stored = api.get(f"/events/{event['id']}")["workshops"][0]
    assert stored["participants"] == 1 and stored["ideas"] == 1, stored
    problems = [p for p in screens.problems() if not REFUSED_NOISE.search(p)]
    assert not problems, "\n".join(problems)
