"""Automated accessibility check of Pinnwand's screens with axe-core, in a real browser
(Chromium) against a real ``pinnwand serve``.

axe-core comes from the npm registry (``package.json``/``package-lock.json``; ``npm ci`` in the
repository root). Its ``axe.min.js`` is added to each page as a script tag, so these tests (and
only these) use browser contexts with ``bypass_csp=True``; they also ask for reduced motion,
and axe runs once the page's finite animations are over, so no colour is measured half-way
through a fade.

The screens are checked in the states people see during a facilitated workshop (set up through
a moderator's and two participants' sockets; the step under test comes from the server):

- the phone in every step: collect with private writing (own idea, others' hidden
  placeholders, countdown, a broadcast message), cluster (everyone may group, one idea
  selected), vote (a dot placed, totals secret; then the results), act (signed up);
- the moderator's board in every step (hidden ideas, a selection, the ranking, actions),
  and the host's board (the same page opened from a host link);
- the cockpit with two workshops (a countdown, people, the newest ideas);
- the projector in every step;
- the plenary page (items, open, voting; presenting, the cards on the wall).

Every violation axe reports is printed (page, rule, impact, selectors); the test fails when
any has the impact "serious" or "critical". Without ``node_modules/axe-core`` the tests skip
and say how to install it; with ``CI=true`` they fail instead.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import conftest
from tests.support.server import Api, LiveClient
from tests.support.services import in_ci

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    Page = expect = None

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("axe_script")]

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
# Contexts for axe only: its script tag needs the page's CSP bypassed.
AUDIT = {"bypass_csp": True, "reduced_motion": "reduce"}
LAPTOP_1440 = {**conftest.LAPTOP_1440, **AUDIT}
PHONE_390 = {**conftest.PHONE_390, **AUDIT}
PROJECTOR_1920 = {"viewport": {"width": 1920, "height": 1080}, "locale": "de-DE", **AUDIT}
QUESTION = "Wie halten wir Fachkräfte in der Region?"

# Waits for the finite animations (fades, pop-ins) to end, then runs every axe rule that is
# on by default; returns the violations in a plain form, and what axe could not decide
# ("needs review", e.g. a contrast over a gradient) as "rule ×count".
RUN_AXE = """
async () => {
  const finite = document.getAnimations().filter(
    (animation) => animation.effect && animation.effect.getTiming().iterations !== Infinity);
  await Promise.all(finite.map((animation) => animation.finished.catch(() => null)));
  const results = await window.axe.run(document, { resultTypes: ["violations", "incomplete"] });
  return {
    violations: results.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.map((part) => String(part)).join(" "),
        impact: node.impact,
        html: node.html.slice(0, 160),
        summary: (node.failureSummary || "").replace(/\\s+/g, " ").slice(0, 300),
      })),
    })),
    review: results.incomplete.map((result) => `${result.id} ×${result.nodes.length}`),
  };
}
"""


# ------------------------------------------------------------------------------ axe


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """The path of axe.min.js; skips (or fails with CI=true) when it is not installed."""
    if not AXE_SCRIPT.is_file():
        reason = (f"axe-core is not installed ({AXE_SCRIPT.relative_to(REPO_ROOT)} is missing): "
                  "run `npm ci` in the repository root")
        if in_ci():
            pytest.fail(f"{reason} (CI=true: the accessibility check must run)", pytrace=False)
        pytest.skip(reason)
    return AXE_SCRIPT


@dataclass
class Finding:
    page: str
    rule: str
    impact: str
    help: str
    target: str
    html: str
    summary: str

    def line(self) -> str:
        return (f"[{self.impact}] {self.page}: {self.rule} ({self.help}) at `{self.target}`"
                f"\n    {self.html}\n    {self.summary}")


@dataclass
class Audit:
    """Runs axe on pages and keeps what it found."""

    script: Path
    findings: list[Finding] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)

    def check(self, page: Page, label: str) -> list[Finding]:
        """Run axe on ``page`` as it is now; print and remember every violation."""
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(path=str(self.script))
        results = page.evaluate(RUN_AXE)
        found = [Finding(label, violation["rule"], node["impact"] or violation["impact"],
                         violation["help"], node["target"], node["html"], node["summary"])
                 for violation in results["violations"] for node in violation["nodes"]]
        self.pages_checked.append(label)
        review = ", ".join(results["review"]) or "nothing"
        print(f"axe: {label}: {len(found)} violation(s); needs review by a person: {review}")
        for finding in found:
            print("  " + finding.line())
        self.findings.extend(found)
        return found

    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.impact in BLOCKING]

    def assert_no_blocking(self) -> None:
        """Fail with every serious or critical violation found on the checked pages."""
        assert self.pages_checked, "no page was checked"
        blocking = self.blocking()
        assert not blocking, (
            f"{len(blocking)} serious/critical accessibility violation(s) on "
            f"{sorted({f.page for f in blocking})}:\n" + "\n".join(f.line() for f in blocking))


@pytest.fixture
def audit(axe_script, chromium) -> Audit:
    return Audit(axe_script)


# ------------------------------------------------------------------------------ helpers


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def sign_in(page: Page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


class Stage:
    """An event with two workshops, run through its steps by the moderator's socket while the
    pages under test follow. Ben and Cara are participants (sockets) in workshop 1, Dora in
    workshop 2."""

    def __init__(self, server, moderator):
        self.server = server
        self.api = Api(server.url).login(moderator.email, moderator.password)
        self.event = self.api.post("/events", {"title": "Fachkräfte-Forum Südwest", "workshops": [
            {"title": "Talente halten", "question": QUESTION},
            {"title": "Talente gewinnen", "question": "Wie gewinnen wir Fachkräfte von außen?"},
        ]}, expect=201)
        self.workshop_id, self.other_id = (w["id"] for w in self.event["workshops"])
        self.clients: list[LiveClient] = []
        self.mod = self._client(self.api.token, "moderator", self.workshop_id)
        self.ben = self.participant("Ben", self.workshop_id)
        self.cara = self.participant("Cara", self.workshop_id)
        self.dora = self.participant("Dora", self.other_id)
        self.ideas: dict[str, dict] = {}
        self.clusters: list[dict] = []
        self.action: dict | None = None

    def _client(self, token: str, label: str, workshop_id: int) -> LiveClient:
        client = LiveClient(self.server.url, token, label).connect()
        self.clients.append(client)
        client.call_ok("join_workshop", {"workshop_id": workshop_id})
        return client

    def participant(self, name: str, workshop_id: int) -> LiveClient:
        joined = Api(self.server.url).post("/join", {"code": self.event["join_code"],
                                                     "name": name})
        return self._client(joined["token"], name, workshop_id)

    def staff(self, name: str, **fields) -> dict:
        return self.mod.call_ok(name, {"workshop_id": self.workshop_id, **fields})

    def post(self, who: LiveClient, text: str, workshop_id: int | None = None) -> dict:
        idea = who.call_ok("create_idea", {"workshop_id": workshop_id or self.workshop_id,
                                           "op_id": uuid.uuid4().hex, "text": text})["idea"]
        self.ideas[text] = idea
        return idea

    # -- the steps ---------------------------------------------------------------------------

    def collect(self) -> None:
        """Private writing, four hidden ideas, a countdown and a message to the event."""
        self.staff("configure_workshop", private_writing=True)
        self.post(self.ben, "Mentoring durch erfahrene Kolleginnen")
        self.post(self.cara, "Patenschaften mit Betrieben")
        self.post(self.ben, "Betriebskita für Schichtarbeit")
        self.post(self.cara, "Wohnungen für Azubis in der Stadt")
        self.post(self.dora, "Ausbildungsmesse im Herbst", self.other_id)
        self.staff("set_timer", command="start", seconds=600)
        self.mod.call_ok("send_message", {"event_id": self.event["id"],
                                          "text": "Noch zehn Minuten zum Schreiben"})

    def cluster(self) -> None:
        """Revealed; everyone may group; one cluster with a title."""
        self.staff("reveal_ideas")
        self.staff("configure_workshop", cluster_by="everyone")
        self.staff("set_step", step="cluster")
        ids = [self.ideas["Mentoring durch erfahrene Kolleginnen"]["id"],
               self.ideas["Patenschaften mit Betrieben"]["id"]]
        self.clusters.append(self.staff("group_ideas", idea_ids=ids, title="Begleitung")["cluster"])

    def vote(self) -> None:
        """The vote step with dots placed; totals still secret."""
        self.staff("set_step", step="vote")
        for voter, kind, target, count in (
                (self.ben, "cluster", self.clusters[0]["id"], 2),
                (self.cara, "idea", self.ideas["Wohnungen für Azubis in der Stadt"]["id"], 1)):
            voter.call_ok("vote", {"workshop_id": self.workshop_id, "target_type": kind,
                                   "target_id": target, "count": count})

    def results(self) -> None:
        self.staff("reveal_votes")

    def act(self) -> None:
        """An action with owner and due date; Ben is in."""
        self.action = self.staff(
            "save_action", op_id=uuid.uuid4().hex, title="Betriebskita-Verbund gründen",
            what="Mit drei Betrieben eine gemeinsame Kita planen", owner="Kai",
            due="2026-12-15", cluster_ids=[self.clusters[0]["id"]])["action"]
        self.staff("set_step", step="act")
        self.ben.call_ok("sign_up", {"workshop_id": self.workshop_id,
                                     "action_id": self.action["id"],
                                     "brings": "Kontakte zur Stadtverwaltung"})

    def close(self) -> None:
        for client in self.clients:
            client.close()


@pytest.fixture
def stage(live_server, moderator):
    made = Stage(live_server, moderator)
    yield made
    made.close()


def open_board(screens, moderator, stage: Stage) -> Page:
    board = screens.page(screens._context(LAPTOP_1440), "board")
    sign_in(board, moderator)
    board.goto(f"/moderator/workshops/{stage.workshop_id}")
    expect(by(board, "board-question")).to_have_text(QUESTION)
    return board


def board_step(board: Page, step: str) -> None:
    expect(board.locator(f'[data-testid="step-button"][data-step="{step}"]')).to_have_attribute(
        "aria-pressed", "true")


# ------------------------------------------------------------------------------ the tests


def test_axe_runs_and_reports_what_it_finds(screens, stage, audit):
    """The check itself: on a real page, a button without a name and an image without an
    alternative text are reported as critical; the page as served has none of them."""
    page = screens.page(screens._context(PHONE_390), "join page")
    page.goto(stage.event["join_url"])
    expect(by(page, "join-name")).to_be_visible()
    clean = {f.rule for f in audit.check(page, "phone: join page")}
    assert not clean & {"button-name", "image-alt"}
    page.evaluate("""() => {
      const button = document.createElement("button");
      button.id = "axe-canary-button";
      const image = document.createElement("img");
      image.id = "axe-canary-image";
      image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
      document.querySelector("main").append(button, image);
    }""")
    found = audit.check(page, "phone: join page with two planted faults")
    planted = {(f.rule, f.target, f.impact) for f in found}
    assert ("button-name", "#axe-canary-button", "critical") in planted, found
    assert ("image-alt", "#axe-canary-image", "critical") in planted, found
    assert {f.page for f in audit.blocking()} == {"phone: join page with two planted faults"}
    screens.assert_clean()



def test_phone_is_accessible_in_every_step(screens, stage, audit):
    stage.collect()
    phone = screens.page(screens._context(PHONE_390), "phone Anna")
    phone.goto(stage.event["join_url"])
    by(phone, "join-name").fill("Anna")
    by(phone, "join-submit").tap()
    phone.locator(f'[data-testid="workshop-choice"][data-workshop-id="{stage.workshop_id}"]').tap()
    expect(by(phone, "board-question")).to_have_text(QUESTION)

    # collect, private writing: own idea, four placeholders, countdown, message.
    by(phone, "idea-text").fill("Flexible Arbeitszeiten für Eltern")
    by(phone, "idea-submit").tap()
    expect(by(phone, "idea-list").locator('[data-mine="true"] [data-testid="idea-private"]')
           ).to_be_visible()
    expect(by(phone, "idea-list").locator('[data-hidden="true"][data-mine="false"]')
           ).to_have_count(4)
    expect(by(phone, "private-note")).to_be_visible()
    expect(by(phone, "timer")).to_have_attribute("data-state", "running")
    expect(by(phone, "message-banner")).to_be_visible()
    audit.check(phone, "phone: collect (private writing, timer, message)")

    # cluster: everyone groups; one idea selected, so the group bar is active.
    stage.cluster()
    expect(by(phone, "view-cluster")).to_be_visible()
    expect(by(phone, "cluster")).to_have_count(1)
    loose = by(phone, "unclustered").locator('button[data-testid="cluster-idea"]').first
    loose.tap()
    expect(loose).to_have_attribute("aria-pressed", "true")
    audit.check(phone, "phone: cluster (everyone groups, one selected)")

    # vote: one dot placed, totals secret; then the results.
    stage.vote()
    expect(by(phone, "view-vote")).to_be_visible()
    remaining = by(phone, "vote-remaining")
    expect(remaining).to_have_attribute("data-remaining", "3")
    by(phone, "vote-plus").first.tap()
    expect(remaining).to_have_attribute("data-remaining", "2")
    expect(by(phone, "vote-secret")).to_be_visible()
    audit.check(phone, "phone: vote (secret)")
    stage.results()
    expect(by(phone, "vote-results")).to_be_visible()
    audit.check(phone, "phone: vote (results)")

    # act: signed up with what one brings.
    stage.act()
    action = by(phone, "action")
    expect(action).to_have_count(1)
    by(action, "action-sign-up").tap()
    by(action, "action-brings").fill("Räume im Gemeindehaus")
    by(action, "action-sign-up-confirm").tap()
    expect(by(action, "action-mine")).to_be_visible()
    audit.check(phone, "phone: act (signed up)")

    screens.assert_clean()
    audit.assert_no_blocking()


def test_board_is_accessible_in_every_step(screens, moderator, stage, audit):
    board = open_board(screens, moderator, stage)
    stage.collect()
    expect(by(board, "idea-private")).to_have_count(4)
    expect(by(board, "timer-display")).to_have_attribute("data-state", "running")
    expect(by(board, "message-item")).to_have_count(1)
    expect(by(board, "presence-person")).to_have_count(2)
    audit.check(board, "board: collect (private ideas, timer, message)")

    stage.cluster()
    board_step(board, "cluster")
    expect(by(board, "cluster")).to_have_count(1)
    by(board, "idea-select").last.check()
    expect(by(board, "selection-bar")).to_be_visible()
    audit.check(board, "board: cluster (a cluster, one idea selected)")
    by(board, "clear-selection").click()
    by(board, "idea-menu").first.click()
    expect(by(board, "idea-menu-list")).to_be_visible()
    audit.check(board, "board: cluster (a card's actions menu open)")
    board.keyboard.press("Escape")
    expect(by(board, "idea-menu-list")).to_have_count(0)

    stage.vote()
    board_step(board, "vote")
    expect(by(board, "ranking-panel")).to_be_visible()
    expect(by(board, "ranking-item").first).to_have_attribute("data-votes", "2")
    audit.check(board, "board: vote (ranking, secret)")

    stage.results()
    stage.act()
    board_step(board, "act")
    expect(by(board, "action-card")).to_have_count(1)
    expect(by(board, "action-contributors")).to_contain_text("Ben")
    by(board, "action-new").click()
    expect(by(board, "action-form")).to_be_visible()
    audit.check(board, "board: act (actions, the action form open)")

    # The same board as a host opens it from a host link.
    link = stage.api.post(f"/workshops/{stage.workshop_id}/host-link", {"name": "Hanna Host"},
                          expect=201)
    host = screens.page(screens._context(LAPTOP_1440), "host board")
    host.goto(link["url"])
    expect(by(host, "host-mode")).to_be_visible()
    expect(by(host, "action-card")).to_have_count(1)
    audit.check(host, "host board: act")

    screens.assert_clean()
    audit.assert_no_blocking()


def test_cockpit_is_accessible(screens, moderator, stage, audit):
    stage.collect()
    cockpit = screens.page(screens._context(LAPTOP_1440), "cockpit")
    sign_in(cockpit, moderator)
    cockpit.goto(f"/moderator/events/{stage.event['id']}/cockpit")
    card = cockpit.locator(
        f'[data-testid="cockpit-card"][data-workshop-id="{stage.workshop_id}"]')
    expect(by(cockpit, "cockpit-card")).to_have_count(2)
    expect(by(card, "cockpit-timer")).to_have_attribute("data-state", "running")
    expect(by(card, "cockpit-person")).to_have_count(2)
    expect(by(card, "cockpit-latest-idea")).not_to_have_count(0)
    audit.check(cockpit, "cockpit: collect (timer, people, newest ideas)")

    # With the host-link form and the projector link open.
    by(card, "cockpit-host").click()
    expect(by(card, "cockpit-host-name")).to_be_visible()
    by(card, "cockpit-projector").click()
    expect(by(card, "projector-url")).to_be_visible()
    audit.check(cockpit, "cockpit: host form and projector link open")

    # Moving a workshop back asks in the page's own dialog.
    stage.staff("set_step", step="vote")
    expect(card).to_have_attribute("data-step", "vote")
    by(cockpit, "all-step-select").select_option("collect")
    by(cockpit, "all-step-apply").click()
    expect(by(cockpit, "confirm-dialog")).to_be_visible()
    audit.check(cockpit, "cockpit: the dialog before moving workshops back")
    by(cockpit, "confirm-dialog-cancel").click()
    expect(by(cockpit, "confirm-dialog")).to_have_count(0)

    screens.assert_clean()
    audit.assert_no_blocking()


def test_projector_is_accessible_in_every_step(screens, stage, audit):
    viewer = stage.api.post(f"/workshops/{stage.workshop_id}/viewer-link", {}, expect=201)
    projector = screens.page(screens._context(PROJECTOR_1920), "projector")
    projector.goto(viewer["url"])
    expect(by(projector, "board-question")).to_have_text(QUESTION)

    stage.collect()
    expect(by(projector, "hidden-count")).to_have_attribute("data-count", "4")
    expect(by(projector, "timer")).to_have_attribute("data-state", "running")
    expect(by(projector, "message-text")).to_be_visible()
    audit.check(projector, "projector: collect (hidden ideas, timer, message)")

    stage.cluster()
    expect(by(projector, "projector-cluster-title").first).to_have_text("Begleitung")
    audit.check(projector, "projector: cluster")

    stage.vote()
    expect(by(projector, "voting-in-progress")).to_be_visible()
    audit.check(projector, "projector: vote (in progress)")
    stage.results()
    expect(by(projector, "projector-result")).not_to_have_count(0)
    audit.check(projector, "projector: vote (results)")

    stage.act()
    expect(by(projector, "projector-action")).to_have_count(1)
    audit.check(projector, "projector: act")

    screens.assert_clean()
    audit.assert_no_blocking()


def test_plenary_page_is_accessible(screens, moderator, stage, audit):
    stage.collect()
    stage.cluster()
    stage.vote()
    stage.results()  # the top results go to the plenary once the totals are revealed
    event_id = stage.event["id"]
    stage.mod.call_ok("plenary_pull_top", {"event_id": event_id, "per_workshop": 3})
    stage.mod.call_ok("configure_plenary", {"event_id": event_id, "open": True, "voting": True})

    page = screens.page(screens._context(LAPTOP_1440), "plenary")
    sign_in(page, moderator)
    page.goto(f"/moderator/events/{event_id}/plenary")
    expect(by(page, "plenary-state")).to_have_attribute("data-state", "voting")
    expect(by(page, "plenary-item")).not_to_have_count(0)
    audit.check(page, "plenary page: open, voting")
    by(page, "plenary-hide-controls").click()  # presenting: the cards on the wall
    expect(by(page, "plenary-items")).to_have_class(re.compile(r"\bpj-wall\b"))
    audit.check(page, "plenary page: presenting")

    screens.assert_clean()
    audit.assert_no_blocking()


def test_register_and_personal_link_pages_are_accessible(screens, live_server, moderator,
                                                         audit):
    api = Api(live_server.url).login(moderator.email, moderator.password)
    series = api.post("/series", {"title": f"Dialogforen {uuid.uuid4().hex[:4]}"}, expect=201)
    forum = api.post("/events", {"title": "Frühjahrsforum", "date": "2026-04-01",
                                 "series_id": series["id"],
                                 "workshops": [{"title": "Halten", "question": QUESTION}]},
                     expect=201)
    mod = LiveClient(live_server.url, api.token, "mod").connect()
    try:
        action = mod.call_ok("save_action", {
            "workshop_id": forum["workshops"][0]["id"], "op_id": uuid.uuid4().hex,
            "title": "Pendlerbus", "owner": "Stadtwerke", "due": "2026-09-30"})["action"]
    finally:
        mod.close()
    api.post(f"/actions/{action['id']}/updates", {"status": "running", "note": "Fahrplan"},
             expect=201)

    page = screens.page(screens._context(LAPTOP_1440), "register")
    sign_in(page, moderator)
    page.goto(f"/moderator/series/{series['id']}")
    expect(by(page, "register-item")).to_have_count(1)
    by(page, "register-item").locator("summary").click()
    by(page, "register-link-name").fill("Stadtwerke")
    by(page, "register-link-create").click()
    expect(by(page, "register-link-qr")).to_be_visible()
    audit.check(page, "register with a personal link")

    link = api.post(f"/actions/{action['id']}/update-link", {"name": "Stadtwerke"}, expect=201)
    phone = screens.page(screens._context(PHONE_390), "personal link")
    phone.goto("/" + link["url"].split("/", 3)[3])
    expect(by(phone, "update-title")).to_have_text("Pendlerbus")
    expect(by(phone, "update-entry")).to_have_count(1)
    audit.check(phone, "personal link page")

    screens.assert_clean()
    audit.assert_no_blocking()
