"""``create_idea``: who may post, the broadcast, validation and idempotency by ``op_id``."""

from __future__ import annotations

import re

import pytest
from pinnwand.factory import create_app
from pinnwand.workshops.models import Category, Workshop

from tests.conftest import op_id
from tests.sockets.helpers import (
    bearer,
    board_state,
    broadcasts,
    data_of,
    error_code,
    join_board,
    lock,
    post,
    send,
)

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$")


def test_idea_has_the_contract_shape(participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    data = data_of(post(anna, workshops[0], "Mentoring-Programm"))
    assert set(data) == {"idea", "seq"}
    idea = data["idea"]
    assert set(idea) >= {"id", "workshop_id", "text", "author", "created_at", "votes"}
    assert isinstance(idea["id"], int)
    assert idea["workshop_id"] == workshops[0]
    assert idea["text"] == "Mentoring-Programm"
    assert idea["author"] == "Anna"
    assert idea["votes"] == 0  # a new idea has no dots; before voting starts 0 is no secret
    assert ISO_UTC.match(idea["created_at"]), idea["created_at"]
    assert data["seq"] == 1


def test_new_idea_has_votes_0_where_totals_are_open(mod, participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    data_of(send(mod, "configure_workshop", workshop_id=workshops[0], votes_secret=False))
    assert data_of(post(anna, workshops[0], "Offen gezählt"))["idea"]["votes"] == 0


def test_staff_see_the_new_ideas_total_while_it_is_secret(mod, participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    join_board(mod, workshops[0])
    mod.get_received()
    data_of(post(anna, workshops[0], "Geheim gezählt"))
    [received] = broadcasts(mod, "idea_created")
    assert received["args"][0]["idea"]["votes"] == 0


def test_broadcast_reaches_the_workshop_room_only(mod, participant, outsider, workshops):
    w1, w2 = workshops[0], workshops[1]
    anna, _ = participant("Anna", w1)
    ben, _ = participant("Ben", w1)
    carla, _ = participant("Carla", w2)
    olga, _ = outsider
    join_board(mod, w1)
    mod.get_received()

    data = data_of(post(anna, w1, "Nur für Raum 1"))

    expected = {"workshop_id": w1, "seq": data["seq"], "idea": data["idea"]}
    for_staff = {**expected, "idea": {**data["idea"], "votes": 0}}  # totals secret but to staff
    for member, seen in ((ben, expected), (mod, for_staff)):
        received = broadcasts(member)
        assert [(r["name"], r["args"]) for r in received] == [("idea_created", [seen])]
    assert carla.get_received() == []
    assert olga.get_received() == []


def test_seq_rises_by_one_per_idea(participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    seqs = [data_of(post(anna, workshops[0], f"Idee {n}"))["seq"] for n in range(5)]
    assert seqs == [1, 2, 3, 4, 5]


def test_seq_is_per_workshop(participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    join_board(anna, workshops[1])
    assert data_of(post(anna, workshops[0]))["seq"] == 1
    assert data_of(post(anna, workshops[0]))["seq"] == 2
    assert data_of(post(anna, workshops[1]))["seq"] == 1


def test_anonymous_idea_has_no_author_for_anyone(mod, participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    ben, _ = participant("Ben", workshops[0])
    data = data_of(post(anna, workshops[0], "Geheim", anonymous=True))
    assert data["idea"]["author"] is None
    [received] = broadcasts(ben, "idea_created")
    assert received["args"][0]["idea"]["author"] is None
    assert "Anna" not in str(received["args"])
    assert join_board(mod, workshops[0])["ideas"][0]["author"] is None


def test_anonymous_false_shows_the_name(participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    assert data_of(post(anna, workshops[0], anonymous=False))["idea"]["author"] == "Anna"


def test_text_is_trimmed(participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    assert data_of(post(anna, workshops[0], "  \n Kita-Plätze  \t"))["idea"]["text"] == \
        "Kita-Plätze"


def test_text_of_500_characters_is_accepted_after_trimming(participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    text = "ä" * 500
    assert data_of(post(anna, workshops[0], f"  {text}  "))["idea"]["text"] == text


def test_text_of_501_characters_is_invalid(app, participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    before = board_state(app, workshops[0])
    assert error_code(post(anna, workshops[0], "x" * 501)) == "invalid"
    assert board_state(app, workshops[0]) == before


@pytest.mark.parametrize("bad", ["abcdefg", "a" * 65, "abc def gh", "abcdefgh!", "äbcdefgh",
                                 "abcd/efgh", "abcdefgh\n", " abcdefgh", ""])
def test_bad_op_id_is_invalid(app, participant, workshops, bad):
    anna, _ = participant("Anna", workshops[0])
    before = board_state(app, workshops[0])
    ack = post(anna, workshops[0], op=bad)
    assert error_code(ack) == "invalid"
    assert "op_id" in ack["error"]["fields"]
    assert board_state(app, workshops[0]) == before


@pytest.mark.parametrize("good", ["abcdefgh", "a" * 64, "A-Z_a-z_0-9", "0123456789",
                                  "123e4567-e89b-12d3-a456-426614174000"])
def test_good_op_id_is_accepted(participant, workshops, good):
    anna, _ = participant("Anna", workshops[0])
    data_of(post(anna, workshops[0], op=good))


def test_repeat_returns_the_first_answer_and_creates_nothing(app, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    op = op_id()
    first = post(anna, workshop, "Original", op=op)
    data_of(first)
    ben.get_received()
    state = board_state(app, workshop)

    again = post(anna, workshop, "Ganz anderer Text", op=op)
    assert again == first
    assert board_state(app, workshop) == state
    assert ben.get_received() == []


def test_repeat_is_answered_after_the_workshop_got_locked(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    op = op_id()
    first = post(anna, workshop, "Vor dem Sperren", op=op)
    data_of(first)
    data_of(lock(mod, workshop, True))
    state = board_state(app, workshop)
    assert post(anna, workshop, "Nochmal", op=op) == first
    assert error_code(post(anna, workshop, "Neu")) == "locked"
    assert board_state(app, workshop) == state


def test_repeat_is_answered_on_a_new_connection(connect, participant, workshops):
    workshop = workshops[0]
    anna, answer = participant("Anna", workshop)
    op = op_id()
    first = post(anna, workshop, "Einmal", op=op)
    anna.disconnect()
    again = connect(answer["token"])
    assert post(again, workshop, "Zweimal", op=op) == first


def test_repeat_is_answered_after_a_server_restart(settings, app, participant, workshops):
    workshop = workshops[0]
    anna, answer = participant("Anna", workshop)
    op = op_id()
    first = post(anna, workshop, "Vor dem Neustart", op=op)
    data_of(first)

    restarted = create_app(settings, async_mode="threading")
    try:
        socketio = restarted.extensions["socketio"]
        tc = socketio.test_client(restarted, auth={"token": answer["token"]})
        assert tc.is_connected()
        assert post(tc, workshop, "Nach dem Neustart", op=op) == first
        # numbering survives too: the next idea continues the sequence
        assert data_of(post(tc, workshop, "Neu"))["seq"] == first["data"]["seq"] + 1
        tc.disconnect()
    finally:
        restarted.extensions["pinnwand"].db.dispose()


def test_same_op_id_from_another_sender_is_a_new_idea(app, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    op = op_id()
    first = data_of(post(anna, workshop, "Von Anna", op=op))
    second = data_of(post(ben, workshop, "Von Ben", op=op))
    assert second["idea"]["id"] != first["idea"]["id"]
    assert second["idea"]["author"] == "Ben"
    assert board_state(app, workshop)[1] == 2


def test_refused_op_is_not_remembered(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    op = op_id()
    data_of(lock(mod, workshop, True))
    assert error_code(post(anna, workshop, "Zu früh", op=op)) == "locked"
    data_of(lock(mod, workshop, False))
    assert data_of(post(anna, workshop, "Jetzt", op=op))["idea"]["text"] == "Jetzt"


def test_posting_before_joining_the_workshop_is_forbidden(app, participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    before = board_state(app, workshops[1])
    assert error_code(post(anna, workshops[1])) == "forbidden"
    assert board_state(app, workshops[1]) == before


def test_posting_without_joining_any_workshop_is_forbidden(participant, workshops):
    anna, _ = participant("Anna")
    assert error_code(post(anna, workshops[0])) == "forbidden"


def test_participant_of_another_event_is_forbidden(app, outsider, workshops):
    olga, _ = outsider
    before = board_state(app, workshops[0])
    assert error_code(post(olga, workshops[0])) == "forbidden"
    assert board_state(app, workshops[0]) == before


def test_other_moderator_is_forbidden(app, connect, other_auth, workshops):
    tc = connect(bearer(other_auth))
    before = board_state(app, workshops[0])
    assert error_code(post(tc, workshops[0])) == "forbidden"
    assert board_state(app, workshops[0]) == before


def test_moderator_posts_under_display_name(mod, moderator, participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    data = data_of(post(mod, workshops[0], "Vom Podium"))
    assert data["idea"]["author"] == moderator["name"] == "Maria Moderatorin"
    assert moderator["email"] not in str(data)
    [received] = broadcasts(anna, "idea_created")
    assert received["args"][0]["idea"] == data["idea"]  # voting has not started: a plain 0


def test_moderator_may_post_anonymously(mod, workshops):
    assert data_of(post(mod, workshops[0], anonymous=True))["idea"]["author"] is None


def test_locked_workshop_refuses_everyone(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(lock(mod, workshop, True))
    anna.get_received()
    state = board_state(app, workshop)
    assert error_code(post(anna, workshop)) == "locked"
    assert error_code(post(mod, workshop)) == "locked"
    assert board_state(app, workshop) == state
    assert anna.get_received() == []


def test_unlocking_accepts_ideas_again(mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(lock(mod, workshop, True))
    data_of(lock(mod, workshop, False))
    assert data_of(post(anna, workshop))["seq"] == 3


# --- category_id (extension) --------------------------------------------------------------------

def add_category(app, workshop_id: int, title: str = "Spalte") -> int:
    """A category (column) of ``workshop_id``, written straight to the database; its id."""
    with app.extensions["pinnwand"].db.transaction() as session:
        category = Category(workshop_id=workshop_id, title=title)
        session.add(category)
        session.flush()
        return category.id


def test_idea_goes_into_a_category_of_its_workshop(app, mod, participant, workshops):
    workshop = workshops[0]
    column = add_category(app, workshop)
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    data = data_of(post(anna, workshop, "In die Spalte", category_id=column))
    assert data["idea"]["category_id"] == column
    [received] = broadcasts(ben, "idea_created")
    assert received["args"][0]["idea"] == data["idea"]
    [stored] = [i for i in join_board(mod, workshop)["ideas"] if i["id"] == data["idea"]["id"]]
    assert stored["category_id"] == column


def test_category_id_null_is_no_category(participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    assert data_of(post(anna, workshops[0], category_id=None))["idea"]["category_id"] is None


def test_category_of_another_workshop_is_not_found(app, participant, workshops):
    workshop = workshops[0]
    elsewhere = add_category(app, workshops[1])
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    before = board_state(app, workshop)
    assert error_code(post(anna, workshop, category_id=elsewhere)) == "not_found"
    assert error_code(post(anna, workshop, category_id=987654)) == "not_found"
    assert board_state(app, workshop) == before
    assert ben.get_received() == []


@pytest.mark.parametrize("bad", [0, -1, 2**31, "1", 1.5, True, [1]])
def test_bad_category_id_is_invalid(app, participant, workshops, bad):
    anna, _ = participant("Anna", workshops[0])
    before = board_state(app, workshops[0])
    ack = post(anna, workshops[0], category_id=bad)
    assert error_code(ack) == "invalid"
    assert "category_id" in ack["error"]["fields"]
    assert board_state(app, workshops[0]) == before


def test_refused_category_is_not_remembered(app, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    op = op_id()
    assert error_code(post(anna, workshop, category_id=987654, op=op)) == "not_found"
    column = add_category(app, workshop)
    assert data_of(post(anna, workshop, category_id=column, op=op))["idea"]["category_id"] == \
        column


# --- repeats are answered wherever a new post would be refused ------------------------------------

def set_step(app, workshop_id: int, step: str) -> None:
    """Move a workshop to ``step`` straight in the database."""
    with app.extensions["pinnwand"].db.transaction() as session:
        session.get(Workshop, workshop_id).step = step


def test_repeat_is_answered_after_the_collect_step(app, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    op = op_id()
    first = post(anna, workshop, "Beim Sammeln", op=op)
    data_of(first)
    set_step(app, workshop, "vote")
    state = board_state(app, workshop)
    assert post(anna, workshop, "Später", op=op) == first
    assert error_code(post(anna, workshop, "Neu")) == "locked"
    assert board_state(app, workshop) == state


def test_repeat_with_another_category_answers_the_first(app, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    op = op_id()
    first = post(anna, workshop, "Ohne Spalte", op=op)
    data_of(first)
    state = board_state(app, workshop)
    assert post(anna, workshop, "Mit", op=op, category_id=987654) == first
    assert post(anna, workshop, "Mit", op=op, category_id=add_category(app, workshop)) == first
    assert board_state(app, workshop) == state


def test_repeat_in_another_workshop_answers_the_first(app, participant, workshops):
    anna, _ = participant("Anna", workshops[0])
    op = op_id()
    first = post(anna, workshops[0], "Hier", op=op)
    data_of(first)
    elsewhere = board_state(app, workshops[1])
    assert post(anna, workshops[1], "Dort", op=op) == first
    join_board(anna, workshops[1])
    assert post(anna, workshops[1], "Dort", op=op) == first
    assert board_state(app, workshops[1]) == elsewhere


def test_sockets_that_never_connected_are_refused(app):
    handler = app.extensions["socketio"].server.handlers["/"]["create_idea"]
    ack = handler("no-such-sid", {"workshop_id": 1, "op_id": op_id(), "text": "x"})
    assert error_code(ack) == "unauthorized"
