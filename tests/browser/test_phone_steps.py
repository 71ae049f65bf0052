"""The facilitation steps on a participant's phone (and the projector) in a real browser.

Each test makes its own event on the session's ``pinnwand serve``. The moderator and other
participants are python-socketio clients (set-up, not under test); the phone is Chromium at
390×844, German. What the phone shows must come from the server:

- ``test_private_writing_shows_placeholders_until_reveal``: with private writing, others'
  ideas are blank placeholders and the phone's own idea says only its author sees it; own
  ideas can be edited and withdrawn (with undo); after ``reveal_ideas`` the texts appear.
- ``test_categories_template_files_the_idea``: the category picked on the phone is stored.
- ``test_how_might_we_frames_the_composer``: the composer asks "How might we …?".
- ``test_vote_step_counts_dots_down_and_shows_results_after_reveal``: the remaining dots go
  down and up with + and −, the cap per target holds, totals appear only after the reveal,
  sorted by votes.
- ``test_act_step_sign_up_with_what_i_bring``: "I'm in" with "what I bring", then withdraw.
- ``test_timer_and_message_reach_the_phone``: the countdown ticks, "time is up" appears, a
  broadcast message shows and can be dismissed.
- ``test_everyone_groups_ideas_in_the_cluster_step``: select two ideas, group, take one out.
- ``test_plenary_tab_with_dot_voting``: the plenary opens as a tab; dots while it votes.
- ``test_projector_follows_the_steps``: placeholders with a count, clusters, "voting in
  progress" then results, actions.

Every test fails when a page logs a console error, an uncaught error or a CSP violation.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import PHONE_390
from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    Locator = Page = expect = None

pytestmark = pytest.mark.browser

QUESTION = "Wie halten wir Fachkräfte in der Region?"


# ------------------------------------------------------------------------------ helpers


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def op_id() -> str:
    return uuid.uuid4().hex


class Room:
    """One event with one workshop: the moderator's API and socket, and helpers to add
    participants (sockets) and the phone under test (a browser page)."""

    def __init__(self, server, moderator, screens, **workshop):
        self.server = server
        self.screens = screens
        self.api = Api(server.url).login(moderator.email, moderator.password)
        self.event = self.api.post("/events", {"title": "Fachkräfte-Forum Südwest", "workshops": [
            {"title": "Talente halten", "question": QUESTION, **workshop}]}, expect=201)
        self.workshop_id = self.event["workshops"][0]["id"]
        self.clients: list[LiveClient] = []
        self.mod = self.client(self.api.token, "moderator")

    def client(self, token: str, label: str) -> LiveClient:
        client = LiveClient(self.server.url, token, label)
        self.clients.append(client)
        client.connect()
        client.call_ok("join_workshop", {"workshop_id": self.workshop_id})
        return client

    def participant(self, name: str) -> LiveClient:
        joined = Api(self.server.url).post("/join", {"code": self.event["join_code"], "name": name})
        return self.client(joined["token"], name)

    def staff(self, name: str, **fields) -> dict:
        """A staff command of this workshop (the moderator's socket); its ack data."""
        return self.mod.call_ok(name, {"workshop_id": self.workshop_id, **fields})

    def post(self, who: LiveClient, text: str) -> dict:
        return who.call_ok("create_idea", {"workshop_id": self.workshop_id, "op_id": op_id(),
                                           "text": text})["idea"]

    def phone(self, name: str = "Anna") -> Page:
        """A phone (390×844) that joined the event with ``name`` and opened the workshop."""
        page = self.screens.page(self.screens._context(PHONE_390), f"phone {name}")
        page.goto(self.event["join_url"])
        by(page, "join-name").fill(name)
        by(page, "join-submit").tap()
        by(page, "workshop-choice").first.tap()
        expect(by(page, "board-question")).to_have_text(QUESTION)
        expect(by(page, "step-banner")).to_be_visible()
        return page

    def close(self) -> None:
        for client in self.clients:
            client.close()


@pytest.fixture
def room(live_server, moderator, screens):
    rooms: list[Room] = []

    def make(**workshop) -> Room:
        made = Room(live_server, moderator, screens, **workshop)
        rooms.append(made)
        return made

    yield make
    for made in rooms:
        made.close()


def card_of(page: Page, idea_id: int) -> Locator:
    return by(page, "idea-list").locator(f'[data-testid="idea-card"][data-idea-id="{idea_id}"]')


def target_of(page: Page, kind: str, target_id: int) -> Locator:
    return page.locator(
        f'[data-testid="vote-target"][data-target-type="{kind}"][data-target-id="{target_id}"]')


# ------------------------------------------------------------------------------ collect


def test_private_writing_shows_placeholders_until_reveal(room, screens):
    workshop = room()
    workshop.staff("configure_workshop", private_writing=True)
    ben = workshop.participant("Ben")
    bens = workshop.post(ben, "Mentoring durch erfahrene Kolleginnen")

    phone = workshop.phone("Anna")
    expect(by(phone, "step-banner")).to_have_attribute("data-step", "collect")
    expect(by(phone, "private-note")).to_be_visible()
    # Ben's idea: a blank placeholder; its text never reached this phone.
    placeholder = card_of(phone, bens["id"])
    expect(placeholder).to_have_attribute("data-hidden", "true")
    expect(phone.locator("main")).not_to_contain_text(bens["text"])

    # Anna's own idea: shown to her, marked as seen by her only.
    mine = "Flexible Arbeitszeiten für Eltern"
    by(phone, "idea-text").fill(mine)
    by(phone, "idea-submit").tap()
    own = by(phone, "idea-list").locator('[data-testid="idea-card"][data-mine="true"]')
    expect(by(own, "idea-card-text")).to_have_text(mine)
    expect(by(own, "idea-private")).to_be_visible()
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "2")
    screens.shot(phone, "phone-steps-collect-private")

    # Edit it; withdraw it; undo.
    edited = "Flexible Arbeitszeiten für Eltern und Pflegende"
    by(own, "idea-edit").tap()
    by(own, "idea-edit-text").fill(edited)
    by(own, "idea-edit-save").tap()
    expect(by(own, "idea-card-text")).to_have_text(edited)
    by(own, "idea-withdraw").tap()
    expect(own).to_have_count(0)
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "1")
    by(phone, "toast-undo").tap()
    expect(by(own, "idea-card-text")).to_have_text(edited)

    # The moderator reveals: Ben's text appears on Anna's phone.
    assert workshop.staff("reveal_ideas")["revealed"] == 2
    expect(by(placeholder, "idea-card-text")).to_have_text(bens["text"])
    expect(placeholder).to_have_attribute("data-hidden", "false")
    expect(by(own, "idea-private")).to_have_count(0)
    screens.assert_clean()


