"""A facilitated workshop from start to end in a real browser (Chromium), against a real
``pinnwand serve``: every step is driven from the screens people use on the day.

One event with two workshops. Workshop 1 is run by the moderator on a laptop (1440×900: the
cockpit and the workshop's board) with two participants on phones (390×844) and a projector:

- collect, with private writing switched on from the board: each phone shows its own ideas
  and the other's ideas only as blank placeholders (their text never reaches it); the board
  reads everything, the projector counts the hidden notes; the moderator reveals them.
- meanwhile a timer started from the cockpit counts down on the phones and the projector,
  and a message sent from the cockpit to the whole event reaches the phones of BOTH workshops.
- cluster: the moderator DRAGS one idea card onto another on the board, and the cluster
  appears on the phones and the projector; once the board lets everyone group, a participant
  groups two ideas on the phone by tapping them and "group".
- vote: the phones place dots and their remaining dots go down; the totals stay on the
  board until the moderator reveals them, then phones and projector show them ranked.
- act: the moderator records an action on the board; a phone signs up for it.

Workshop 2 runs in parallel: a third phone posts ideas there (its host board, opened from a
host link made in the cockpit, shows them); none of them ever shows on a screen of workshop
1, and none of workshop 1's ideas on workshop 2's screens. What the screens show is also
checked where it counts: in the snapshots the server gives a moderator's socket.

Screenshots of every step for the phone, the laptop board, the cockpit and the projector go to
``test-artifacts/screenshots/facilitation-<step>-<screen>.png``. The test fails when a page
logs a console error, an uncaught error or a CSP violation, or opens a dialog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.browser.conftest import LAPTOP_1440, PHONE_390
from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    Locator = Page = expect = None

pytestmark = pytest.mark.browser

TITLE = "Fachkräfte-Forum Südwest"
WORKSHOP_1 = {"title": "Talente halten", "question": "Wie halten wir Fachkräfte in der Region?"}
WORKSHOP_2 = {"title": "Talente gewinnen", "question": "Wie gewinnen wir Fachkräfte von außen?"}

MENTORING = "Mentoring durch erfahrene Kolleginnen"  # Anna
KITA = "Betriebskita für Schichtarbeit"  # Anna
PATEN = "Patenschaften mit Betrieben"  # Ben
TEILZEIT = "Ausbildung in Teilzeit für Eltern"  # Ben
WOHNEN = "Wohnungen für Azubis in der Stadt"  # Ben
WORKSHOP_1_IDEAS = [MENTORING, KITA, PATEN, TEILZEIT, WOHNEN]
# Workshop 2's phone, one idea per step of workshop 1.
WORKSHOP_2_IDEAS = ["Ausbildungsmesse im Herbst", "Werkstatttage für Schulklassen",
                    "Schnupperpraktika in den Ferien"]
BEGLEITUNG = "Begleitung"  # PATEN dragged onto MENTORING
VEREINBARKEIT = "Vereinbarkeit"  # KITA + TEILZEIT, grouped on a phone
MESSAGE = "Noch fünf Minuten – dann geht es weiter"
ACTION = "Betriebskita-Verbund gründen"
BRINGS = "Kontakte zur Stadtverwaltung"
TIMER_MINUTES = 8
CLOCK = re.compile(rf"^({TIMER_MINUTES}:00|{TIMER_MINUTES - 1}:[0-5]\d)$")


# ------------------------------------------------------------------------------ helpers


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def card_text(page: Page, text: str) -> Locator:
    """The board's idea card showing exactly ``text``."""
    return by(page, "idea-card").filter(has=page.get_by_test_id("idea-card-text").get_by_text(
        text, exact=True))


def workshop_card(cockpit: Page, workshop_id: int) -> Locator:
    return cockpit.locator(f'[data-testid="cockpit-card"][data-workshop-id="{workshop_id}"]')


def step_button(board: Page, step: str) -> Locator:
    return board.locator(f'[data-testid="step-button"][data-step="{step}"]')


def phone_card(phone: Page, idea_id: int) -> Locator:
    return by(phone, "idea-list").locator(f'[data-testid="idea-card"][data-idea-id="{idea_id}"]')


