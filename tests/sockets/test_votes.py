"""``vote`` and ``reveal_votes``: dots within budget and cap, secret until revealed."""

from __future__ import annotations

import pytest
from pinnwand.clusters.models import Cluster
from pinnwand.db import utcnow
from pinnwand.ideas.models import Idea
from pinnwand.votes.models import Vote
from pinnwand.workshops.models import Workshop
from sqlalchemy import select

from tests.sockets.helpers import (
    add_cluster,
    board_state,
    change_rows,
    configure,
    data_of,
    drain,
    error_code,
    idea_of,
    join_board,
    payloads,
    row,
    viewer_of,
)


def add_idea(mod, workshop_id: int, text: str = "Mehr Homeoffice") -> int:
    return idea_of(mod, workshop_id, text)["id"]


def vote(tc, workshop_id: int, target_id: int, count: int, target_type: str = "idea"):
    return tc.emit("vote", {"workshop_id": workshop_id, "target_type": target_type,
                            "target_id": target_id, "count": count}, callback=True)


def total(app, model, target_id: int) -> int:
    return row(app, model, target_id)["votes"]


def vote_rows(app, workshop_id: int) -> list[tuple]:
    with app.extensions["pinnwand"].db.read() as session:
        query = select(Vote.participant_id, Vote.target_type, Vote.target_id, Vote.count).where(
            Vote.workshop_id == workshop_id).order_by(Vote.participant_id, Vote.target_id)
        return [tuple(found) for found in session.execute(query)]


@pytest.fixture
def viewer(client, auth, connect):
    """A projector's socket on a workshop's board: ``viewer(workshop_id)``."""
    return lambda workshop_id: viewer_of(client, auth, connect, workshop_id)


@pytest.fixture
def voting(app, mod, workshops):
    """The first workshop with two ideas, in its vote step: (workshop_id, [idea ids])."""
    workshop = workshops[0]
    ideas = [add_idea(mod, workshop, "Mehr Homeoffice"), add_idea(mod, workshop, "Kita im Betrieb")]
    configure(app, workshop, step="vote")
    return workshop, ideas


# --- casting dots -------------------------------------------------------------------------


def test_participant_sets_dots_and_the_total_follows(app, participant, voting):
    workshop, (idea, _) = voting
    anna, answer = participant("Anna", workshop)
    seq = board_state(app, workshop)[0]

    data = data_of(vote(anna, workshop, idea, 2))
    assert data == {"target_type": "idea", "target_id": idea, "count": 2, "remaining": 1,
                    "seq": seq + 1}
    assert total(app, Idea, idea) == 2
    assert vote_rows(app, workshop) == [(answer["participant_id"], "idea", idea, 2)]


def test_setting_not_adding_and_zero_removes_the_row(app, participant, voting):
    workshop, (idea, _) = voting
    anna, _ = participant("Anna", workshop)
    data_of(vote(anna, workshop, idea, 3))
    assert data_of(vote(anna, workshop, idea, 1))["remaining"] == 2
    assert total(app, Idea, idea) == 1
    assert data_of(vote(anna, workshop, idea, 0))["remaining"] == 3
    assert total(app, Idea, idea) == 0
    assert vote_rows(app, workshop) == []


def test_totals_add_up_over_voters(app, participant, voting):
    workshop, (idea, _) = voting
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    data_of(vote(anna, workshop, idea, 2))
    data_of(vote(ben, workshop, idea, 3))
    data_of(vote(anna, workshop, idea, 1))
    assert total(app, Idea, idea) == 4


def test_retrying_the_same_vote_is_a_no_op(app, mod, participant, voting):
    workshop, (idea, _) = voting
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    join_board(mod, workshop)
    first = data_of(vote(anna, workshop, idea, 2))
    drain(anna, ben, mod)

    again = data_of(vote(anna, workshop, idea, 2))
    assert again == first
    assert board_state(app, workshop)[0] == first["seq"]
    assert anna.get_received() == [] and ben.get_received() == [] and mod.get_received() == []
    assert total(app, Idea, idea) == 2


def test_removing_dots_one_never_placed_is_a_no_op(app, participant, voting):
    workshop, (idea, _) = voting
    anna, _ = participant("Anna", workshop)
    seq = board_state(app, workshop)[0]
    assert data_of(vote(anna, workshop, idea, 0)) == {
        "target_type": "idea", "target_id": idea, "count": 0, "remaining": 3, "seq": seq}
    assert board_state(app, workshop)[0] == seq


