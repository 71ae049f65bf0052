"""Curating ideas: ``update_idea``, ``delete_idea``, ``restore_idea``, ``merge_ideas`` and
``move_idea`` — who may, in which step, what the room and the staff receive, and that bad
input changes nothing."""

from __future__ import annotations

import pytest
from pinnwand.ideas.models import Idea
from pinnwand.votes.models import Vote
from pinnwand.workshops.models import Workshop
from sqlalchemy import func, select

from tests.sockets.helpers import (
    SECRET,
    add_category,
    board_state,
    configure,
    data_of,
    drain,
    enter_private_board,
    error_code,
    events_of,
    idea_of,
    join_board,
    row,
    send,
    seq_of,
    viewer_of,
)

# --- helpers ----------------------------------------------------------------------------------

def place_votes(app, workshop_id: int, participant_id: int, idea_id: int, count: int) -> None:
    """Give a participant ``count`` dots on an idea and recount the idea's total (dots exist
    only once voting has started)."""
    with app.extensions["pinnwand"].db.transaction() as session:
        session.get(Workshop, workshop_id).voting_started = True
        session.add(Vote(workshop_id=workshop_id, participant_id=participant_id,
                         target_type="idea", target_id=idea_id, count=count))
        session.flush()
        total = session.scalar(select(func.sum(Vote.count)).where(
            Vote.target_type == "idea", Vote.target_id == idea_id))
        session.get(Idea, idea_id).votes = total


def dots(app, workshop_id: int, idea_id: int) -> dict[int, int]:
    """Each participant's dots on an idea."""
    with app.extensions["pinnwand"].db.read() as session:
        votes = session.scalars(select(Vote).where(
            Vote.workshop_id == workshop_id, Vote.target_type == "idea",
            Vote.target_id == idea_id))
        return {v.participant_id: v.count for v in votes}


def shown_ideas(tc, workshop_id: int) -> dict[int, dict]:
    """The ideas of the socket's snapshot, by id."""
    return {i["id"]: i for i in join_board(tc, workshop_id)["ideas"]}


@pytest.fixture
def board(mod, participant, workshops):
    """The first workshop with Anna (author), Ben (another participant) and the moderator on
    the board; Anna's idea ``idea``. Everyone's frames are cleared."""
    w = workshops[0]
    anna, anna_join = participant("Anna", w)
    ben, ben_join = participant("Ben", w)
    join_board(mod, w)
    idea = idea_of(anna, w, "Jobrad für alle")
    drain(anna, ben, mod)
    return {"w": w, "anna": anna, "ben": ben, "mod": mod, "idea": idea,
            "anna_id": anna_join["participant_id"], "ben_id": ben_join["participant_id"]}


@pytest.fixture
def private_room(app, mod, participant, workshops):
    """The first workshop writing privately, with Anna, Ben and the moderator on its board:
    ``(workshop_id, anna, ben)``."""
    anna, ben = enter_private_board(app, mod, participant, workshops[0])
    return workshops[0], anna, ben


# --- update_idea ------------------------------------------------------------------------------

def test_author_edits_own_idea_in_collect(app, board):
    w, anna, idea = board["w"], board["anna"], board["idea"]
    before = seq_of(app, w)
    data = data_of(send(anna, "update_idea", workshop_id=w, idea_id=idea["id"],
                        text="  Jobrad und ÖPNV-Ticket "))
    assert set(data) == {"idea", "seq"}
    assert data["seq"] == before + 1
    assert data["idea"]["text"] == "Jobrad und ÖPNV-Ticket"
    assert data["idea"]["author"] == "Anna"
    assert data["idea"]["votes"] == 0  # before voting starts every total is a plain 0
    assert row(app, Idea, idea["id"])["updated_at"] is not None
    expected = {"workshop_id": w, "seq": before + 1, "idea": data["idea"]}
    assert events_of(board["ben"]) == [("idea_updated", expected)]
    assert events_of(board["mod"]) == [("idea_updated", {**expected, "idea": {
        **data["idea"], "votes": 0}})]


def test_other_participant_may_not_edit(app, board):
    w = board["w"]
    before = board_state(app, w)
    ack = send(board["ben"], "update_idea", workshop_id=w, idea_id=board["idea"]["id"],
               text="Gekapert")
    assert error_code(ack) == "forbidden"
    assert board_state(app, w) == before
    assert row(app, Idea, board["idea"]["id"])["text"] == "Jobrad für alle"
    assert events_of(board["anna"]) == []


