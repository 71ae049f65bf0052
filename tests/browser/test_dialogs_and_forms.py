"""The moderator pages ask in their own dialog, never with the browser's ``confirm()`` or
``prompt()``, and a few smaller things of the forms; in Chromium against a real
``pinnwand serve``.

- ``test_cockpit_asks_before_moving_workshops_back``: "Für alle übernehmen" with a step behind
  some workshops opens the page's dialog naming exactly those workshops (act → vote …);
  "cancel" changes nothing on the server; confirming moves them. Moving forward asks nothing.
- ``test_publishing_and_deleting_ask_in_the_page``: publishing the results and deleting the
  event ask in the page's dialog; cancelled, nothing happens; deleting needs the event's title
  typed, then the event is gone.
- ``test_deleting_a_talk_asks_in_the_page``: the event editor asks before deleting a talk.
- ``test_a_name_longer_than_40_characters_is_refused_not_cut``: a pasted 41+ character name
  stays as typed and the form says what the server would say.
- ``test_the_current_step_stays_readable_when_hovered``: the board's current step button
  keeps a contrast of at least 4.5:1 under the mouse.

Every test fails when a page logs a console error, an uncaught error or a CSP violation, or
opens a browser dialog.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LAPTOP_1440
from tests.support.server import Api

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    expect = None

pytestmark = pytest.mark.browser

# WCAG's contrast ratio of an element's text colour on its background (both opaque).
CONTRAST = """
(node) => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const linear = (v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const lum = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const style = getComputedStyle(node);
  const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def sign_in(page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


@pytest.fixture
def api(live_server, moderator) -> Api:
    return Api(live_server.url).login(moderator.email, moderator.password)


def steps_of(api: Api, event_id: int) -> dict[str, str]:
    return {w["title"]: w["step"] for w in api.get(f"/events/{event_id}/workshops")["workshops"]}


def test_cockpit_asks_before_moving_workshops_back(screens, moderator, api):
    titles = ("Halten", "Gewinnen", "Ausbilden")
    event = api.post("/events", {"title": "Zurück?", "workshops": [
        {"title": title, "question": f"{title}?"} for title in titles]}, expect=201)
    ids = {w["title"]: w["id"] for w in event["workshops"]}
    cockpit = screens.page(screens._context(LAPTOP_1440), "cockpit")
    sign_in(cockpit, moderator)
    cockpit.goto(f"/moderator/events/{event['id']}/cockpit")
    cards = by(cockpit, "cockpit-card")
    expect(cards).to_have_count(3)

    def card(title):
        return cockpit.locator(f'[data-testid="cockpit-card"][data-workshop-id="{ids[title]}"]')

    # Forward, one workshop: no question.
    by(card("Gewinnen"), "cockpit-step-select").select_option("act")
    expect(card("Gewinnen")).to_have_attribute("data-step", "act")
    by(card("Ausbilden"), "cockpit-step-select").select_option("vote")
    expect(card("Ausbilden")).to_have_attribute("data-step", "vote")
    expect(by(cockpit, "confirm-dialog")).to_have_count(0)

    # "vote" for all: "Gewinnen" would go back from act; the dialog names it, and only it.
    by(cockpit, "all-step-select").select_option("vote")
    by(cockpit, "all-step-apply").click()
    dialog = by(cockpit, "confirm-dialog")
    expect(dialog).to_be_visible()
    expect(by(dialog, "confirm-dialog-item")).to_have_text(["Gewinnen: Maßnahmen → Abstimmen"])
    expect(by(dialog, "confirm-dialog-cancel")).to_be_focused()
    screens.shot(cockpit, "cockpit-back-dialog")
    by(dialog, "confirm-dialog-cancel").click()
    expect(dialog).to_have_count(0)
    expect(by(cockpit, "all-step-apply")).to_be_focused()
    assert steps_of(api, event["id"]) == {
        "Halten": "collect", "Gewinnen": "act", "Ausbilden": "vote"}
    expect(card("Gewinnen")).to_have_attribute("data-step", "act")

    # Escape cancels too.
    by(cockpit, "all-step-apply").click()
    expect(dialog).to_be_visible()
    cockpit.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert steps_of(api, event["id"])["Gewinnen"] == "act"

    # Confirmed: every workshop in "vote".
    by(cockpit, "all-step-apply").click()
    by(dialog, "confirm-dialog-ok").click()
    for title in ids:
        expect(card(title)).to_have_attribute("data-step", "vote")
    assert set(steps_of(api, event["id"]).values()) == {"vote"}

    # One workshop back from its own card: asked as well, naming it.
    by(card("Halten"), "cockpit-step-select").select_option("collect")
    expect(by(dialog, "confirm-dialog-item")).to_have_text(["Halten: Abstimmen → Sammeln"])
    by(dialog, "confirm-dialog-cancel").click()
    expect(by(card("Halten"), "cockpit-step-select")).to_have_value("vote")
    assert steps_of(api, event["id"])["Halten"] == "vote"
    screens.assert_clean()


def test_publishing_and_deleting_ask_in_the_page(screens, moderator, api):
    event = api.post("/events", {"title": "Löschprobe", "workshops": [
        {"title": "Eins", "question": "Was bleibt?"}]}, expect=201)
    page = screens.page(screens._context(LAPTOP_1440), "results")
    sign_in(page, moderator)
    page.goto(f"/moderator/events/{event['id']}/results")
    dialog = by(page, "confirm-dialog")

    by(page, "publish").click()
    expect(dialog).to_be_visible()
    expect(by(dialog, "confirm-dialog-title")).to_have_text("Veröffentlichen")
    by(dialog, "confirm-dialog-cancel").click()
    expect(dialog).to_have_count(0)
    assert api.get(f"/events/{event['id']}/publication")["published"] is False
    by(page, "publish").click()
    by(dialog, "confirm-dialog-ok").click()
    expect(by(page, "withdraw")).to_be_visible()
    assert api.get(f"/events/{event['id']}/publication")["published"] is True

    by(page, "delete-event").click()
    expect(dialog).to_be_visible()
    expect(by(dialog, "confirm-dialog-text")).to_contain_text("„Löschprobe“")
    ok = by(dialog, "confirm-dialog-ok")
    typed = by(dialog, "confirm-dialog-typed")
    expect(typed).to_be_focused()
    expect(ok).to_be_disabled()
    typed.fill("Löschprob")
    expect(ok).to_be_disabled()
    by(dialog, "confirm-dialog-cancel").click()
    expect(dialog).to_have_count(0)
    assert api.get(f"/events/{event['id']}")["title"] == "Löschprobe"
    by(page, "delete-event").click()
    by(dialog, "confirm-dialog-typed").fill("Löschprobe")
    by(dialog, "confirm-dialog-ok").click()
    page.wait_for_url(re.compile(r"/moderator/?$"))  # the dashboard, not the results page
    api.get(f"/events/{event['id']}", expect=404)
    screens.assert_clean()


def test_deleting_a_talk_asks_in_the_page(screens, moderator, api):
    event = api.post("/events", {"title": "Programm", "agenda": [
        {"title": "Ausbildung neu denken", "speaker": "Dr. Jana Beispiel"}]}, expect=201)
    editor = screens.page(screens._context(LAPTOP_1440), "event editor")
    sign_in(editor, moderator)
    editor.goto(f"/moderator/events/{event['id']}")
    expect(by(editor, "agenda-item")).to_have_count(1)
    dialog = by(editor, "confirm-dialog")
    by(editor, "agenda-delete").click()
    expect(by(dialog, "confirm-dialog-text")).to_have_text(
        "Den Vortrag „Ausbildung neu denken“ löschen?")
    by(dialog, "confirm-dialog-cancel").click()
    expect(dialog).to_have_count(0)
    assert len(api.get(f"/events/{event['id']}")["agenda"]) == 1
    by(editor, "agenda-delete").click()
    by(dialog, "confirm-dialog-ok").click()
    expect(by(editor, "agenda-item")).to_have_count(0)
    assert api.get(f"/events/{event['id']}")["agenda"] == []
    screens.assert_clean()


def test_a_name_longer_than_40_characters_is_refused_not_cut(screens, api):
    event = api.post("/events", {"title": "Namen", "workshops": [
        {"title": "Eins", "question": "Wer?"}]}, expect=201)
    phone = screens.page(screens.phone(), "phone")
    phone.goto(event["join_url"])
    name = "Maria-Magdalena von Hohenzollern-Sigmaringen"  # 44 characters
    assert len(name) > 40
    by(phone, "join-name").fill(name)
    expect(by(phone, "join-name")).to_have_value(name)
    by(phone, "join-submit").tap()
    expect(by(phone, "join-error")).to_have_text("Bitte gib einen Namen mit 1 bis 40 Zeichen ein.")
    expect(by(phone, "join-name")).to_have_attribute("aria-invalid", "")
    expect(by(phone, "join-name")).to_have_value(name)
    expect(by(phone, "step-name")).to_be_visible()
    screens.assert_clean()


def test_the_current_step_stays_readable_when_hovered(screens, moderator, api):
    event = api.post("/events", {"title": "Kontrast", "workshops": [
        {"title": "Eins", "question": "Lesbar?"}]}, expect=201)
    board = screens.page(screens._context(LAPTOP_1440), "board")
    sign_in(board, moderator)
    board.goto(f"/moderator/workshops/{event['workshops'][0]['id']}")
    current = board.locator('[data-testid="step-button"][aria-pressed="true"]')
    expect(current).to_have_attribute("data-step", "collect")
    other = board.locator('[data-testid="step-button"][data-step="vote"]')
    for button in (current, other):
        button.hover()
        button.evaluate("node => Promise.all(node.getAnimations().map((a) => a.finished))")
        assert button.evaluate(CONTRAST) >= 4.5
    screens.assert_clean()