def test_categories_template_files_the_idea(room):
    workshop = room(template="categories", categories=["Arbeitszeit", "Wohnen"])
    phone = workshop.phone("Anna")
    categories = workshop.staff("join_workshop")["workshop"]["categories"]
    wohnen = next(c for c in categories if c["title"] == "Wohnen")
    by(phone, "idea-category").select_option(str(wohnen["id"]))
    by(phone, "idea-text").fill("Wohnungen für Azubis in der Stadt")
    by(phone, "idea-submit").tap()
    own = by(phone, "idea-list").locator('[data-testid="idea-card"][data-mine="true"]')
    expect(by(own, "idea-category")).to_have_text("Wohnen")
    stored = workshop.staff("join_workshop")["ideas"]
    assert [(i["text"], i["category_id"]) for i in stored] == [
        ("Wohnungen für Azubis in der Stadt", wohnen["id"])]
    screens = workshop.screens
    screens.shot(phone, "phone-steps-categories")
    screens.assert_clean()


def test_how_might_we_frames_the_composer(room):
    workshop = room(template="how_might_we")
    phone = workshop.phone("Anna")
    placeholder = by(phone, "idea-text").get_attribute("placeholder")
    assert placeholder.endswith("…?"), placeholder  # "Wie könnten wir …?"
    workshop.screens.assert_clean()


# ------------------------------------------------------------------------------ vote