@pytest.mark.parametrize("step", ["cluster", "vote", "act", "closed"])
def test_author_edit_outside_collect_is_locked(app, board, step):
    w = board["w"]
    configure(app, w, step=step)
    before = seq_of(app, w)
    ack = send(board["anna"], "update_idea", workshop_id=w, idea_id=board["idea"]["id"],
               text="Zu spät")
    assert error_code(ack) == "locked"
    assert seq_of(app, w) == before


def test_author_edit_while_locked_is_locked_but_staff_may(app, board, host_of):
    w, idea = board["w"], board["idea"]
    configure(app, w, locked=True, step="vote")
    assert error_code(send(board["anna"], "update_idea", workshop_id=w, idea_id=idea["id"],
                           text="Gesperrt")) == "locked"
    by_mod = data_of(send(board["mod"], "update_idea", workshop_id=w, idea_id=idea["id"],
                          text="Vom Moderator"))
    assert by_mod["idea"]["text"] == "Vom Moderator"
    host = host_of(w)
    by_host = data_of(send(host, "update_idea", workshop_id=w, idea_id=idea["id"],
                           text="Vom Host"))
    assert by_host["idea"]["text"] == "Vom Host"
    assert by_host["seq"] == by_mod["seq"] + 1


def test_staff_ideas_only_staff_may_edit(app, board, host_of):
    w = board["w"]
    mod_idea = idea_of(board["mod"], w, "Idee der Moderation")
    assert error_code(send(board["anna"], "update_idea", workshop_id=w,
                           idea_id=mod_idea["id"], text="Nein")) == "forbidden"
    host = host_of(w)
    data = data_of(send(host, "update_idea", workshop_id=w, idea_id=mod_idea["id"],
                        anonymous=True))
    assert data["idea"]["author"] is None


def test_viewer_and_outsider_may_not_edit(app, board, client, auth, connect, outsider):
    w = board["w"]
    viewer = viewer_of(client, auth, connect, w)
    olga, _ = outsider
    before = seq_of(app, w)
    for tc in (viewer, olga):
        ack = send(tc, "update_idea", workshop_id=w, idea_id=board["idea"]["id"], text="X")
        assert error_code(ack) == "forbidden"
    assert seq_of(app, w) == before


def test_host_of_another_workshop_may_not_edit(app, board, host_of, workshops):
    host = host_of(workshops[1])
    ack = send(host, "update_idea", workshop_id=board["w"], idea_id=board["idea"]["id"],
               text="Fremd")
    assert error_code(ack) == "forbidden"


def test_same_values_change_nothing(app, board):
    w, idea = board["w"], board["idea"]
    before = seq_of(app, w)
    data = data_of(send(board["anna"], "update_idea", workshop_id=w, idea_id=idea["id"],
                        text="Jobrad für alle", anonymous=False))
    assert data == {"idea": idea, "seq": before}
    assert seq_of(app, w) == before
    assert row(app, Idea, idea["id"])["updated_at"] is None
    assert events_of(board["ben"]) == [] and events_of(board["mod"]) == []


def test_anonymous_hides_the_author(app, board):
    w, idea = board["w"], board["idea"]
    data = data_of(send(board["anna"], "update_idea", workshop_id=w, idea_id=idea["id"],
                        anonymous=True))
    assert data["idea"]["author"] is None
    [(name, payload)] = events_of(board["ben"])
    assert name == "idea_updated" and payload["idea"]["author"] is None
    assert "Anna" not in str(payload)


def test_anonymity_is_one_way_for_everyone_but_the_author(app, board, host_of):
    w = board["w"]
    secret = idea_of(board["anna"], w, "Ohne meinen Namen", anonymous=True)
    drain(board["anna"], board["ben"], board["mod"])
    before = seq_of(app, w)
    host = host_of(w)
    join_board(host, w)
    drain(host)
    for staff in (board["mod"], host):
        ack = send(staff, "update_idea", workshop_id=w, idea_id=secret["id"], anonymous=False)
        assert error_code(ack) == "forbidden" and "anonymous" in ack["error"]["fields"]
        ack = send(staff, "update_idea", workshop_id=w, idea_id=secret["id"], anonymous=False,
                   text="Neuer Text")  # refused as a whole: the text stays too
        assert error_code(ack) == "forbidden"
    assert seq_of(app, w) == before
    assert row(app, Idea, secret["id"])["anonymous"] is True
    assert row(app, Idea, secret["id"])["text"] == "Ohne meinen Namen"
    for tc in (board["anna"], board["ben"], board["mod"], host):  # no change (presence aside)
        assert [name for name, _ in events_of(tc) if name != "presence"] == []
    # The staff may still edit its text, and the author may put the name back.
    data_of(send(board["mod"], "update_idea", workshop_id=w, idea_id=secret["id"],
                 text="Gekürzt"))
    named = data_of(send(board["anna"], "update_idea", workshop_id=w, idea_id=secret["id"],
                         anonymous=False))
    assert named["idea"]["author"] == "Anna"


