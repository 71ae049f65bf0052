"""The staff screens in a real browser (Chromium), against a real ``pinnwand serve``: the
moderator's board, the cockpit and the host's board.

- ``test_dragging_onto_an_idea_groups_and_between_cards_reorders``: on the board, dropping an
  idea on the line between two cards changes the order and makes no cluster; dropping it
  onto another idea makes a cluster of the two; the keyboard way (select + "add to cluster")
  and renaming the cluster; deleting an idea (from the card's menu) and undoing it.
- ``test_cockpit_drives_every_workshop``: the cockpit sets the step of all workshops at
  once, then one workshop's next step; starts a timer in every workshop, which counts down
  on every card.
- ``test_board_timer_message_and_settings``: the board's timer starts with the typed minutes
  and counts down; pausing stops the clock; a message reaches the room; settings are saved.
- ``test_host_link_opens_a_host_board_for_that_workshop_only``: a host link made in the
  cockpit opens, in a browser without a moderator, a board that runs the workshop (step,
  lock); the same token cannot open or change another workshop.
- ``test_new_workshop_with_columns``: the event editor adds a workshop with the "columns"
  method and named columns; its board shows them as columns, and moving an idea into a
  column works from the keyboard.

Everything a test checks on a screen is also checked where it counts: on the server, through
a participant's socket (snapshot or broadcast). Every test fails when a page logs a console
error, an uncaught error or a CSP violation, or opens a dialog. Screenshots of the board (1440
and 1024 wide), the cockpit and the host board go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.browser.conftest import LAPTOP_1440
from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    Locator = Page = expect = None

pytestmark = pytest.mark.browser

LAPTOP = LAPTOP_1440
SMALL_LAPTOP = {"viewport": {"width": 1024, "height": 768}, "locale": "de-DE"}
CLOCK = re.compile(r"^\d{2}:\d{2}$")


# ------------------------------------------------------------------------------ helpers


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def card_text(page, text: str):
    """The idea card showing exactly ``text``."""
    return by(page, "idea-card").filter(has=page.get_by_test_id("idea-card-text").get_by_text(
        text, exact=True))


def laptop(screens, size=LAPTOP):
    return screens._context(size)


def sign_in(page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


class Participant:
    """A phone, as a socket: joins workshops, posts ideas, reads snapshots."""

    def __init__(self, live_server, join_code: str, name: str):
        joined = Api(live_server.url).post("/join", {"code": join_code, "name": name})
        self.client = LiveClient(live_server.url, joined["token"], name).connect()

    def join(self, workshop_id: int) -> dict:
        return self.client.call_ok("join_workshop", {"workshop_id": workshop_id})

    def post(self, workshop_id: int, text: str) -> dict:
        return self.client.call_ok("create_idea", {
            "workshop_id": workshop_id, "op_id": uuid.uuid4().hex, "text": text})["idea"]

    def board_order(self, workshop_id: int) -> list[str]:
        """The texts on the board in board order (position, then id)."""
        ideas = self.join(workshop_id)["ideas"]
        return [i["text"] for i in sorted(ideas, key=lambda i: (i["position"], i["id"]))]

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def api(live_server, moderator) -> Api:
    return Api(live_server.url).login(moderator.email, moderator.password)


@pytest.fixture
def people(live_server):
    opened: list[Participant] = []

    def open_participant(join_code: str, name: str) -> Participant:
        participant = Participant(live_server, join_code, name)
        opened.append(participant)
        return participant

    yield open_participant
    for participant in opened:
        participant.close()


def make_event(api: Api, *workshops: dict) -> dict:
    return api.post("/events", {"title": "Staff-Test", "workshops": list(workshops)},
                    expect=201)


def card_action(card: Locator, testid: str) -> None:
    """Open the card's actions menu and choose the action ``testid``."""
    by(card, "idea-menu").click()
    by(card, testid).click()


def loose_texts(page) -> Locator:
    """The texts of the ideas that belong to no cluster, in screen order."""
    return page.locator('[data-testid="loose-ideas"] [data-testid="idea-card-text"]')


# ------------------------------------------------------------------------------ the board