def test_vote_step_counts_dots_down_and_shows_results_after_reveal(room, screens):
    workshop = room()
    workshop.staff("configure_workshop", vote_budget=3, vote_max_per_target=2)
    ben = workshop.participant("Ben")
    first = workshop.post(ben, "Mentoring durch erfahrene Kolleginnen")
    second = workshop.post(ben, "Wohnungen für Azubis")
    phone = workshop.phone("Anna")
    workshop.staff("set_step", step="vote")

    expect(by(phone, "step-banner")).to_have_attribute("data-step", "vote")
    expect(by(phone, "view-vote")).to_be_visible()
    expect(by(phone, "idea-form")).to_be_hidden()
    remaining = by(phone, "vote-remaining")
    expect(remaining).to_have_attribute("data-remaining", "3")
    expect(by(phone, "vote-secret")).to_be_visible()
    expect(by(phone, "vote-total")).to_have_count(0)

    on_second = target_of(phone, "idea", second["id"])
    by(on_second, "vote-plus").tap()
    expect(remaining).to_have_attribute("data-remaining", "2")
    by(on_second, "vote-plus").tap()
    expect(remaining).to_have_attribute("data-remaining", "1")
    expect(by(on_second, "vote-mine")).to_have_attribute("data-count", "2")
    expect(by(on_second, "vote-plus")).to_be_disabled()  # at most 2 per target
    by(on_second, "vote-minus").tap()
    expect(remaining).to_have_attribute("data-remaining", "2")
    by(on_second, "vote-plus").tap()
    on_first = target_of(phone, "idea", first["id"])
    by(on_first, "vote-plus").tap()
    expect(remaining).to_have_attribute("data-remaining", "0")
    expect(by(on_first, "vote-plus")).to_be_disabled()  # the budget is used up
    screens.shot(phone, "phone-steps-vote")

    # What the server stored (the moderator sees the totals).
    ideas = {i["id"]: i["votes"] for i in workshop.staff("join_workshop")["ideas"]}
    assert ideas == {first["id"]: 1, second["id"]: 2}

    workshop.staff("reveal_votes")
    expect(by(phone, "vote-results")).to_be_visible()
    expect(by(phone, "vote-secret")).to_have_count(0)
    expect(by(phone, "vote-title")).to_have_text([second["text"], first["text"]])
    expect(by(on_second, "vote-total")).to_have_attribute("data-votes", "2")
    screens.assert_clean()


# ------------------------------------------------------------------------------ act


def test_act_step_sign_up_with_what_i_bring(room, screens):
    workshop = room()
    saved = workshop.staff("save_action", op_id=op_id(), title="Azubi-Wohnheim prüfen",
                           what="Mit der Stadt über leerstehende Gebäude sprechen",
                           owner="Kai", due="2026-12-15")["action"]
    phone = workshop.phone("Anna")
    workshop.staff("set_step", step="act")

    action = phone.locator(f'[data-testid="action"][data-action-id="{saved["id"]}"]')
    expect(by(action, "action-title")).to_have_text("Azubi-Wohnheim prüfen")
    expect(by(action, "action-owner")).to_have_text("Kai")
    expect(by(action, "action-due")).to_contain_text("2026")
    by(action, "action-sign-up").tap()
    by(action, "action-brings").fill("Kontakte zur Stadtverwaltung")
    expect(by(action, "action-name-consent")).not_to_be_checked()  # off unless ticked
    by(action, "action-name-consent").check()
    by(action, "action-sign-up-confirm").tap()
    expect(by(action, "action-mine")).to_be_visible()
    expect(by(action, "action-people")).to_contain_text("Anna")
    expect(by(action, "action-people")).to_contain_text("Kontakte zur Stadtverwaltung")
    screens.shot(phone, "phone-steps-act")
    stored = workshop.staff("join_workshop")["actions"][0]["contributors"]
    assert [(c["name"], c["brings"], c["name_in_results"]) for c in stored] == [
        ("Anna", "Kontakte zur Stadtverwaltung", True)]

    by(action, "action-withdraw").tap()
    expect(by(action, "action-mine")).to_have_count(0)
    expect(by(action, "action-sign-up")).to_be_visible()
    assert workshop.staff("join_workshop")["actions"][0]["contributors"] == []

    workshop.staff("set_step", step="closed")
    expect(by(phone, "board-closed")).to_be_visible()
    expect(by(action, "action-sign-up")).to_have_count(0)
    screens.assert_clean()


# ------------------------------------------------------------------------------ timer, message