def test_a_moderator_may_name_their_own_anonymous_idea_again(app, board):
    w = board["w"]
    own = idea_of(board["mod"], w, "Von der Moderation, anonym", anonymous=True)
    data = data_of(send(board["mod"], "update_idea", workshop_id=w, idea_id=own["id"],
                        anonymous=False))
    assert data["idea"]["author"] is not None


def test_category_of_the_workshop_and_null(app, board, workshops):
    w, idea = board["w"], board["idea"]
    column = add_category(app, w, "Kurzfristig")
    foreign = add_category(app, workshops[1], "Anderswo")
    data = data_of(send(board["anna"], "update_idea", workshop_id=w, idea_id=idea["id"],
                        category_id=column))
    assert data["idea"]["category_id"] == column
    before = seq_of(app, w)
    ack = send(board["anna"], "update_idea", workshop_id=w, idea_id=idea["id"],
               category_id=foreign)
    assert error_code(ack) == "not_found"
    assert error_code(send(board["anna"], "update_idea", workshop_id=w, idea_id=idea["id"],
                           category_id=999_999)) == "not_found"
    assert seq_of(app, w) == before
    cleared = data_of(send(board["anna"], "update_idea", workshop_id=w, idea_id=idea["id"],
                           category_id=None))
    assert cleared["idea"]["category_id"] is None
    assert cleared["seq"] == before + 1


@pytest.mark.parametrize("fields", [
    {},
    {"text": ""},
    {"text": "   "},
    {"text": "x" * 501},
    {"text": None},
    {"text": 5},
    {"anonymous": None},
    {"anonymous": "yes"},
    {"anonymous": 1},
    {"category_id": "1"},
    {"category_id": True},
    {"category_id": 0},
    {"text": "ok", "votes": 5},
    {"text": "ok", "author": "Jemand"},
])
def test_bad_update_payloads_change_nothing(app, board, fields):
    w, idea = board["w"], board["idea"]
    before = board_state(app, w)
    ack = send(board["mod"], "update_idea", workshop_id=w, idea_id=idea["id"], **fields)
    assert error_code(ack) == "invalid"
    assert board_state(app, w) == before
    assert row(app, Idea, idea["id"])["text"] == "Jobrad für alle"


@pytest.mark.parametrize("payload", [None, [], "update", {"workshop_id": "1"},
                                     {"idea_id": 1, "text": "x"}])
def test_malformed_update_is_invalid(mod, payload):
    assert error_code(mod.emit("update_idea", payload, callback=True)) == "invalid"


def test_ideas_of_another_workshop_are_not_found(app, board, participant, workshops):
    w1, w2 = board["w"], workshops[1]
    carla, _ = participant("Carla", w2)
    elsewhere = idea_of(carla, w2, "Anderer Raum")
    before1, before2 = seq_of(app, w1), seq_of(app, w2)
    for name, extra in (("update_idea", {"text": "X"}), ("delete_idea", {}),
                        ("restore_idea", {}), ("move_idea", {"after_id": None})):
        ack = send(board["mod"], name, workshop_id=w1, idea_id=elsewhere["id"], **extra)
        assert error_code(ack) == "not_found", name
    ack = send(board["mod"], "merge_ideas", workshop_id=w1, idea_id=board["idea"]["id"],
               into_id=elsewhere["id"])
    assert error_code(ack) == "not_found"
    assert error_code(send(board["mod"], "update_idea", workshop_id=w1, idea_id=999_999,
                           text="X")) == "not_found"
    assert (seq_of(app, w1), seq_of(app, w2)) == (before1, before2)
    assert row(app, Idea, elsewhere["id"])["text"] == "Anderer Raum"


def test_editing_a_deleted_idea_is_invalid(app, board):
    w, idea = board["w"], board["idea"]
    data_of(send(board["mod"], "delete_idea", workshop_id=w, idea_id=idea["id"]))
    before = seq_of(app, w)
    ack = send(board["mod"], "update_idea", workshop_id=w, idea_id=idea["id"], text="Neu")
    assert error_code(ack) == "invalid"
    assert seq_of(app, w) == before


