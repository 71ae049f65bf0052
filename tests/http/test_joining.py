"""Joining that fits a venue: nobody with the right code is refused because of others' typos,
guessers run into the budgets, the QR code always works, and moderators close joining or
replace the code.

Addresses are set per request (``REMOTE_ADDR``): a venue is one address.
"""

from __future__ import annotations

import random
import re
import shutil
from datetime import timedelta

import pytest
from pinnwand.config import (
    DEFAULT_FAILED_JOIN_GLOBAL_LIMIT,
    DEFAULT_FAILED_JOIN_LIMIT,
    load_settings,
)
from pinnwand.db import utcnow
from pinnwand.events.join_budgets import ADDRESS_WINDOW, SERVER_WINDOW
from pinnwand.events.joining import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from pinnwand.events.models import Event, Participant
from pinnwand.factory import create_app
from pinnwand.pages.qr import qr_svg_response
from sqlalchemy import func, select

from tests.conftest import _login, _make_moderator
from tests.http.helpers import assert_error, headers_of

VENUE = "192.0.2.10"
KEY = re.compile(r'data-join-key="([^"]+)"')
DATA_CODE = re.compile(r'data-code="([^"]+)"')
SEED = 20261121


def typo_of(code: str, rng: random.Random) -> str:
    """The code with one character mistyped."""
    position = rng.randrange(len(code))
    wrong = rng.choice([c for c in JOIN_CODE_ALPHABET if c != code[position]])
    return code[:position] + wrong + code[position + 1:]


def open_page(client, code: str, address: str = VENUE, key: str | None = None):
    query = {"key": key} if key else None
    return client.get(f"/join/{code}", query_string=query, environ_base={"REMOTE_ADDR": address})


def join_api(client, code: str, name: str, address: str = VENUE, key: str | None = None):
    body = {"code": code, "name": name, **({"key": key} if key else {})}
    return client.post("/api/v1/join", json=body, environ_base={"REMOTE_ADDR": address})


def key_of(page) -> str | None:
    found = KEY.search(page.get_data(as_text=True))
    return found.group(1) if found else None


def test_a_room_of_500_behind_one_address_joins_though_a_third_mistype(app, client, event):
    """Each phone types the code on the start page (a third get it wrong once and type it
    again), opens the event's page and joins as the page's script does: nobody is refused."""
    rng = random.Random(SEED)
    code, refused = event["join_code"], []
    for number in range(500):
        if number % 3 == 0:
            typed = typo_of(code, rng)
            mistyped = open_page(client, typed.lower())  # redirected to the upper-case page
            mistyped = client.get(mistyped.location, environ_base={"REMOTE_ADDR": VENUE})
            if mistyped.status_code != 404:
                refused.append((number, "typo", mistyped.status_code))
        page = open_page(client, code)
        if page.status_code != 200:
            refused.append((number, "page", page.status_code))
            continue
        answer = join_api(client, code, f"Phone {number}", key=key_of(page))
        if answer.status_code != 200:
            refused.append((number, "join", answer.status_code))
    assert refused == []
    with app.extensions["pinnwand"].db.read() as session:
        joined = session.scalar(select(func.count(Participant.id))
                                .where(Participant.event_id == event["id"]))
    assert joined == 500


def test_the_default_budgets_keep_a_given_code_safe_for_more_than_a_year():
    """The figures of docs/security.md: expected time to find a given event's code."""
    codes = len(JOIN_CODE_ALPHABET) ** JOIN_CODE_LENGTH
    per_hour_one_address = DEFAULT_FAILED_JOIN_LIMIT * 3600 / ADDRESS_WINDOW
    per_hour_any_addresses = DEFAULT_FAILED_JOIN_GLOBAL_LIMIT * 3600 / SERVER_WINDOW
    hours_per_year = 365 * 24
    assert codes == 887_503_681
    assert (codes / 2) / per_hour_one_address / hours_per_year > 25
    assert (codes / 2) / per_hour_any_addresses / hours_per_year > 10
    assert DEFAULT_FAILED_JOIN_LIMIT > 500 / 3  # a venue's typos fit in one address's budget


@pytest.fixture
def tight(tmp_path, migrated_template):
    """An app with small join budgets (20 wrong codes per address, 100 on the server)."""
    (tmp_path / "tight").mkdir()
    shutil.copy(migrated_template, tmp_path / "tight" / "pinnwand.db")
    app = create_app(load_settings({"PINNWAND_INSTANCE_PATH": str(tmp_path / "tight"),
                                    "PINNWAND_FAILED_JOIN_LIMIT": "20",
                                    "PINNWAND_FAILED_JOIN_GLOBAL_LIMIT": "100"}),
                     async_mode="threading")
    client = app.test_client()
    auth = _login(client, _make_moderator(app, "tight@example.org", "Tina"))
    event = client.post("/api/v1/events", headers=auth, json={
        "title": "Knapp", "workshops": [{"title": "W", "question": "?"}]}).json
    yield client, auth, event
    app.extensions["pinnwand"].db.dispose()