def test_budget_is_enforced_over_all_targets(app, participant, voting):
    workshop, (first, second) = voting
    anna, _ = participant("Anna", workshop)
    data_of(vote(anna, workshop, first, 2))
    seq = board_state(app, workshop)[0]

    ack = vote(anna, workshop, second, 2)
    assert error_code(ack) == "invalid"
    assert "budget" in ack["error"]["message"]
    assert ack["error"]["fields"] == {"count": "at most 1"}
    assert board_state(app, workshop)[0] == seq
    assert total(app, Idea, second) == 0
    assert data_of(vote(anna, workshop, second, 1))["remaining"] == 0


def test_a_larger_budget_allows_more(app, participant, voting):
    workshop, (first, second) = voting
    configure(app, workshop, vote_budget=6)
    anna, _ = participant("Anna", workshop)
    data_of(vote(anna, workshop, first, 3))
    assert data_of(vote(anna, workshop, second, 3))["remaining"] == 0


def test_per_target_cap_is_enforced(app, participant, voting):
    workshop, (idea, _) = voting
    configure(app, workshop, vote_max_per_target=1, vote_budget=5)
    anna, _ = participant("Anna", workshop)
    ack = vote(anna, workshop, idea, 2)
    assert error_code(ack) == "invalid"
    assert ack["error"]["fields"] == {"count": "at most 1"}
    assert total(app, Idea, idea) == 0
    assert vote_rows(app, workshop) == []


@pytest.mark.parametrize("payload", [
    {"target_type": "idea", "count": -1},
    {"target_type": "idea", "count": 21},
    {"target_type": "idea", "count": "2"},
    {"target_type": "idea", "count": 1.5},
    {"target_type": "vote", "count": 1},
    {"target_type": "idea"},
    {"target_type": "idea", "count": 1, "extra": True},
])
def test_bad_payloads_are_invalid(app, participant, voting, payload):
    workshop, (idea, _) = voting
    anna, _ = participant("Anna", workshop)
    ack = anna.emit("vote", {"workshop_id": workshop, "target_id": idea, **payload},
                    callback=True)
    assert error_code(ack) == "invalid"
    assert vote_rows(app, workshop) == []


def test_dots_on_a_removed_idea_are_given_back(app, participant, voting):
    workshop, (first, second) = voting
    anna, _ = participant("Anna", workshop)
    data_of(vote(anna, workshop, first, 3))
    change_rows(app, Idea, Idea.id == first, deleted_at=utcnow())
    assert data_of(vote(anna, workshop, second, 3))["remaining"] == 0
    assert join_board(anna, workshop)["me"]["votes"] == [
        {"target_type": "idea", "target_id": second, "count": 3}]


# --- who may vote, and when ---------------------------------------------------------------


@pytest.mark.parametrize("step", ["collect", "cluster", "act", "closed"])
def test_voting_outside_the_vote_step_is_locked(app, participant, voting, step):
    workshop, (idea, _) = voting
    configure(app, workshop, step=step)
    anna, _ = participant("Anna", workshop)
    seq = board_state(app, workshop)[0]
    ack = vote(anna, workshop, idea, 1)
    assert error_code(ack) == "locked"
    assert board_state(app, workshop)[0] == seq
    assert total(app, Idea, idea) == 0


def test_voting_while_locked_is_locked(app, participant, voting):
    workshop, (idea, _) = voting
    configure(app, workshop, locked=True)
    anna, _ = participant("Anna", workshop)
    assert error_code(vote(anna, workshop, idea, 1)) == "locked"
    assert vote_rows(app, workshop) == []


def test_staff_and_hosts_may_not_vote(app, mod, host_of, voting):
    workshop, (idea, _) = voting
    host = host_of(workshop)
    join_board(host, workshop)
    assert error_code(vote(mod, workshop, idea, 1)) == "forbidden"
    assert error_code(vote(host, workshop, idea, 1)) == "forbidden"
    assert vote_rows(app, workshop) == []
    assert total(app, Idea, idea) == 0


def test_projector_may_not_vote(app, viewer, voting):
    workshop, (idea, _) = voting
    projector = viewer(workshop)
    assert error_code(vote(projector, workshop, idea, 1)) == "forbidden"
    assert vote_rows(app, workshop) == []


def test_participant_must_have_joined_the_workshop(app, participant, voting):
    workshop, (idea, _) = voting
    anna, _ = participant("Anna")
    assert error_code(vote(anna, workshop, idea, 1)) == "forbidden"
    assert vote_rows(app, workshop) == []


def test_outsider_may_not_vote(app, outsider, voting):
    workshop, (idea, _) = voting
    olga, _ = outsider
    assert error_code(vote(olga, workshop, idea, 1)) == "forbidden"
    assert vote_rows(app, workshop) == []


