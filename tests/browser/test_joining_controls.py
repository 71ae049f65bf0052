"""The event page's joining controls, in Chromium: the moderator closes joining, opens it
again and gives the event a new code; a phone with the join link sees what that means.

No page may log a console error, an uncaught error or a CSP violation, nor open a dialog.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.server import Api

pytestmark = pytest.mark.browser


def by(page, testid: str):
    return page.locator(f'[data-testid="{testid}"]')


def sign_in(page: Page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


def test_closing_reopening_and_a_new_code(screens, live_server, moderator):
    api = Api(live_server.url).login(moderator.email, moderator.password)
    event = api.post("/events", {"title": "Beitritt steuern", "workshops": [
        {"title": "Eins", "question": "Wie kommen alle rein?"}]}, expect=201)
    laptop = screens.page(screens.laptop(), "laptop")
    phone = screens.page(screens.phone(), "phone")
    sign_in(laptop, moderator)
    laptop.goto(f"/moderator/events/{event['id']}")
    state, toggle = by(laptop, "joining-state"), by(laptop, "joining-toggle")
    expect(state).to_have_attribute("data-open", "true")
    expect(state).to_contain_text("Offen für neue Teilnehmende bis")

    toggle.click()
    expect(state).to_have_attribute("data-open", "false")
    expect(state).to_have_text("Geschlossen: Code und Link nehmen niemanden neu auf.")
    phone.goto(event["join_url"])
    expect(by(phone, "step-name")).to_be_visible()
    expect(by(phone, "joining-closed")).to_contain_text("nimmt gerade niemanden neu auf")

    toggle.click()
    expect(state).to_have_attribute("data-open", "true")
    old_code = event["join_code"]
    by(laptop, "joining-new-code").click()
    expect(by(laptop, "joining-confirm")).to_be_visible()
    by(laptop, "joining-confirm-no").click()
    expect(by(laptop, "joining-confirm")).to_be_hidden()
    expect(by(laptop, "join-code")).to_have_text(old_code)
    by(laptop, "joining-new-code").click()
    by(laptop, "joining-confirm-yes").click()
    expect(by(laptop, "join-code")).not_to_have_text(old_code)
    new_code = by(laptop, "join-code").inner_text().strip()
    link = by(laptop, "join-link")
    expect(link).to_have_attribute("href", re.compile(rf"/join/{new_code}\?key=[\w-]{{22}}$"))
    expect(link).to_have_text(re.compile(rf"/join/{new_code}$"))
    expect(by(laptop, "join-qr")).to_have_attribute("src", f"/join/{new_code}/qr.svg")

    phone.goto(event["join_url"])  # the old link: replaced
    expect(by(phone, "joining-closed")).to_contain_text("Dieser Code wurde ersetzt")
    phone.goto(link.get_attribute("href"))
    expect(by(phone, "joining-closed")).to_have_count(0)
    by(phone, "join-name").fill("Neu")
    by(phone, "join-submit").tap()
    expect(by(phone, "step-workshops")).to_be_visible()
    screens.assert_clean()
