"""Screenshots of a realistic 40-idea workshop (Chromium, a real server), the pictures in
``docs/screenshots/``: the projector's wall at 1920×1080 (``projector-wall-40.png``), the
moderator's board at 1440×900 while clustering (``board-cluster.png``), a phone's cluster view
at 390 px (``phone-cluster.png``) and the plenary as projected (``plenary-projection.png``).
They go to ``test-artifacts/screenshots/``. The ideas are German ideas on the shortage of
skilled labour, 40–170 characters, by eight participants (some anonymous), some clustered.

The test also checks what the pictures must show: the 40 ideas on ONE page at 1920×1080 and on
at most two at 1280×720, every card whole on the screen and none over another, the join QR
code beside them; no moderator controls or status on the projected plenary.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import LAPTOP_1440, PHONE_390
from tests.browser.test_projector_wall import CARDS_SHOWN, check_page, pages_of
from tests.support.server import Api, LiveClient

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    expect = None

pytestmark = pytest.mark.browser

FULL_HD = {"viewport": {"width": 1920, "height": 1080}, "locale": "de-DE"}
HD = {"viewport": {"width": 1280, "height": 720}, "locale": "de-DE"}
QUESTION = "Wie gewinnen und halten wir Fachkräfte in unserer Region?"
PEOPLE = ("Anna", "Ben", "Cem", "Dana", "Elif", "Frank", "Gül", "Hannes")
IDEAS = (
    "Jobticket für alle Auszubildenden, finanziert gemeinsam von Betrieben und Landkreis",
    "Ruftaxi zu den Gewerbegebieten ab 5 Uhr, abgestimmt auf die Frühschicht",
    "Mentoring durch erfahrene Kolleginnen im ersten Jahr",
    "Teilzeitausbildung für junge Eltern anbieten und bekannt machen",
    "Kita-Öffnungszeiten an die Schichtzeiten der großen Betriebe anpassen",
    "Werkswohnungen für Berufseinsteiger: günstig, möbliert, nah am Betrieb",
    "Sprachkurse während der Arbeitszeit statt abends nach der Schicht",
    ("Anerkennung ausländischer Abschlüsse beschleunigen: eine Anlaufstelle im Landratsamt, "
     "die Unterlagen prüft, übersetzt und die Betriebe berät"),
    "Tag der offenen Betriebe für Schulklassen ab der 8. Klasse",
    "Eine gemeinsame Praktikumsbörse aller Betriebe der Region",
    "Willkommenspaket für Zugezogene mit Kontakten zu Vereinen, Ärzten und Kitas",
    "Vier-Tage-Woche in der Pflege ausprobieren und nach einem Jahr auswerten",
    "Weiterbildung mit Freistellung statt nach Feierabend",
    "Betriebliche Gesundheitsförderung ausbauen, auch für kleine Betriebe",
    "Patenschaften zwischen Schulen und Handwerksbetrieben",
    "Rückkehrer-Stammtisch für alle, die nach dem Studium wieder in die Region ziehen wollen",
    "Eine gemeinsame Karriereseite der Region mit allen offenen Stellen",
    "Azubis als Ausbildungsbotschafter in die Schulen schicken",
    "Flexible Arbeitszeitmodelle auch in der Produktion, nicht nur im Büro",
    "Dual studieren an der Hochschule vor Ort stärker bewerben",
    "Coworking-Räume im Ortskern für Pendlerinnen und Pendler",
    "Wohnungsbau auf Brachflächen der Gemeinde beschleunigen",
    "Mehr Busse am Abend und am Wochenende, damit man ohne Auto zur Spätschicht kommt",
    "Fahrgemeinschaften über eine App der Betriebe organisieren",
    "Ältere Beschäftigte als Lernbegleiter für Neue einsetzen",
    ("Quereinstieg in Pflege und Erziehung erleichtern: berufsbegleitend, bezahlt und mit "
     "Anrechnung der bisherigen Erfahrung aus anderen Berufen"),
    "Gute Führung schulen: Wertschätzung hält Leute länger als jede Prämie",
    "Azubi-WG mit sozialpädagogischer Begleitung in der Kreisstadt",
    "Kinderbetreuung in den Ferien über einen Verbund mehrerer Betriebe",
    "Gehälter schon in den Stellenanzeigen offen nennen",
    "Integrationslotsen für neue Kolleginnen und Kollegen aus dem Ausland",
    "Führerschein für Azubis bezuschussen, wo kein Bus fährt",
    "Schnuppertage in den Sommerferien mit kleinem Taschengeld",
    "Die Region als Marke: eine Kampagne in den Großstädten",
    ("Digitale Werkzeuge einführen, die die Arbeit wirklich leichter machen – und alle darin "
     "schulen, auch die Älteren, statt sie mit einem neuen Programm allein zu lassen"),
    "Pflegekräfte von Dokumentation entlasten, damit mehr Zeit für Menschen bleibt",
    "Eltern in die Berufsorientierung einbeziehen: Elternabende in den Betrieben",
    "Weiterbildungsverbund kleiner Betriebe, die sich Trainer und Räume teilen",
    "Arbeitgeberzusammenschluss für Saisonarbeit, damit aus zwei halben Stellen eine ganze wird",
    "Kantine für mehrere Betriebe im Gewerbegebiet",
)
# Clusters of the cluster step: title, then the ideas (indices into IDEAS).
CLUSTERS = (
    ("Mobilität", (0, 1, 22, 23, 31)),
    ("Wohnen", (5, 21, 27)),
    ("Familie und Beruf", (3, 4, 28)),
    ("Ankommen", (7, 10, 30)),
)


def by(scope, testid: str):
    return scope.get_by_test_id(testid)


def sign_in(page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


@pytest.fixture
def forum(live_server, moderator):
    """An event of two workshops; the participants' sockets, joined to both; the moderator's
    API."""
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": "Fachkräfte-Forum Südwest", "workshops": [
        {"title": "Talente halten", "question": QUESTION},
        {"title": "Ankommen in der Region", "question": "Was hilft Zugezogenen beim Ankommen?"},
    ]}, expect=201)
    clients = []
    for name in PEOPLE:
        joined = Api(live_server.url).post("/join", {"code": event["join_code"], "name": name})
        client = LiveClient(live_server.url, joined["token"], name).connect()
        clients.append(client)
        for workshop in event["workshops"]:
            client.call_ok("join_workshop", {"workshop_id": workshop["id"]})
    yield api, event, clients
    for client in clients:
        client.close()


def post(client, workshop_id: int, text: str, anonymous: bool = False) -> dict:
    return client.call_ok("create_idea", {"workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
                                          "text": text, "anonymous": anonymous})["idea"]


def post_all(clients, workshop_id: int) -> list[dict]:
    """The 40 ideas, by turns of the eight participants; every sixth one anonymous."""
    return [post(clients[(number * 3) % len(clients)], workshop_id, text, anonymous=number % 6 == 5)
            for number, text in enumerate(IDEAS)]


def test_projector_wall_with_40_ideas(screens, forum):
    api, event, clients = forum
    workshop_id = event["workshops"][0]["id"]
    post_all(clients, workshop_id)
    viewer = api.post(f"/workshops/{workshop_id}/viewer-link", {}, expect=201)
    for size, most_pages in ((HD, 2), (FULL_HD, 1)):
        width = size["viewport"]["width"]
        projector = screens.page(screens._context(size), f"projector-{width}")
        projector.goto(viewer["url"])
        expect(by(projector, "idea-card")).to_have_count(40)
        expect(by(projector, "join-qr")).to_be_visible()
        expect(by(projector, "join-code")).to_be_visible()
        assert by(projector, "join-qr").bounding_box()["width"] >= min(200, width * 0.13)
        pages = pages_of(projector)
        assert pages <= most_pages, f"40 ideas take {pages} pages at {width} px"
        check_page(projector, '[data-testid="idea-card"]', size)
        if most_pages == 1:
            shown = projector.evaluate(CARDS_SHOWN, '[data-testid="idea-card"]')
            assert len(shown) == 40
            screens.shot(projector, "projector-wall-40")
        else:
            screens.shot(projector, f"projector-wall-40-{width}")
    screens.assert_clean()


def test_board_and_phone_while_clustering(screens, forum, moderator):
    api, event, clients = forum
    workshop_id = event["workshops"][0]["id"]
    ideas = post_all(clients, workshop_id)
    writer = LiveClient(api.base_url, api.token, "moderator").connect()
    try:
        staff = {"workshop_id": workshop_id}
        writer.call_ok("join_workshop", staff)
        writer.call_ok("configure_workshop", {**staff, "cluster_by": "everyone"})
        writer.call_ok("set_step", {**staff, "step": "cluster"})
        for title, members in CLUSTERS:
            writer.call_ok("group_ideas", {**staff, "title": title,
                                           "idea_ids": [ideas[n]["id"] for n in members]})
    finally:
        writer.close()

    board = screens.page(screens._context(LAPTOP_1440), "board")
    sign_in(board, moderator)
    board.goto(f"/moderator/workshops/{workshop_id}")
    expect(by(board, "cluster")).to_have_count(len(CLUSTERS))
    expect(by(board, "idea-card")).to_have_count(40)
    assert board.evaluate("document.scrollingElement.scrollWidth") <= 1440
    screens.shot(board, "board-cluster")

    phone = screens.page(screens._context(PHONE_390), "phone")
    phone.goto(event["join_url"])
    by(phone, "join-name").fill("Ida")
    by(phone, "join-submit").tap()
    by(phone, "workshop-choice").first.tap()
    expect(by(phone, "view-cluster")).to_be_visible()
    expect(by(phone, "cluster")).to_have_count(len(CLUSTERS))
    loose = by(phone, "unclustered").locator('[data-testid="cluster-idea"]')
    loose.nth(0).tap()
    loose.nth(1).tap()
    expect(by(phone, "group-count")).to_have_text("2 ausgewählt")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    phone.evaluate("window.scrollTo(0, 0)")
    screens.shot(phone, "phone-cluster")
    screens.assert_clean()


def test_plenary_projection(screens, forum, moderator):
    api, event, clients = forum
    first, second = (w["id"] for w in event["workshops"])
    ideas = [post(clients[n % len(clients)], first, IDEAS[n]) for n in (0, 1, 22, 2, 3, 12)]
    ideas += [post(clients[n + 4], second, text) for n, text in enumerate((
        "Willkommenslotsen in jedem Betrieb, die in den ersten Wochen alle Fragen beantworten",
        "Stammtisch für Neue im Rathaus, einmal im Monat"))]
    writer = LiveClient(api.base_url, api.token, "moderator").connect()
    try:
        event_id = event["id"]
        writer.call_ok("join_workshop", {"workshop_id": first})
        mobility = writer.call_ok("group_ideas", {
            "workshop_id": first, "title": "Mobilität", "idea_ids": [i["id"] for i in ideas[:3]]})
        brought = [{"workshop_id": first, "cluster_id": mobility["cluster"]["id"]}]
        brought += [{"workshop_id": idea["workshop_id"], "idea_id": idea["id"]}
                    for idea in ideas[3:]]
        writer.call_ok("plenary_add", {"event_id": event_id, "items": brought})
        plenary = writer.call_ok("configure_plenary", {"event_id": event_id, "open": True,
                                                       "voting": True, "vote_budget": 3})
        items = plenary["plenary"]["items"]
        for client, item in zip(clients, [0, 0, 1, 2, 0, 4, 1, 0], strict=True):
            client.call_ok("join_plenary", {"event_id": event_id})
            client.call_ok("plenary_vote", {"event_id": event_id, "item_id": items[item]["id"],
                                            "count": 2})
    finally:
        writer.close()
    page = screens.page(screens._context(FULL_HD), "plenary")
    sign_in(page, moderator)
    page.goto(f"/moderator/events/{event['id']}/plenary")
    expect(by(page, "plenary-item")).to_have_count(6)
    by(page, "plenary-hide-controls").click()
    expect(by(page, "plenary-controls")).to_be_hidden()
    expect(by(page, "plenary-state")).to_be_hidden()
    expect(by(page, "plenary-item").first).to_have_attribute("data-votes", "8")
    expect(by(page, "plenary-item").first).to_have_attribute("data-kind", "cluster")
    assert pages_of(page) == 1
    assert len(check_page(page, '[data-testid="plenary-item"]', FULL_HD)) == 6
    screens.shot(page, "plenary-projection")
    screens.assert_clean()
