"""Failed sign-ins slow the guesser down, never the moderator with the right password.

Addresses are set per request (``REMOTE_ADDR``), each test client keeps its own cookies like a
browser. See ``app/auth/budgets.py`` for the three budgets.
"""

from __future__ import annotations

import threading

import pytest
from pinnwand.auth.budgets import ACCOUNT_LIMIT, DEVICE_COOKIE
from pinnwand.auth.passwords import PasswordChecker
from pinnwand.config import DEFAULT_FAILED_LOGIN_LIMIT as PER_ADDRESS

from tests.conftest import PASSWORD
from tests.http.helpers import assert_error

VENUE = "192.0.2.10"
ELSEWHERE = "198.51.100.7"


def sign_in(client, email: str, password: str = PASSWORD, address: str = VENUE):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def fail_until_limited(client, email: str, address: str, most: int) -> int:
    """Wrong passwords from ``address`` until refused; how many were checked."""
    for tried in range(most + 1):
        response = sign_in(client, email, "not the password", address)
        if response.status_code == 429:
            return tried
        assert_error(response, "unauthorized")
    raise AssertionError(f"{most + 1} wrong passwords were all checked")


@pytest.fixture
def attacker(app):
    return app.test_client()


def test_the_password_works_while_an_attacker_fails_from_another_address(
        client, attacker, moderator):
    assert fail_until_limited(attacker, moderator["email"], ELSEWHERE, PER_ADDRESS) == \
        PER_ADDRESS
    assert sign_in(client, moderator["email"], address=VENUE).status_code == 200
    assert sign_in(attacker, moderator["email"], address=ELSEWHERE).status_code == 429


def test_a_known_device_gets_in_while_an_attacker_at_the_venue_fails(app, client, attacker,
                                                                    moderator):
    laptop = client
    assert sign_in(laptop, moderator["email"]).status_code == 200  # before the event
    fail_until_limited(attacker, moderator["email"], VENUE, PER_ADDRESS)
    assert sign_in(laptop, moderator["email"]).status_code == 200
    new_device = app.test_client()  # at the venue, never signed in before: waits its turn
    refused = sign_in(new_device, moderator["email"])
    assert_error(refused, "rate_limited")
    assert int(refused.headers["Retry-After"]) >= 1


def test_guessers_on_many_addresses_use_up_the_account_budget_but_not_a_known_device(
        app, client, moderator):
    laptop = client
    assert sign_in(laptop, moderator["email"], address=ELSEWHERE).status_code == 200
    guessed = 0
    for number in range(ACCOUNT_LIMIT // PER_ADDRESS + 1):
        guessed += fail_until_limited(app.test_client(), moderator["email"],
                                      f"203.0.113.{number + 1}", PER_ADDRESS)
    assert guessed == ACCOUNT_LIMIT
    fresh = sign_in(app.test_client(), moderator["email"], address="203.0.113.200")
    assert_error(fresh, "rate_limited")
    assert "account" in fresh.json["error"]["message"]
    assert sign_in(laptop, moderator["email"], address="203.0.113.201").status_code == 200


def test_unknown_emails_are_limited_exactly_like_accounts(app, moderator):
    """Limiting tells nothing about which e-mail addresses have accounts."""

    def statuses(email: str, network: str) -> list[int]:
        return [sign_in(app.test_client(), email, "not the password",
                        f"{network}.{n // 12 + 1}").status_code for n in range(120)]

    known = statuses(moderator["email"], "203.0.113")
    assert known.count(401) == ACCOUNT_LIMIT and 429 in known
    assert statuses("nobody@example.org", "198.18.0") == known


def test_a_device_cookie_of_another_account_or_forged_is_not_trusted(app, client, moderator,
                                                                    other_auth):
    other = app.test_client()
    assert sign_in(other, "other@example.org").status_code == 200  # a device of Otto's
    fail_until_limited(app.test_client(), moderator["email"], VENUE, PER_ADDRESS)
    assert sign_in(other, moderator["email"]).status_code == 429
    forged = app.test_client()
    forged.set_cookie(DEVICE_COOKIE, "eyJtIjoxLCJkIjoiYWJjIn0.forged.signature",
                      path="/api/v1/auth")
    assert sign_in(forged, moderator["email"]).status_code == 429


def test_the_device_cookie_is_for_the_sign_in_routes_only(client, moderator):
    response = sign_in(client, moderator["email"])
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{DEVICE_COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age="):
        assert attribute in cookie, cookie
    assert response.json["token"] not in cookie


def test_a_full_hashing_queue_answers_503_and_counts_nothing(app, client, moderator):
    app_state = app.extensions["pinnwand"]
    app_state.passwords = PasswordChecker(workers=1, waiting=0)
    busy, release = threading.Event(), threading.Event()

    def occupy() -> None:
        app_state.passwords._runner.run(lambda: (busy.set(), release.wait(10)))

    worker = threading.Thread(target=occupy)
    worker.start()
    try:
        assert busy.wait(10)
        for _ in range(PER_ADDRESS + 1):
            refused = sign_in(client, moderator["email"], "not the password")
            assert_error(refused, "unavailable")
            assert int(refused.headers["Retry-After"]) >= 1
    finally:
        release.set()
        worker.join(10)
    assert sign_in(client, moderator["email"]).status_code == 200
