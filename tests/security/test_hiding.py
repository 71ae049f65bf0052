"""Private writing and secret votes: what the room must not receive before the reveal.

Workshop A of the prepared world writes privately (``configure_workshop``) and votes in
secret (the default). Nils (a participant of the event) writes an idea with a recognisable
marker text; it is edited, moved, grouped, withdrawn and restored, voted on. Jana (another
participant) and the projector of A receive every broadcast and catch up or take a snapshot
when they (re)join; none of the frames they receive may hold the marker, Nils's name or a vote
total until the staff reveal the ideas and the votes. Nils himself and the staff see it all
along (positive controls), and after ``reveal_ideas`` / ``reveal_votes`` everyone does.
"""

from __future__ import annotations

import json

import pytest

from tests.security.helpers import ack_code

MARKER = "Geheimtipp-7f3a-Zitronenfalter"
NILS = "Nils Nojoin"  # the world's participant_not_joined: the author of the hidden idea


class Recorder:
    """A socket and every frame it received or was answered, as JSON."""

    def __init__(self, tc):
        self.tc = tc
        self.frames: list[dict] = []
        self.voting_from = 0  # frames before this one arrived before any dot was placed

    def totals(self) -> list[str]:
        """Vote totals this socket received; before voting began every total is a plain 0
        (docs/protocol.md), so only non-zero ones count there."""
        frames = self.collect()
        early = [t for t in vote_totals(frames[:self.voting_from]) if not t.endswith("=0")]
        return early + vote_totals(frames[self.voting_from:])

    def emit(self, name: str, payload: dict) -> dict:
        ack = self.tc.emit(name, payload, callback=True)
        self.frames.append({"ack": name, "answer": ack})
        assert ack_code(ack) == "ok", (name, payload, ack)
        return ack["data"]

    def collect(self) -> list[dict]:
        self.frames += self.tc.get_received()
        return self.frames

    def names(self) -> list[str]:
        return [f["name"] for f in self.collect() if "name" in f]

    def text(self) -> str:
        return json.dumps(self.collect(), ensure_ascii=False)


NEW_IDEA_MARKS = {("name", "idea_created"), ("event", "idea_created"), ("ack", "create_idea")}


def vote_totals(node, path: str = "", new_idea: bool = False) -> list[str]:
    """Where a vote total (a number under ``votes``) appears; a reader's own dots (``me``'s
    list of ``{"target_type", "target_id", "count"}``) are not totals, and neither is the
    ``0`` a newly created idea is sent with (docs/protocol.md: it reveals nothing)."""
    found = []
    if isinstance(node, dict):
        new_idea = new_idea or any(node.get(key) == value for key, value in NEW_IDEA_MARKS)
        for key, value in node.items():
            zero_of_new_idea = new_idea and value == 0 and path.endswith(".idea")
            if key == "votes" and not isinstance(value, list | type(None)) \
                    and not zero_of_new_idea:
                found.append(f"{path}.votes={value!r}")
            found += vote_totals(value, f"{path}.{key}", new_idea)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += vote_totals(value, f"{path}[{index}]", new_idea)
    return found


@pytest.fixture
def board(world):
    """Workshop A writing privately, with the moderator, Nils, Jana and the projector on it."""
    a = world.ids["A"]
    sockets = {role: Recorder(world.socket(role)) for role in
               ("moderator", "participant_not_joined", "participant_joined", "viewer")}
    mod = sockets["moderator"]
    mod.emit("join_workshop", {"workshop_id": a})
    assert mod.emit("configure_workshop", {"workshop_id": a, "private_writing": True})[
        "workshop"]["settings"]["private_writing"] is True
    for role in ("participant_not_joined", "participant_joined", "viewer"):
        sockets[role].emit("join_workshop", {"workshop_id": a})
    return sockets


def _reader_sockets(world) -> dict[str, Recorder]:
    """Fresh sockets of Jana and the projector, to take a snapshot or catch up."""
    return {"participant": Recorder(world.socket("participant_joined")),
            "projector": Recorder(world.socket("viewer"))}


def _write_and_arrange_the_hidden_idea(world, board) -> int:
    """Nils writes, edits, withdraws and restores his idea; the moderator moves and groups it."""
    a = world.ids["A"]
    nils, mod = board["participant_not_joined"], board["moderator"]
    idea = nils.emit("create_idea", {"workshop_id": a, "op_id": "hidden-0001",
                                     "text": f"{MARKER} eins"})["idea"]
    assert idea["hidden"] is True and idea["text"] == f"{MARKER} eins"  # the author sees it
    nils.emit("update_idea", {"workshop_id": a, "idea_id": idea["id"],
                              "text": f"{MARKER} zwei"})
    mod.emit("move_idea", {"workshop_id": a, "idea_id": idea["id"], "after_id": None})
    mod.emit("group_ideas", {"workshop_id": a, "idea_ids": [idea["id"]], "title": "Gruppe"})
    nils.emit("delete_idea", {"workshop_id": a, "idea_id": idea["id"]})
    nils.emit("restore_idea", {"workshop_id": a, "idea_id": idea["id"]})
    return idea["id"]