def test_unknown_workshop_is_not_found(participant, voting):
    anna, _ = participant("Anna", voting[0])
    assert error_code(vote(anna, 999_999, voting[1][0], 1)) == "not_found"


# --- targets --------------------------------------------------------------------------------


def test_vote_on_a_cluster_moves_its_total(app, participant, voting):
    workshop, _ = voting
    cluster = add_cluster(app, workshop)
    anna, _ = participant("Anna", workshop)
    data = data_of(vote(anna, workshop, cluster, 2, "cluster"))
    assert (data["target_type"], data["remaining"]) == ("cluster", 1)
    assert total(app, Cluster, cluster) == 2


def test_targets_off_the_board_or_elsewhere_are_not_found(app, mod, participant, workshops,
                                                          voting):
    workshop, (first, second) = voting
    elsewhere = add_idea(mod, workshops[1], "Anderswo")
    deleted_cluster = add_cluster(app, workshop, deleted_at=utcnow())
    other_cluster = add_cluster(app, workshops[1])
    change_rows(app, Idea, Idea.id == first, deleted_at=utcnow())
    change_rows(app, Idea, Idea.id == second, merged_into_id=elsewhere)
    anna, _ = participant("Anna", workshop)
    seq = board_state(app, workshop)[0]
    for target_type, target_id in [("idea", first), ("idea", second), ("idea", elsewhere),
                                   ("idea", 999_999), ("cluster", deleted_cluster),
                                   ("cluster", other_cluster), ("cluster", first)]:
        assert error_code(vote(anna, workshop, target_id, 1, target_type)) == "not_found"
    assert board_state(app, workshop)[0] == seq
    assert vote_rows(app, workshop) == []


# --- secrecy ----------------------------------------------------------------------------------


def test_secret_vote_reaches_each_audience_as_its_variant(app, mod, participant, viewer,
                                                          voting):
    workshop, (idea, _) = voting
    anna, answer = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    projector = viewer(workshop)
    join_board(mod, workshop)
    mod.get_received()

    seq = data_of(vote(anna, workshop, idea, 2))["seq"]
    hidden = {"workshop_id": workshop, "seq": seq, "hidden": True}
    assert payloads(ben, "votes_changed") == [hidden]
    assert payloads(projector, "votes_changed") == [hidden]
    assert payloads(anna, "votes_changed") == [
        {**hidden, "target_type": "idea", "target_id": idea, "mine": 2}]
    assert payloads(mod, "votes_changed") == [
        {"workshop_id": workshop, "seq": seq, "target_type": "idea", "target_id": idea,
         "votes": 2}]
    assert answer["participant_id"]


def test_participants_never_see_others_counts_or_totals_before_the_reveal(app, mod,
                                                                          participant, voting):
    workshop, (first, second) = voting
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    data_of(vote(ben, workshop, first, 2))
    data_of(vote(anna, workshop, second, 1))
    data_of(vote(ben, workshop, second, 1))
    data_of(vote(ben, workshop, first, 0))

    frames = anna.get_received()
    assert [f["name"] for f in frames] == ["votes_changed"] * 4
    for frame in frames:
        payload = frame["args"][0]
        assert payload["hidden"] is True
        assert "votes" not in payload
        if "mine" in payload:
            assert (payload["target_id"], payload["mine"]) == (second, 1)
    assert [f["args"][0].get("mine") for f in frames] == [None, 1, None, None]


def test_snapshot_withholds_totals_but_shows_own_dots(app, mod, participant, viewer, voting):
    workshop, (first, second) = voting
    cluster = add_cluster(app, workshop)
    anna, answer = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    data_of(vote(anna, workshop, first, 1))
    data_of(vote(anna, workshop, cluster, 1, "cluster"))
    data_of(vote(ben, workshop, second, 3))

    mine = join_board(anna, workshop)
    assert {i["id"]: i["votes"] for i in mine["ideas"]} == {first: None, second: None}
    assert [c["votes"] for c in mine["clusters"]] == [None]
    assert mine["me"]["participant_id"] == answer["participant_id"]
    assert mine["me"]["remaining"] == 1
    assert mine["me"]["votes"] == [
        {"target_type": "cluster", "target_id": cluster, "count": 1},
        {"target_type": "idea", "target_id": first, "count": 1}]

    staff = join_board(mod, workshop)
    assert {i["id"]: i["votes"] for i in staff["ideas"]} == {first: 1, second: 3}
    assert [c["votes"] for c in staff["clusters"]] == [1]
    assert staff["me"]["remaining"] is None

    projector = join_board(viewer(workshop), workshop)
    assert {i["id"]: i["votes"] for i in projector["ideas"]} == {first: None, second: None}
    assert projector["me"]["remaining"] is None and projector["me"]["votes"] == []


