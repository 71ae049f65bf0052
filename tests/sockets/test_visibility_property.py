"""One rule for who sees what: broadcasts, the catch-up log and the snapshot agree.

For any sequence of changes to a board — posts (also while it writes privately), reveals, dot
votes (secret or open) and their reveal, edits, withdrawals and restores, merges, clustering,
actions and sign-ups, steps, locks, messages — each audience (the staff, the author of the
ideas, another participant, a projector) receives every ``seq`` once, catches up on exactly
what it received, and sees in each change exactly what a snapshot taken right after it shows
that audience. Hypothesis generates the sequences (fixed seed, bounded examples); everything
runs through the real handlers, database and Socket.IO test clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from pinnwand.board.names import BOARD_CHANGES

from tests.conftest import op_id
from tests.sockets.helpers import bearer, join_board, send

AUDIENCES = ("mod", "anna", "ben", "projector")
PEOPLE = ("anna", "ben", "mod")
PARTICIPANTS = ("anna", "ben")
INDEX = st.integers(0, 7)
SETTINGS = ({"private_writing": True}, {"private_writing": False}, {"votes_secret": True},
            {"votes_secret": False}, {"cluster_by": "everyone"}, {"cluster_by": "staff"})

POST = st.tuples(st.just("post"), st.sampled_from(PEOPLE), st.booleans())
PARAMETERS = {
    "post": (st.sampled_from(PEOPLE), st.booleans()),
    "step": (st.sampled_from(("vote", "cluster", "act", "closed", "collect")),),
    "vote": (st.sampled_from(PARTICIPANTS), st.sampled_from(("idea", "idea", "cluster")), INDEX,
             st.sampled_from((1, 2, 3, 0))),
    "configure": (st.sampled_from(SETTINGS),),
    "reveal_ideas": (),
    "reveal_votes": (),
    "edit": (st.sampled_from(PEOPLE), INDEX),
    "delete": (st.sampled_from(PEOPLE), INDEX),
    "restore": (st.sampled_from(PEOPLE), INDEX),
    "merge": (INDEX, INDEX),
    "group": (st.sampled_from(("mod", "anna")), st.lists(INDEX, min_size=1, max_size=3)),
    "ungroup": (st.sampled_from(("mod", "anna")), INDEX),
    "rename": (INDEX,),
    "move": (st.sampled_from(("mod", "ben")), INDEX, st.none() | INDEX),
    "save_action": (st.lists(INDEX, max_size=2),),
    "delete_action": (INDEX,),
    "restore_action": (INDEX,),
    "sign_up": (st.sampled_from(("anna", "ben", "mod")), INDEX),
    "withdraw": (st.sampled_from(("anna", "mod")), INDEX),
    "message": (),
    "lock": (st.booleans(),),
}


def operations(*kinds: str):
    """Commands of these kinds, with their arguments."""
    return st.sampled_from(kinds).flatmap(
        lambda kind: st.tuples(st.just(kind), *PARAMETERS[kind]))


ANY = operations(*PARAMETERS)
# Each example runs through the steps a workshop takes: in each, mostly what that step is for,
# and any other command (most are refused outside their step, which must change nothing).
ARC = {
    "collect": operations("post", "edit", "delete", "restore", "configure", "reveal_ideas"),
    "cluster": operations("group", "ungroup", "rename", "move", "merge", "configure"),
    "vote": operations("vote", "vote", "vote", "reveal_votes", "configure", "merge"),
    "act": operations("save_action", "sign_up", "withdraw", "delete_action", "restore_action",
                      "message"),
}


@dataclass
class Board:
    """One example's workshop, its readers' sockets and the ids made so far."""

    workshop: int
    sockets: dict
    seq: int = 0
    ideas: list[int] = field(default_factory=list)
    clusters: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    staff_view: dict = field(default_factory=dict)

    def send(self, who: str, event: str, /, **payload) -> dict:
        return send(self.sockets[who], event, workshop_id=self.workshop, **payload)


def pick(ids: list[int], index: int) -> int | None:
    return ids[index % len(ids)] if ids else None


def new_board(client, auth, connect) -> Board:
    """A fresh event with one workshop; Anna and Ben joined, the moderator and a projector
    on its board; nothing received yet."""
    event = client.post("/api/v1/events", headers=auth, json={
        "title": "Eigenschaften", "workshops": [{"title": "W", "question": "?"}]}).json
    workshop = event["workshops"][0]["id"]
    sockets = {"mod": connect(bearer(auth))}
    for name in PARTICIPANTS:
        joined = client.post("/api/v1/join", json={"code": event["join_code"],
                                                   "name": name.title()}).json
        sockets[name] = connect(joined["token"])
    link = client.post(f"/api/v1/workshops/{workshop}/viewer-link", headers=auth).json
    sockets["projector"] = connect(link["token"])
    for tc in sockets.values():
        join_board(tc, workshop)
        tc.get_received()
    return Board(workshop, sockets)


def apply(board: Board, operation: tuple) -> None:
    """Send one command (it may be refused: then nothing changes) and note the ids it made."""
    kind, *args = operation
    ideas, clusters, actions = board.ideas, board.clusters, board.actions
    if kind == "post":
        ack = board.send(args[0], "create_idea", op_id=op_id(), text=f"Idee {len(ideas)}",
                         anonymous=args[1])
        if ack.get("ok"):
            ideas.append(ack["data"]["idea"]["id"])
    elif kind == "configure":
        board.send("mod", "configure_workshop", **args[0])
    elif kind == "step":
        board.send("mod", "set_step", step=args[0])
    elif kind in ("reveal_ideas", "reveal_votes"):
        board.send("mod", kind)
    elif kind == "vote":
        target = pick(ideas if args[1] == "idea" else clusters, args[2])
        if target is not None:
            board.send(args[0], "vote", target_type=args[1], target_id=target, count=args[3])
    elif kind in ("edit", "delete", "restore") and ideas:
        name = {"edit": "update_idea", "delete": "delete_idea", "restore": "restore_idea"}[kind]
        extra = {"text": f"Geändert {board.seq}"} if kind == "edit" else {}
        board.send(args[0], name, idea_id=pick(ideas, args[1]), **extra)
    elif kind == "merge" and ideas:
        board.send("mod", "merge_ideas", idea_id=pick(ideas, args[0]),
                   into_id=pick(ideas, args[1]))
    elif kind == "group" and ideas:
        ack = board.send(args[0], "group_ideas", idea_ids=[pick(ideas, i) for i in args[1]])
        if ack.get("ok") and ack["data"]["cluster"]["id"] not in clusters:
            clusters.append(ack["data"]["cluster"]["id"])
    elif kind == "ungroup" and ideas:
        board.send(args[0], "ungroup_idea", idea_id=pick(ideas, args[1]))
    elif kind == "rename" and clusters:
        board.send("mod", "rename_cluster", cluster_id=pick(clusters, args[0]),
                   title=f"Cluster {board.seq}")
    elif kind == "move" and ideas:
        after = None if args[2] is None else pick(ideas, args[2])
        board.send(args[0], "move_idea", idea_id=pick(ideas, args[1]), after_id=after)
    elif kind == "save_action":
        ack = board.send("mod", "save_action", op_id=op_id(), title=f"Aktion {len(actions)}",
                         idea_ids=[pick(ideas, i) for i in args[0] if ideas])
        if ack.get("ok"):
            actions.append(ack["data"]["action"]["id"])
    elif kind in ("delete_action", "restore_action") and actions:
        board.send("mod", kind, action_id=pick(actions, args[0]))
    elif kind == "sign_up" and actions:
        named = {"name": "Ohne Telefon"} if args[0] == "mod" else {}
        board.send(args[0], "sign_up", action_id=pick(actions, args[1]), brings="Zeit",
                   **named)
    elif kind == "withdraw" and actions:
        action = pick(actions, args[1])
        extra = {}
        if args[0] == "mod":
            shown = {a["id"]: a for a in board.staff_view.get("actions", [])}.get(action)
            if not shown or not shown["contributors"]:
                return
            extra = {"contributor_id": shown["contributors"][0]["id"]}
        board.send(args[0], "withdraw_sign_up", action_id=action, **extra)
    elif kind == "message":
        board.send("mod", "send_message", text=f"Noch {board.seq} Minuten")
    elif kind == "lock":
        board.send("mod", "lock_workshop", locked=args[0])


# --- what a change shows against what the snapshot shows ----------------------------------------

TOMBSTONE = {"id", "workshop_id", "deleted"}


def by_id(items: list[dict]) -> dict[int, dict]:
    return {item["id"]: item for item in items}


def without_seq(workshop: dict) -> dict:
    return {key: value for key, value in workshop.items() if key != "seq"}


def check_removed_clusters(ids: list[int], clusters: dict, staff: bool) -> None:
    for cluster_id in ids:
        if staff:
            assert clusters[cluster_id]["deleted"] is True
        else:
            assert cluster_id not in clusters


def check_votes_changed(seen: dict, full: dict, snap: dict, staff: bool) -> None:
    """A vote change against the target's total and the reader's own dots."""
    kind, target_id = full["target_type"], full["target_id"]
    target = by_id(snap["ideas" if kind == "idea" else "clusters"]).get(target_id)
    if not seen.get("hidden"):
        assert target is None or target["votes"] == seen["votes"]
        return
    assert not staff
    assert target is None or target["votes"] is None
    if "mine" in seen:
        mine = {(v["target_type"], v["target_id"]): v["count"] for v in snap["me"]["votes"]}
        assert mine.get((kind, target_id), 0) == seen["mine"]


def check_change(name: str, seen: dict, full: dict, snap: dict, staff: bool) -> None:
    """``seen`` (this reader's variant of a change; ``full`` the staff's) shows what ``snap``
    (this reader's snapshot right after it) shows."""
    ideas, clusters, actions = by_id(snap["ideas"]), by_id(snap["clusters"]), by_id(snap["actions"])
    if name in ("idea_created", "idea_updated", "idea_restored", "idea_moved"):
        assert ideas[seen["idea"]["id"]] == seen["idea"]
    elif name == "idea_deleted":
        assert ideas[seen["idea_id"]]["deleted"] is True if staff else seen["idea_id"] not in ideas
    elif name == "ideas_merged":
        assert ideas[seen["into"]["id"]] == seen["into"]
        if staff:
            assert ideas[seen["idea_id"]]["merged_into"] == seen["into"]["id"]
        else:
            assert seen["idea_id"] not in ideas
    elif name == "ideas_revealed":
        for idea in seen["ideas"]:
            assert ideas[idea["id"]] == idea
        left_out = {i["id"] for i in full["ideas"]} - {i["id"] for i in seen["ideas"]}
        assert not left_out & ideas.keys()
    elif name == "ideas_grouped":
        assert clusters[seen["cluster"]["id"]] == seen["cluster"]
        for idea_id in seen["idea_ids"]:
            assert ideas[idea_id]["cluster_id"] == seen["cluster"]["id"]
        check_removed_clusters(seen["removed_cluster_ids"], clusters, staff)
    elif name == "idea_ungrouped":
        assert ideas[seen["idea_id"]]["cluster_id"] is None
        check_removed_clusters(seen["removed_cluster_ids"], clusters, staff)
    elif name == "cluster_updated":
        assert clusters[seen["cluster"]["id"]] == seen["cluster"]
    elif name == "votes_changed":
        check_votes_changed(seen, full, snap, staff)
    elif name == "votes_revealed":
        for kind, shown in (("ideas", ideas), ("clusters", clusters)):
            for total in seen[kind]:
                assert total["id"] not in shown or shown[total["id"]]["votes"] == total["votes"]
    elif name == "action_saved":
        action = seen["action"]
        if set(action) == TOMBSTONE:
            assert not staff and action["deleted"] is True and action["id"] not in actions
        else:
            assert actions[action["id"]] == action
    elif name == "action_deleted":
        if staff:
            assert actions[seen["action_id"]]["deleted"] is True
        else:
            assert seen["action_id"] not in actions
    elif name == "step_changed":
        assert snap["workshop"]["step"] == seen["step"]
    elif name == "workshop_locked":
        assert snap["workshop"]["locked"] == seen["locked"]
    elif name == "workshop_updated":
        assert without_seq(snap["workshop"]) == without_seq(seen["workshop"])
    elif name == "message_posted":
        assert snap["messages"][-1] == seen["message"]
    else:
        raise AssertionError(f"no check for the change {name!r}")


def changes_received(tc) -> list[tuple[str, dict]]:
    """The numbered board changes a socket received since the last call (no telemetry)."""
    return [(frame["name"], frame["args"][0]) for frame in tc.get_received()
            if frame["name"] in BOARD_CHANGES]


def check_round(board: Board) -> None:
    """After one command: every reader got the same new ``seq``s, its catch-up equals what it
    got, and each change shows what its snapshot shows."""
    received = {who: changes_received(tc) for who, tc in board.sockets.items()}
    seqs = [payload["seq"] for _, payload in received["mod"]]
    assert seqs == list(range(board.seq + 1, board.seq + 1 + len(seqs)))
    full = {payload["seq"]: payload for _, payload in received["mod"]}
    for who, tc in board.sockets.items():
        assert [payload["seq"] for _, payload in received[who]] == seqs, who
        snap = join_board(tc, board.workshop)
        assert snap["seq"] == board.seq + len(seqs)
        caught = join_board(tc, board.workshop, since_seq=board.seq)
        assert caught["events"] == [{**payload, "event": name}
                                    for name, payload in received[who]], who
        for name, seen in received[who]:
            check_change(name, seen, full[seen["seq"]], snap, staff=who == "mod")
        if who == "mod":
            board.staff_view = snap
    board.seq += len(seqs)


@seed(20261121)
@settings(max_examples=50, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(phases=st.tuples(*(st.lists(st.one_of(typical, ANY), min_size=2, max_size=7)
                          for typical in ARC.values())))
def test_every_audience_sees_in_each_change_what_its_snapshot_shows(client, auth, connect,
                                                                      phases):
    board = new_board(client, auth, connect)
    for who in ("anna", "ben"):
        apply(board, ("post", who, False))
        check_round(board)
    for step, commands in zip(ARC, phases, strict=True):
        for operation in [("step", step), *commands]:
            apply(board, operation)
            check_round(board)