def test_dragging_onto_an_idea_groups_and_between_cards_reorders(
        screens, moderator, api, people):
    event = make_event(api, {"title": "Halten", "question": "Wie halten wir Fachkräfte?"})
    workshop_id = event["workshops"][0]["id"]
    anna = people(event["join_code"], "Anna")
    anna.join(workshop_id)
    texts = ["Mentoring", "Flexible Arbeitszeiten", "Betriebskita"]
    for text in texts:
        anna.post(workshop_id, text)

    board = screens.page(laptop(screens), "board")
    sign_in(board, moderator)
    board.goto(f"/moderator/workshops/{workshop_id}")
    expect(by(board, "board-question")).to_have_text("Wie halten wir Fachkräfte?")
    # Collecting: newest first, as the ideas arrive.
    expect(loose_texts(board)).to_have_text(texts[::-1])

    # To the cluster step with the step switcher: the board shows its own order.
    cluster_step = board.locator('[data-testid="step-button"][data-step="cluster"]')
    cluster_step.click()
    expect(cluster_step).to_have_attribute("aria-pressed", "true")
    expect(by(board, "idea-list")).to_have_attribute("data-order", "board")
    expect(loose_texts(board)).to_have_text(texts)
    assert anna.join(workshop_id)["workshop"]["step"] == "cluster"

    # Between two cards (here: before the first): the order changes, no cluster appears.
    first_line = board.locator('[data-testid="loose-ideas"] > [data-testid="drop-between"]').first
    card_text(board, "Betriebskita").drag_to(first_line)
    expect(loose_texts(board)).to_have_text(["Betriebskita", "Mentoring", "Flexible Arbeitszeiten"])
    expect(by(board, "cluster")).to_have_count(0)
    assert anna.board_order(workshop_id) == ["Betriebskita", "Mentoring", "Flexible Arbeitszeiten"]
    assert all(i["cluster_id"] is None for i in anna.join(workshop_id)["ideas"])

    # Onto another idea: a cluster of the two appears.
    card_text(board, "Flexible Arbeitszeiten").drag_to(card_text(board, "Mentoring"))
    cluster = by(board, "cluster")
    expect(cluster).to_have_count(1)
    expect(by(cluster, "idea-card-text")).to_have_text(["Mentoring", "Flexible Arbeitszeiten"])
    expect(loose_texts(board)).to_have_text(["Betriebskita"])
    snapshot = anna.join(workshop_id)
    assert len(snapshot["clusters"]) == 1
    grouped = {i["text"]: i["cluster_id"] for i in snapshot["ideas"]}
    cluster_id = snapshot["clusters"][0]["id"]
    assert grouped["Mentoring"] == grouped["Flexible Arbeitszeiten"] == cluster_id
    assert grouped["Betriebskita"] is None
    screens.shot(board, "staff-board-cluster-1440", full_page=True)

    # The cluster gets a title.
    title = by(cluster, "cluster-title")
    title.fill("Vereinbarkeit")
    title.press("Enter")
    expect(cluster).to_have_attribute("data-title", "Vereinbarkeit")  # as broadcast back
    assert anna.join(workshop_id)["clusters"][0]["title"] == "Vereinbarkeit"

    # Without a mouse: select the last loose idea and add it to the cluster.
    by(card_text(board, "Betriebskita"), "idea-select").check()
    expect(by(board, "selection-bar")).to_be_visible()
    by(board, "add-to-cluster").click()
    expect(by(cluster, "idea-card")).to_have_count(3)
    expect(loose_texts(board)).to_have_count(0)
    expect(by(board, "selection-bar")).to_be_hidden()

    # Delete an idea, then undo it from the toast.
    card_action(card_text(board, "Betriebskita"), "idea-delete")
    expect(card_text(board, "Betriebskita")).to_have_count(0)
    expect(by(board, "trash-count")).to_have_text("1")
    by(board, "toast-undo").click()
    expect(card_text(board, "Betriebskita")).to_have_count(1)
    expect(by(board, "trash-count")).to_have_text("0")
    assert "Betriebskita" in [i["text"] for i in anna.join(workshop_id)["ideas"]]

    # Merge two ideas (the first one picked stays), then restore the merged one from the
    # removed ideas.
    by(card_text(board, "Mentoring"), "idea-select").check()
    by(card_text(board, "Betriebskita"), "idea-select").check()
    by(board, "merge-selected").click()
    expect(card_text(board, "Betriebskita")).to_have_count(0)
    expect(by(board, "trash-count")).to_have_text("1")
    assert "Betriebskita" not in [i["text"] for i in anna.join(workshop_id)["ideas"]]
    board.locator("#trash-section > summary").click()
    by(by(board, "trash-item"), "trash-restore").click()
    expect(card_text(board, "Betriebskita")).to_have_count(1)
    expect(by(board, "trash-item")).to_have_count(0)

    # Edit an idea's text in place.
    card_action(card_text(board, "Mentoring"), "idea-edit")
    field = by(board, "idea-edit-text")
    expect(field).to_be_focused()
    field.fill("Mentoring-Programm")
    by(board, "idea-edit-save").click()
    expect(card_text(board, "Mentoring-Programm")).to_have_count(1)
    assert "Mentoring-Programm" in [i["text"] for i in anna.join(workshop_id)["ideas"]]

    # Still usable on a 1024 px laptop: nothing wider than the window.
    small = screens.page(laptop(screens, SMALL_LAPTOP), "board 1024")
    sign_in(small, moderator)
    small.goto(f"/moderator/workshops/{workshop_id}")
    expect(by(small, "cluster")).to_have_count(1)
    assert small.evaluate("document.documentElement.scrollWidth") <= 1024
    screens.shot(small, "staff-board-1024", full_page=True)
    screens.assert_clean()