def test_catch_up_withholds_like_the_broadcast(app, participant, voting):
    workshop, (idea, _) = voting
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    since = board_state(app, workshop)[0]
    seq = data_of(vote(anna, workshop, idea, 2))["seq"]
    assert join_board(ben, workshop, since_seq=since)["events"] == [
        {"workshop_id": workshop, "seq": seq, "hidden": True, "event": "votes_changed"}]
    assert join_board(anna, workshop, since_seq=since)["events"] == [
        {"workshop_id": workshop, "seq": seq, "hidden": True, "target_type": "idea",
         "target_id": idea, "mine": 2, "event": "votes_changed"}]


def test_open_voting_shows_totals_to_everyone(app, participant, viewer, voting):
    workshop, (idea, _) = voting
    configure(app, workshop, votes_secret=False)
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    projector = viewer(workshop)
    seq = data_of(vote(anna, workshop, idea, 2))["seq"]
    public = {"workshop_id": workshop, "seq": seq, "target_type": "idea", "target_id": idea,
              "votes": 2}
    for tc in (anna, ben, projector):
        assert payloads(tc, "votes_changed") == [public]
    assert {i["id"]: i["votes"] for i in join_board(ben, workshop)["ideas"]}[idea] == 2


# --- reveal -----------------------------------------------------------------------------------


def test_reveal_publishes_every_total_to_the_room(app, mod, participant, viewer, voting):
    workshop, (first, second) = voting
    cluster = add_cluster(app, workshop)
    gone = add_cluster(app, workshop, title="weg", deleted_at=utcnow())
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    projector = viewer(workshop)
    data_of(vote(anna, workshop, first, 2))
    data_of(vote(ben, workshop, cluster, 1, "cluster"))
    drain(anna, ben, projector)

    seq = data_of(mod.emit("reveal_votes", {"workshop_id": workshop}, callback=True))["seq"]
    expected = {"workshop_id": workshop, "seq": seq,
                "ideas": [{"id": first, "votes": 2}, {"id": second, "votes": 0}],
                "clusters": [{"id": cluster, "votes": 1}]}
    for tc in (anna, ben, projector):
        assert payloads(tc, "votes_revealed") == [expected]
    assert gone not in [c["id"] for c in expected["clusters"]]
    assert row(app, Workshop, workshop)["votes_revealed"] is True
    snapshot = join_board(ben, workshop)
    assert {i["id"]: i["votes"] for i in snapshot["ideas"]} == {first: 2, second: 0}
    assert snapshot["workshop"]["settings"]["votes_revealed"] is True


def test_after_the_reveal_votes_are_public(app, mod, participant, voting):
    workshop, (idea, _) = voting
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    data_of(mod.emit("reveal_votes", {"workshop_id": workshop}, callback=True))
    ben.get_received()
    seq = data_of(vote(anna, workshop, idea, 1))["seq"]
    assert payloads(ben, "votes_changed") == [
        {"workshop_id": workshop, "seq": seq, "target_type": "idea", "target_id": idea,
         "votes": 1}]


def test_revealing_twice_is_a_no_op(app, mod, participant, voting):
    workshop, _ = voting
    anna, _ = participant("Anna", workshop)
    first = data_of(mod.emit("reveal_votes", {"workshop_id": workshop}, callback=True))
    anna.get_received()
    again = data_of(mod.emit("reveal_votes", {"workshop_id": workshop}, callback=True))
    assert again == first
    assert anna.get_received() == []
    assert board_state(app, workshop)[0] == first["seq"]


def test_host_may_reveal(app, host_of, voting):
    workshop, _ = voting
    host = host_of(workshop)
    assert data_of(host.emit("reveal_votes", {"workshop_id": workshop}, callback=True))["seq"]


def test_only_staff_may_reveal(app, participant, viewer, host_of, workshops, voting):
    workshop, _ = voting
    anna, _ = participant("Anna", workshop)
    other_host = host_of(workshops[1])
    seq = board_state(app, workshop)[0]
    for tc in (anna, viewer(workshop), other_host):
        ack = tc.emit("reveal_votes", {"workshop_id": workshop}, callback=True)
        assert error_code(ack) == "forbidden"
    assert board_state(app, workshop)[0] == seq
    assert error_code(anna.emit("reveal_votes", {"workshop_id": "x"}, callback=True)) == "invalid"