def test_timer_and_message_reach_the_phone(room, screens):
    workshop = room()
    phone = workshop.phone("Anna")
    expect(by(phone, "timer")).to_be_hidden()

    workshop.staff("set_timer", command="start", seconds=10)
    timer = by(phone, "timer")
    expect(timer).to_have_attribute("data-state", "running")
    expect(by(phone, "timer-time")).to_have_text(re.compile(r"^0:(10|0\d)$"))
    first = int(timer.get_attribute("data-seconds"))
    expect(timer).not_to_have_attribute("data-seconds", str(first))  # it counts down
    expect(by(phone, "timer-sound")).to_have_attribute("aria-pressed", "false")
    by(phone, "timer-sound").tap()
    expect(by(phone, "timer-sound")).to_have_attribute("aria-pressed", "true")

    workshop.staff("send_message", text="Noch zwei Minuten – bitte zum Schluss kommen")
    banner = by(phone, "message-banner")
    expect(by(banner, "message-text")).to_have_text("Noch zwei Minuten – bitte zum Schluss kommen")
    expect(by(phone, "announcer")).to_contain_text("Noch zwei Minuten")
    screens.shot(phone, "phone-steps-timer-message")
    by(banner, "message-dismiss").tap()
    expect(banner).to_be_hidden()

    expect(by(phone, "timer-ended")).to_be_visible(timeout=20_000)
    expect(timer).to_have_attribute("data-state", "ended")
    expect(by(phone, "timer-time")).to_have_text("0:00")
    expect(by(phone, "alert-announcer")).not_to_be_empty()
    screens.shot(phone, "phone-steps-timer-ended")

    # A dismissed message stays dismissed after a reload; a new one shows again.
    phone.reload()
    expect(by(phone, "step-banner")).to_be_visible()
    expect(banner).to_be_hidden()
    workshop.staff("send_message", text="Bitte wieder ins Plenum")
    expect(by(banner, "message-text")).to_have_text("Bitte wieder ins Plenum")
    screens.assert_clean()


# ------------------------------------------------------------------------------ cluster


def test_everyone_groups_ideas_in_the_cluster_step(room, screens):
    workshop = room()
    workshop.staff("configure_workshop", cluster_by="everyone")
    ben = workshop.participant("Ben")
    ideas = [workshop.post(ben, text) for text in (
        "Mentoring", "Patenschaften", "Wohnungen für Azubis")]
    phone = workshop.phone("Anna")
    workshop.staff("set_step", step="cluster")
    expect(by(phone, "view-cluster")).to_be_visible()

    def chip(idea):
        return phone.locator(f'[data-testid="cluster-idea"][data-idea-id="{idea["id"]}"]')

    chip(ideas[0]).tap()
    chip(ideas[1]).tap()
    expect(chip(ideas[0])).to_have_attribute("aria-pressed", "true")
    expect(by(phone, "group-count")).to_contain_text("2")
    by(phone, "group-ideas").tap()
    cluster = by(phone, "cluster")
    expect(cluster).to_have_count(1)
    expect(cluster.locator('[data-testid="cluster-idea"]')).to_have_count(2)
    expect(by(phone, "unclustered").locator('[data-testid="cluster-idea"]')).to_have_count(1)
    screens.shot(phone, "phone-steps-cluster")

    by(cluster, "idea-ungroup").first.tap()
    expect(by(phone, "unclustered").locator('[data-testid="cluster-idea"]')).to_have_count(2)
    stored = workshop.staff("join_workshop")
    assert sum(1 for i in stored["ideas"] if i["cluster_id"] is not None) == 1

    # When only the staff cluster, the phone reads along.
    workshop.staff("configure_workshop", cluster_by="staff")
    expect(by(phone, "group-bar")).to_have_count(0)
    expect(phone.locator('button[data-testid="cluster-idea"]')).to_have_count(0)
    screens.assert_clean()


# ------------------------------------------------------------------------------ plenary


def test_plenary_tab_with_dot_voting(room, screens):
    workshop = room()
    ben = workshop.participant("Ben")
    idea = workshop.post(ben, "Mentoring durch erfahrene Kolleginnen")
    phone = workshop.phone("Anna")
    expect(by(phone, "board-tabs")).to_be_hidden()

    event_id = workshop.event["id"]
    workshop.mod.call_ok("plenary_add", {"event_id": event_id, "items": [
        {"workshop_id": workshop.workshop_id, "idea_id": idea["id"]}]})
    workshop.mod.call_ok("configure_plenary", {"event_id": event_id, "open": True,
                                               "voting": True, "vote_budget": 2})
    expect(by(phone, "board-tabs")).to_be_visible()
    expect(by(phone, "plenary-panel")).to_be_visible()
    expect(by(phone, "tab-plenary")).to_have_attribute("aria-pressed", "true")
    item = by(phone, "plenary-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Mentoring durch erfahrene Kolleginnen")
    expect(by(phone, "plenary-remaining")).to_have_attribute("data-remaining", "2")
    by(item, "plenary-plus").tap()
    expect(by(phone, "plenary-remaining")).to_have_attribute("data-remaining", "1")
    expect(by(item, "plenary-mine")).to_have_attribute("data-count", "1")
    screens.shot(phone, "phone-steps-plenary")

    by(phone, "tab-workshop").tap()
    expect(by(phone, "workshop-panel")).to_be_visible()
    expect(by(phone, "plenary-panel")).to_be_hidden()
    workshop.mod.call_ok("configure_plenary", {"event_id": event_id, "open": False})
    expect(by(phone, "board-tabs")).to_be_hidden()
    screens.assert_clean()