def test_hidden_idea_update_is_withheld_from_the_room(mod, private_room, client, auth, connect):
    w, anna, ben = private_room
    viewer = viewer_of(client, auth, connect, w)
    idea = idea_of(anna, w, "Erster Entwurf")
    assert idea["hidden"] is True
    drain(anna, ben, mod, viewer)

    data = data_of(send(anna, "update_idea", workshop_id=w, idea_id=idea["id"], text=SECRET))
    assert data["idea"]["text"] == SECRET

    [(name, for_ben)] = events_of(ben)
    assert name == "idea_updated" and for_ben["seq"] == data["seq"]
    assert for_ben["idea"]["text"] is None and for_ben["idea"]["author"] is None
    assert for_ben["idea"]["hidden"] is True
    assert SECRET not in str(for_ben) and "Anna" not in str(for_ben)
    assert events_of(viewer) == [("idea_updated", for_ben)]
    [(_, for_mod)] = events_of(mod)
    assert for_mod["idea"]["text"] == SECRET and for_mod["idea"]["author"] == "Anna"
    [(_, for_anna)] = events_of(anna)
    assert for_anna["idea"]["text"] == SECRET


def test_staff_edit_of_hidden_idea_reaches_its_author(mod, private_room):
    w, anna, ben = private_room
    idea = idea_of(anna, w, "Entwurf")
    drain(anna, ben, mod)
    data_of(send(mod, "update_idea", workshop_id=w, idea_id=idea["id"], text=SECRET))
    [(_, for_anna)] = events_of(anna)
    assert for_anna["idea"]["text"] == SECRET
    [(_, for_ben)] = events_of(ben)
    assert for_ben["idea"]["text"] is None
    assert SECRET not in str(for_ben)


def test_secret_totals_reach_only_the_staff(app, board):
    w, idea = board["w"], board["idea"]
    place_votes(app, w, board["ben_id"], idea["id"], 2)
    data = data_of(send(board["mod"], "update_idea", workshop_id=w, idea_id=idea["id"],
                        text="Mit Punkten"))
    assert data["idea"]["votes"] == 2
    [(_, for_ben)] = events_of(board["ben"])
    assert for_ben["idea"]["votes"] is None
    [(_, for_mod)] = events_of(board["mod"])
    assert for_mod["idea"]["votes"] == 2
    configure(app, w, votes_revealed=True)
    data_of(send(board["mod"], "update_idea", workshop_id=w, idea_id=idea["id"], text="Offen"))
    [(_, for_ben)] = events_of(board["ben"])
    assert for_ben["idea"]["votes"] == 2


# --- delete_idea / restore_idea ---------------------------------------------------------------

def test_author_withdraws_and_restores_round_trip(app, board, participant):
    w, idea, anna = board["w"], board["idea"], board["anna"]
    before = seq_of(app, w)
    assert data_of(send(anna, "delete_idea", workshop_id=w, idea_id=idea["id"])) == {
        "idea_id": idea["id"], "seq": before + 1}
    expected = {"workshop_id": w, "seq": before + 1, "idea_id": idea["id"]}
    assert events_of(board["ben"]) == [("idea_deleted", expected)]
    assert events_of(board["mod"]) == [("idea_deleted", expected)]
    assert row(app, Idea, idea["id"])["deleted_at"] is not None

    assert idea["id"] not in shown_ideas(board["ben"], w)
    newcomer, _ = participant("Dora")
    assert idea["id"] not in shown_ideas(newcomer, w)
    staff_view = shown_ideas(board["mod"], w)[idea["id"]]
    assert staff_view["deleted"] is True and staff_view["text"] == "Jobrad für alle"
    drain(board["ben"], board["mod"])

    restored = data_of(send(anna, "restore_idea", workshop_id=w, idea_id=idea["id"]))
    assert restored["seq"] == before + 2
    assert restored["idea"]["deleted"] is False
    assert restored["idea"]["text"] == "Jobrad für alle"
    [(name, payload)] = events_of(board["ben"])
    assert name == "idea_restored" and payload["idea"]["id"] == idea["id"]
    assert shown_ideas(board["ben"], w)[idea["id"]]["deleted"] is False
    assert row(app, Idea, idea["id"])["deleted_at"] is None


def test_deleting_a_deleted_idea_changes_nothing(app, board):
    w, idea = board["w"], board["idea"]
    first = data_of(send(board["anna"], "delete_idea", workshop_id=w, idea_id=idea["id"]))
    drain(board["ben"], board["mod"])
    again = data_of(send(board["mod"], "delete_idea", workshop_id=w, idea_id=idea["id"]))
    assert again == first
    assert seq_of(app, w) == first["seq"]
    assert events_of(board["ben"]) == [] and events_of(board["mod"]) == []


def test_restoring_an_idea_on_the_board_changes_nothing(app, board):
    w, idea = board["w"], board["idea"]
    before = seq_of(app, w)
    data = data_of(send(board["mod"], "restore_idea", workshop_id=w, idea_id=idea["id"]))
    assert data == {"idea": {**idea, "votes": 0}, "seq": before}  # the staff see the total
    assert seq_of(app, w) == before and events_of(board["ben"]) == []


