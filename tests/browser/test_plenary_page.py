"""The plenary page in a real browser (Chromium), against a real ``pinnwand serve``.

The moderator signs in, opens ``/moderator/events/<id>/plenary`` and runs the plenary from
its controls only: brings the top 3 of every workshop, opens it, starts the vote, watches a
participant's dots reorder the cards live, removes an item and hides the controls for the
projector. A participant's socket (python-socketio) checks what reaches the phones. The page
must not log a console error, an uncaught error or a CSP violation, nor open a dialog.
"""

from __future__ import annotations

import uuid

import pytest

from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # without Playwright: skip here, fail in CI (like a missing Chromium)
    from tests.support.services import in_ci

    if in_ci():
        raise
    pytest.skip("Playwright for Python is not installed: pip install -e '.[test]'",
                allow_module_level=True)

pytestmark = pytest.mark.browser

MARKUP = "<b>Fett</b> und <img src=x onerror=alert(1)>"
IDEAS = {
    0: ["Mentoring für Neue", MARKUP],
    1: ["Ausbildung in Teilzeit"],
    2: [],
}


def by(scope: Page | Locator, testid: str) -> Locator:
    return scope.get_by_test_id(testid)


def sign_in(page: Page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


def item(page: Page, title: str) -> Locator:
    return by(page, "plenary-item").filter(has=by(page, "plenary-item-title").get_by_text(
        title, exact=True))


@pytest.fixture
def plenary_event(live_server, moderator):
    """An event with three workshops and some ideas (posted by the moderator); the event
    and a participant's live socket that recorded ``plenary_changed``."""
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": "Plenum im Rathaus", "workshops": [
        {"title": f"Workshop {n}", "question": f"Frage {n}?"} for n in range(1, 4)]},
        expect=201)
    clients = []
    writer = LiveClient(live_server.url, api.token, "moderator").connect()
    clients.append(writer)
    for index, texts in IDEAS.items():
        workshop_id = event["workshops"][index]["id"]
        writer.call_ok("join_workshop", {"workshop_id": workshop_id})
        for text in texts:
            writer.call_ok("create_idea", {"workshop_id": workshop_id,
                                           "op_id": uuid.uuid4().hex, "text": text})
    joined = Api(live_server.url).post("/join", {"code": event["join_code"], "name": "Anna"})
    phone = LiveClient(live_server.url, joined["token"], "phone")
    phone.sio.on("plenary_changed", phone._recorder("plenary_changed"))
    phone.connect()
    clients.append(phone)
    yield event, phone
    for client in clients:
        client.close()


