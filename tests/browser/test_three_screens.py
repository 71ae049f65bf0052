"""The three screens in a real browser (Chromium), against a real ``pinnwand serve``.

``test_event_through_the_three_screens`` drives one event through the UI only, the way it
runs on the day: the moderator's laptop builds the event, two phones join different
workshops and post, the cockpit and a projector follow live, a workshop is paused from the
cockpit, and the language switch changes the UI. The HTTP API is used only to read stored
values for assertions.

``test_markup_in_user_text_stays_text`` posts HTML through the phone and checks that the phone
and the projector show it as literal text, with no element created and no dialog opened.

Both fail when a page logs a console error, an uncaught error or a CSP violation, or opens a
dialog. Screenshots of the phone (join, board), the event editor, the cockpit and the projector
are saved into ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re

import pytest

from tests.support.server import Api
from tests.support.services import in_ci

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # without Playwright: skip here, fail in CI (like a missing Chromium)
    if in_ci():
        raise
    pytest.skip("Playwright for Python is not installed: pip install -e '.[test]'",
                allow_module_level=True)

pytestmark = pytest.mark.browser

CODE = re.compile(r"^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$")
EVENT = {
    "title": "Fachkräfte-Forum Südwest",
    "date": "2026-11-21",
    "location": "Rathaus, Großer Saal",
    "description": "Drei Workshops zur Frage, wie die Region Fachkräfte hält, ausbildet "
                   "und gewinnt.",
}
TALK = {"start": "09:30", "title": "Ausbildung neu denken", "speaker": "Dr. Jörg Ölmann",
        "organisation": "IHK Südwest"}
WORKSHOPS = [
    ("Talente halten", "Wie halten wir Fachkräfte in der Region?"),
    ("Talente ausbilden", "Wie bilden wir neue Fachkräfte aus?"),
    ("Talente gewinnen", "Wie gewinnen wir Fachkräfte von außen?"),
]
NO_RELOAD = "window.__pinnwandNoReload"


# ------------------------------------------------------------------------------ helpers


def by(scope: Page | Locator, testid: str) -> Locator:
    return scope.get_by_test_id(testid)


def texts(scope: Page | Locator) -> Locator:
    """The idea texts of a board, newest first."""
    return by(by(scope, "idea-list"), "idea-card-text")


def assert_image_loaded(image: Locator, min_width: int) -> None:
    """The <img> decoded without error and is shown at least ``min_width`` CSS pixels wide."""
    expect(image).to_be_visible()
    expect(image).to_have_attribute("src", re.compile(r"/join/[A-Z0-9]{6}/qr\.svg$"))
    loaded = image.evaluate(
        "async (img) => { try { await img.decode(); return img.complete && img.naturalWidth > 0; }"
        " catch { return false; } }"
    )
    assert loaded, f"the image {image.get_attribute('src')} did not load"
    box = image.bounding_box()
    assert box and box["width"] >= min_width, f"the QR code is {box} – narrower than {min_width}px"


def mark_no_reload(page: Page) -> None:
    page.evaluate(f"{NO_RELOAD} = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate(f"{NO_RELOAD} === true"), "the page was reloaded"


def sign_in(page: Page, moderator) -> None:
    page.goto("/moderator")
    expect(by(page, "login")).to_be_visible()
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()
    expect(by(page, "moderator-name")).to_have_text(moderator.name)


def join_on_phone(page: Page, join_url: str, name: str, workshop_id: int, question: str,
                  screens=None) -> None:
    """Open the join link, give a name, pick a workshop: the (empty) board is open."""
    page.goto(join_url)
    expect(by(page, "step-name")).to_be_visible()
    expect(by(page, "event-name")).to_have_text(EVENT["title"])
    if screens is not None:
        screens.shot(page, "phone-join")
    by(page, "join-name").fill(name)
    by(page, "join-submit").tap()
    expect(by(page, "step-workshops")).to_be_visible()
    expect(by(page, "workshop-choice")).to_have_count(len(WORKSHOPS))
    page.locator(f'[data-testid="workshop-choice"][data-workshop-id="{workshop_id}"]').tap()
    expect(by(page, "step-board")).to_be_visible()
    expect(by(page, "board-question")).to_have_text(question)
    # The snapshot arrived (the socket is connected): the board is live, as a user sees it.
    expect(by(page, "idea-count")).to_have_attribute("data-count", "0")
    expect(by(page, "signed-in-as")).to_contain_text(name)


def post_on_phone(page: Page, text: str) -> None:
    """Type an idea and tap "send": it is on top of the board, marked as one's own."""
    by(page, "idea-text").fill(text)
    by(page, "idea-submit").tap()
    newest = by(by(page, "idea-list"), "idea-card").first
    expect(by(newest, "idea-card-text")).to_have_text(text)
    expect(newest).to_have_attribute("data-mine", "true")
    expect(by(page, "idea-text")).to_have_value("")


