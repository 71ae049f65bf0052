"""``send_message``: short messages from the staff to one workshop or to all of an event."""

from __future__ import annotations

import pytest
from pinnwand.workshops.models import Message
from sqlalchemy import func, select

from tests.sockets.helpers import (
    bearer,
    board_state,
    data_of,
    error_code,
    join_board,
    one_or_all,
    payloads,
    send,
    viewer_of,
)


def send_message(tc, text: str = "Noch 5 Minuten", workshop_id: int | None = None,
                 event_id: int | None = None, **extra):
    """Send ``send_message`` to one workshop or a whole event; the raw ack."""
    return send(tc, "send_message", **one_or_all(workshop_id, event_id), text=text, **extra)


def message_count(app) -> int:
    with app.extensions["pinnwand"].db.read() as session:
        return session.scalar(select(func.count(Message.id)))


def test_staff_message_reaches_the_room(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    carla, _ = participant("Carla", workshops[1])
    data = data_of(send_message(mod, "  Noch 5 Minuten  ", workshop))
    message = data["message"]
    assert message == {"id": message["id"], "text": "Noch 5 Minuten",
                       "from": "Maria Moderatorin", "sent_at": message["sent_at"],
                       "step": "collect", "withdrawn": False}
    assert message["sent_at"].endswith("Z")
    assert data["seq"] == 1
    assert payloads(anna, "message_posted") == [
        {"workshop_id": workshop, "seq": 1, "message": message}]
    assert carla.get_received() == []
    assert join_board(anna, workshop)["messages"] == [message]


def test_host_signs_with_their_name_in_any_state(app, mod, host_of, participant, workshops):
    workshop = workshops[0]
    data_of(mod.emit("lock_workshop", {"workshop_id": workshop, "locked": True}, callback=True))
    host = host_of(workshop, "Tisch 2")
    answer = data_of(send_message(host, "Bitte zurück ins Plenum", workshop))
    assert answer["message"]["from"] == "Tisch 2"
    assert error_code(send_message(host, "Falscher Tisch", workshops[1])) == "forbidden"
    assert message_count(app) == 1


def test_snapshot_shows_the_latest_five_oldest_first(app, mod, participant, workshops):
    workshop = workshops[0]
    for number in range(7):
        data_of(send_message(mod, f"Nachricht {number}", workshop))
    anna, _ = participant("Anna")
    texts = [m["text"] for m in join_board(anna, workshop)["messages"]]
    assert texts == [f"Nachricht {number}" for number in range(2, 7)]


def test_event_wide_message_gives_every_workshop_one_seq(app, mod, participant, event,
                                                         workshops):
    names = ("Anna", "Ben", "Cem")
    phones = [participant(name, w)[0] for name, w in zip(names, workshops, strict=True)]
    data = data_of(send_message(mod, "Mittagspause!", event_id=event["id"]))
    assert [(a["workshop_id"], a["seq"], a["message"]["text"]) for a in data["workshops"]] == [
        (w, 1, "Mittagspause!") for w in workshops]
    for phone, workshop, answer in zip(phones, workshops, data["workshops"], strict=True):
        assert payloads(phone, "message_posted") == [
            {"workshop_id": workshop, "seq": 1, "message": answer["message"]}]
    assert [board_state(app, w)[0] for w in workshops] == [1, 1, 1]
    assert message_count(app) == 3


def test_event_wide_needs_an_event_moderator(app, host_of, participant, other_auth, connect,
                                             event, workshops):
    anna, _ = participant("Anna", workshops[0])
    for tc in (host_of(workshops[0]), anna, connect(bearer(other_auth))):
        assert error_code(send_message(tc, event_id=event["id"])) == "forbidden"
    assert error_code(send_message(host_of(workshops[0]), event_id=999_999)) == "not_found"
    assert message_count(app) == 0


def test_participants_projectors_and_outsiders_may_not_send(app, participant, outsider, client,
                                                            auth, connect, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    olga, _ = outsider
    projector = viewer_of(client, auth, connect, workshop)
    for tc in (anna, olga, projector):
        assert error_code(send_message(tc, workshop_id=workshop)) == "forbidden"
    assert message_count(app) == 0
    assert board_state(app, workshop)[0] == 0


@pytest.mark.parametrize("payload", [
    {"text": ""},
    {"text": "   "},
    {"text": "x" * 201},
    {"text": 5},
    {"text": "Hallo", "colour": "red"},
    {},
])
def test_bad_messages_are_invalid(app, mod, workshops, payload):
    ack = mod.emit("send_message", {"workshop_id": workshops[0], **payload}, callback=True)
    assert error_code(ack) == "invalid"
    assert message_count(app) == 0


def test_workshop_or_event_but_not_both(app, mod, event, workshops):
    ack = mod.emit("send_message", {"workshop_id": workshops[0], "event_id": event["id"],
                                    "text": "Hallo"}, callback=True)
    assert error_code(ack) == "invalid"
    assert error_code(mod.emit("send_message", {"text": "Hallo"}, callback=True)) == "invalid"
    assert error_code(send_message(mod, workshop_id=999_999)) == "not_found"
    assert message_count(app) == 0
