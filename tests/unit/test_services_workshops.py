"""Workshops, ``seq`` numbering, locking, snapshot and catch-up; ideas and ``op_id`` memory.

Straight on the services with the ``database`` fixture, no Flask.
"""

from __future__ import annotations

import pytest
from pinnwand import snapshot as snapshots
from pinnwand.auth.services import create_moderator, resolve_token
from pinnwand.board.models import Operation, WorkshopChange
from pinnwand.board.operations import remembered
from pinnwand.board.seq import claim_seq, current_seq
from pinnwand.board.visibility import withheld_idea
from pinnwand.errors import Locked, NotFound
from pinnwand.events.schemas import EventIn
from pinnwand.events.services import create_event, join_event
from pinnwand.ideas import services as ideas
from pinnwand.ideas.models import Idea
from pinnwand.ideas.schemas import CreateIdea
from pinnwand.workshops import services
from pinnwand.workshops.models import Category, Workshop
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import op_id


class Boom(Exception):
    """Raised inside a transaction to roll it back."""


@pytest.fixture
def board(database):
    """One event with two workshops and a participant's identity: a dict of ids."""
    with database.transaction() as session:
        moderator = create_moderator(session, "maria@example.org", "sicheres-passwort", "Maria")
        event = create_event(session, moderator.id, EventIn.model_validate({
            "title": "Forum", "workshops": [{"title": "A", "question": "?"},
                                            {"title": "B", "question": "?"}],
        }))
        code, moderator_id = event.join_code, moderator.id
        workshop_ids = [w.id for w in services.list_workshops(session, event.id)]
    with database.transaction() as session:
        token = join_event(session, code, "Anna", 30)["token"]
    with database.read() as session:
        anna = resolve_token(session, token)
    return {"workshops": workshop_ids, "anna": anna, "moderator_id": moderator_id}


def _post(database, identity, workshop_id, text="Idee", op=None, anonymous=False):
    data = CreateIdea.model_validate({
        "workshop_id": workshop_id, "op_id": op or op_id(),
        "text": text, "anonymous": anonymous,
    })
    with database.transaction() as session:
        answer, change = ideas.create_idea(session, identity, data)
    return answer, change.payload


def _seq(database, workshop_id) -> int:
    with database.read() as session:
        return current_seq(session, workshop_id)


def _idea_count(database, workshop_id) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(Idea.id)).where(Idea.workshop_id == workshop_id))


# --- claim_seq --------------------------------------------------------------------------------

def test_claim_seq_is_gapless(database, board):
    workshop = board["workshops"][0]
    taken = []
    for _ in range(4):
        with database.transaction() as session:
            state = claim_seq(session, workshop)
            taken.append((state.seq, state.locked))
    assert taken == [(1, False), (2, False), (3, False), (4, False)]
    assert _seq(database, workshop) == 4


def test_rolled_back_seq_is_given_back(database, board):
    workshop = board["workshops"][0]
    with database.transaction() as session:
        claim_seq(session, workshop)
    with pytest.raises(Boom), database.transaction() as session:
        assert claim_seq(session, workshop).seq == 2
        raise Boom
    assert _seq(database, workshop) == 1
    with database.transaction() as session:
        assert claim_seq(session, workshop).seq == 2


def test_claim_seq_is_per_workshop(database, board):
    first, second = board["workshops"]
    with database.transaction() as session:
        claim_seq(session, first)
        claim_seq(session, first)
        assert claim_seq(session, second).seq == 1


def test_claim_seq_of_unknown_workshop_is_not_found(database, board):
    with pytest.raises(NotFound), database.transaction() as session:
        claim_seq(session, 98765)


def test_claim_seq_reads_the_rules_state_with_real_types(database, board):
    workshop = board["workshops"][0]
    with database.transaction() as session:
        state = claim_seq(session, workshop)
    assert (state.seq, state.locked, state.step, state.private_writing) == (1, False, "collect",
                                                                           False)
    assert all(type(getattr(state, name)) is bool for name in (
        "locked", "private_writing", "votes_secret", "votes_revealed"))
    assert (state.cluster_by, state.vote_budget, state.vote_max_per_target) == ("staff", 3, 3)


def test_claim_seq_sees_pending_changes_and_updates_a_loaded_workshop(database, board):
    workshop_id = board["workshops"][0]
    with database.transaction() as session:
        workshop = session.get(Workshop, workshop_id)
        workshop.locked = True  # pending: the state read must include it
        state = claim_seq(session, workshop_id)
        assert state.locked is True
        assert workshop.seq == state.seq == 1
        assert workshop not in session.dirty
    assert _seq(database, workshop_id) == 1


# --- set_locked -------------------------------------------------------------------------------

def test_set_locked_without_change_is_no_change_and_uses_no_seq(database, board):
    workshop = board["workshops"][0]
    with database.transaction() as session:
        assert services.set_locked(session, workshop, False) == (
            {"locked": False, "seq": 0}, None)
    assert _seq(database, workshop) == 0