def test_board_timer_message_and_settings(screens, moderator, api, people):
    event = make_event(api, {"title": "Timer", "question": "Wie schnell?"})
    workshop_id = event["workshops"][0]["id"]
    ben = people(event["join_code"], "Ben")
    ben.join(workshop_id)

    board = screens.page(laptop(screens), "board")
    sign_in(board, moderator)
    board.goto(f"/moderator/workshops/{workshop_id}")
    display = by(board, "timer-display")
    expect(display).to_have_attribute("data-state", "idle")

    by(board, "timer-minutes").fill("2")
    by(board, "timer-start").click()
    expect(display).to_have_attribute("data-state", "running")
    clock = by(board, "timer-clock")
    expect(clock).to_have_text(re.compile(r"^0[12]:\d{2}$"))
    first = clock.inner_text()
    expect(clock).not_to_have_text(first)  # it counts down
    timer = ben.join(workshop_id)["workshop"]["timer"]
    assert timer["state"] == "running" and timer["duration"] == 120
    assert 100 < timer["remaining"] <= 120

    by(board, "timer-pause").click()
    expect(display).to_have_attribute("data-state", "paused")
    paused_at = clock.inner_text()
    assert CLOCK.match(paused_at)
    board.wait_for_timeout(1500)  # a paused clock stands still
    expect(clock).to_have_text(paused_at)
    assert ben.join(workshop_id)["workshop"]["timer"]["state"] == "paused"

    # A message to everyone in the workshop.
    by(board, "message-text").fill("Noch fünf Minuten, dann clustern wir.")
    by(board, "message-send").click()
    expect(by(board, "message-item")).to_have_count(1)
    expect(by(board, "message-item")).to_contain_text("Noch fünf Minuten, dann clustern wir.")
    assert [m["text"] for m in ben.join(workshop_id)["messages"]] == [
        "Noch fünf Minuten, dann clustern wir."]

    # Settings are saved as they are changed.
    form = by(board, "settings-form")  # its data-* attributes: what came back from the server
    by(board, "setting-votes-secret").uncheck()
    expect(form).to_have_attribute("data-votes-secret", "false")
    by(board, "setting-vote-budget").fill("5")
    by(board, "setting-vote-budget").press("Tab")
    expect(form).to_have_attribute("data-vote-budget", "5")
    by(board, "setting-private-writing").check()
    expect(form).to_have_attribute("data-private-writing", "true")
    settings = ben.join(workshop_id)["workshop"]["settings"]
    assert settings["votes_secret"] is False
    assert settings["vote_budget"] == 5
    assert settings["private_writing"] is True

    # Private writing: the staff read the idea at once, marked as not revealed yet; "reveal"
    # shows it to everyone.
    ben.post(workshop_id, "Geheime Idee")
    private = card_text(board, "Geheime Idee")
    expect(by(private, "idea-private")).to_be_visible()
    by(board, "reveal-ideas").click()
    expect(by(private, "idea-private")).to_have_count(0)
    expect(by(board, "reveal-ideas")).to_be_disabled()
    screens.assert_clean()


# ------------------------------------------------------------------------------ the cockpit


def card(page, workshop_id: int):
    return page.locator(f'[data-testid="cockpit-card"][data-workshop-id="{workshop_id}"]')