def card(cockpit: Page, workshop_id: int) -> Locator:
    return cockpit.locator(f'[data-testid="cockpit-card"][data-workshop-id="{workshop_id}"]')


def expect_figures(cockpit: Page, workshop_id: int, participants: int, ideas: int) -> None:
    workshop = card(cockpit, workshop_id)
    expect(by(workshop, "cockpit-participants")).to_have_text(str(participants))
    expect(by(workshop, "cockpit-ideas")).to_have_text(str(ideas))


# ------------------------------------------------------------------------------ the flow


def test_event_through_the_three_screens(screens, moderator, live_server):
    laptop = screens.laptop()

    # -- the moderator builds the event on the laptop ------------------------------------
    editor = screens.page(laptop, "event editor")
    sign_in(editor, moderator)
    by(editor, "new-event-title").fill(EVENT["title"])
    by(editor, "new-event-date").fill(EVENT["date"])
    by(editor, "new-event-location").fill(EVENT["location"])
    by(editor, "new-event-description").fill(EVENT["description"])
    by(editor, "new-event-submit").click()
    editor.wait_for_url(re.compile(r"/moderator/events/\d+$"))
    event_id = int(editor.url.rsplit("/", 1)[1])
    expect(by(editor, "event-heading")).to_have_text(EVENT["title"])
    expect(by(editor, "event-title")).to_have_value(EVENT["title"])
    expect(by(editor, "event-date")).to_have_value(EVENT["date"])
    expect(by(editor, "event-location")).to_have_value(EVENT["location"])
    expect(by(editor, "event-description")).to_have_value(EVENT["description"])

    expect(by(editor, "agenda-empty")).to_be_visible()
    by(editor, "agenda-add-start").fill(TALK["start"])
    by(editor, "agenda-add-title").fill(TALK["title"])
    by(editor, "agenda-add-speaker").fill(TALK["speaker"])
    by(editor, "agenda-add-organisation").fill(TALK["organisation"])
    by(editor, "agenda-add").click()
    expect(by(editor, "agenda-item")).to_have_count(1)
    expect(by(editor, "agenda-item-title")).to_have_text(TALK["title"])
    expect(by(editor, "agenda-item")).to_contain_text(TALK["start"])
    expect(by(editor, "agenda-item")).to_contain_text(TALK["speaker"])
    expect(by(editor, "agenda-empty")).to_be_hidden()

    for count, (title, question) in enumerate(WORKSHOPS, start=1):
        by(editor, "workshop-add-title").fill(title)
        by(editor, "workshop-add-question").fill(question)
        by(editor, "workshop-add").click()
        expect(by(editor, "workshop-row")).to_have_count(count)
    expect(by(editor, "workshop-row-title")).to_have_text([t for t, _ in WORKSHOPS])
    expect(by(editor, "workshop-row-question")).to_have_text([q for _, q in WORKSHOPS])
    workshop_ids = [int(row.get_attribute("data-workshop-id"))
                    for row in by(editor, "workshop-row").all()]
    first, second, third = workshop_ids

    # How participants join: code, link, QR.
    expect(by(editor, "join-code")).to_have_text(re.compile(r"^\w{6}$"))
    code = by(editor, "join-code").inner_text().strip()
    assert CODE.match(code), code
    join_link = by(editor, "join-link")
    join_url = join_link.get_attribute("href")
    assert re.fullmatch(rf"{live_server.url}/join/{code}\?key=[\w-]{{22}}", join_url), join_url
    short_link = join_url.split("://", 1)[1].split("?", 1)[0]  # the key is in the QR code only
    expect(join_link).to_have_text(short_link)
    assert_image_loaded(by(editor, "join-qr"), min_width=200)
    editor.evaluate("window.scrollTo(0, 0)")  # the join panel is sticky: shoot from the top
    screens.shot(editor, "event-editor", full_page=True)

    # What the UI stored (read through the API, for the assertion only).
    api = Api(live_server.url).login(moderator.email, moderator.password)
    stored = api.get(f"/events/{event_id}")
    assert {k: stored[k] for k in ("title", "date", "location", "description")} == {
        "title": EVENT["title"], "date": EVENT["date"], "location": EVENT["location"],
        "description": EVENT["description"]}
    assert [(t["title"], t["speaker"], t["organisation"], t["starts_at"])
            for t in stored["agenda"]] == [
        (TALK["title"], TALK["speaker"], TALK["organisation"], TALK["start"])]
    assert [(w["title"], w["question"]) for w in stored["workshops"]] == WORKSHOPS
    assert stored["join_code"] == code

    # -- the cockpit on a second tab, before anyone joins --------------------------------
    cockpit = screens.page(laptop, "cockpit")
    cockpit.goto(f"/moderator/events/{event_id}/cockpit")
    expect(by(cockpit, "cockpit-event-title")).to_have_text(EVENT["title"])
    expect(by(cockpit, "cockpit-card")).to_have_count(3)
    expect(by(cockpit, "cockpit-title")).to_have_text([t for t, _ in WORKSHOPS])
    expect(by(cockpit, "join-code")).to_have_text(code)
    for workshop_id in workshop_ids:
        expect_figures(cockpit, workshop_id, participants=0, ideas=0)
    expect(by(cockpit, "cockpit-total-ideas")).to_have_text("0")
    mark_no_reload(cockpit)

    # -- two phones join different workshops ---------------------------------------------
    anna = screens.page(screens.phone(), "phone Anna")
    join_on_phone(anna, join_url, "Anna", first, WORKSHOPS[0][1], screens=screens)
    ben = screens.page(screens.phone(), "phone Ben")
    join_on_phone(ben, join_url, "Ben", second, WORKSHOPS[1][1])
    expect_figures(cockpit, first, participants=1, ideas=0)
    expect_figures(cockpit, second, participants=1, ideas=0)
    expect(by(card(cockpit, first), "cockpit-connected")).to_have_text("1")

    anna_ideas = ["Mentoring durch erfahrene Kolleginnen", "Flexible Arbeitszeiten für Eltern"]
    ben_ideas = ["Ausbildungsbotschafter an Schulen", "Teilzeitausbildung anbieten"]
    for mine, theirs in zip(anna_ideas, ben_ideas, strict=True):
        post_on_phone(anna, mine)
        post_on_phone(ben, theirs)
    expect(texts(anna)).to_have_text(anna_ideas[::-1])
    expect(texts(ben)).to_have_text(ben_ideas[::-1])
    expect(by(anna, "idea-count")).to_have_attribute("data-count", "2")

    # The cockpit follows without a reload.
    expect_figures(cockpit, first, participants=1, ideas=2)
    expect_figures(cockpit, second, participants=1, ideas=2)
    expect_figures(cockpit, third, participants=0, ideas=0)
    expect(by(cockpit, "cockpit-total-ideas")).to_have_text("4")
    expect(by(card(cockpit, first), "cockpit-latest-idea")).to_have_count(2)

    # -- the moderator posts on the first workshop's board: live on Anna's phone only ----
    board_href = by(card(cockpit, first), "cockpit-open-board").get_attribute("href")
    board = screens.page(laptop, "moderator board")
    board.goto(board_href)
    expect(by(board, "board-question")).to_have_text(WORKSHOPS[0][1])
    expect(texts(board)).to_have_text(anna_ideas[::-1])
    from_moderator = "Patenschaften mit Betrieben aus der Region"
    by(board, "idea-text").fill(from_moderator)
    by(board, "idea-submit").click()
    expect(texts(board).first).to_have_text(from_moderator)

    newest_on_anna = by(by(anna, "idea-list"), "idea-card").first
    expect(by(newest_on_anna, "idea-card-text")).to_have_text(from_moderator)
    expect(by(newest_on_anna, "idea-author")).to_have_text(moderator.name)
    expect(newest_on_anna).to_have_attribute("data-mine", "false")
    expect(by(anna, "announcer")).to_contain_text(from_moderator)
    expect_figures(cockpit, first, participants=1, ideas=3)
    expect(by(card(cockpit, first), "cockpit-latest-idea").first).to_contain_text(from_moderator)

    # -- the projector of the first workshop ---------------------------------------------
    by(card(cockpit, first), "cockpit-projector").click()
    projector_url = by(card(cockpit, first), "projector-url").input_value()
    assert re.search(rf"/projector/{first}\?lang=de#token=[^&\s]+$", projector_url), (
        projector_url)
    projector = screens.page(screens.projector(), "projector")
    projector.goto(projector_url)
    expect(by(projector, "board-question")).to_have_text(WORKSHOPS[0][1])
    expect(by(projector, "board-title")).to_have_text(WORKSHOPS[0][0])
    expect(by(projector, "projector-event")).to_have_text(EVENT["title"])
    expect(by(projector, "join-code")).to_have_text(code)
    expect(by(projector, "join-url")).to_have_text(short_link)
    assert_image_loaded(by(projector, "join-qr"), min_width=200)
    expect(texts(projector)).to_have_text([from_moderator, *anna_ideas[::-1]])

    third_idea = "Wohnungen für Azubis in der Stadt"
    post_on_phone(anna, third_idea)
    expect(texts(projector).first).to_have_text(third_idea)
    expect(by(projector, "idea-count")).to_have_attribute("data-count", "4")
    screens.shot(projector, "projector")

    # Anna's newest idea is in view on the phone without scrolling.
    newest_on_anna = by(by(anna, "idea-list"), "idea-card").first
    expect(by(newest_on_anna, "idea-card-text")).to_have_text(third_idea)
    expect(newest_on_anna).to_be_in_viewport(ratio=1)
    assert anna.evaluate("window.scrollY") == 0, "the phone had to scroll"
    screens.shot(anna, "phone-board")

    # Nothing of the first workshop ever reached Ben; everything of it reached Anna.
    expect(texts(anna)).to_have_text([third_idea, from_moderator, *anna_ideas[::-1]])
    expect(texts(ben)).to_have_text(ben_ideas[::-1])
    expect(by(ben, "idea-count")).to_have_attribute("data-count", "2")
    expect_figures(cockpit, first, participants=1, ideas=4)
    expect_figures(cockpit, second, participants=1, ideas=2)
    expect(by(cockpit, "cockpit-total-ideas")).to_have_text("6")

    # -- pause the first workshop from the cockpit ---------------------------------------
    toggle = by(card(cockpit, first), "lock-toggle")
    expect(toggle).to_have_text("Pausieren")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(card(cockpit, first)).to_have_attribute("data-locked", "true")
    expect(by(card(cockpit, first), "cockpit-state")).to_have_text("Pausiert")
    expect(by(anna, "board-locked")).to_be_visible()
    expect(by(anna, "board-locked")).to_contain_text("Pausiert.")
    expect(by(anna, "idea-text")).to_be_disabled()
    expect(by(anna, "idea-submit")).to_be_disabled()
    expect(by(projector, "board-locked")).to_be_visible()
    expect(by(ben, "board-locked")).to_be_hidden()
    expect(by(ben, "idea-text")).to_be_enabled()
    screens.shot(cockpit, "cockpit", full_page=True)

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(by(anna, "board-locked")).to_be_hidden()
    expect(by(anna, "idea-text")).to_be_enabled()
    expect(by(projector, "board-locked")).to_be_hidden()
    assert_not_reloaded(cockpit)

    # -- the language switch: German → English → German ---------------------------------
    expect(anna.locator("html")).to_have_attribute("lang", "de")
    expect(anna.locator('label[for="idea-text"]')).to_have_text("Deine Idee")
    by(anna, "lang-en").tap()
    expect(anna.locator("html")).to_have_attribute("lang", "en")
    expect(anna.locator('label[for="idea-text"]')).to_have_text("Your idea")
    expect(by(anna, "idea-submit")).to_have_text("Post idea")
    expect(by(anna, "idea-count")).to_have_text("4 ideas")
    expect(texts(anna)).to_have_count(4)
    by(anna, "lang-de").tap()
    expect(anna.locator("html")).to_have_attribute("lang", "de")
    expect(anna.locator('label[for="idea-text"]')).to_have_text("Deine Idee")
    expect(by(anna, "idea-submit")).to_have_text("Senden")
    expect(by(anna, "idea-count")).to_have_text("4 Ideen")

    by(cockpit, "lang-en").click()
    expect(cockpit.locator("html")).to_have_attribute("lang", "en")
    expect(by(card(cockpit, first), "lock-toggle")).to_have_text("Pause")
    expect(by(card(cockpit, first), "cockpit-state")).to_have_text("Open")
    expect(cockpit.locator(".figure dt").first).to_have_text("Participants")
    by(cockpit, "lang-de").click()
    expect(cockpit.locator("html")).to_have_attribute("lang", "de")
    expect(by(card(cockpit, first), "lock-toggle")).to_have_text("Pausieren")
    expect(cockpit.locator(".figure dt").first).to_have_text("Teilnehmende")
    expect_figures(cockpit, first, participants=1, ideas=4)

    screens.assert_clean()


