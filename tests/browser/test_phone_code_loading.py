"""The phone's first screen needs none of the board's code, and the board's code survives a
failed fetch (real Chromium).

On slow venue Wi-Fi the phone page draws the name screen from its own inline script and
styles; the board's code (the outbox and the board's first views) is fetched once the name is
sent and applied when the board opens (the Socket.IO client and the board's styles come inside
the page); the other steps' views and styles once the board is up. Here every fetch of the
board's code is refused at first: the name screen works, joining works and the workshop list
shows; picking a workshop shows "Loading" and the banner says the server cannot be reached.
Once the network lets them through, the phone's own retries load them, the board comes up live
and takes an idea — without a reload, and while the other steps' views are still on their
way; once those are here, the next step shows in its styles.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    expect = None

pytestmark = pytest.mark.browser

BOARD_CODE = re.compile(r"/assets/js/(?:phone-board|outbox)\.js")
STEP_VIEWS = re.compile(r"/assets/(?:js/phone-steps\.js|css/step-views\.css)")
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

    held = []  # the other steps' views, held back until the board took an idea
    phone = screens.page(screens.phone(), "phone")
    phone.route(BOARD_CODE, refuse)
    phone.route(STEP_VIEWS, lambda route: held.append(route))
    phone.goto(event["join_url"])
    expect(by(phone, "step-name")).to_be_visible()
    by(phone, "join-name").fill("Rita")
    by(phone, "join-submit").tap()
    expect(by(phone, "workshop-choice")).to_have_count(1)
    by(phone, "workshop-choice").tap()
    expect(by(phone, "step-loading")).to_be_visible()
    expect(by(phone, "connection-status")).to_have_attribute("data-state", "error")
    expect(by(phone, "step-board")).to_be_hidden()
    assert len(refused) == 2, f"refused only {sorted(refused)}"

    with phone.expect_request(STEP_VIEWS):  # asked for once the board is up
        phone.unroute(BOARD_CODE)
        expect(by(phone, "board-question")).to_have_text(QUESTION)
        expect(by(phone, "idea-count")).to_have_attribute("data-count", "0")  # the board is live
    expect(by(phone, "connection-status")).to_be_hidden()
    by(phone, "idea-text").fill("Ausbildung im Verbund")
    by(phone, "idea-submit").tap()
    expect(by(by(phone, "idea-list"), "idea-card-text")).to_have_text(["Ausbildung im Verbund"])
    expect(by(by(phone, "idea-list"), "idea-card").first).to_have_attribute("data-mine", "true")
    # The board's first styles (inline, allowed by the page's policy) apply.
    assert phone.evaluate("document.getElementById('board-styles').sheet.cssRules.length > 50")
    stored = api.get(f"/events/{event['id']}")["workshops"][0]
    assert stored["participants"] == 1 and stored["ideas"] == 1, stored

    assert held, "the other steps' views were not asked for"

    # Once they are here, the next step shows, in its styles (after the board's own).
    for route in held:
        route.continue_()
    mod = LiveClient(live_server.url, api.token, "moderator").connect()
    try:
        staff = {"workshop_id": event["workshops"][0]["id"]}
        mod.call_ok("join_workshop", staff)
        mod.call_ok("set_step", {**staff, "step": "cluster"})
    finally:
        mod.close()
    expect(by(phone, "view-cluster")).to_be_visible()
    expect(by(by(phone, "view-cluster"), "cluster-idea")).to_have_count(1)
    expect(by(phone, "connection-status")).to_be_hidden()
    assert phone.evaluate("getComputedStyle(document.querySelector("
                          "'[data-testid=unclustered]')).borderTopWidth") == "4px"
    assert phone.evaluate("Boolean(document.querySelector('#board-styles + link[rel=stylesheet]'))")
    problems = [p for p in screens.problems() if not REFUSED_NOISE.search(p)]
    assert not problems, "\n".join(problems)


def test_a_name_sent_before_the_phones_script_is_here_joins_once(screens, moderator, live_server):
    """On a slow line the name field works before phone.js has arrived (the page's own first
    script takes the name): a too short name waits for phone.js to be refused, a good one is
    sent at once, and phone.js shows the workshop list from that one join request."""
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": "Forum am Gleis", "workshops": [
        {"title": "Region", "question": QUESTION}]}, expect=201)

    held = []
    phone = screens.page(screens.phone(), "phone")
    phone.route(re.compile(r"/assets/js/phone\.js"), lambda route: held.append(route))
    joins = []
    phone.on("request", lambda request: joins.append(request.method)
             if request.url.endswith("/api/v1/join") else None)
    phone.goto(event["join_url"], wait_until="commit")
    expect(by(phone, "step-name")).to_be_visible()
    by(phone, "join-submit").tap()  # no name yet
    by(phone, "join-name").fill("Rita")
    by(phone, "join-submit").tap()
    expect(by(phone, "join-submit")).to_be_disabled()
    phone.wait_for_function("() => window.pinnwandEarlyJoin && window.pinnwandEarlyJoin.response")
    assert held, "phone.js was not asked for"
    assert not phone.evaluate("window.pinnwandPhone === true")  # phone.js has not run yet

    for route in held:
        route.continue_()
    expect(by(phone, "workshop-choice")).to_have_count(1)
    expect(by(phone, "signed-in-as")).to_contain_text("Rita")
    assert joins == ["POST"]
    by(phone, "workshop-choice").tap()
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "0")
    stored = api.get(f"/events/{event['id']}")["workshops"][0]
    assert stored["participants"] == 1, stored
