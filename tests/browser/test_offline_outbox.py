"""No phone ever loses an idea: the phone's outbox in a real browser (Chromium).

``test_ideas_typed_offline_arrive_exactly_once``: a phone joins and posts; the network goes
away (``context.set_offline``); two ideas typed meanwhile are shown as "waiting" and the banner
says "Offline – 2 Ideen warten"; when the network is back both arrive exactly once (checked on
the server) and the banner goes. Resending their op_ids afterwards answers the very same ideas:
the phone really sent each with the op_id it gave it when it was typed.

``test_outbox_survives_kill_9_and_a_reload_before_the_ack``: two ideas wait offline; the
server is killed with ``kill -9`` and started again (same address); when the phone is back
online the first idea reaches the server but its ack is lost on the way back (a WebSocket
route drops every ``create_idea`` ack), so the phone keeps both as waiting (the second behind
the first: the outbox sends in order); then the page is reloaded: the outbox comes back from
localStorage and is sent in order with the same op_ids — the first answers the stored idea,
the second is created — and every text is stored exactly once. Meanwhile a projector, the
moderator's board and the cockpit follow the workshop through the kill and catch up with
``since_seq``: each shows every idea exactly once.

The module runs its own server on a fixed port (localStorage belongs to the origin, and the
reloaded page must find the restarted server where it was); each test makes its own event.
Besides the other page problems (see conftest), only the browser's own messages about failed
connections are tolerated.
"""

from __future__ import annotations

import json
import re
import socket
import time
import uuid
from collections.abc import Iterator

import pytest

from tests.browser.conftest import Screens, _failed
from tests.support.server import Api, LiveClient, ServerProcess, create_moderator, server_env

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    Locator = Page = expect = None

pytestmark = pytest.mark.browser

MODERATOR_EMAIL = "outbox@example.org"
MODERATOR_PASSWORD = "kein Funkloch verliert was"
MODERATOR_NAME = "Olga Outbox"
QUESTION = "Wie halten wir Fachkräfte in der Region?"
SERVER_WAIT_S = 20
# What Chromium logs by itself while the network is off or the server is down.
NETWORK_NOISE = re.compile(
    r"ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE"
    r"|ERR_NETWORK_CHANGED|WebSocket connection to '[^']*' failed"
    r"|WebSocket is closed before the connection is established"
)


# ------------------------------------------------------------------------------ fixtures


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def module_server(tmp_path_factory) -> Iterator[ServerProcess]:
    """A server of this module alone, on a port that stays the same across restarts."""
    instance = tmp_path_factory.mktemp("outbox") / "instance"
    instance.mkdir()
    env = server_env(instance, idea_rate_limit=0)
    create_moderator(env, MODERATOR_EMAIL, MODERATOR_PASSWORD, MODERATOR_NAME, cwd=instance)
    server = ServerProcess(env, cwd=instance, port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def outbox_server(module_server) -> ServerProcess:
    """The module's server, running (a test that killed it may have failed before its
    restart). Each test makes its own event."""
    if not module_server.running:
        module_server.start()
    return module_server


@pytest.fixture
def outbox_screens(request, chromium, outbox_server) -> Iterator[Screens]:
    manager = Screens(chromium, outbox_server.url, request.node.name)
    yield manager
    if _failed(request.node):
        manager.shoot_all_on_failure()
        print("--- what the pages reported:\n" + "\n".join(manager.problems()))
        print("--- the server's last 150 lines:")
        print("".join(outbox_server.output().splitlines(keepends=True)[-150:]))
    manager.close()


# ------------------------------------------------------------------------------ helpers


def by(scope: Page | Locator, testid: str) -> Locator:
    return scope.get_by_test_id(testid)


def board_texts(page: Page) -> Locator:
    return by(by(page, "idea-list"), "idea-card-text")


def new_event(server: ServerProcess, workshops: int = 1) -> tuple[Api, dict]:
    """The moderator's API and a new event (set-up through the API, not under test here)."""
    moderator = Api(server.url).login(MODERATOR_EMAIL, MODERATOR_PASSWORD)
    event = moderator.post("/events", {"title": "Fachkräfte-Forum Südwest", "workshops": [
        {"title": f"Workshop {n + 1}", "question": QUESTION} for n in range(workshops)]},
        expect=201)
    return moderator, event


def join(phone: Page, join_url: str, name: str) -> None:
    """Name, workshop, the empty board."""
    phone.goto(join_url)
    by(phone, "join-name").fill(name)
    by(phone, "join-submit").tap()
    by(phone, "workshop-choice").first.tap()
    expect(by(phone, "board-question")).to_have_text(QUESTION)
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "0")
    expect(by(phone, "connection-status")).to_be_hidden()