# ------------------------------------------------------------------------------ markup


def test_markup_in_user_text_stays_text(screens, moderator, live_server):
    """HTML typed by participants (and put into titles) is shown as text on the phone and on
    the projector: no element is created, no script runs, no dialog opens."""
    payload = "<img src=x onerror=alert(1)>"
    name = "<b>Eve</b>"
    title = "Forum <script>alert(2)</script>"
    question = "Wie <img src=y onerror=alert(3)> wir?"
    # Setting up (not under test here): the event and a projector link through the API.
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": title, "workshops": [
        {"title": "Markup", "question": question}]}, expect=201)
    workshop_id = event["workshops"][0]["id"]
    viewer = api.post(f"/workshops/{workshop_id}/viewer-link", {}, expect=201)

    projector = screens.page(screens.projector(), "projector")
    projector.goto(viewer["url"])
    expect(by(projector, "board-question")).to_have_text(question)
    expect(by(projector, "projector-event")).to_have_text(title)
    expect(by(projector, "board-empty")).to_be_visible()

    phone = screens.page(screens.phone(), "phone")
    phone.goto(event["join_url"])
    expect(by(phone, "event-name")).to_have_text(title)
    by(phone, "join-name").fill(name)
    by(phone, "join-submit").tap()
    by(phone, "workshop-choice").tap()
    expect(by(phone, "board-question")).to_have_text(question)
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "0")  # the board is live
    by(phone, "idea-text").fill(payload)
    by(phone, "idea-submit").tap()

    # Live: the phone's own card (from the ack) and the projector's (from the broadcast).
    for page in (phone, projector):
        expect(texts(page)).to_have_text([payload])
        expect(by(page, "idea-author")).to_have_text([name])
    # After a reload: from the snapshot.
    phone.reload()
    expect(texts(phone)).to_have_text([payload])
    projector.reload()
    expect(texts(projector)).to_have_text([payload])
    expect(by(projector, "idea-author")).to_have_text([name])

    for page in (phone, projector):
        assert page.locator("main img:not([data-testid='join-qr'])").count() == 0
        assert page.locator("main b, main script").count() == 0
        assert page.evaluate("document.title").startswith(("Markup", title))
    screens.assert_clean()