def chip(phone: Page, idea_id: int) -> Locator:
    return phone.locator(f'[data-testid="cluster-idea"][data-idea-id="{idea_id}"]')


def vote_target(phone: Page, kind: str, target_id: int) -> Locator:
    return phone.locator(
        f'[data-testid="vote-target"][data-target-type="{kind}"][data-target-id="{target_id}"]')


def projector_clusters(projector: Page) -> Locator:
    """The projector's clusters (without the group of ideas not clustered yet)."""
    return projector.locator('[data-testid="projector-cluster"]:not([data-cluster-id="loose"])')


def sign_in(page: Page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


def assert_never_shown(pages: list[Page], texts: list[str]) -> None:
    """None of ``texts`` is anywhere on these pages (call it after a later change of the
    page's own workshop arrived: the server sends in order, so a text that reached the page
    would be there by then)."""
    for page in pages:
        for text in texts:
            expect(page.locator("body")).not_to_contain_text(text, timeout=1000)


@dataclass
class Walkthrough:
    """The screens of the walkthrough and the event they show."""

    screens: object
    event: dict
    workshop_1: int
    workshop_2: int
    cockpit: Page
    board: Page
    projector: Page
    anna: Page
    ben: Page
    cara: Page
    host: Page
    spy: LiveClient  # the moderator's socket: reads what the server stored

    def workshop_1_pages(self) -> list[Page]:
        return [self.board, self.projector, self.anna, self.ben]

    def shoot(self, step: str) -> None:
        """``facilitation-<step>-<screen>.png`` of every screen of workshop 1."""
        shot = self.screens.shot
        shot(self.anna, f"facilitation-{step}-phone", full_page=True)
        shot(self.ben, f"facilitation-{step}-phone-ben", full_page=True)
        shot(self.board, f"facilitation-{step}-board", full_page=True)
        shot(self.cockpit, f"facilitation-{step}-cockpit", full_page=True)
        shot(self.projector, f"facilitation-{step}-projector")

    def snapshot(self, workshop_id: int) -> dict:
        return self.spy.call_ok("join_workshop", {"workshop_id": workshop_id})

    def idea_id(self, text: str) -> int:
        """The id of a workshop-1 idea, as the board shows it."""
        return int(card_text(self.board, text).get_attribute("data-idea-id"))

    def cluster_id(self, title: str) -> int:
        cluster = self.board.locator(f'[data-testid="cluster"][data-title="{title}"]')
        return int(cluster.get_attribute("data-cluster-id"))

    def go_to_step(self, step: str) -> None:
        """The moderator switches the board to ``step``; every screen follows."""
        step_button(self.board, step).click()
        expect(step_button(self.board, step)).to_have_attribute("aria-pressed", "true")
        for page in (self.anna, self.ben, self.projector):
            expect(by(page, "step-banner")).to_have_attribute("data-step", step)
        expect(workshop_card(self.cockpit, self.workshop_1)).to_have_attribute("data-step", step)
        expect(workshop_card(self.cockpit, self.workshop_2)).to_have_attribute(
            "data-step", "collect")

    def cara_posts(self, index: int) -> None:
        """Workshop 2's phone posts one more idea; its host board and the cockpit see it."""
        text = WORKSHOP_2_IDEAS[index]
        post_on_phone(self.cara, text)
        expect(card_text(self.host, text)).to_have_count(1)
        expect(by(workshop_card(self.cockpit, self.workshop_2), "cockpit-ideas")).to_have_text(
            str(index + 1))


def join_on_phone(screens, event: dict, name: str, workshop_id: int, question: str) -> Page:
    """A phone (390×844) that joined the event with ``name`` and opened ``workshop_id``."""
    phone = screens.page(screens._context(PHONE_390), f"phone {name}")
    phone.goto(event["join_url"])
    by(phone, "join-name").fill(name)
    by(phone, "join-submit").tap()
    phone.locator(f'[data-testid="workshop-choice"][data-workshop-id="{workshop_id}"]').tap()
    expect(by(phone, "board-question")).to_have_text(question)
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "0")
    expect(by(phone, "step-banner")).to_have_attribute("data-step", "collect")
    return phone


