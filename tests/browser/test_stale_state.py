"""Nothing stale stays on the room's screens (Chromium, a real ``pinnwand serve``):

- "Time is up!" leaves the phone and the projector when the moderator moves to the next step;
- a message from an earlier step fades (``data-stale``) on both; withdrawn on the moderator's
  board ("Withdraw"), it leaves both at once, and the board lists it as withdrawn;
- a phone on the Plenum tab goes back to its workshop when the plenary is hidden, and when the
  workshop goes back to collecting.

The moderator's commands go through their socket (as the cockpit or the board would send them);
the withdrawal through the board's own control.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import LAPTOP_1440, PROJECTOR
from tests.browser.test_phone_steps import Room, by

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture skips (fails with CI=true) and says why
    expect = None

pytestmark = pytest.mark.browser


@pytest.fixture
def room(live_server, moderator, screens):
    made = Room(live_server, moderator, screens)
    yield made
    made.close()


def sign_in(page, moderator) -> None:
    page.goto("/moderator")
    by(page, "login-email").fill(moderator.email)
    by(page, "login-password").fill(moderator.password)
    by(page, "login-submit").click()
    expect(by(page, "dashboard")).to_be_visible()


def projector_of(room: Room, screens):
    viewer = room.api.post(f"/workshops/{room.workshop_id}/viewer-link", {}, expect=201)
    projector = screens.page(screens._context(PROJECTOR), "projector")
    projector.goto(viewer["url"])
    expect(by(projector, "step-banner")).to_have_attribute("data-step", "collect")
    return projector


def test_time_is_up_ends_with_the_step(room, screens):
    phone = room.phone("Anna")
    projector = projector_of(room, screens)
    room.staff("set_timer", command="start", seconds=10)
    room.staff("set_timer", command="add", seconds=-10)  # the time is up at once
    for page in (phone, projector):
        expect(by(page, "timer-ended")).to_be_visible()
        expect(by(page, "timer")).to_have_attribute("data-state", "ended")
    room.staff("set_step", step="cluster")
    for page in (phone, projector):
        expect(by(page, "step-banner")).to_have_attribute("data-step", "cluster")
        expect(by(page, "timer-ended")).to_be_hidden()
        expect(by(page, "timer")).to_be_hidden()
    phone.reload()  # also for a phone that comes back
    expect(by(phone, "step-banner")).to_have_attribute("data-step", "cluster")
    expect(by(phone, "timer-ended")).to_be_hidden()
    screens.assert_clean()


def test_messages_fade_with_the_step_and_can_be_withdrawn(room, screens, moderator):
    phone = room.phone("Anna")
    projector = projector_of(room, screens)
    room.staff("send_message", text="Bitte Ideen bis 10:30 notieren")
    banners = [by(page, "message-banner") for page in (phone, projector)]
    for banner in banners:
        expect(by(banner, "message-text")).to_have_text("Bitte Ideen bis 10:30 notieren")
        expect(banner).to_have_attribute("data-stale", "false")
    room.staff("set_step", step="cluster")
    for banner in banners:
        expect(banner).to_have_attribute("data-stale", "true")
    screens.shot(projector, "projector-stale-message")

    board = screens.page(screens._context(LAPTOP_1440), "board")
    sign_in(board, moderator)
    board.goto(f"/moderator/workshops/{room.workshop_id}")
    item = by(board, "message-item").first
    expect(item).to_contain_text("Bitte Ideen bis 10:30 notieren")
    by(item, "message-withdraw").click()
    expect(by(board, "message-item").first).to_have_attribute("data-withdrawn", "true")
    expect(by(board, "message-feedback")).to_be_visible()
    for banner in banners:
        expect(banner).to_be_hidden()
    projector.reload()
    expect(by(projector, "step-banner")).to_have_attribute("data-step", "cluster")
    expect(by(projector, "message-banner")).to_be_hidden()
    # A new message in this step shows, fresh.
    room.staff("send_message", text="Noch fünf Minuten")
    for page in (phone, projector):
        expect(by(page, "message-text")).to_have_text("Noch fünf Minuten")
        expect(by(page, "message-banner")).to_have_attribute("data-stale", "false")
    screens.assert_clean()


def test_the_phone_leaves_the_plenum_tab(room, screens):
    ben = room.participant("Ben")
    idea = room.post(ben, "Mentoring durch erfahrene Kolleginnen")
    room.staff("set_step", step="vote")
    phone = room.phone("Anna")
    event_id = room.event["id"]
    room.mod.call_ok("plenary_add", {"event_id": event_id, "items": [
        {"workshop_id": room.workshop_id, "idea_id": idea["id"]}]})
    room.mod.call_ok("configure_plenary", {"event_id": event_id, "open": True})
    expect(by(phone, "tab-plenary")).to_have_attribute("aria-pressed", "true")
    expect(by(phone, "plenary-panel")).to_be_visible()

    # Hidden: back to the workshop, the tabs gone.
    room.mod.call_ok("configure_plenary", {"event_id": event_id, "open": False})
    expect(by(phone, "board-tabs")).to_be_hidden()
    expect(by(phone, "plenary-panel")).to_be_hidden()
    expect(by(phone, "workshop-panel")).to_be_visible()

    # Open again, then the workshop goes back to collecting: the phone follows its workshop.
    room.mod.call_ok("configure_plenary", {"event_id": event_id, "open": True})
    expect(by(phone, "tab-plenary")).to_have_attribute("aria-pressed", "true")
    room.staff("set_step", step="collect")
    expect(by(phone, "tab-workshop")).to_have_attribute("aria-pressed", "true")
    expect(by(phone, "workshop-panel")).to_be_visible()
    expect(by(phone, "plenary-panel")).to_be_hidden()
    expect(by(phone, "board-tabs")).to_be_visible()  # the plenary is still open: one tap away
    screens.assert_clean()