def test_other_participant_may_not_delete_or_restore(app, board):
    w, idea = board["w"], board["idea"]
    assert error_code(send(board["ben"], "delete_idea", workshop_id=w,
                           idea_id=idea["id"])) == "forbidden"
    data_of(send(board["anna"], "delete_idea", workshop_id=w, idea_id=idea["id"]))
    before = seq_of(app, w)
    assert error_code(send(board["ben"], "restore_idea", workshop_id=w,
                           idea_id=idea["id"])) == "forbidden"
    assert seq_of(app, w) == before
    assert row(app, Idea, idea["id"])["deleted_at"] is not None


def test_author_may_not_undo_a_removal_by_the_staff(app, board):
    w, idea = board["w"], board["idea"]
    data_of(send(board["mod"], "delete_idea", workshop_id=w, idea_id=idea["id"]))
    before = seq_of(app, w)
    assert error_code(send(board["anna"], "restore_idea", workshop_id=w,
                           idea_id=idea["id"])) == "forbidden"
    assert seq_of(app, w) == before
    assert row(app, Idea, idea["id"])["deleted_at"] is not None
    restored = data_of(send(board["mod"], "restore_idea", workshop_id=w, idea_id=idea["id"]))
    assert restored["idea"]["deleted"] is False and restored["seq"] == before + 1


def test_viewer_and_outsider_may_not_delete(app, board, client, auth, connect, outsider):
    w = board["w"]
    viewer = viewer_of(client, auth, connect, w)
    olga, _ = outsider
    for tc in (viewer, olga):
        for name in ("delete_idea", "restore_idea"):
            ack = send(tc, name, workshop_id=w, idea_id=board["idea"]["id"])
            assert error_code(ack) == "forbidden"
    assert row(app, Idea, board["idea"]["id"])["deleted_at"] is None


def test_author_delete_outside_collect_or_locked_is_locked(app, board):
    w, idea = board["w"], board["idea"]
    configure(app, w, step="cluster")
    assert error_code(send(board["anna"], "delete_idea", workshop_id=w,
                           idea_id=idea["id"])) == "locked"
    configure(app, w, step="collect", locked=True)
    assert error_code(send(board["anna"], "delete_idea", workshop_id=w,
                           idea_id=idea["id"])) == "locked"
    assert row(app, Idea, idea["id"])["deleted_at"] is None


def test_author_restore_outside_collect_is_locked(app, board):
    w, idea = board["w"], board["idea"]
    data_of(send(board["anna"], "delete_idea", workshop_id=w, idea_id=idea["id"]))
    configure(app, w, step="vote")
    before = seq_of(app, w)
    assert error_code(send(board["anna"], "restore_idea", workshop_id=w,
                           idea_id=idea["id"])) == "locked"
    assert seq_of(app, w) == before


def test_staff_delete_and_restore_in_any_step_and_locked(app, board, host_of):
    w, idea = board["w"], board["idea"]
    configure(app, w, step="act", locked=True)
    data_of(send(board["mod"], "delete_idea", workshop_id=w, idea_id=idea["id"]))
    host = host_of(w)
    restored = data_of(send(host, "restore_idea", workshop_id=w, idea_id=idea["id"]))
    assert restored["idea"]["deleted"] is False


def test_restored_hidden_idea_is_withheld_from_the_room(mod, private_room):
    w, anna, ben = private_room
    idea = idea_of(anna, w, SECRET)
    data_of(send(anna, "delete_idea", workshop_id=w, idea_id=idea["id"]))
    drain(anna, ben, mod)
    data_of(send(mod, "restore_idea", workshop_id=w, idea_id=idea["id"]))
    [(name, for_ben)] = events_of(ben)
    assert name == "idea_restored" and for_ben["idea"]["text"] is None
    assert SECRET not in str(for_ben)
    [(_, for_anna)] = events_of(anna)
    assert for_anna["idea"]["text"] == SECRET


@pytest.mark.parametrize("name", ["delete_idea", "restore_idea"])
@pytest.mark.parametrize("extra", [{"idea_id": "1"}, {"idea_id": None}, {"extra": 1},
                                   {"idea_id": 2**31}])
def test_bad_delete_and_restore_payloads(app, board, name, extra):
    w = board["w"]
    before = board_state(app, w)
    payload = {"workshop_id": w, "idea_id": board["idea"]["id"], **extra}
    assert error_code(board["mod"].emit(name, payload, callback=True)) == "invalid"
    assert board_state(app, w) == before


# --- merge_ideas ------------------------------------------------------------------------------