def post_on_phone(phone: Page, text: str) -> Locator:
    """Type an idea and send it: it shows as one's own, with its text."""
    by(phone, "idea-text").fill(text)
    by(phone, "idea-submit").tap()
    own = by(phone, "idea-list").locator('[data-testid="idea-card"][data-mine="true"]').filter(
        has=phone.get_by_test_id("idea-card-text").get_by_text(text, exact=True))
    expect(own).to_have_count(1)
    expect(by(phone, "idea-text")).to_have_value("")
    return own


@pytest.fixture
def walkthrough(screens, moderator, live_server):
    """The event, the moderator signed in on a laptop (cockpit and board of workshop 1), the
    projector of workshop 1 (link from the cockpit), the host board of workshop 2 (host link
    from the cockpit), Anna's and Ben's phones in workshop 1 and Cara's in workshop 2."""
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": TITLE, "workshops": [WORKSHOP_1, WORKSHOP_2]},
                     expect=201)
    first, second = (w["id"] for w in event["workshops"])

    laptop = screens._context(LAPTOP_1440)
    cockpit = screens.page(laptop, "cockpit")
    sign_in(cockpit, moderator)
    cockpit.goto(f"/moderator/events/{event['id']}/cockpit")
    expect(by(cockpit, "cockpit-card")).to_have_count(2)

    by(workshop_card(cockpit, first), "cockpit-projector").click()
    projector_url = by(workshop_card(cockpit, first), "projector-url").input_value()
    host_card = workshop_card(cockpit, second)
    by(host_card, "cockpit-host").click()
    by(host_card, "cockpit-host-name").fill("Hanna Host")
    by(host_card, "cockpit-host-create").click()
    host_url = by(host_card, "host-url").input_value()

    board = screens.page(laptop, "board")
    board.goto(f"/moderator/workshops/{first}")
    expect(by(board, "board-question")).to_have_text(WORKSHOP_1["question"])
    expect(step_button(board, "collect")).to_have_attribute("aria-pressed", "true")

    projector = screens.page(screens.projector(), "projector")
    projector.goto(projector_url)
    expect(by(projector, "board-question")).to_have_text(WORKSHOP_1["question"])

    host = screens.page(screens._context(LAPTOP_1440), "host board workshop 2")
    host.goto(host_url)
    expect(by(host, "host-mode")).to_be_visible()
    expect(by(host, "board-question")).to_have_text(WORKSHOP_2["question"])

    anna = join_on_phone(screens, event, "Anna", first, WORKSHOP_1["question"])
    ben = join_on_phone(screens, event, "Ben", first, WORKSHOP_1["question"])
    cara = join_on_phone(screens, event, "Cara", second, WORKSHOP_2["question"])
    expect(by(workshop_card(cockpit, first), "cockpit-person")).to_have_text(["Anna", "Ben"])
    expect(by(board, "presence-person")).to_have_text(["Anna", "Ben"])

    spy = LiveClient(live_server.url, api.token, "moderator socket").connect()
    yield Walkthrough(screens, event, first, second, cockpit, board, projector, anna, ben,
                      cara, host, spy)
    spy.close()


# ------------------------------------------------------------------------------ the steps