def _vote(world, board, idea_id: int) -> None:
    """In step vote: Nils puts dots on his hidden idea and on a cluster, Jana on her idea."""
    a = world.ids["A"]
    for reader in board.values():
        reader.voting_from = len(reader.collect())
    board["moderator"].emit("set_step", {"workshop_id": a, "step": "vote"})
    nils, jana = board["participant_not_joined"], board["participant_joined"]
    nils.emit("vote", {"workshop_id": a, "target_type": "idea", "target_id": idea_id,
                       "count": 2})
    nils.emit("vote", {"workshop_id": a, "target_type": "cluster",
                       "target_id": world.ids["cluster_A"], "count": 1})
    jana.emit("vote", {"workshop_id": a, "target_type": "idea",
                       "target_id": world.ids["idea_A"], "count": 1})


def _rejoin(readers: dict[str, Recorder], workshop_id: int) -> None:
    """Each reader joins twice: catching up from seq 0, and for the full snapshot."""
    for reader in readers.values():
        reader.emit("join_workshop", {"workshop_id": workshop_id, "since_seq": 0})
        reader.emit("join_workshop", {"workshop_id": workshop_id})


@pytest.fixture
def before_reveal(world, board) -> dict[str, Recorder]:
    """Everything up to the reveal; what Jana and the projector received on the way, and what
    fresh sockets of theirs got catching up and in the snapshot."""
    a = world.ids["A"]
    idea_id = _write_and_arrange_the_hidden_idea(world, board)
    _vote(world, board, idea_id)
    rejoined = {f"rejoined {k}": v for k, v in _reader_sockets(world).items()}
    _rejoin(rejoined, a)
    readers = {"participant": board["participant_joined"], "projector": board["viewer"],
               **rejoined}
    expected = {"idea_created", "idea_updated", "idea_moved", "ideas_grouped", "idea_deleted",
                "idea_restored", "step_changed", "votes_changed"}
    for who in ("participant", "projector"):
        assert expected <= set(readers[who].names()), (who, readers[who].names())
    for who in rejoined:
        catch_up, snapshot = (f["answer"]["data"] for f in readers[who].frames
                              if f.get("ack") == "join_workshop")
        assert len(catch_up["events"]) == catch_up["seq"]
        assert idea_id in {i["id"] for i in snapshot["ideas"]}  # there, but withheld
    return readers


def test_hidden_texts_reach_only_the_staff_and_the_author(board, before_reveal):
    for who, reader in before_reveal.items():
        text = reader.text()
        assert MARKER not in text, f"the {who} received the hidden text"
        assert NILS not in text, f"the {who} received the hidden idea's author"
    # Positive controls: the author and the staff see the text and the author's name.
    assert MARKER in board["participant_not_joined"].text()
    assert MARKER in board["moderator"].text() and NILS in board["moderator"].text()


def test_secret_totals_reach_only_the_staff(board, before_reveal):
    leaks = {who: reader.totals() for who, reader in before_reveal.items()}
    assert leaks == {who: [] for who in before_reveal}, "vote totals before reveal_votes"
    assert board["participant_not_joined"].totals() == []  # the voter: own dots
    assert vote_totals(board["moderator"].collect()) != []  # positive control: the staff


def test_after_the_reveal_everyone_receives_texts_and_totals(world, board):
    a = world.ids["A"]
    idea_id = _write_and_arrange_the_hidden_idea(world, board)
    _vote(world, board, idea_id)
    readers = {"participant": board["participant_joined"], "projector": board["viewer"]}
    for reader in readers.values():
        reader.collect()
        assert MARKER not in reader.text()
    mod = board["moderator"]
    assert mod.emit("reveal_ideas", {"workshop_id": a})["revealed"] == 1
    mod.emit("reveal_votes", {"workshop_id": a})
    for who, reader in readers.items():
        received = reader.tc.get_received()
        reader.frames += received
        by_name = {r["name"]: r["args"][0] for r in received}
        assert MARKER in json.dumps(by_name["ideas_revealed"], ensure_ascii=False), who
        revealed = by_name["votes_revealed"]
        assert {"id": idea_id, "votes": 2} in revealed["ideas"], (who, revealed)
        assert {"id": world.ids["cluster_A"], "votes": 1} in revealed["clusters"], who

    for who, reader in _reader_sockets(world).items():
        snapshot = reader.emit("join_workshop", {"workshop_id": a})
        idea = next(i for i in snapshot["ideas"] if i["id"] == idea_id)
        assert (idea["text"], idea["author"], idea["votes"]) == (f"{MARKER} zwei", NILS, 2), who
        cluster = next(c for c in snapshot["clusters"] if c["id"] == world.ids["cluster_A"])
        assert cluster["votes"] == 1, who