@pytest.fixture
def two_ideas(app, board):
    """Board plus Ben's idea ``other``; Anna put 2 dots on ``idea`` and 1 on ``other``, Ben 1
    on ``idea``."""
    w = board["w"]
    other = idea_of(board["ben"], w, "Kantine mit Bio-Essen")
    place_votes(app, w, board["anna_id"], board["idea"]["id"], 2)
    place_votes(app, w, board["ben_id"], board["idea"]["id"], 1)
    place_votes(app, w, board["anna_id"], other["id"], 1)
    drain(board["anna"], board["ben"], board["mod"])
    return {**board, "other": other}


def test_merge_moves_the_dots(app, two_ideas):
    b = two_ideas
    w, idea, other = b["w"], b["idea"], b["other"]
    before = seq_of(app, w)
    data = data_of(send(b["mod"], "merge_ideas", workshop_id=w, idea_id=idea["id"],
                        into_id=other["id"]))
    assert data["seq"] == before + 1
    assert data["idea"]["id"] == other["id"] and data["idea"]["votes"] == 4
    assert dots(app, w, other["id"]) == {b["anna_id"]: 3, b["ben_id"]: 1}
    assert dots(app, w, idea["id"]) == {}
    merged = row(app, Idea, idea["id"])
    assert merged["merged_into_id"] == other["id"] and merged["votes"] == 0
    assert row(app, Idea, other["id"])["votes"] == 4

    # (telemetry such as the coalesced ``presence`` may come late from the fixture's joins)
    [(name, for_mod)] = [event for event in events_of(b["mod"]) if event[0] != "presence"]
    assert name == "ideas_merged"
    assert for_mod == {"workshop_id": w, "seq": before + 1, "idea_id": idea["id"],
                       "into": data["idea"]}
    [(_, for_ben)] = events_of(b["ben"])
    assert for_ben == {**for_mod, "into": {**data["idea"], "votes": None}}


def test_merged_idea_leaves_the_room_board_and_stays_for_staff(app, two_ideas):
    b = two_ideas
    w, idea, other = b["w"], b["idea"], b["other"]
    data_of(send(b["mod"], "merge_ideas", workshop_id=w, idea_id=idea["id"],
                 into_id=other["id"]))
    assert idea["id"] not in shown_ideas(b["ben"], w)
    assert shown_ideas(b["mod"], w)[idea["id"]]["merged_into"] == other["id"]


def test_restoring_a_merged_idea_leaves_the_dots(app, two_ideas, host_of):
    b = two_ideas
    w, idea, other = b["w"], b["idea"], b["other"]
    data_of(send(b["mod"], "merge_ideas", workshop_id=w, idea_id=idea["id"],
                 into_id=other["id"]))
    assert error_code(send(b["anna"], "restore_idea", workshop_id=w,
                           idea_id=idea["id"])) == "forbidden"
    host = host_of(w)
    restored = data_of(send(host, "restore_idea", workshop_id=w, idea_id=idea["id"]))
    assert restored["idea"]["merged_into"] is None and restored["idea"]["votes"] == 0
    assert row(app, Idea, other["id"])["votes"] == 4
    assert idea["id"] in shown_ideas(b["ben"], w)


def test_only_staff_merge(app, two_ideas, host_of, client, auth, connect, outsider):
    b = two_ideas
    w = b["w"]
    viewer = viewer_of(client, auth, connect, w)
    olga, _ = outsider
    before = seq_of(app, w)
    for tc in (b["anna"], b["ben"], viewer, olga):
        ack = send(tc, "merge_ideas", workshop_id=w, idea_id=b["idea"]["id"],
                   into_id=b["other"]["id"])
        assert error_code(ack) == "forbidden"
    assert seq_of(app, w) == before
    configure(app, w, locked=True, step="closed")
    data_of(send(host_of(w), "merge_ideas", workshop_id=w, idea_id=b["idea"]["id"],
                 into_id=b["other"]["id"]))


def test_merge_refuses_same_deleted_and_merged_ideas(app, two_ideas):
    b = two_ideas
    w, idea, other, mod = b["w"], b["idea"], b["other"], b["mod"]
    third = idea_of(b["anna"], w, "Dritte Idee")
    gone = idea_of(b["anna"], w, "Zurückgezogen")
    data_of(send(mod, "delete_idea", workshop_id=w, idea_id=gone["id"]))
    data_of(send(mod, "merge_ideas", workshop_id=w, idea_id=third["id"], into_id=other["id"]))
    before = board_state(app, w)
    cases = [(idea["id"], idea["id"]), (idea["id"], gone["id"]), (gone["id"], idea["id"]),
             (third["id"], idea["id"]), (idea["id"], third["id"])]
    for idea_id, into_id in cases:
        ack = send(mod, "merge_ideas", workshop_id=w, idea_id=idea_id, into_id=into_id)
        assert error_code(ack) == "invalid", (idea_id, into_id)
    assert board_state(app, w) == before
    assert dots(app, w, idea["id"]) == {b["anna_id"]: 2, b["ben_id"]: 1}