def post(phone: Page, text: str) -> None:
    """Type and tap "Senden": the field is empty at once, ready for the next idea."""
    by(phone, "idea-text").fill(text)
    by(phone, "idea-submit").tap()
    expect(by(phone, "idea-text")).to_have_value("")


def outbox_storage(phone: Page) -> list[dict]:
    """The phone's outbox as stored in localStorage."""
    return phone.evaluate("""() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith("pinnwand:outbox:"));
        return key ? JSON.parse(localStorage.getItem(key)) : [];
    }""")


def participant_token(phone: Page) -> str:
    return phone.evaluate("""() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith("pinnwand:participant:"));
        return JSON.parse(localStorage.getItem(key)).token;
    }""")


def stored_texts(moderator: Api, event_id: int) -> list[str]:
    """Every idea text the server stored for the event (JSON report)."""
    report = moderator.request("GET", f"/events/{event_id}/report.json").json()
    return [idea["text"] for workshop in report["workshops"] for idea in workshop["ideas"]]


def wait_for_server(page: Page, condition, what: str, timeout: float = SERVER_WAIT_S):
    """Poll the server until ``condition()`` holds. Waits through ``page.wait_for_timeout``,
    which keeps Playwright's event loop (and so the WebSocket route) running meanwhile."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        page.wait_for_timeout(100)
    return result


def assert_clean_apart_from_network_errors(screens: Screens) -> None:
    problems = [p for p in screens.problems() if not NETWORK_NOISE.search(p)]
    assert not problems, "the pages reported problems:\n" + "\n".join(problems)


def sign_in_via_storage(context, server: ServerProcess) -> None:
    """The moderator's pages read the sign-in from localStorage: put it there (the sign-in
    form is not under test here)."""
    answer = Api(server.url).post("/auth/token", {"email": MODERATOR_EMAIL,
                                                  "password": MODERATOR_PASSWORD})
    context.add_init_script(f"localStorage.setItem('pinnwand:moderator', "
                            f"{json.dumps(json.dumps(answer))});")


class AckDropper:
    """A WebSocket route on a page (installed before the page opens its socket): forwards
    every frame both ways, but while ``dropping`` swallows the server's acks of
    ``create_idea`` (the server stored the idea; the phone never hears so). Records the op_ids
    of every ``create_idea`` the page sends."""

    def __init__(self, page: Page):
        self.dropping = False
        self.sent_op_ids: list[str] = []
        self.dropped = 0
        page.route_web_socket(re.compile(r"/socket\.io/"), self.route)

    @staticmethod
    def _packet(message, prefix: str):
        if not isinstance(message, str) or not message.startswith(prefix):
            return None
        body = message[len(prefix):].lstrip("0123456789")
        try:
            return json.loads(body)
        except ValueError:
            return None

    def route(self, ws) -> None:
        server = ws.connect_to_server()

        def to_server(message):
            event = self._packet(message, "42")
            if isinstance(event, list) and event and event[0] == "create_idea":
                self.sent_op_ids.append(event[1]["op_id"])
            server.send(message)

        def to_page(message):
            ack = self._packet(message, "43")
            if (self.dropping and isinstance(ack, list) and ack and isinstance(ack[0], dict)
                    and "idea" in (ack[0].get("data") or {})):
                self.dropped += 1
                return
            ws.send(message)

        ws.on_message(to_server)
        server.on_message(to_page)


def _frame(message, kind: str) -> tuple[str, object] | None:
    """A Socket.IO frame of ``kind`` ("42" event, "43" ack) as (ack id, decoded JSON)."""
    if not isinstance(message, str) or not message.startswith(kind):
        return None
    rest = message[len(kind):]
    digits = len(rest) - len(rest.lstrip("0123456789"))
    try:
        return rest[:digits], json.loads(rest[digits:])
    except ValueError:
        return None


class Tamperer:
    """A WebSocket route on the phone (installed before it opens its socket) that makes the
    rare cases happen on purpose: a lost broadcast (a gap in ``seq``), a ``since_seq`` the log
    cannot serve (the server answers with the whole board) and a ``rate_limited`` answer."""

    def __init__(self, page: Page):
        self.drop_broadcast_of: str | None = None  # the text whose idea_created gets lost
        self.future_since_seq = False  # send since_seq far ahead: the server answers a snapshot
        self.rate_limit_next = 0  # answer this many create_idea with rate_limited right here
        self.joins: list[dict] = []  # join_workshop payloads as the server got them
        self.dropped = 0
        page.route_web_socket(re.compile(r"/socket\.io/"), self.route)

    def route(self, ws) -> None:
        server = ws.connect_to_server()

        def to_server(message):
            frame = _frame(message, "42")
            if frame and isinstance(frame[1], list) and frame[1]:
                ack_id, (name, *args) = frame
                if name == "join_workshop" and args:
                    payload = dict(args[0])
                    if self.future_since_seq and "since_seq" in payload:
                        payload["since_seq"] = 10**6
                        message = f"42{ack_id}{json.dumps([name, payload])}"
                    self.joins.append(payload)
                elif name == "create_idea" and self.rate_limit_next > 0:
                    self.rate_limit_next -= 1
                    ws.send(f"43{ack_id}" + json.dumps([{"ok": False, "error": {
                        "code": "rate_limited", "fields": {},
                        "message": "You are posting very fast: wait 3 s and try again."}}]))
                    return
            server.send(message)

        def to_page(message):
            frame = _frame(message, "42")
            if (frame and self.drop_broadcast_of is not None and isinstance(frame[1], list)
                    and frame[1][0] == "idea_created"
                    and frame[1][1]["idea"]["text"] == self.drop_broadcast_of):
                self.drop_broadcast_of = None
                self.dropped += 1
                return
            ws.send(message)

        ws.on_message(to_server)
        server.on_message(to_page)


# ------------------------------------------------------------------------------ tests


def test_ideas_typed_offline_arrive_exactly_once(outbox_screens, outbox_server):
    screens = outbox_screens
    moderator, event = new_event(outbox_server)
    context = screens.phone()
    phone = screens.page(context, "phone")
    join(phone, event["join_url"], "Anna")
    before = "Mentoring durch erfahrene Kolleginnen"
    post(phone, before)
    expect(board_texts(phone)).to_have_text([before])
    expect(by(phone, "idea-card")).to_have_attribute("data-mine", "true")

    # -- offline: the ideas wait on the phone, the banner says how many --------------------
    context.set_offline(True)
    status = by(phone, "connection-status")
    expect(status).to_have_attribute("data-state", "warning")
    offline = ["Flexible Arbeitszeiten für Eltern", "Wohnungen für Azubis in der Stadt"]
    post(phone, offline[0])
    expect(by(phone, "idea-feedback")).to_have_attribute("data-state", "info")
    post(phone, offline[1])
    waiting = by(phone, "outbox-item")
    expect(waiting).to_have_count(2)
    expect(by(phone, "outbox-item-text")).to_have_text(offline[::-1])  # newest first
    for item in waiting.all():
        expect(item).to_have_attribute("data-state", "waiting")
        expect(by(item, "outbox-item-state")).to_have_text("Wartet auf Verbindung")
    expect(status).to_have_attribute("data-waiting", "2")
    expect(status).to_contain_text("Offline – 2 Ideen warten")
    expect(board_texts(phone)).to_have_text([before])  # not on the board yet
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "1")
    stored = outbox_storage(phone)
    assert [item["text"] for item in stored] == offline, stored
    op_ids = [item["op_id"] for item in stored]
    screens.shot(phone, "phone-offline-outbox", full_page=True)
    assert stored_texts(moderator, event["id"]) == [before]

    # -- online again: both arrive, once each; the banner goes -----------------------------
    context.set_offline(False)
    expect(waiting).to_have_count(0)
    expect(board_texts(phone)).to_have_text([*offline[::-1], before])
    for card in by(by(phone, "idea-list"), "idea-card").all():
        expect(card).to_have_attribute("data-mine", "true")
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "3")
    expect(status).to_have_attribute("data-waiting", "0")
    expect(status).to_be_hidden(timeout=15_000)
    assert outbox_storage(phone) == []
    texts = stored_texts(moderator, event["id"])
    assert sorted(texts) == sorted([before, *offline]), texts

    # The phone sent each idea with the op_id it got when it was typed: sending those op_ids
    # again (with other text) answers the very same ideas and stores nothing new.
    ids_on_phone = {by(card, "idea-card-text").inner_text(): int(card.get_attribute("data-idea-id"))
                    for card in by(by(phone, "idea-list"), "idea-card").all()}
    client = LiveClient(outbox_server.url, participant_token(phone), "Anna (python)").connect()
    try:
        for op_id, text in zip(op_ids, offline, strict=True):
            again = client.call_ok("create_idea", {"workshop_id": event["workshops"][0]["id"],
                                                   "op_id": op_id, "text": "GEÄNDERT"})
            assert (again["idea"]["id"], again["idea"]["text"]) == (ids_on_phone[text], text)
    finally:
        client.close()
    assert sorted(stored_texts(moderator, event["id"])) == sorted([before, *offline])
    assert_clean_apart_from_network_errors(screens)


def test_outbox_survives_kill_9_and_a_reload_before_the_ack(outbox_screens, outbox_server):
    screens = outbox_screens
    moderator, event = new_event(outbox_server)
    workshop_id = event["workshops"][0]["id"]

    # The screens that follow the workshop through the kill: projector, board, cockpit.
    viewer = moderator.post(f"/workshops/{workshop_id}/viewer-link", {}, expect=201)
    projector = screens.page(screens.projector(), "projector")
    projector.goto(viewer["url"])
    laptop = screens.laptop()
    sign_in_via_storage(laptop, outbox_server)
    board = screens.page(laptop, "moderator board")
    board.goto(f"/moderator/workshops/{workshop_id}")
    cockpit = screens.page(laptop, "cockpit")
    cockpit.goto(f"/moderator/events/{event['id']}/cockpit")
    for page in (projector, board):
        expect(by(page, "board-question")).to_have_text(QUESTION)
    expect(by(cockpit, "cockpit-card")).to_have_count(1)

    context = screens.phone()
    phone = screens.page(context, "phone")
    dropper = AckDropper(phone)
    join(phone, event["join_url"], "Ben")
    before = "Ausbildungsbotschafter an Schulen"
    post(phone, before)
    expect(board_texts(phone)).to_have_text([before])
    for page in (projector, board):
        expect(board_texts(page)).to_have_text([before])

    # -- two ideas wait offline; the server dies and comes back ----------------------------
    context.set_offline(True)
    expect(by(phone, "connection-status")).to_have_attribute("data-state", "warning")
    offline = ["Teilzeitausbildung anbieten", "Azubi-Tickets für Bus und Bahn"]
    for text in offline:
        post(phone, text)
    expect(by(phone, "outbox-item")).to_have_count(2)
    expect(by(phone, "connection-status")).to_contain_text("Offline – 2 Ideen warten")
    op_ids = [item["op_id"] for item in outbox_storage(phone)]

    outbox_server.kill9()
    for page in (projector, board, cockpit):
        expect(by(page, "connection-status")).to_have_attribute("data-state", "warning")
    dropper.dropping = True  # from now on the phone's acks of create_idea get lost
    dropper.sent_op_ids.clear()
    outbox_server.start()
    assert outbox_server.url == screens.base_url, "the server came back elsewhere"
    # While the phone is still offline, the moderator posts (from a script).
    meanwhile = "Patenschaften mit Betrieben aus der Region"
    moderator_client = LiveClient(outbox_server.url, moderator.token, "moderator").connect()
    try:
        moderator_client.call_ok("join_workshop", {"workshop_id": workshop_id})
        moderator_client.call_ok("create_idea", {"workshop_id": workshop_id, "op_id":
                                                 "moderator-while-restarting", "text": meanwhile})
    finally:
        moderator_client.close()

    # -- online: the first idea reaches the server, but its ack never reaches the phone ----
    context.set_offline(False)
    wait_for_server(phone, lambda: dropper.dropped >= 1, "an ack of create_idea dropped")
    texts = stored_texts(moderator, event["id"])
    assert sorted(texts) == sorted([before, meanwhile, offline[0]]), texts
    # Both still wait: the first for its ack, the second behind it (strictly in order).
    expect(by(phone, "outbox-item")).to_have_count(2)
    assert [item["op_id"] for item in outbox_storage(phone)] == op_ids
    assert set(dropper.sent_op_ids) == {op_ids[0]}, dropper.sent_op_ids

    # -- reload before any ack: the outbox comes back from localStorage, sent once ---------
    dropper.dropping = False
    sent_before_reload = len(dropper.sent_op_ids)
    phone.reload()
    expect(by(phone, "board-question")).to_have_text(QUESTION)
    expect(by(phone, "outbox-item")).to_have_count(0)
    expect(board_texts(phone)).to_have_text([*offline[::-1], meanwhile, before])
    expect(by(phone, "idea-count")).to_have_attribute("data-count", "4")
    expect(by(phone, "connection-status")).to_be_hidden(timeout=15_000)
    assert outbox_storage(phone) == []
    resent = dropper.sent_op_ids[sent_before_reload:]
    assert resent == op_ids, f"after the reload the phone sent {resent}, expected {op_ids}"
    texts = stored_texts(moderator, event["id"])
    assert sorted(texts) == sorted([before, meanwhile, *offline]), texts
    mine = [card.get_attribute("data-mine")
            for card in by(by(phone, "idea-list"), "idea-card").all()]
    assert mine == ["true", "true", "false", "true"], mine

    # -- the other screens caught up through the kill: each idea once ----------------------
    everything = [*offline[::-1], meanwhile, before]
    for page in (projector, board):
        expect(board_texts(page)).to_have_text(everything)
        expect(by(page, "idea-count")).to_have_attribute("data-count", "4")
        expect(by(page, "connection-status")).to_be_hidden(timeout=15_000)
    expect(by(cockpit, "cockpit-ideas")).to_have_text("4")
    expect(by(cockpit, "cockpit-latest-idea")).to_have_count(3)
    expect(by(cockpit, "cockpit-latest-idea").first).to_contain_text(offline[1])
    assert_clean_apart_from_network_errors(screens)


def test_waiting_ideas_wait_for_a_paused_board_and_refused_ones_can_be_fixed(
    outbox_screens, outbox_server
):
    screens = outbox_screens
    moderator, event = new_event(outbox_server)
    workshop_id = event["workshops"][0]["id"]
    context = screens.phone()
    phone = screens.page(context, "phone")
    join(phone, event["join_url"], "Clara")
    moderation = LiveClient(outbox_server.url, moderator.token, "moderator").connect()
    try:
        # -- typed offline, the board paused meanwhile: the idea waits for the board ---------
        context.set_offline(True)
        expect(by(phone, "connection-status")).to_have_attribute("data-state", "warning")
        after_pause = "Idee für nach der Pause"
        post(phone, after_pause)
        moderation.call_ok("lock_workshop", {"workshop_id": workshop_id, "locked": True})
        context.set_offline(False)
        expect(by(phone, "board-locked")).to_be_visible()
        item = by(phone, "outbox-item")
        expect(item).to_have_attribute("data-state", "locked")
        expect(by(item, "outbox-item-state")).to_have_text(
            "Wartet, bis die Pinnwand wieder offen ist")
        status = by(phone, "connection-status")
        expect(status).to_contain_text("1 Idee wartet – die Pinnwand ist pausiert")
        expect(status).to_have_attribute("data-waiting", "1")
        screens.shot(phone, "phone-outbox-paused", full_page=True)
        assert stored_texts(moderator, event["id"]) == []

        moderation.call_ok("lock_workshop", {"workshop_id": workshop_id, "locked": False})
        expect(by(phone, "outbox-item")).to_have_count(0)
        expect(board_texts(phone)).to_have_text([after_pause])
        expect(status).to_be_hidden(timeout=15_000)
        assert stored_texts(moderator, event["id"]) == [after_pause]

        # -- refused by the server (NEL is whitespace to Python, not to JavaScript) -----------
        for _ in range(2):
            post(phone, "\x85")
        refused = by(phone, "outbox-item")
        expect(refused).to_have_count(2)
        for card in refused.all():
            expect(card).to_have_attribute("data-state", "error")
            expect(by(card, "outbox-item-error")).to_have_text(
                "Bitte schreib zwischen 1 und 500 Zeichen.")
        expect(status).to_have_attribute("data-waiting", "0")  # nothing waits: it needs you
        screens.shot(phone, "phone-outbox-refused", full_page=True)
        by(refused.first, "outbox-remove").tap()
        expect(refused).to_have_count(1)
        by(refused.first, "outbox-edit").tap()
        by(phone, "outbox-edit-text").fill("   ")
        by(phone, "outbox-edit-save").tap()  # an empty text is refused on the phone
        expect(phone.locator(".outbox__error:visible")).to_have_count(1)
        expect(by(phone, "outbox-edit-text")).to_be_focused()
        by(phone, "outbox-edit-text").fill("Korrigierte Idee")
        by(phone, "outbox-edit-save").tap()
        expect(refused).to_have_count(0)
        expect(board_texts(phone)).to_have_text(["Korrigierte Idee", after_pause])
        assert outbox_storage(phone) == []
        assert sorted(stored_texts(moderator, event["id"])) == sorted(
            [after_pause, "Korrigierte Idee"])
    finally:
        moderation.close()
    assert_clean_apart_from_network_errors(screens)


def test_the_board_fills_gaps_takes_snapshots_and_waits_out_rate_limits(
    outbox_screens, outbox_server
):
    screens = outbox_screens
    moderator, event = new_event(outbox_server)
    workshop_id = event["workshops"][0]["id"]
    context = screens.phone()
    phone = screens.page(context, "phone")
    tamper = Tamperer(phone)
    join(phone, event["join_url"], "Dana")
    moderation = LiveClient(outbox_server.url, moderator.token, "moderator").connect()
    try:
        moderation.call_ok("join_workshop", {"workshop_id": workshop_id})

        def moderator_posts(text: str) -> None:
            moderation.call_ok("create_idea", {"workshop_id": workshop_id,
                                               "op_id": uuid.uuid4().hex, "text": text})

        # -- a lost broadcast: the next one shows the gap, the phone catches up by since_seq --
        tamper.drop_broadcast_of = "Lücke"
        moderator_posts("Lücke")
        moderator_posts("Danach")
        expect(board_texts(phone)).to_have_text(["Danach", "Lücke"])
        expect(by(phone, "idea-count")).to_have_attribute("data-count", "2")
        assert tamper.dropped == 1
        assert {"workshop_id": workshop_id, "since_seq": 0} in tamper.joins, tamper.joins

        # -- rate_limited: the idea waits the time the server asked, then goes ---------------
        tamper.rate_limit_next = 1
        post(phone, "Geduldige Idee")
        item = by(phone, "outbox-item")
        expect(item).to_have_attribute("data-state", "rate_limited")
        expect(by(item, "outbox-item-state")).to_have_text("Wird gleich noch einmal gesendet")
        expect(item).to_have_count(0)
        expect(board_texts(phone)).to_have_text(["Geduldige Idee", "Danach", "Lücke"])

        # -- the log cannot serve the since_seq: the answer is the whole board ---------------
        tamper.future_since_seq = True
        context.set_offline(True)
        expect(by(phone, "connection-status")).to_have_attribute("data-state", "warning")
        moderator_posts("Verpasst")
        post(phone, "Offline getippt")
        expect(by(phone, "outbox-item")).to_have_count(1)
        joins_before = len(tamper.joins)
        context.set_offline(False)
        everything = ["Offline getippt", "Verpasst", "Geduldige Idee", "Danach", "Lücke"]
        expect(by(phone, "outbox-item")).to_have_count(0)
        expect(board_texts(phone)).to_have_text(everything)
        expect(by(phone, "idea-count")).to_have_attribute("data-count", "5")
        assert any(j.get("since_seq") == 10**6 for j in tamper.joins[joins_before:]), tamper.joins
    finally:
        moderation.close()
    assert sorted(stored_texts(moderator, event["id"])) == sorted(everything)
    assert_clean_apart_from_network_errors(screens)