def test_set_locked_numbers_and_logs_the_change(database, board):
    workshop = board["workshops"][0]
    with database.transaction() as session:
        answer, change = services.set_locked(session, workshop, True)
    payload = change.payload
    assert answer == {"locked": True, "seq": 1}
    assert payload == {"workshop_id": workshop, "seq": 1, "locked": True}
    with database.transaction() as session:
        assert services.set_locked(session, workshop, True) == ({"locked": True, "seq": 1}, None)
    assert _seq(database, workshop) == 1
    with database.read() as session:
        [change] = session.scalars(select(WorkshopChange)).all()
        assert (change.seq, change.name, change.payload) == (1, "workshop_locked", payload)
        assert services.get_workshop(session, workshop).locked is True
    with database.transaction() as session:
        assert services.set_locked(session, workshop, False)[1].seq == 2


def test_set_locked_unknown_workshop_is_not_found(database, board):
    with pytest.raises(NotFound), database.transaction() as session:
        services.set_locked(session, 98765, True)


# --- create_idea and remembered -----------------------------------------------------------------

def test_create_idea_returns_answer_and_broadcast(database, board):
    workshop = board["workshops"][0]
    answer, payload = _post(database, board["anna"], workshop, "Kita", op="op-kita-01")
    assert answer["seq"] == payload["seq"] == 1
    idea = payload["idea"]  # as the staff see it
    assert payload == {"workshop_id": workshop, "seq": 1, "idea": idea}
    assert (idea["workshop_id"], idea["text"], idea["author"], idea["votes"]) == \
        (workshop, "Kita", "Anna", 0)
    assert answer["idea"] == idea  # before voting starts a total is a plain 0 for everyone
    assert idea["created_at"].endswith("Z")
    with database.read() as session:
        assert remembered(session, board["anna"].sender, "op-kita-01") == answer
        [change] = session.scalars(select(WorkshopChange)).all()
        assert (change.name, change.payload) == ("idea_created", payload)


def test_anonymous_idea_hides_the_author(database, board):
    answer, _ = _post(database, board["anna"], board["workshops"][0], anonymous=True)
    assert answer["idea"]["author"] is None


def test_remembered_is_per_sender_and_op_id(database, board):
    _post(database, board["anna"], board["workshops"][0], op="op-shared-1")
    with database.read() as session:
        assert remembered(session, board["anna"].sender, "op-other-1") is None
        assert remembered(session, f"m:{board['moderator_id']}", "op-shared-1") is None


def test_create_idea_while_locked_is_locked_and_takes_no_seq(database, board):
    workshop = board["workshops"][0]
    with database.transaction() as session:
        services.set_locked(session, workshop, True)
    with pytest.raises(Locked):
        _post(database, board["anna"], workshop, op="op-locked-1")
    assert _seq(database, workshop) == 1
    assert _idea_count(database, workshop) == 0
    with database.read() as session:
        assert remembered(session, board["anna"].sender, "op-locked-1") is None
        assert session.scalar(select(func.count(Operation.id))) == 0


def test_create_idea_in_unknown_workshop_is_not_found(database, board):
    with pytest.raises(NotFound):
        _post(database, board["anna"], 98765)


def _stored_idea(database, idea_id: int) -> dict:
    with database.read() as session:
        return session.get(Idea, idea_id).to_json()


@pytest.mark.parametrize("anonymous", [False, True])
def test_created_idea_is_exactly_its_stored_row(database, board, anonymous):
    answer, payload = _post(database, board["anna"], board["workshops"][0], "Genau so",
                            anonymous=anonymous)
    stored = _stored_idea(database, answer["idea"]["id"])
    assert payload["idea"] == stored
    assert answer["idea"] == stored  # the author's view: voting has not started, a plain 0


def _add_category(database, workshop_id: int) -> int:
    with database.transaction() as session:
        category = Category(workshop_id=workshop_id, title="Spalte")
        session.add(category)
        session.flush()
        return category.id


def test_idea_in_a_category_is_stored_there(database, board):
    workshop = board["workshops"][0]
    column = _add_category(database, workshop)
    data = CreateIdea.model_validate({"workshop_id": workshop, "op_id": op_id(), "text": "x",
                                      "category_id": column})
    with database.transaction() as session:
        _, change = ideas.create_idea(session, board["anna"], data)
    assert change.payload["idea"]["category_id"] == column
    assert _stored_idea(database, change.payload["idea"]["id"]) == change.payload["idea"]


def test_category_of_another_workshop_is_not_found_and_takes_no_seq(database, board):
    workshop, other = board["workshops"]
    data = CreateIdea.model_validate({"workshop_id": workshop, "op_id": op_id(), "text": "x",
                                      "category_id": _add_category(database, other)})
    with pytest.raises(NotFound), database.transaction() as session:
        ideas.create_idea(session, board["anna"], data)
    assert (_seq(database, workshop), _idea_count(database, workshop)) == (0, 0)