@pytest.mark.parametrize("extra", [{}, {"into_id": None}, {"into_id": "2"}, {"into_id": 2,
                                                                             "why": "x"}])
def test_bad_merge_payloads(app, two_ideas, extra):
    w = two_ideas["w"]
    before = board_state(app, w)
    payload = {"workshop_id": w, "idea_id": two_ideas["idea"]["id"], **extra}
    assert error_code(two_ideas["mod"].emit("merge_ideas", payload, callback=True)) == "invalid"
    assert board_state(app, w) == before


def test_merge_into_a_hidden_idea_is_withheld(mod, private_room):
    w, anna, ben = private_room
    hidden = idea_of(anna, w, SECRET)
    bens = idea_of(ben, w, "Bens Idee")
    drain(anna, ben, mod)
    data_of(send(mod, "merge_ideas", workshop_id=w, idea_id=bens["id"], into_id=hidden["id"]))
    [(_, for_ben)] = events_of(ben)
    assert for_ben["into"]["text"] is None and SECRET not in str(for_ben)
    [(_, for_anna)] = events_of(anna)
    assert for_anna["into"]["text"] == SECRET


# --- move_idea --------------------------------------------------------------------------------

@pytest.fixture
def row_of_three(board):
    """Board plus ideas ``b`` and ``c`` after Anna's ``idea`` (called ``a``)."""
    w = board["w"]
    b = idea_of(board["anna"], w, "B")
    c = idea_of(board["ben"], w, "C")
    drain(board["anna"], board["ben"], board["mod"])
    return {**board, "a": board["idea"], "b": b, "c": c}


def order(tc, workshop_id: int) -> list[int]:
    """The ids of the socket's snapshot, in board order."""
    ideas = join_board(tc, workshop_id)["ideas"]
    return [i["id"] for i in sorted(ideas, key=lambda i: (i["position"], i["id"]))]


def test_staff_reorders(app, row_of_three):
    r = row_of_three
    w, a, b, c = r["w"], r["a"]["id"], r["b"]["id"], r["c"]["id"]
    before = seq_of(app, w)
    data = data_of(send(r["mod"], "move_idea", workshop_id=w, idea_id=c, after_id=a))
    assert data["seq"] == before + 1
    assert r["a"]["position"] < data["idea"]["position"] < r["b"]["position"]
    assert order(r["ben"], w) == [a, c, b]
    [(name, payload)] = events_of(r["ben"])
    assert name == "idea_moved" and payload["idea"]["id"] == c
    data_of(send(r["mod"], "move_idea", workshop_id=w, idea_id=b, after_id=None))
    assert order(r["ben"], w) == [b, a, c]
    data_of(send(r["mod"], "move_idea", workshop_id=w, idea_id=b, after_id=c))
    assert order(r["ben"], w) == [a, c, b]


def test_move_to_where_it_is_changes_nothing(app, row_of_three):
    r = row_of_three
    w = r["w"]
    before = seq_of(app, w)
    same = data_of(send(r["mod"], "move_idea", workshop_id=w, idea_id=r["b"]["id"],
                        after_id=r["a"]["id"]))
    first = data_of(send(r["mod"], "move_idea", workshop_id=w, idea_id=r["a"]["id"],
                         after_id=None))
    column = data_of(send(r["mod"], "move_idea", workshop_id=w, idea_id=r["a"]["id"],
                          category_id=None))
    assert same["seq"] == first["seq"] == column["seq"] == before
    assert same["idea"] == {**r["b"], "votes": 0}  # the staff see the total
    assert seq_of(app, w) == before and events_of(r["ben"]) == []


def test_move_to_a_column(app, row_of_three, workshops):
    r = row_of_three
    w = r["w"]
    column = add_category(app, w)
    foreign = add_category(app, workshops[1])
    data = data_of(send(r["mod"], "move_idea", workshop_id=w, idea_id=r["b"]["id"],
                        category_id=column))
    assert data["idea"]["category_id"] == column
    assert data["idea"]["position"] == r["b"]["position"]
    before = seq_of(app, w)
    ack = send(r["mod"], "move_idea", workshop_id=w, idea_id=r["b"]["id"], category_id=foreign)
    assert error_code(ack) == "not_found"
    assert seq_of(app, w) == before
    assert row(app, Idea, r["b"]["id"])["category_id"] == column