def collect_privately(w: Walkthrough) -> None:
    """Private writing on (board); both phones post; each sees the other's ideas only as
    placeholders; the board reads all; the projector counts them."""
    by(w.board, "setting-private-writing").check()
    expect(by(w.board, "settings-form")).to_have_attribute("data-private-writing", "true")
    for phone in (w.anna, w.ben):
        expect(by(phone, "private-note")).to_be_visible()

    for text in (MENTORING, KITA):
        expect(by(post_on_phone(w.anna, text), "idea-private")).to_be_visible()
    for text in (PATEN, TEILZEIT, WOHNEN):
        expect(by(post_on_phone(w.ben, text), "idea-private")).to_be_visible()
    w.cara_posts(0)

    # The board (staff) reads every idea, each marked as not revealed yet.
    for text in WORKSHOP_1_IDEAS:
        expect(by(card_text(w.board, text), "idea-private")).to_be_visible()
    expect(by(w.board, "reveal-ideas")).to_be_enabled()

    # Each phone: its own ideas with text, the other's as blank placeholders.
    anna_ids = [w.idea_id(text) for text in (MENTORING, KITA)]
    ben_ids = [w.idea_id(text) for text in (PATEN, TEILZEIT, WOHNEN)]
    for phone, others, other_texts in ((w.anna, ben_ids, [PATEN, TEILZEIT, WOHNEN]),
                                       (w.ben, anna_ids, [MENTORING, KITA])):
        expect(by(phone, "idea-count")).to_have_attribute("data-count", "5")
        for idea_id in others:
            expect(phone_card(phone, idea_id)).to_have_attribute("data-hidden", "true")
        assert_never_shown([phone], other_texts)

    # The projector: five blank notes, counted; no text.
    expect(by(w.projector, "idea-list").locator('[data-hidden="true"]')).to_have_count(5)
    expect(by(w.projector, "hidden-count")).to_have_attribute("data-count", "5")
    assert_never_shown([w.projector], WORKSHOP_1_IDEAS)

    # On the server: the ideas are hidden until revealed.
    stored = w.snapshot(w.workshop_1)["ideas"]
    assert sorted(i["text"] for i in stored) == sorted(WORKSHOP_1_IDEAS)
    assert all(i["hidden"] for i in stored)


def timer_from_the_cockpit(w: Walkthrough) -> None:
    """A countdown started on workshop 1's cockpit card ticks on the phones and projector."""
    workshop = workshop_card(w.cockpit, w.workshop_1)
    by(workshop, "cockpit-timer-minutes").fill(str(TIMER_MINUTES))
    by(workshop, "cockpit-timer-start").click()
    expect(by(workshop, "cockpit-timer")).to_have_attribute("data-state", "running")
    for phone in (w.anna, w.ben):
        expect(by(phone, "timer")).to_have_attribute("data-state", "running")
        expect(by(phone, "timer-time")).to_have_text(CLOCK)
    expect(by(w.projector, "timer")).to_have_attribute("data-state", "running")
    expect(by(w.projector, "timer-time")).to_have_text(CLOCK)
    # It counts down on both screens.
    seconds = by(w.anna, "timer").get_attribute("data-seconds")
    expect(by(w.anna, "timer")).not_to_have_attribute("data-seconds", seconds)
    shown = by(w.projector, "timer-time").inner_text()
    expect(by(w.projector, "timer-time")).not_to_have_text(shown)
    # Only workshop 1 has a timer.
    expect(by(w.cara, "timer")).to_be_hidden()
    expect(by(workshop_card(w.cockpit, w.workshop_2), "cockpit-timer")).to_have_attribute(
        "data-state", "idle")
    timer = w.snapshot(w.workshop_1)["workshop"]["timer"]
    assert timer["state"] == "running" and timer["duration"] == TIMER_MINUTES * 60


def message_from_the_cockpit(w: Walkthrough) -> None:
    """A message to the whole event reaches the phones of both workshops and the projector."""
    by(w.cockpit, "all-message-text").fill(MESSAGE)
    by(w.cockpit, "all-message-send").click()
    expect(by(w.cockpit, "all-feedback")).to_have_attribute("data-state", "success")
    for page in (w.anna, w.ben, w.cara, w.projector):
        expect(by(by(page, "message-banner"), "message-text")).to_have_text(MESSAGE)
    for workshop_id in (w.workshop_1, w.workshop_2):
        assert [m["text"] for m in w.snapshot(workshop_id)["messages"]] == [MESSAGE]


def dismiss_messages(w: Walkthrough) -> None:
    for phone in (w.anna, w.ben, w.cara):
        by(by(phone, "message-banner"), "message-dismiss").tap()
        expect(by(phone, "message-banner")).to_be_hidden()


