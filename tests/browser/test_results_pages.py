"""The published results page and the moderators' results page in Chromium at 360, 390 and
1440 px, against a real ``pinnwand serve`` that sends mail to a real SMTP server.

Layout invariants at every width: no element wider than the viewport, no sideways scrolling,
and no word broken across lines except at a hyphen (a soft hyphen the server put at a syllable
boundary, or a hyphen in the text). The event is made to break them: long German compounds in
titles, ideas, actions and agenda, a plenary, clusters, actions with contributors. Printing the
published page hides its buttons and form. At 1440 px the moderator previews the results mail,
sends a test to herself, sends the results and watches every recipient's delivery arrive; a
visitor asks to be kept informed and appears on the moderator's list once confirmed.
Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.support.server import Api, LiveClient, ServerProcess, create_moderator, server_env
from tests.support.smtp import MailServer

try:
    from playwright.sync_api import Page, expect
except ImportError:  # without Playwright: skip here, fail in CI (like a missing Chromium)
    from tests.support.services import in_ci

    if in_ci():
        raise
    pytest.skip("Playwright for Python is not installed: pip install -e '.[test]'",
                allow_module_level=True)

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "moderatorin@example.org", "ein langes Geheimnis"
WIDTHS = {360: 740, 390: 844, 1440: 900}
LONG_IDEAS = [
    "Die Kreishandwerkerschaft organisiert Betriebspraktikumsbörsen für Berufsorientierungsjahre",
    "Fachkräftesicherungsstrategieentwicklung gemeinsam mit der Wirtschaftsförderungsgesellschaft",
    "Ausbildungsplatzakquisekampagne in Berufsbildungszentren",
    "Mehr Homeoffice",
]
RECIPIENTS = ["anna@example.org", "bernd@example.org", "clara@example.org"]

# Every problem of the layout at the current width (see the script's own comment).
LAYOUT_PROBLEMS = (Path(__file__).with_name("layout_problems.js")).read_text(encoding="utf-8")


def by(page: Page, testid: str):
    return page.get_by_test_id(testid)


def assert_layout(page: Page, what: str, words_in: str = "body") -> None:
    """No element beyond the viewport, no sideways scrolling; in ``words_in`` (the report,
    or the whole published page) no word broken but at a hyphen."""
    problems = page.evaluate(LAYOUT_PROBLEMS, words_in)
    assert problems == [], f"{what}:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory, mail_server):
    """A real server that sends mail to the test's SMTP server, with one moderator."""
    instance = tmp_path_factory.mktemp("results") / "instance"
    instance.mkdir()
    env = server_env(instance, PINNWAND_SMTP_URL=mail_server.url,
                     PINNWAND_MAIL_RETRY_SECONDS="1")
    create_moderator(env, EMAIL, PASSWORD, "Maria Moderatorin", cwd=instance)
    server = ServerProcess(env, cwd=instance).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def world(mail_site):
    """An event whose results page tests every layout: long words everywhere, clusters,
    actions with contributors, a host, a plenary with a shared vote, three contacts who
    consented to receive the results; published without names."""
    api = Api(mail_site.url).login(EMAIL, PASSWORD)
    event = api.post("/events", {
        "title": "Fachkräfteforum der Kreishandwerkerschaft Südwestfalen", "date": "2026-11-21",
        "location": "Berufsbildungszentrum der Handwerkskammer",
        "agenda": [{"title": "Nachwuchsgewinnungsstrategien im Handwerk", "starts_at": "09:30",
                    "speaker": "Dr. Jana Beispielhausen",
                    "organisation": "Industrie- und Handelskammerbezirksvertretung"}],
        "workshops": [{"title": "Ausbildungsplatzakquise", "question": "Wie gewinnen wir "
                       "Auszubildende für Handwerksbetriebe?"},
                      {"title": "Fachkräftesicherung", "question": "Wie halten wir "
                       "Beschäftigte in der Region?"}]}, expect=201)
    moderator = LiveClient(mail_site.url, api.token, "moderator").connect()
    phones = []
    try:
        for workshop in event["workshops"]:
            moderator.call_ok("join_workshop", {"workshop_id": workshop["id"]})
            for text in LONG_IDEAS:
                moderator.call_ok("create_idea", {"workshop_id": workshop["id"],
                                                  "op_id": uuid.uuid4().hex, "text": text})
        first = event["workshops"][0]["id"]
        board = moderator.call_ok("join_workshop", {"workshop_id": first})
        ids = [idea["id"] for idea in board["ideas"]]
        moderator.call_ok("set_step", {"workshop_id": first, "step": "cluster"})
        moderator.call_ok("group_ideas", {"workshop_id": first, "idea_ids": ids[:2],
                                          "title": "Berufsorientierungsveranstaltungen"})
        moderator.call_ok("set_step", {"workshop_id": first, "step": "act"})
        action = moderator.call_ok("save_action", {
            "workshop_id": first, "op_id": uuid.uuid4().hex,
            "title": "Praktikumsbörse der Kreishandwerkerschaft einrichten",
            "owner": "Kreishandwerkerschaftsgeschäftsführung", "due": "2027-03-31"})["action"]
        moderator.call_ok("sign_up", {"workshop_id": first, "action_id": action["id"],
                                      "name": "Herbert Handwerksmeister",
                                      "brings": "Werkstatträume", "name_in_results": True})
        for n, address in enumerate(RECIPIENTS):
            joined = Api(mail_site.url).post("/join", {"code": event["join_code"],
                                                       "name": f"Person {n}"})
            Api(mail_site.url, joined["token"]).request(
                "PUT", "/contact", json={"email": address, "send_results": True,
                                         "lang": "de" if n else "en"})
            phone = LiveClient(mail_site.url, joined["token"], f"phone {n}").connect()
            phones.append(phone)
            phone.call_ok("join_workshop", {"workshop_id": first})
            phone.call_ok("sign_up", {"workshop_id": first, "action_id": action["id"],
                                      "brings": "Zeit"})
        moderator.call_ok("reveal_votes", {"workshop_id": first})  # no ranking by secret totals
        moderator.call_ok("plenary_pull_top", {"event_id": event["id"], "per_workshop": 2})
        plenary = moderator.call_ok("configure_plenary", {"event_id": event["id"],
                                                          "voting": True})["plenary"]
        phones[0].call_ok("join_plenary", {"event_id": event["id"]})
        phones[0].call_ok("plenary_vote", {"event_id": event["id"],
                                           "item_id": plenary["items"][0]["id"], "count": 2})
    finally:
        moderator.close()
        for phone in phones:
            phone.close()
    publication = api.request("PUT", f"/events/{event['id']}/publication",
                              json={"lang": "de"}).json()
    return {"api": api, "event": event, "publication": publication}