# ------------------------------------------------------------------------------ projector


def test_projector_follows_the_steps(room, screens):
    workshop = room()
    workshop.staff("configure_workshop", private_writing=True)
    ben = workshop.participant("Ben")
    cara = workshop.participant("Cara")
    ideas = [workshop.post(ben, "Mentoring durch erfahrene Kolleginnen"),
             workshop.post(cara, "Patenschaften mit Betrieben"),
             workshop.post(cara, "Wohnungen für Azubis in der Stadt")]
    viewer = workshop.api.post(f"/workshops/{workshop.workshop_id}/viewer-link", {}, expect=201)
    projector = screens.page(screens.projector(), "projector")
    projector.goto(viewer["url"])

    # collect: three blank notes, counted as written privately; no text reached the screen.
    expect(by(projector, "step-banner")).to_have_attribute("data-step", "collect")
    expect(by(projector, "idea-list").locator('[data-hidden="true"]')).to_have_count(3)
    expect(by(projector, "hidden-count")).to_have_attribute("data-count", "3")
    expect(projector.locator("main")).not_to_contain_text("Mentoring")
    workshop.staff("set_timer", command="start", seconds=300)
    workshop.staff("send_message", text="Noch fünf Minuten zum Schreiben")
    expect(by(projector, "timer-time")).to_have_text(re.compile(r"^(5:00|4:5\d)$"))
    expect(by(projector, "message-text")).to_have_text("Noch fünf Minuten zum Schreiben")
    screens.shot(projector, "projector-steps-collect")

    workshop.staff("reveal_ideas")
    expect(by(projector, "idea-card-text")).to_have_text([i["text"] for i in ideas[::-1]])
    expect(by(projector, "hidden-count")).to_be_hidden()

    # cluster: the clusters with their ideas.
    workshop.staff("set_step", step="cluster")
    workshop.staff("group_ideas", idea_ids=[ideas[0]["id"], ideas[1]["id"]], title="Begleitung")
    cluster = by(projector, "projector-cluster").first
    expect(by(cluster, "projector-cluster-title")).to_have_text("Begleitung")
    expect(by(cluster, "projector-cluster-idea")).to_have_count(2)
    screens.shot(projector, "projector-steps-cluster")

    # vote: nothing of the totals until the reveal, then the results by votes.
    workshop.staff("set_step", step="vote")
    expect(by(projector, "voting-in-progress")).to_be_visible()
    expect(by(projector, "projector-result")).to_have_count(0)
    clusters = workshop.staff("join_workshop")["clusters"]
    ben.call_ok("vote", {"workshop_id": workshop.workshop_id, "target_type": "idea",
                         "target_id": ideas[2]["id"], "count": 3})
    cara.call_ok("vote", {"workshop_id": workshop.workshop_id, "target_type": "cluster",
                          "target_id": clusters[0]["id"], "count": 1})
    workshop.staff("reveal_votes")
    expect(by(projector, "voting-in-progress")).to_be_hidden()
    expect(by(projector, "projector-result-title")).to_have_text(
        [ideas[2]["text"], "Begleitung"])
    expect(by(projector, "projector-result").first).to_have_attribute("data-votes", "3")
    screens.shot(projector, "projector-steps-results")

    # act: the actions with owner and who is in.
    workshop.staff("save_action", op_id=op_id(), title="Azubi-Wohnheim prüfen", owner="Kai",
                   due="2026-12-15")
    workshop.staff("set_step", step="act")
    action = by(projector, "projector-action")
    expect(action).to_have_count(1)
    expect(action).to_contain_text("Azubi-Wohnheim prüfen")
    expect(action).to_contain_text("Kai")
    screens.shot(projector, "projector-steps-act")
    workshop.staff("set_step", step="closed")
    expect(by(projector, "board-closed")).to_be_visible()
    screens.assert_clean()
