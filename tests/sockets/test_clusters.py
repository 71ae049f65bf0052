"""Clustering: ``group_ideas``, ``ungroup_idea`` and ``rename_cluster`` — who may, in which
step, empty clusters removed, secret totals and hidden texts kept from the room, and that bad
input changes nothing."""

from __future__ import annotations

import pytest
from pinnwand.clusters.models import Cluster
from pinnwand.ideas.models import Idea
from pinnwand.votes.models import Vote
from pinnwand.workshops.models import Workshop

from tests.sockets.helpers import (
    SECRET,
    add_category,
    board_state,
    change_rows,
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


def clusters_of(tc, workshop_id: int) -> dict[int, dict]:
    """The clusters of the socket's snapshot, by id."""
    return {c["id"]: c for c in join_board(tc, workshop_id)["clusters"]}


def group(tc, workshop_id: int, idea_ids: list[int], **extra):
    """Send ``group_ideas``; the raw ack."""
    return send(tc, "group_ideas", workshop_id=workshop_id, idea_ids=idea_ids, **extra)


@pytest.fixture
def room(mod, participant, workshops):
    """The first workshop with Anna, Ben and the moderator on the board and four ideas
    ``a``–``d``; everyone's frames cleared."""
    w = workshops[0]
    anna, _ = participant("Anna", w)
    ben, ben_join = participant("Ben", w)
    join_board(mod, w)
    ideas = {key: idea_of(anna if key in "ac" else ben, w, f"Idee {key}") for key in "abcd"}
    drain(anna, ben, mod)
    return {"w": w, "anna": anna, "ben": ben, "mod": mod, "ben_id": ben_join["participant_id"],
            **ideas}


def ids(room_, keys: str) -> list[int]:
    return [room_[key]["id"] for key in keys]


# --- group_ideas ------------------------------------------------------------------------------

def test_idea_onto_idea_creates_a_cluster_of_both(app, room):
    w = room["w"]
    before = seq_of(app, w)
    data = data_of(group(room["mod"], w, ids(room, "ca")))
    assert set(data) == {"cluster", "seq"} and data["seq"] == before + 1
    cluster = data["cluster"]
    assert cluster["title"] == "" and cluster["deleted"] is False
    assert cluster["position"] == min(room["a"]["position"], room["c"]["position"])
    assert cluster["category_id"] is None and cluster["workshop_id"] == w
    assert cluster["votes"] == 0
    expected = {"workshop_id": w, "seq": before + 1, "cluster": cluster,
                "idea_ids": ids(room, "ca"), "removed_cluster_ids": []}
    assert events_of(room["mod"]) == [("ideas_grouped", expected)]
    assert events_of(room["ben"]) == [("ideas_grouped", expected)]  # before voting: 0 for all
    for idea_id in ids(room, "ac"):
        assert row(app, Idea, idea_id)["cluster_id"] == cluster["id"]
    snapshot = join_board(room["ben"], w)
    assert [c["id"] for c in snapshot["clusters"]] == [cluster["id"]]
    grouped = {i["id"] for i in snapshot["ideas"] if i["cluster_id"] == cluster["id"]}
    assert grouped == set(ids(room, "ac"))


def test_new_cluster_takes_title_and_first_ideas_column(app, room):
    w, mod = room["w"], room["mod"]
    column = add_category(app, w)
    data_of(send(mod, "update_idea", workshop_id=w, idea_id=room["d"]["id"],
                 category_id=column))
    data = data_of(group(mod, w, ids(room, "db"), title="  Mobilität  "))
    assert data["cluster"]["title"] == "Mobilität"
    assert data["cluster"]["category_id"] == column
    assert data["cluster"]["position"] == room["b"]["position"]


def test_adding_to_a_cluster_and_emptied_clusters_are_removed(app, room):
    w, mod = room["w"], room["mod"]
    first = data_of(group(mod, w, ids(room, "ab")))["cluster"]
    second = data_of(group(mod, w, ids(room, "c")))["cluster"]
    drain(room["ben"], mod)
    data = data_of(group(mod, w, ids(room, "b"), cluster_id=second["id"]))
    assert data["cluster"]["id"] == second["id"]
    [(_, payload)] = events_of(room["ben"])
    assert payload["idea_ids"] == ids(room, "b") and payload["removed_cluster_ids"] == []

    moved = data_of(group(mod, w, ids(room, "a"), cluster_id=second["id"]))
    [(name, payload)] = events_of(room["ben"])
    assert name == "ideas_grouped" and payload["seq"] == moved["seq"]
    assert payload["removed_cluster_ids"] == [first["id"]]
    assert row(app, Cluster, first["id"])["deleted_at"] is not None
    assert first["id"] not in clusters_of(room["ben"], w)
    assert clusters_of(mod, w)[first["id"]]["deleted"] is True
    assert {row(app, Idea, i)["cluster_id"] for i in ids(room, "abc")} == {second["id"]}


def test_regrouping_into_a_new_cluster_removes_the_old_one(app, room):
    w, mod = room["w"], room["mod"]
    old = data_of(group(mod, w, ids(room, "ab")))["cluster"]
    drain(mod)
    new = data_of(group(mod, w, ids(room, "abc"), title="Neu"))["cluster"]
    [(_, payload)] = events_of(mod)
    assert payload["removed_cluster_ids"] == [old["id"]] and new["id"] != old["id"]


def test_grouping_what_is_grouped_changes_nothing(app, room):
    w, mod = room["w"], room["mod"]
    cluster = data_of(group(mod, w, ids(room, "ab"), title="T"))["cluster"]
    drain(mod, room["ben"])
    before = seq_of(app, w)
    again = data_of(group(mod, w, ids(room, "ba"), cluster_id=cluster["id"], title="T"))
    assert again == {"cluster": cluster, "seq": before}
    assert events_of(room["ben"]) == [] and seq_of(app, w) == before
    renamed = data_of(group(mod, w, ids(room, "a"), cluster_id=cluster["id"], title="U"))
    assert renamed["cluster"]["title"] == "U" and renamed["seq"] == before + 1


def test_duplicate_ids_count_once(app, room):
    data_of(group(room["mod"], room["w"], ids(room, "aba")))
    [(_, payload)] = events_of(room["mod"])
    assert payload["idea_ids"] == ids(room, "ab")


# --- ungroup_idea -----------------------------------------------------------------------------

def test_ungroup_removes_the_cluster_once_empty(app, room):
    w, mod = room["w"], room["mod"]
    cluster = data_of(group(mod, w, ids(room, "ab")))["cluster"]
    drain(mod, room["ben"])
    data = data_of(send(mod, "ungroup_idea", workshop_id=w, idea_id=room["a"]["id"]))
    assert data["idea"]["cluster_id"] is None and set(data) == {"idea", "seq"}
    expected = {"workshop_id": w, "seq": data["seq"], "idea_id": room["a"]["id"],
                "removed_cluster_ids": []}
    assert events_of(room["ben"]) == [("idea_ungrouped", expected)]
    assert row(app, Cluster, cluster["id"])["deleted_at"] is None

    last = data_of(send(mod, "ungroup_idea", workshop_id=w, idea_id=room["b"]["id"]))
    assert events_of(room["ben"]) == [("idea_ungrouped", {
        "workshop_id": w, "seq": last["seq"], "idea_id": room["b"]["id"],
        "removed_cluster_ids": [cluster["id"]]})]
    assert cluster["id"] not in clusters_of(room["ben"], w)


def test_ungrouping_an_ungrouped_idea_changes_nothing(app, room):
    w = room["w"]
    before = seq_of(app, w)
    data = data_of(send(room["mod"], "ungroup_idea", workshop_id=w, idea_id=room["a"]["id"]))
    assert data == {"idea": {**room["a"], "votes": 0}, "seq": before}  # the staff see totals
    assert seq_of(app, w) == before and events_of(room["ben"]) == []


def test_deleted_members_do_not_keep_a_cluster(app, room):
    w, mod = room["w"], room["mod"]
    cluster = data_of(group(mod, w, ids(room, "ab")))["cluster"]
    data_of(send(mod, "delete_idea", workshop_id=w, idea_id=room["a"]["id"]))
    drain(mod)
    data_of(send(mod, "ungroup_idea", workshop_id=w, idea_id=room["b"]["id"]))
    [(_, payload)] = events_of(mod)
    assert payload["removed_cluster_ids"] == [cluster["id"]]
    restored = data_of(send(mod, "restore_idea", workshop_id=w, idea_id=room["a"]["id"]))
    assert restored["idea"]["cluster_id"] is None


# --- rename_cluster ---------------------------------------------------------------------------

def test_rename_cluster(app, room):
    w, mod = room["w"], room["mod"]
    cluster = data_of(group(mod, w, ids(room, "ab")))["cluster"]
    drain(mod, room["ben"])
    data = data_of(send(mod, "rename_cluster", workshop_id=w, cluster_id=cluster["id"],
                        title=" Arbeitszeit "))
    assert data["cluster"]["title"] == "Arbeitszeit"
    expected = {"workshop_id": w, "seq": data["seq"], "cluster": data["cluster"]}
    assert events_of(mod) == [("cluster_updated", expected)]
    assert events_of(room["ben"]) == [("cluster_updated", expected)]  # before voting: 0
    before = seq_of(app, w)
    same = data_of(send(mod, "rename_cluster", workshop_id=w, cluster_id=cluster["id"],
                        title="Arbeitszeit"))
    assert same["seq"] == before and events_of(room["ben"]) == []
    cleared = data_of(send(mod, "rename_cluster", workshop_id=w, cluster_id=cluster["id"],
                           title=""))
    assert cleared["cluster"]["title"] == "" and cleared["seq"] == before + 1


def test_removed_cluster_cannot_be_renamed_or_grouped_into(app, room):
    w, mod = room["w"], room["mod"]
    cluster = data_of(group(mod, w, ids(room, "a")))["cluster"]
    data_of(send(mod, "ungroup_idea", workshop_id=w, idea_id=room["a"]["id"]))
    before = seq_of(app, w)
    assert error_code(send(mod, "rename_cluster", workshop_id=w, cluster_id=cluster["id"],
                           title="Zurück")) == "invalid"
    assert error_code(group(mod, w, ids(room, "b"), cluster_id=cluster["id"])) == "invalid"
    assert seq_of(app, w) == before


# --- permissions ------------------------------------------------------------------------------

def cluster_commands(room_, cluster_id: int) -> list[tuple[str, dict]]:
    w = room_["w"]
    return [
        ("group_ideas", {"workshop_id": w, "idea_ids": ids(room_, "cd")}),
        ("group_ideas", {"workshop_id": w, "idea_ids": ids(room_, "c"), "cluster_id": cluster_id}),
        ("ungroup_idea", {"workshop_id": w, "idea_id": room_["a"]["id"]}),
        ("rename_cluster", {"workshop_id": w, "cluster_id": cluster_id, "title": "Neu"}),
    ]


@pytest.fixture
def grouped(room):
    """Room plus a cluster of ``a`` and ``b`` (made by the moderator)."""
    cluster = data_of(group(room["mod"], room["w"], ids(room, "ab")))["cluster"]
    drain(room["mod"], room["anna"], room["ben"])
    return {**room, "cluster": cluster}


@pytest.mark.parametrize("step", ["collect", "cluster", "vote"])
def test_participants_may_not_cluster_when_staff_clusters(app, grouped, step):
    g = grouped
    configure(app, g["w"], step=step)
    before = board_state(app, g["w"])
    for name, payload in cluster_commands(g, g["cluster"]["id"]):
        assert error_code(g["anna"].emit(name, payload, callback=True)) == "forbidden", name
    assert board_state(app, g["w"]) == before


@pytest.mark.parametrize("state", [{"step": "collect"}, {"step": "vote"},
                                   {"step": "cluster", "locked": True}])
def test_participants_outside_the_cluster_step_are_locked(app, grouped, state):
    g = grouped
    configure(app, g["w"], cluster_by="everyone", **state)
    before = board_state(app, g["w"])
    for name, payload in cluster_commands(g, g["cluster"]["id"]):
        assert error_code(g["ben"].emit(name, payload, callback=True)) == "locked", name
    assert board_state(app, g["w"]) == before
    assert row(app, Cluster, g["cluster"]["id"])["title"] == ""


def test_participants_cluster_when_everyone_may(app, grouped):
    g = grouped
    configure(app, g["w"], cluster_by="everyone", step="cluster")
    start = seq_of(app, g["w"])
    seqs = [data_of(g["ben"].emit(name, payload, callback=True))["seq"]
            for name, payload in cluster_commands(g, g["cluster"]["id"])]
    assert seqs == [start + 1, start + 2, start + 3, start + 4]
    assert row(app, Cluster, g["cluster"]["id"])["title"] == "Neu"
    assert row(app, Idea, g["a"]["id"])["cluster_id"] is None
    assert row(app, Idea, g["c"]["id"])["cluster_id"] == g["cluster"]["id"]


@pytest.mark.parametrize("staff", ["mod", "host"])
def test_staff_cluster_in_any_step_and_locked(app, grouped, host_of, staff):
    g = grouped
    configure(app, g["w"], step="closed", locked=True)
    tc = g["mod"] if staff == "mod" else host_of(g["w"])
    for name, payload in cluster_commands(g, g["cluster"]["id"]):
        data_of(tc.emit(name, payload, callback=True))
    assert row(app, Cluster, g["cluster"]["id"])["title"] == "Neu"


def test_viewer_outsider_and_strangers_may_not_cluster(app, grouped, client, auth, connect,
                                                       outsider, participant, host_of,
                                                       workshops):
    g = grouped
    configure(app, g["w"], cluster_by="everyone", step="cluster")
    viewer = viewer_of(client, auth, connect, g["w"])
    olga, _ = outsider
    not_joined, _ = participant("Nina")
    other_host = host_of(workshops[1])
    before = board_state(app, g["w"])
    for tc in (viewer, olga, not_joined, other_host):
        for name, payload in cluster_commands(g, g["cluster"]["id"]):
            assert error_code(tc.emit(name, payload, callback=True)) == "forbidden", name
    assert board_state(app, g["w"]) == before


# --- bad input --------------------------------------------------------------------------------

def test_ids_of_another_workshop_are_not_found(app, grouped, participant, workshops):
    g = grouped
    w1, w2, mod = g["w"], workshops[1], g["mod"]
    carla, _ = participant("Carla", w2)
    elsewhere = idea_of(carla, w2, "Anderer Raum")
    foreign = data_of(group(mod, w2, [elsewhere["id"]]))["cluster"]
    before1, before2 = seq_of(app, w1), seq_of(app, w2)
    assert error_code(group(mod, w1, [g["c"]["id"], elsewhere["id"]])) == "not_found"
    assert error_code(group(mod, w1, ids(g, "c"), cluster_id=foreign["id"])) == "not_found"
    assert error_code(send(mod, "ungroup_idea", workshop_id=w1,
                           idea_id=elsewhere["id"])) == "not_found"
    assert error_code(send(mod, "rename_cluster", workshop_id=w1, cluster_id=foreign["id"],
                           title="X")) == "not_found"
    assert error_code(group(mod, w1, [999_999])) == "not_found"
    assert (seq_of(app, w1), seq_of(app, w2)) == (before1, before2)
    assert row(app, Idea, g["c"]["id"])["cluster_id"] is None
    assert row(app, Idea, elsewhere["id"])["cluster_id"] == foreign["id"]


def test_deleted_and_merged_ideas_cannot_be_clustered(app, grouped):
    g = grouped
    w, mod = g["w"], g["mod"]
    data_of(send(mod, "delete_idea", workshop_id=w, idea_id=g["c"]["id"]))
    data_of(send(mod, "merge_ideas", workshop_id=w, idea_id=g["d"]["id"],
                 into_id=g["b"]["id"]))
    before = seq_of(app, w)
    for bad in ("c", "d"):
        assert error_code(group(mod, w, ids(g, "a" + bad))) == "invalid"
        assert error_code(group(mod, w, ids(g, bad), cluster_id=g["cluster"]["id"])) == \
            "invalid"
        assert error_code(send(mod, "ungroup_idea", workshop_id=w,
                               idea_id=g[bad]["id"])) == "invalid"
    assert seq_of(app, w) == before
    assert row(app, Idea, g["a"]["id"])["cluster_id"] == g["cluster"]["id"]


@pytest.mark.parametrize("name, fields", [
    ("group_ideas", {"idea_ids": []}),
    ("group_ideas", {"idea_ids": list(range(1, 52))}),
    ("group_ideas", {"idea_ids": "1"}),
    ("group_ideas", {"idea_ids": [1, "2"]}),
    ("group_ideas", {"idea_ids": [0]}),
    ("group_ideas", {"idea_ids": [1], "title": "x" * 121}),
    ("group_ideas", {"idea_ids": [1], "title": None}),
    ("group_ideas", {"idea_ids": [1], "cluster_id": "1"}),
    ("group_ideas", {"idea_ids": [1], "color": "rot"}),
    ("group_ideas", {}),
    ("ungroup_idea", {}),
    ("ungroup_idea", {"idea_id": [1]}),
    ("ungroup_idea", {"idea_id": 1, "cluster_id": 1}),
    ("rename_cluster", {"cluster_id": 1}),
    ("rename_cluster", {"cluster_id": 1, "title": "x" * 121}),
    ("rename_cluster", {"cluster_id": 1, "title": 7}),
    ("rename_cluster", {"cluster_id": 1, "title": None}),
    ("rename_cluster", {"cluster_id": 1, "title": "ok", "position": 2}),
])
def test_bad_payloads_change_nothing(app, grouped, name, fields):
    g = grouped
    before = board_state(app, g["w"])
    ack = g["mod"].emit(name, {"workshop_id": g["w"], **fields}, callback=True)
    assert error_code(ack) == "invalid"
    assert board_state(app, g["w"]) == before
    assert row(app, Cluster, g["cluster"]["id"])["title"] == ""


@pytest.mark.parametrize("name", ["group_ideas", "ungroup_idea", "rename_cluster"])
@pytest.mark.parametrize("payload", [None, [], "x", 5])
def test_non_objects_are_invalid(mod, name, payload):
    assert error_code(mod.emit(name, payload, callback=True)) == "invalid"


def test_group_with_title_of_120_characters(app, room):
    title = "ü" * 120
    data = data_of(group(room["mod"], room["w"], ids(room, "a"), title=f" {title} "))
    assert data["cluster"]["title"] == title


# --- moving keeps clusters --------------------------------------------------------------------

def test_reorder_does_not_change_the_cluster(app, grouped):
    g = grouped
    w, mod = g["w"], g["mod"]
    moved = data_of(send(mod, "move_idea", workshop_id=w, idea_id=g["b"]["id"],
                         after_id=g["d"]["id"]))
    assert moved["idea"]["cluster_id"] == g["cluster"]["id"]
    first = data_of(send(mod, "move_idea", workshop_id=w, idea_id=g["c"]["id"],
                         after_id=None))
    assert first["idea"]["cluster_id"] is None
    assert row(app, Idea, g["b"]["id"])["cluster_id"] == g["cluster"]["id"]
    assert row(app, Cluster, g["cluster"]["id"])["deleted_at"] is None


# --- secrecy ----------------------------------------------------------------------------------

def test_cluster_totals_are_secret_until_revealed(app, grouped, host_of):
    g = grouped
    w, mod = g["w"], g["mod"]
    change_rows(app, Cluster, Cluster.id == g["cluster"]["id"], votes=5)  # as dots would
    change_rows(app, Workshop, Workshop.id == w, voting_started=True)  # once voting started
    with app.extensions["pinnwand"].db.transaction() as session:  # ... and their rows
        session.add(Vote(workshop_id=w, participant_id=g["ben_id"], target_type="cluster",
                         target_id=g["cluster"]["id"], count=5))
    data = data_of(send(mod, "rename_cluster", workshop_id=w, cluster_id=g["cluster"]["id"],
                        title="Geheim gezählt"))
    assert data["cluster"]["votes"] == 5
    [(_, for_ben)] = events_of(g["ben"])
    assert for_ben["cluster"]["votes"] is None
    [(_, for_mod)] = events_of(mod)
    assert for_mod["cluster"]["votes"] == 5
    assert clusters_of(g["ben"], w)[g["cluster"]["id"]]["votes"] is None

    configure(app, w, cluster_by="everyone", step="cluster")
    by_ben = data_of(group(g["ben"], w, ids(g, "c"), cluster_id=g["cluster"]["id"]))
    assert by_ben["cluster"]["votes"] is None
    drain(mod, g["anna"], g["ben"])

    configure(app, w, votes_revealed=True)
    data_of(group(mod, w, ids(g, "d"), cluster_id=g["cluster"]["id"]))
    [(_, for_ben)] = events_of(g["ben"])
    assert for_ben["cluster"]["votes"] == 5


def test_no_hidden_text_leaks_through_clustering_or_curating(app, mod, participant, workshops,
                                                             client, auth, connect):
    w = workshops[0]
    anna, ben = enter_private_board(app, mod, participant, w)
    viewer = viewer_of(client, auth, connect, w)
    hidden = idea_of(anna, w, SECRET)
    other = idea_of(anna, w, SECRET + " (zwei)")
    mine = idea_of(ben, w, "Bens sichtbare Idee")
    drain(anna, ben, mod, viewer)

    cluster = data_of(group(mod, w, [hidden["id"], mine["id"]], title="Cluster"))["cluster"]
    data_of(send(mod, "move_idea", workshop_id=w, idea_id=hidden["id"], after_id=other["id"]))
    data_of(send(mod, "ungroup_idea", workshop_id=w, idea_id=hidden["id"]))
    data_of(group(mod, w, [hidden["id"]], cluster_id=cluster["id"]))
    data_of(send(mod, "rename_cluster", workshop_id=w, cluster_id=cluster["id"], title="C2"))
    data_of(send(mod, "update_idea", workshop_id=w, idea_id=hidden["id"], text=SECRET + "!"))
    data_of(send(mod, "merge_ideas", workshop_id=w, idea_id=other["id"],
                 into_id=hidden["id"]))
    data_of(send(mod, "delete_idea", workshop_id=w, idea_id=hidden["id"]))
    data_of(send(mod, "restore_idea", workshop_id=w, idea_id=hidden["id"]))
    configure(app, w, cluster_by="everyone", step="cluster")
    by_ben = data_of(send(ben, "move_idea", workshop_id=w, idea_id=hidden["id"],
                          after_id=mine["id"]))
    assert by_ben["idea"]["text"] is None and SECRET not in str(by_ben)
    ungrouped = data_of(send(ben, "ungroup_idea", workshop_id=w, idea_id=hidden["id"]))
    assert ungrouped["idea"]["text"] is None

    for stranger in (ben, viewer):
        received = events_of(stranger)
        assert len(received) == 11, [(n, p["seq"]) for n, p in received]
        assert SECRET not in str(received)
        assert "Anna" not in str(received)
        caught_up = join_board(stranger, w, since_seq=0)
        assert SECRET not in str(caught_up)
        assert SECRET not in str(join_board(stranger, w))
    staff_seen = str(events_of(mod))
    assert SECRET + "!" in staff_seen
    assert SECRET + "!" in str(events_of(anna))