def _page(screens, width: int, label: str) -> Page:
    context = screens._context({"viewport": {"width": width, "height": WIDTHS[width]},
                                "locale": "de-DE", "is_mobile": width < 600,
                                "has_touch": width < 600})
    return screens.page(context, label)


@pytest.fixture
def site_screens(chromium, mail_site, request):
    """Screens on the mail-sending server (the module's own)."""
    from tests.browser.conftest import Screens

    manager = Screens(chromium, mail_site.url, request.node.name)
    yield manager
    manager.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_published_page_fits_every_screen(site_screens, world, width):
    page = _page(site_screens, width, f"published {width}")
    path = world["publication"]["url"].split("/", 3)[3]
    page.goto(f"/{path}")
    report = by(page, "published-report")
    expect(report).to_contain_text("Plenum")
    text = report.inner_text().replace("\u00ad", "")
    assert "Person 0" not in text and "Herbert Handwerksmeister" not in text  # names off
    assert "4 Personen" in text  # the contributors, counted
    assert_layout(page, f"published page at {width} px")
    site_screens.shot(page, f"results-published-{width}", full_page=True)
    page.emulate_media(media="print")
    expect(by(page, "published-pdf")).to_be_hidden()
    expect(by(page, "keep-informed")).to_be_hidden()
    page.emulate_media(media="screen")
    site_screens.assert_clean()