def reveal_ideas(w: Walkthrough) -> None:
    """The moderator reveals: the texts appear on the other phone and on the projector."""
    by(w.board, "reveal-ideas").click()
    expect(by(w.board, "reveal-ideas")).to_be_disabled()
    for text in WORKSHOP_1_IDEAS:
        expect(by(card_text(w.board, text), "idea-private")).to_have_count(0)
    for phone in (w.anna, w.ben):
        expect(by(phone, "idea-list").locator('[data-hidden="true"]')).to_have_count(0)
        expect(by(by(phone, "idea-list"), "idea-card-text")).to_have_text(
            WORKSHOP_1_IDEAS[::-1])
    expect(by(w.projector, "hidden-count")).to_be_hidden()
    expect(by(w.projector, "idea-card-text")).to_have_text(WORKSHOP_1_IDEAS[::-1])
    assert not any(i["hidden"] for i in w.snapshot(w.workshop_1)["ideas"])


def cluster(w: Walkthrough) -> None:
    """The moderator drags one card onto another; later a phone groups by tapping."""
    w.go_to_step("cluster")
    for phone in (w.anna, w.ben):
        expect(by(phone, "view-cluster")).to_be_visible()
        expect(phone.locator('button[data-testid="cluster-idea"]')).to_have_count(0)
    w.cara_posts(1)

    # Drag "Patenschaften" onto "Mentoring" on the laptop: a cluster of the two.
    card_text(w.board, PATEN).drag_to(card_text(w.board, MENTORING))
    board_cluster = by(w.board, "cluster")
    expect(board_cluster).to_have_count(1)
    expect(by(board_cluster, "idea-card-text")).to_have_text([MENTORING, PATEN])
    grouped = [w.idea_id(MENTORING), w.idea_id(PATEN)]
    for phone in (w.anna, w.ben):
        phone_cluster = by(phone, "cluster")
        expect(phone_cluster).to_have_count(1)
        for idea_id in grouped:
            expect(chip(phone_cluster, idea_id)).to_have_count(1)
        expect(by(phone, "unclustered").locator('[data-testid="cluster-idea"]')).to_have_count(3)
    title = by(board_cluster, "cluster-title")
    title.fill(BEGLEITUNG)
    title.press("Enter")
    expect(board_cluster).to_have_attribute("data-title", BEGLEITUNG)
    for page in (w.anna, w.ben):
        expect(by(page, "cluster-title")).to_have_text([BEGLEITUNG])
    expect(by(projector_clusters(w.projector), "projector-cluster-title")).to_have_text(
        [BEGLEITUNG])
    expect(by(projector_clusters(w.projector), "projector-cluster-idea")).to_have_text(
        [MENTORING, PATEN])

    # Everyone may group now (board); Ben groups two ideas on his phone by tapping.
    by(w.board, "setting-cluster-by").select_option("everyone")
    expect(by(w.board, "settings-form")).to_have_attribute("data-cluster-by", "everyone")
    expect(by(w.ben, "group-bar")).to_be_visible()
    for text in (KITA, TEILZEIT):
        chip(w.ben, w.idea_id(text)).tap()
        expect(chip(w.ben, w.idea_id(text))).to_have_attribute("aria-pressed", "true")
    expect(by(w.ben, "group-count")).to_contain_text("2")
    by(w.ben, "group-ideas").tap()
    for phone in (w.anna, w.ben):
        expect(by(phone, "cluster")).to_have_count(2)
        expect(by(phone, "unclustered").locator('[data-testid="cluster-idea"]')).to_have_count(1)
    expect(by(w.board, "cluster")).to_have_count(2)

    # The moderator names the phone's cluster on the board.
    new_cluster = by(w.board, "cluster").filter(has=card_text(w.board, KITA))
    expect(by(new_cluster, "idea-card-text")).to_have_text([KITA, TEILZEIT])
    new_title = by(new_cluster, "cluster-title")
    new_title.fill(VEREINBARKEIT)
    new_title.press("Enter")
    expect(new_cluster).to_have_attribute("data-title", VEREINBARKEIT)
    for page in (w.anna, w.ben):
        expect(by(page, "cluster-title")).to_have_text([BEGLEITUNG, VEREINBARKEIT])
    expect(by(projector_clusters(w.projector), "projector-cluster-title")).to_have_text(
        [BEGLEITUNG, VEREINBARKEIT])

    snapshot = w.snapshot(w.workshop_1)
    titles = {c["id"]: c["title"] for c in snapshot["clusters"]}
    by_cluster = {i["text"]: titles.get(i["cluster_id"]) for i in snapshot["ideas"]}
    assert by_cluster == {MENTORING: BEGLEITUNG, PATEN: BEGLEITUNG, KITA: VEREINBARKEIT,
                          TEILZEIT: VEREINBARKEIT, WOHNEN: None}