def test_cockpit_drives_every_workshop(screens, moderator, api, people):
    event = make_event(api, *({"title": f"Workshop {n}", "question": f"Frage {n}?"}
                              for n in (1, 2, 3)))
    ids = [w["id"] for w in event["workshops"]]
    cara = people(event["join_code"], "Cara")
    cara.join(ids[0])
    cara.post(ids[0], "Eine Idee")

    cockpit = screens.page(laptop(screens), "cockpit")
    sign_in(cockpit, moderator)
    cockpit.goto(f"/moderator/events/{event['id']}/cockpit")
    expect(by(cockpit, "cockpit-card")).to_have_count(3)
    for workshop_id in ids:
        expect(card(cockpit, workshop_id)).to_have_attribute("data-step", "collect")
    expect(by(card(cockpit, ids[0]), "cockpit-person")).to_have_text(["Cara"])

    # Every workshop to "vote" at once.
    by(cockpit, "all-step-select").select_option("vote")
    by(cockpit, "all-step-apply").click()
    expect(by(cockpit, "all-feedback")).to_have_attribute("data-state", "success")
    for workshop_id in ids:
        expect(card(cockpit, workshop_id)).to_have_attribute("data-step", "vote")
        expect(by(card(cockpit, workshop_id), "cockpit-step-select")).to_have_value("vote")
    assert cara.join(ids[0])["workshop"]["step"] == "vote"
    steps = {w["id"]: w["step"] for w in api.get(f"/events/{event['id']}/workshops")["workshops"]}
    assert steps == dict.fromkeys(ids, "vote")

    # One workshop on to the next step: only that one moves.
    by(card(cockpit, ids[1]), "cockpit-next-step").click()
    expect(card(cockpit, ids[1])).to_have_attribute("data-step", "act")
    expect(card(cockpit, ids[0])).to_have_attribute("data-step", "vote")

    # A timer in every workshop: each card counts down.
    by(cockpit, "all-timer-minutes").fill("3")
    by(cockpit, "all-timer-start").click()
    for workshop_id in ids:
        timer = by(card(cockpit, workshop_id), "cockpit-timer")
        expect(timer).to_have_attribute("data-state", "running")
        expect(by(timer, "cockpit-timer-clock")).to_have_text(re.compile(r"^0[23]:\d{2}$"))
    clock = by(card(cockpit, ids[2]), "cockpit-timer-clock")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first)
    assert cara.join(ids[0])["workshop"]["timer"]["state"] == "running"
    screens.shot(cockpit, "staff-cockpit", full_page=True)

    by(cockpit, "all-timer-pause").click()
    for workshop_id in ids:
        expect(by(card(cockpit, workshop_id), "cockpit-timer")).to_have_attribute(
            "data-state", "paused")
    screens.assert_clean()


# ------------------------------------------------------------------------------ the host


def test_host_link_opens_a_host_board_for_that_workshop_only(
        screens, moderator, api, people, live_server):
    event = make_event(api, {"title": "Tisch 1", "question": "Was hält uns hier?"},
                       {"title": "Tisch 2", "question": "Was zieht uns weg?"})
    mine, other = (w["id"] for w in event["workshops"])
    dana = people(event["join_code"], "Dana")
    dana.join(mine)
    dana.post(mine, "Gute Nachbarschaft")

    cockpit = screens.page(laptop(screens), "cockpit")
    sign_in(cockpit, moderator)
    cockpit.goto(f"/moderator/events/{event['id']}/cockpit")
    host_card = card(cockpit, mine)
    by(host_card, "cockpit-host").click()
    expect(by(host_card, "cockpit-host")).to_have_attribute("aria-expanded", "true")
    by(host_card, "cockpit-host-name").fill("Hanna Host")
    by(host_card, "cockpit-host-create").click()
    url = by(host_card, "host-url").input_value()
    assert re.search(rf"/host/{mine}\?lang=de#token=[^&\s]+$", url), url
    token = url.split("#token=", 1)[1]

    # The page itself holds no secret and keeps the link's fragment out of referrers.
    page = requests.get(url.split("#", 1)[0], timeout=10)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert token not in page.text

    # A browser with no moderator signed in.
    host = screens.page(laptop(screens), "host board")
    host.goto(url)
    expect(by(host, "host-mode")).to_be_visible()
    expect(by(host, "host-name")).to_contain_text("Hanna Host")
    expect(by(host, "board-question")).to_have_text("Was hält uns hier?")
    expect(card_text(host, "Gute Nachbarschaft")).to_have_count(1)
    expect(by(host, "presence-person")).to_have_text(["Dana"])
    late = people(event["join_code"], "Emre")
    late.join(mine)
    expect(by(host, "presence-person")).to_have_text(["Dana", "Emre"])  # live
    assert host.locator('[data-testid="projector-link"]').count() == 0

    # The host runs the workshop: step and lock.
    host.locator('[data-testid="step-button"][data-step="cluster"]').click()
    expect(host.locator('[data-testid="step-button"][data-step="cluster"]')).to_have_attribute(
        "aria-pressed", "true")
    by(host, "lock-toggle").click()
    expect(by(host, "lock-toggle")).to_have_attribute("aria-pressed", "true")
    expect(card(cockpit, mine)).to_have_attribute("data-step", "cluster")
    expect(card(cockpit, mine)).to_have_attribute("data-locked", "true")
    state = dana.join(mine)["workshop"]
    assert (state["step"], state["locked"]) == ("cluster", True)
    screens.shot(host, "staff-host-board", full_page=True)

    # The same token on another workshop: the page refuses, and so does the server.
    intruder = screens.page(laptop(screens), "host on another workshop")
    intruder.goto(f"/host/{other}#token={token}")
    expect(by(intruder, "board-error")).to_be_visible()
    expect(by(intruder, "idea-card")).to_have_count(0)
    raw = LiveClient(live_server.url, token, "host socket").connect()
    try:
        for name, payload in [("join_workshop", {"workshop_id": other}),
                              ("set_step", {"workshop_id": other, "step": "vote"}),
                              ("lock_workshop", {"workshop_id": other, "locked": True}),
                              ("set_step", {"event_id": event["id"], "step": "vote"})]:
            ack = raw.call(name, payload)
            assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (name, ack)
    finally:
        raw.close()
    untouched = {w["id"]: (w["step"], w["locked"])
                 for w in api.get(f"/events/{event['id']}/workshops")["workshops"]}
    assert untouched[other] == ("collect", False)
    screens.assert_clean()