def _sign_in(page: Page) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(EMAIL)
    by(page, "login-password").fill(PASSWORD)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_results_page_fits_every_screen(site_screens, world, width):
    page = _page(site_screens, width, f"results {width}")
    _sign_in(page)
    page.goto(f"/moderator/events/{world['event']['id']}/results")
    expect(by(page, "report-preview")).to_have_attribute("aria-busy", "false")
    expect(by(page, "report-preview")).to_contain_text("Plenum")
    expect(by(page, "mail-state")).to_contain_text("3 Adressen")
    expect(by(page, "review-names")).to_contain_text("Maria Moderatorin (Moderation)")
    expect(by(page, "review-names")).not_to_contain_text("Herbert")
    by(page, "report-contributors").check()
    expect(by(page, "review-names")).to_contain_text(
        "Herbert Handwerksmeister (Werkstatträume) (beteiligt)")
    expect(by(page, "review-names")).not_to_contain_text("Person 0")
    by(page, "report-contributors").uncheck()
    expect(by(page, "review-names")).not_to_contain_text("Herbert")
    expect(by(page, "report-names-note")).not_to_contain_text("außer Beteiligten")
    assert_layout(page, f"results page at {width} px", '[data-testid="report-preview"]')
    site_screens.shot(page, f"results-page-{width}", full_page=width < 600)
    site_screens.assert_clean()


def test_the_moderator_previews_tests_and_sends_the_results(site_screens, world, mail_server):
    page = _page(site_screens, 1440, "sending")
    _sign_in(page)
    page.goto(f"/moderator/events/{world['event']['id']}/results")
    by(page, "mail-subject").fill("Unsere Ergebnisse")
    by(page, "mail-note").fill("Danke fürs Mitmachen!")
    by(page, "mail-preview").click()
    expect(by(page, "mail-preview-box")).to_contain_text("Unsere Ergebnisse")
    expect(by(page, "mail-preview-box")).to_contain_text("Danke fürs Mitmachen!")
    before = mail_server.count()
    by(page, "mail-test").click()
    test_mail = by(page, "mailing").first
    expect(test_mail).to_have_attribute("data-state", "done", timeout=20_000)
    assert mail_server.wait_for(before + 1)[-1].recipients == [EMAIL]
    by(page, "mail-send").click()
    dialog = by(page, "confirm-dialog")  # the page's own dialog, not the browser's
    expect(by(dialog, "confirm-dialog-text")).to_contain_text("3")
    by(dialog, "confirm-dialog-ok").click()
    sending = page.locator('[data-testid="mailing"]').first
    expect(sending).to_have_attribute("data-state", "done", timeout=30_000)
    expect(sending.get_by_test_id("delivery")).to_have_count(3)
    expect(sending.locator('[data-testid="delivery"][data-state="sent"]')).to_have_count(3)
    expect(sending.get_by_test_id("mailing-progress")).to_have_attribute("value", "3")
    for address in RECIPIENTS:
        assert mail_server.to(address), address
    assert_layout(page, "results page after sending", '[data-testid="report-preview"]')
    site_screens.shot(page, "results-page-mailing")
    site_screens.assert_clean()


def test_a_visitor_asks_to_be_kept_informed(site_screens, world, mail_server):
    visitor = _page(site_screens, 390, "visitor")
    path = world["publication"]["url"].split("/", 3)[3]
    visitor.goto(f"/{path}")
    by(visitor, "keep-name").fill("Greta Gewerbe")
    by(visitor, "keep-email").fill("greta@example.org")
    by(visitor, "keep-submit").click()
    expect(by(visitor, "keep-consent")).to_have_attribute("aria-invalid", "true")
    before = mail_server.count()
    by(visitor, "keep-consent").check()
    by(visitor, "keep-submit").click()
    expect(by(visitor, "keep-informed-sent")).to_be_visible()
    assert_layout(visitor, "published page after the form")
    mail = mail_server.wait_for(before + 1)[-1]
    confirm = re.search(r"https?://[^/\s]+(/mail/confirm/\S+)", mail.text()).group(1)
    visitor.goto(confirm)
    by(visitor, "consent-submit").click()
    expect(by(visitor, "consent-page")).to_have_attribute("data-state", "confirmed")
    assert_layout(visitor, "confirmation page")

    moderator = _page(site_screens, 1440, "moderator")
    _sign_in(moderator)
    moderator.goto(f"/moderator/events/{world['event']['id']}/results")
    entry = by(moderator, "forum-contact")
    expect(entry).to_have_count(1)
    expect(entry).to_have_attribute("data-confirmed", "true")
    expect(entry).to_contain_text("greta@example.org")
    site_screens.assert_clean()