def test_guessers_on_many_addresses_run_into_the_server_budget(tight):
    client, _, event = tight
    rng = random.Random(SEED)
    guesses = 0
    for address in range(5):  # each within its own budget of 20
        for _ in range(20):
            guess = "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(6))
            status = join_api(client, guess, "Eve", f"203.0.113.{address + 1}").status_code
            assert status == (404 if guess != event["join_code"] else 200), (address, guesses)
            guesses += 1
    assert guesses == 100
    fresh = join_api(client, "ZZZZZZ", "Eve", "198.51.100.99")
    assert_error(fresh, "rate_limited")
    assert "server" in fresh.json["error"]["message"]
    assert int(fresh.headers["Retry-After"]) >= 1
    # the right code typed by hand waits too (or the answer would confirm it) ...
    assert join_api(client, event["join_code"], "Anna", "198.51.100.100").status_code == 429
    assert open_page(client, event["join_code"], "198.51.100.100").status_code == 429
    # ... but the join link, with its key, always works
    key = event["join_url"].split("key=", 1)[1]
    page = open_page(client, event["join_code"], "198.51.100.100", key=key)
    assert page.status_code == 200 and key_of(page) == key
    assert join_api(client, event["join_code"], "Anna", "198.51.100.100", key=key).status_code \
        == 200


def test_one_address_runs_into_its_budget_and_others_do_not(tight):
    client, _, event = tight
    for _ in range(20):
        assert join_api(client, "ZZZZZZ", "Eve", VENUE).status_code == 404
    assert_error(join_api(client, event["join_code"], "Anna", VENUE), "rate_limited")
    assert join_api(client, event["join_code"], "Bo", "198.51.100.1").status_code == 200


def test_a_wrong_key_is_a_wrong_code(tight):
    client, _, event = tight
    for _ in range(20):
        assert join_api(client, event["join_code"], "Eve", VENUE, key="x" * 22).status_code \
            == 200  # the code is right: the bad key is ignored, the code counts as typed
    for _ in range(20):
        assert join_api(client, "ZZZZZZ", "Eve", VENUE, key="x" * 22).status_code == 404
    assert join_api(client, "ZZZZZZ", "Eve", VENUE, key="x" * 22).status_code == 429


def test_closing_and_reopening_joining(client, auth, event):
    path = f"/api/v1/events/{event['id']}/joining"
    key = event["join_url"].split("key=", 1)[1]
    assert event["joining"]["open"] is True and event["joining"]["closed_at"] is None
    closed = client.patch(path, headers=auth, json={"open": False})
    assert closed.status_code == 200 and closed.json["open"] is False
    assert closed.json["closed_at"] is not None
    for code_key in (None, key):
        assert_error(join_api(client, event["join_code"], "Late", key=code_key), "not_found")
    page = open_page(client, event["join_code"])  # phones that joined still open their board
    assert page.status_code == 200 and 'data-testid="joining-closed"' in page.get_data(True)
    reopened = client.patch(path, headers=auth, json={"open": True})
    assert reopened.json["open"] is True and reopened.json["closed_at"] is None
    assert join_api(client, event["join_code"], "Late", key=key).status_code == 200
    assert client.get(path, headers=auth).json == reopened.json
    assert_error(client.patch(path, headers=auth, json={"open": "no"}), "invalid")


def test_joining_closes_by_itself_after_the_join_window(app, client, auth, event):
    with app.extensions["pinnwand"].db.transaction() as session:
        stored = session.get(Event, event["id"])
        stored.date = None
        stored.join_opened_at = utcnow() - timedelta(days=8)
    state = client.get(f"/api/v1/events/{event['id']}", headers=auth).json["joining"]
    assert state["open"] is False and state["closed_at"] is None
    assert_error(join_api(client, event["join_code"], "Late"), "not_found")
    client.patch(f"/api/v1/events/{event['id']}/joining", headers=auth, json={"open": True})
    assert join_api(client, event["join_code"], "Late").status_code == 200


def test_a_new_code_replaces_code_and_link_and_keeps_who_joined(client, auth, event, join):
    anna = join("Anna")
    old_code, old_key = event["join_code"], event["join_url"].split("key=", 1)[1]
    replaced = client.post(f"/api/v1/events/{event['id']}/joining/new-code", headers=auth)
    assert replaced.status_code == 200
    new_code, new_key = replaced.json["join_code"], replaced.json["join_url"].split("key=")[1]
    assert new_code != old_code and new_key != old_key
    assert replaced.json["join_url"].endswith(f"/join/{new_code}?key={new_key}")
    assert_error(join_api(client, old_code, "Eve"), "not_found")
    assert_error(join_api(client, old_code, "Eve", key=old_key), "not_found")
    assert join_api(client, new_code, "Ben", key=new_key).status_code == 200
    assert client.get("/api/v1/auth/me", headers=headers_of(anna["token"])).status_code == 200
    # Anna's phone reloads the page of the old code: it opens, under the old code, with a
    # note for phones that had not joined; its QR code is gone
    page = open_page(client, old_code)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and DATA_CODE.search(body).group(1) == old_code
    assert key_of(page) is None and 'data-testid="joining-closed"' in body
    assert client.get(f"/join/{old_code}/qr.svg").status_code == 404
    assert client.get(f"/join/{new_code}/qr.svg").status_code == 200
    event_now = client.get(f"/api/v1/events/{event['id']}", headers=auth).json
    assert (event_now["join_code"], event_now["join_url"]) == \
        (new_code, replaced.json["join_url"])


def test_the_qr_code_carries_the_key(app, client, event):
    svg = client.get(f"/join/{event['join_code']}/qr.svg")
    assert svg.status_code == 200 and "key=" in event["join_url"]
    with app.test_request_context():
        drawn = qr_svg_response(event["join_url"], title=event["join_code"])
    assert svg.get_data() == drawn.get_data()