def test_moderator_runs_the_plenary_from_the_page(screens, moderator, plenary_event):
    event, phone = plenary_event
    answer = phone.call_ok("join_plenary", {"event_id": event["id"]})
    assert answer["plenary"]["open"] is False and answer["plenary"]["items"] == []

    page = screens.page(screens.laptop(), "plenary")
    sign_in(page, moderator)
    page.goto(f"/moderator/events/{event['id']}/plenary")
    expect(by(page, "plenary-event-title")).to_have_text("Plenum im Rathaus")
    expect(by(page, "plenary-state")).to_have_attribute("data-state", "closed")
    expect(by(page, "plenary-empty")).to_be_visible()
    expect(by(page, "join-code")).to_have_text(event["join_code"])

    # Bring the top 3 of every workshop: three ideas (workshop 3 has none).
    by(page, "plenary-pull-top").click()
    expect(by(page, "plenary-item")).to_have_count(3)
    expect(by(page, "plenary-feedback")).to_have_attribute("data-kind", "success")
    expect(by(page, "plenary-item-workshop")).to_have_text(
        ["Workshop 1", "Workshop 1", "Workshop 2"])
    expect(by(page, "plenary-empty")).to_be_hidden()
    markup = item(page, MARKUP)
    expect(markup).to_have_count(1)  # shown as text: no element was created
    assert page.locator("#plenary-items img, #plenary-items b").count() == 0
    phone.wait_for_count(1, "plenary_changed")
    assert phone.broadcasts("plenary_changed")[-1]["plenary"]["items"] == []  # still closed

    # Open it on the phones, then start the vote.
    by(page, "plenary-open-toggle").click()
    expect(by(page, "plenary-open-toggle")).to_have_attribute("aria-pressed", "true")
    expect(by(page, "plenary-state")).to_have_attribute("data-state", "open")
    phone.wait_for_count(2, "plenary_changed")
    opened = phone.broadcasts("plenary_changed")[-1]["plenary"]
    assert [i["title"] for i in opened["items"]] == [
        "Mentoring für Neue", MARKUP, "Ausbildung in Teilzeit"]
    by(page, "plenary-voting-toggle").click()
    expect(by(page, "plenary-state")).to_have_attribute("data-state", "voting")
    expect(by(page, "plenary-items")).to_have_attribute("data-order", "votes")

    # A participant's dots move their item to the top, live.
    last = opened["items"][-1]["id"]
    assert phone.call_ok("plenary_vote", {"event_id": event["id"], "item_id": last,
                                          "count": 2})["remaining"] == 1
    first_card = by(page, "plenary-item").first
    expect(first_card).to_have_attribute("data-item-id", str(last))
    expect(first_card).to_have_attribute("data-votes", "2")
    expect(by(first_card, "plenary-item-rank")).to_have_text("1")
    screens.shot(page, "plenary-voting")

    # Remove an item: the first click only asks.
    remove = by(item(page, "Mentoring für Neue"), "plenary-item-remove")
    remove.click()
    expect(remove).to_have_attribute("data-armed", "true")
    expect(by(page, "plenary-item")).to_have_count(3)
    remove.click()
    expect(by(page, "plenary-item")).to_have_count(2)

    # The dots per person, and the state after a reload.
    by(page, "plenary-vote-budget").select_option("5")
    phone.wait_for(lambda got: any(name == "plenary_changed" and p["plenary"]["vote_budget"] == 5
                                   for name, p in got), what="the new budget")
    page.reload()
    expect(by(page, "plenary-item")).to_have_count(2)
    expect(by(page, "plenary-vote-budget")).to_have_value("5")
    expect(by(page, "plenary-voting-toggle")).to_have_attribute("aria-pressed", "true")

    # For the projector: only the cards.
    by(page, "plenary-hide-controls").click()
    expect(by(page, "plenary-controls")).to_be_hidden()
    expect(by(page, "plenary-item-remove").first).to_be_hidden()
    expect(by(page, "plenary-state")).to_be_hidden()  # the moderators' status: not for the room
    screens.shot(page, "plenary-presenting")
    by(page, "plenary-show-controls").click()
    expect(by(page, "plenary-controls")).to_be_visible()

    screens.assert_clean()


def test_plenary_projector_link_shows_what_the_room_sees(screens, moderator, plenary_event):
    """The moderator makes the plenary's projector link on the plenary page; opened on the
    venue PC (another browser, no moderator) it shows the join code and QR, "starts soon"
    while the plenary is closed, the items once it is open — and no controls or status."""
    event, _ = plenary_event
    page = screens.page(screens.laptop(), "plenary")
    sign_in(page, moderator)
    page.goto(f"/moderator/events/{event['id']}/plenary")
    by(page, "plenary-pull-top").click()
    expect(by(page, "plenary-item")).to_have_count(3)
    by(page, "plenary-projector-link").click()
    url = by(page, "projector-url").input_value()
    assert f"/plenary/{event['id']}" in url and "#token=" in url

    venue = screens.page(screens.projector(), "venue PC")
    venue.goto(url)
    expect(by(venue, "plenary-event-title")).to_have_text("Plenum im Rathaus")
    expect(by(venue, "join-code")).to_have_text(event["join_code"])
    expect(by(venue, "join-qr")).to_be_visible()
    expect(by(venue, "plenary-waiting")).to_be_visible()
    expect(by(venue, "plenary-item")).to_have_count(0)
    by(page, "plenary-open-toggle").click()
    expect(by(venue, "plenary-item")).to_have_count(3)
    expect(by(venue, "plenary-waiting")).to_be_hidden()
    for testid in ("plenary-controls", "plenary-state", "plenary-item-remove", "moderator-name"):
        assert by(venue, testid).count() == 0, testid
    screens.shot(venue, "plenary-projector-link")
    screens.assert_clean()