def test_participants_move_only_when_everyone_clusters(app, row_of_three, host_of):
    r = row_of_three
    w, anna = r["w"], r["anna"]
    payload = {"workshop_id": w, "idea_id": r["c"]["id"], "after_id": None}
    configure(app, w, step="cluster")
    assert error_code(anna.emit("move_idea", payload, callback=True)) == "forbidden"
    configure(app, w, cluster_by="everyone", step="collect")
    assert error_code(anna.emit("move_idea", payload, callback=True)) == "locked"
    configure(app, w, step="cluster", locked=True)
    assert error_code(anna.emit("move_idea", payload, callback=True)) == "locked"
    assert row(app, Idea, r["c"]["id"])["position"] == r["c"]["position"]
    configure(app, w, locked=False)
    moved = data_of(anna.emit("move_idea", payload, callback=True))
    assert moved["idea"]["position"] < r["a"]["position"]
    configure(app, w, cluster_by="staff", step="vote", locked=True)
    data_of(send(host_of(w), "move_idea", workshop_id=w, idea_id=r["c"]["id"],
                 after_id=r["b"]["id"]))


def test_viewer_and_outsider_may_not_move(app, row_of_three, client, auth, connect, outsider):
    r = row_of_three
    w = r["w"]
    configure(app, w, cluster_by="everyone", step="cluster")
    viewer = viewer_of(client, auth, connect, w)
    olga, _ = outsider
    before = seq_of(app, w)
    for tc in (viewer, olga):
        ack = send(tc, "move_idea", workshop_id=w, idea_id=r["a"]["id"], after_id=None)
        assert error_code(ack) == "forbidden"
    assert seq_of(app, w) == before


def test_moving_a_hidden_idea_withholds_it(mod, private_room):
    w, anna, ben = private_room
    first = idea_of(mod, w, "Von der Moderation")
    hidden = idea_of(anna, w, SECRET)
    drain(anna, ben, mod)
    data_of(send(mod, "move_idea", workshop_id=w, idea_id=hidden["id"], after_id=None))
    [(name, for_ben)] = events_of(ben)
    assert name == "idea_moved" and for_ben["idea"]["text"] is None
    assert for_ben["idea"]["position"] < first["position"]
    assert SECRET not in str(for_ben)


@pytest.mark.parametrize("extra", [{}, {"after_id": "1"}, {"category_id": False},
                                   {"after_id": None, "cluster_id": 1}])
def test_bad_move_payloads(app, row_of_three, extra):
    w = row_of_three["w"]
    before = board_state(app, w)
    payload = {"workshop_id": w, "idea_id": row_of_three["a"]["id"], **extra}
    assert error_code(row_of_three["mod"].emit("move_idea", payload, callback=True)) == \
        "invalid"
    assert board_state(app, w) == before


def test_move_after_itself_or_a_deleted_idea_is_invalid(app, row_of_three):
    r = row_of_three
    w, mod = r["w"], r["mod"]
    data_of(send(mod, "delete_idea", workshop_id=w, idea_id=r["b"]["id"]))
    before = seq_of(app, w)
    assert error_code(send(mod, "move_idea", workshop_id=w, idea_id=r["a"]["id"],
                           after_id=r["a"]["id"])) == "invalid"
    assert error_code(send(mod, "move_idea", workshop_id=w, idea_id=r["a"]["id"],
                           after_id=r["b"]["id"])) == "invalid"
    assert error_code(send(mod, "move_idea", workshop_id=w, idea_id=r["b"]["id"],
                           after_id=None)) == "invalid"
    assert error_code(send(mod, "move_idea", workshop_id=w, idea_id=r["a"]["id"],
                           after_id=999_999)) == "not_found"
    assert seq_of(app, w) == before


def test_seq_is_gapless_across_curating(app, row_of_three):
    r = row_of_three
    w, mod = r["w"], r["mod"]
    start = seq_of(app, w)
    seqs = [
        data_of(send(mod, "update_idea", workshop_id=w, idea_id=r["a"]["id"], text="A2"))["seq"],
        data_of(send(mod, "move_idea", workshop_id=w, idea_id=r["a"]["id"],
                     after_id=r["c"]["id"]))["seq"],
        data_of(send(mod, "delete_idea", workshop_id=w, idea_id=r["b"]["id"]))["seq"],
        data_of(send(mod, "restore_idea", workshop_id=w, idea_id=r["b"]["id"]))["seq"],
        data_of(send(mod, "merge_ideas", workshop_id=w, idea_id=r["b"]["id"],
                     into_id=r["c"]["id"]))["seq"],
    ]
    assert seqs == list(range(start + 1, start + 6))
    caught_up = join_board(r["ben"], w, since_seq=start)
    assert [e["event"] for e in caught_up["events"]] == [
        "idea_updated", "idea_moved", "idea_deleted", "idea_restored", "ideas_merged"]