def place_dots(phone: Page, targets: list[tuple[str, int]]) -> None:
    """Tap "+" on each target in turn; the remaining dots go down by one each time."""
    remaining = by(phone, "vote-remaining")
    left = int(remaining.get_attribute("data-remaining"))
    for kind, target_id in targets:
        by(vote_target(phone, kind, target_id), "vote-plus").tap()
        left -= 1
        expect(remaining).to_have_attribute("data-remaining", str(left))


def vote(w: Walkthrough) -> None:
    """Dots on the phones, totals secret until the reveal on the board, then ranked."""
    w.go_to_step("vote")
    w.cara_posts(2)
    begleitung, vereinbarkeit = w.cluster_id(BEGLEITUNG), w.cluster_id(VEREINBARKEIT)
    wohnen = w.idea_id(WOHNEN)
    for phone in (w.anna, w.ben):
        expect(by(phone, "view-vote")).to_be_visible()
        expect(by(phone, "vote-remaining")).to_have_attribute("data-remaining", "3")
        expect(by(phone, "vote-secret")).to_be_visible()
    place_dots(w.anna, [("cluster", vereinbarkeit), ("cluster", vereinbarkeit), ("idea", wohnen)])
    place_dots(w.ben, [("cluster", vereinbarkeit), ("idea", wohnen), ("cluster", begleitung)])
    expect(by(vote_target(w.anna, "cluster", vereinbarkeit), "vote-mine")).to_have_attribute(
        "data-count", "2")
    expect(by(vote_target(w.anna, "idea", wohnen), "vote-plus")).to_be_disabled()  # none left

    # Totals: on the board only (staff), not on the phones or the projector.
    ranking = by(w.board, "ranking-item")
    expect(ranking).to_have_count(3)
    expect(ranking.first).to_have_attribute("data-votes", "3")
    for phone in (w.anna, w.ben):
        expect(by(phone, "vote-total")).to_have_count(0)
        expect(by(phone, "vote-secret")).to_be_visible()
    expect(by(w.projector, "voting-in-progress")).to_be_visible()
    expect(by(w.projector, "projector-result")).to_have_count(0)
    w.shoot("vote")

    by(w.board, "reveal-votes").click()
    expect(by(w.board, "ranking-panel")).to_have_attribute("data-revealed", "true")
    ranked = [VEREINBARKEIT, WOHNEN, BEGLEITUNG]
    for phone in (w.anna, w.ben):
        expect(by(phone, "vote-results")).to_be_visible()
        expect(by(phone, "vote-secret")).to_have_count(0)
        expect(by(phone, "vote-title")).to_have_text(ranked)
        expect(by(phone, "vote-total")).to_have_count(3)
        expect(by(vote_target(phone, "cluster", vereinbarkeit), "vote-total")).to_have_attribute(
            "data-votes", "3")
    expect(by(w.projector, "voting-in-progress")).to_be_hidden()
    expect(by(w.projector, "projector-result-title")).to_have_text(ranked)
    expect(by(w.projector, "projector-result").first).to_have_attribute("data-votes", "3")
    snapshot = w.snapshot(w.workshop_1)
    assert {c["title"]: c["votes"] for c in snapshot["clusters"]} == {
        BEGLEITUNG: 1, VEREINBARKEIT: 3}
    assert {i["text"]: i["votes"] for i in snapshot["ideas"]}[WOHNEN] == 2