def test_private_writing_withholds_the_idea_from_the_room(database, board):
    workshop = board["workshops"][0]
    with database.transaction() as session:
        session.get(Workshop, workshop).private_writing = True
    answer, _ = _post(database, board["anna"], workshop, "Geheim")
    with database.read() as session:
        [logged] = session.scalars(select(WorkshopChange)).all()
        logged = (logged.payload, logged.withheld, logged.owner_participant_id)
    stored = _stored_idea(database, answer["idea"]["id"])
    assert answer["idea"]["hidden"] is True
    assert logged[0]["idea"] == stored
    assert answer["idea"] == stored  # the author's view; voting has not started: a plain 0
    assert logged[1:] == ({**logged[0], "idea": withheld_idea(answer["idea"])},
                          board["anna"].participant_id)


def test_repeated_op_id_conflicts_and_rolls_everything_back(database, board):
    workshop = board["workshops"][0]
    first, _ = _post(database, board["anna"], workshop, op="op-repeat-1")
    with pytest.raises(IntegrityError):
        _post(database, board["anna"], workshop, "Nochmal", op="op-repeat-1")
    assert (_seq(database, workshop), _idea_count(database, workshop)) == (1, 1)
    with database.read() as session:
        assert remembered(session, board["anna"].sender, "op-repeat-1") == first
        assert session.scalar(select(func.count(WorkshopChange.seq))) == 1


# --- snapshot and catch_up ----------------------------------------------------------------------

def _history(database, board):
    """Three ideas and a lock in workshop A: seq 1..4; one idea in workshop B."""
    workshop, other = board["workshops"]
    posted = [_post(database, board["anna"], workshop, f"Idee {n}", op=f"op-idee-{n}")
              for n in range(3)]
    _post(database, board["anna"], other, "Anderswo", op="op-anderswo")
    with database.transaction() as session:
        _, locked = services.set_locked(session, workshop, True)
    return workshop, [p[1] for p in posted] + [locked.payload]


def test_snapshot_has_everything(database, board):
    workshop, changes = _history(database, board)
    with database.read() as session:
        snapshot = snapshots.snapshot(session, workshop)
    assert snapshot["seq"] == 4
    assert snapshot["workshop"]["id"] == workshop
    assert snapshot["workshop"]["locked"] is True
    assert snapshot["ideas"] == [c["idea"] for c in changes[:3]]


@pytest.mark.parametrize("since", [0, 1, 2, 3, 4])
def test_catch_up_returns_exactly_the_missed_changes(database, board, since):
    workshop, changes = _history(database, board)
    names = ["idea_created"] * 3 + ["workshop_locked"]
    with database.read() as session:
        answer = snapshots.catch_up(session, workshop, since)
    assert answer == {
        "events": [{**c, "event": n} for c, n in zip(changes, names, strict=True)][since:],
        "seq": 4,
    }


@pytest.mark.parametrize("since", [5, 1000])
def test_catch_up_from_the_future_is_the_snapshot(database, board, since):
    workshop, _ = _history(database, board)
    with database.read() as session:
        answer = snapshots.catch_up(session, workshop, since)
        assert answer == snapshots.snapshot(session, workshop)


def test_catch_up_too_far_behind_is_the_snapshot(database, board, monkeypatch):
    workshop, _ = _history(database, board)
    monkeypatch.setattr(snapshots, "MAX_CATCH_UP", 2)
    with database.read() as session:
        assert snapshots.catch_up(session, workshop, 1) == snapshots.snapshot(session, workshop)
        assert snapshots.catch_up(session, workshop, 2)["seq"] == 4
        assert len(snapshots.catch_up(session, workshop, 2)["events"]) == 2


def test_catch_up_with_a_gap_in_the_log_is_the_snapshot(database, board):
    workshop, _ = _history(database, board)
    with database.transaction() as session:
        session.delete(session.get(WorkshopChange, (workshop, 2)))
    with database.read() as session:
        assert snapshots.catch_up(session, workshop, 0) == snapshots.snapshot(session, workshop)
        assert snapshots.catch_up(session, workshop, 2)["seq"] == 4


# --- membership and counts ----------------------------------------------------------------------

def test_membership_is_idempotent_and_counted_once(database, board):
    workshop = board["workshops"][0]
    anna = board["anna"].participant_id
    with database.transaction() as session:
        assert not services.is_member(session, workshop, anna)
        services.add_member(session, workshop, anna)
        services.add_member(session, workshop, anna)
    _post(database, board["anna"], workshop, op="op-count-1")
    with database.read() as session:
        assert services.is_member(session, workshop, anna)
        event_id = services.get_workshop(session, workshop).event_id
        counts = services.workshop_counts(session, event_id)
    assert counts[workshop] == {"participants": 1, "ideas": 1}
    assert board["workshops"][1] not in counts