# ------------------------------------------------------------------------------ columns


def test_new_workshop_with_columns(screens, moderator, api, people):
    event = make_event(api, {"title": "Erster", "question": "Frage?"})
    editor = screens.page(laptop(screens), "event editor")
    sign_in(editor, moderator)
    editor.goto(f"/moderator/events/{event['id']}")
    expect(by(editor, "workshop-row")).to_have_count(1)
    by(editor, "workshop-add-title").fill("Spalten")
    by(editor, "workshop-add-question").fill("Was behalten, was ändern?")
    expect(by(editor, "workshop-add-categories")).to_be_hidden()
    by(editor, "workshop-template-categories").check()
    expect(by(editor, "workshop-add-categories")).to_be_visible()
    columns = by(editor, "workshop-category-title")
    expect(columns).to_have_count(3)
    columns.nth(0).fill("Behalten")
    columns.nth(1).fill("Ändern")
    by(editor, "workshop-category-remove").nth(2).click()
    by(editor, "workshop-add").click()
    expect(by(editor, "workshop-row")).to_have_count(2)
    row = by(editor, "workshop-row").nth(1)
    expect(by(row, "workshop-row-template")).to_have_attribute("data-template", "categories")
    expect(by(row, "workshop-row-categories")).to_have_text("Behalten · Ändern")
    stored = api.get(f"/events/{event['id']}/workshops")["workshops"][1]
    assert stored["template"] == "categories"
    assert [c["title"] for c in stored["categories"]] == ["Behalten", "Ändern"]
    workshop_id = stored["id"]

    emil = people(event["join_code"], "Emil")
    emil.join(workshop_id)
    emil.post(workshop_id, "Kaffeeküche")

    board = screens.page(editor.context, "board")
    board.goto(f"/moderator/workshops/{workshop_id}")
    expect(by(board, "lane-title")).to_have_text([re.compile(".+"), "Behalten", "Ändern"])
    idea = card_text(board, "Kaffeeküche")
    by(idea, "idea-menu").press("Enter")  # the card's menu, from the keyboard
    column_item = by(idea, "idea-category").filter(has_text="Ändern")
    expect(by(idea, "idea-category")).to_have_count(2)  # "Ändern" and "without column"
    column_item.focus()
    column_item.press("Enter")
    change_lane = board.locator('[data-testid="lane"]').filter(
        has=board.get_by_test_id("lane-title").get_by_text("Ändern", exact=True))
    expect(by(change_lane, "idea-card-text")).to_have_text(["Kaffeeküche"])
    expect(by(board, "lane")).to_have_count(2)  # the lane without column is gone
    moved = emil.join(workshop_id)["ideas"][0]
    assert moved["category_id"] == stored["categories"][1]["id"]

    # The board edits its columns: one more.
    editor_box = by(board, "categories-editor")
    by(editor_box, "category-add").click()
    by(editor_box, "category-title").nth(2).fill("Ausprobieren")
    by(editor_box, "categories-save").click()
    expect(by(board, "lane-title")).to_have_text(["Behalten", "Ändern", "Ausprobieren"])
    columns_now = emil.join(workshop_id)["workshop"]["categories"]
    assert [c["title"] for c in columns_now] == ["Behalten", "Ändern", "Ausprobieren"]
    screens.shot(board, "staff-board-columns", full_page=True)
    screens.assert_clean()