def act(w: Walkthrough) -> None:
    """The moderator records an action on the board; Anna signs up on her phone."""
    w.go_to_step("act")
    vereinbarkeit = w.cluster_id(VEREINBARKEIT)
    expect(by(w.board, "actions-panel")).to_be_visible()
    by(w.board, "action-new").click()
    by(w.board, "action-form-title").fill(ACTION)
    by(w.board, "action-form-what").fill("Mit drei Betrieben eine gemeinsame Kita planen")
    by(w.board, "action-form-owner").fill("Kai")
    by(w.board, "action-form-due").fill("2026-12-15")
    w.board.locator(f'[data-testid="action-link"][value="cluster:{vereinbarkeit}"]').check()
    by(w.board, "action-form-save").click()
    expect(by(w.board, "action-form")).to_be_hidden()
    action_card = by(w.board, "action-card")
    expect(by(action_card, "action-title")).to_have_text([ACTION])
    action_id = int(action_card.get_attribute("data-action-id"))

    phone_action = w.anna.locator(f'[data-testid="action"][data-action-id="{action_id}"]')
    expect(by(phone_action, "action-title")).to_have_text(ACTION)
    expect(by(phone_action, "action-owner")).to_have_text("Kai")
    by(phone_action, "action-sign-up").tap()
    by(phone_action, "action-brings").fill(BRINGS)
    by(phone_action, "action-sign-up-confirm").tap()
    expect(by(phone_action, "action-mine")).to_be_visible()
    expect(by(phone_action, "action-people")).to_contain_text("Anna")

    # Everyone else sees who is in.
    bens_action = w.ben.locator(f'[data-testid="action"][data-action-id="{action_id}"]')
    expect(by(bens_action, "action-people")).to_contain_text("Anna")
    expect(by(bens_action, "action-people")).to_contain_text(BRINGS)
    expect(by(action_card, "action-contributors")).to_contain_text("Anna")
    expect(by(action_card, "action-contributors")).to_contain_text(BRINGS)
    projector_action = by(w.projector, "projector-action")
    expect(projector_action).to_have_count(1)
    expect(projector_action).to_contain_text(ACTION)
    expect(projector_action).to_contain_text("Kai")
    expect(projector_action).to_contain_text(f"Anna ({BRINGS})")

    saved = w.snapshot(w.workshop_1)["actions"]
    assert [(a["title"], a["owner"], a["due"], a["cluster_ids"]) for a in saved] == [
        (ACTION, "Kai", "2026-12-15", [vereinbarkeit])]
    assert [(c["name"], c["brings"]) for c in saved[0]["contributors"]] == [("Anna", BRINGS)]


def workshops_stay_apart(w: Walkthrough) -> None:
    """Workshop 2's ideas never reached a screen of workshop 1, nor the other way round."""
    assert_never_shown(w.workshop_1_pages(), WORKSHOP_2_IDEAS)
    assert_never_shown([w.cara, w.host], WORKSHOP_1_IDEAS)
    expect(by(by(w.host, "idea-list"), "idea-card-text")).to_have_text(WORKSHOP_2_IDEAS[::-1])
    expect(by(w.cara, "idea-count")).to_have_attribute("data-count", "3")
    expect(by(w.cara, "step-banner")).to_have_attribute("data-step", "collect")
    assert sorted(i["text"] for i in w.snapshot(w.workshop_1)["ideas"]) == sorted(
        WORKSHOP_1_IDEAS)
    assert sorted(i["text"] for i in w.snapshot(w.workshop_2)["ideas"]) == sorted(
        WORKSHOP_2_IDEAS)


# ------------------------------------------------------------------------------ the test


def test_facilitated_workshop_from_collect_to_act(walkthrough, screens):
    w = walkthrough

    collect_privately(w)
    timer_from_the_cockpit(w)
    message_from_the_cockpit(w)
    w.shoot("collect")
    screens.shot(w.cara, "facilitation-collect-phone-workshop2", full_page=True)
    dismiss_messages(w)
    reveal_ideas(w)
    assert_never_shown(w.workshop_1_pages(), WORKSHOP_2_IDEAS[:1])
    w.shoot("reveal")

    cluster(w)
    assert_never_shown(w.workshop_1_pages(), WORKSHOP_2_IDEAS[:2])
    w.shoot("cluster")

    vote(w)
    assert_never_shown(w.workshop_1_pages(), WORKSHOP_2_IDEAS)
    w.shoot("results")

    act(w)
    w.shoot("act")
    workshops_stay_apart(w)
    screens.shot(w.host, "facilitation-act-host-workshop2", full_page=True)
    screens.shot(w.cara, "facilitation-act-phone-workshop2", full_page=True)
    screens.assert_clean()
