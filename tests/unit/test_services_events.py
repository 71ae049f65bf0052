"""Events and joining by code, straight on the services (no Flask)."""

from __future__ import annotations

import re

import pytest
from pinnwand.auth.services import create_moderator, resolve_token
from pinnwand.errors import NotFound
from pinnwand.events import services
from pinnwand.events.models import Participant
from pinnwand.events.schemas import EventIn, EventPatch
from pinnwand.workshops.services import list_workshops
from sqlalchemy import select

LOOKALIKES = set("0O1IL")


@pytest.fixture
def moderator_id(database):
    with database.transaction() as session:
        return create_moderator(session, "maria@example.org", "sicheres-passwort", "Maria").id


def _event(database, moderator_id, **fields) -> tuple[int, str]:
    data = EventIn.model_validate({
        "title": "Forum",
        "workshops": [{"title": "A", "question": "Qa"}, {"title": "B", "question": "Qb"}],
        **fields,
    })
    with database.transaction() as session:
        event = services.create_event(session, moderator_id, data)
        return event.id, event.join_code


def test_create_event_makes_its_creator_a_moderator(database, moderator_id):
    event_id, _ = _event(database, moderator_id)
    with database.read() as session:
        assert services.is_event_moderator(session, moderator_id, event_id)
        assert [e.id for e in services.list_events(session, moderator_id)] == [event_id]


def test_create_event_adds_workshops_in_order_unlocked(database, moderator_id):
    event_id, _ = _event(database, moderator_id)
    with database.read() as session:
        workshops = list_workshops(session, event_id)
        assert [w.title for w in workshops] == ["A", "B"]
        assert [w.locked for w in workshops] == [False, False]
        assert [w.seq for w in workshops] == [0, 0]


def test_join_code_has_six_characters_without_lookalikes(database, moderator_id):
    codes = {_event(database, moderator_id)[1] for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{6}", code), code
        assert not set(code) & LOOKALIKES, code
        assert set(code) <= set(services.JOIN_CODE_ALPHABET)
    assert not set(services.JOIN_CODE_ALPHABET) & LOOKALIKES


def test_join_event_creates_a_participant_with_a_token(database, moderator_id):
    event_id, code = _event(database, moderator_id)
    with database.transaction() as session:
        answer = services.join_event(session, code, "Anna", token_days=30)
    assert answer["event_id"] == event_id
    assert [w["title"] for w in answer["workshops"]] == ["A", "B"]
    assert set(answer["workshops"][0]) >= {"id", "title", "question"}
    with database.read() as session:
        identity = resolve_token(session, answer["token"])
        participant = session.get(Participant, answer["participant_id"])
        assert participant.name == "Anna"
        assert participant.event_id == event_id
    assert identity.participant_id == answer["participant_id"]
    assert identity.event_id == event_id


@pytest.mark.parametrize("variant", [str.lower, lambda c: f"  {c} ", lambda c: c.swapcase()])
def test_join_code_is_case_insensitive(database, moderator_id, variant):
    event_id, code = _event(database, moderator_id)
    with database.transaction() as session:
        assert services.join_event(session, variant(code), "Anna", 30)["event_id"] == event_id


def test_wrong_code_is_not_found_and_creates_nobody(database, moderator_id):
    _, code = _event(database, moderator_id)
    wrong = "".join("A" if ch != "A" else "B" for ch in code)
    with pytest.raises(NotFound), database.transaction() as session:
        services.join_event(session, wrong, "Anna", 30)
    with database.read() as session:
        assert session.scalars(select(Participant)).all() == []


def test_join_code_is_unique_per_event(database, moderator_id):
    _, code_a = _event(database, moderator_id)
    event_b, code_b = _event(database, moderator_id)
    assert code_a != code_b
    with database.transaction() as session:
        assert services.join_event(session, code_b, "Ben", 30)["event_id"] == event_b


def test_update_event_changes_only_given_fields(database, moderator_id):
    event_id, _ = _event(database, moderator_id, location="Rathaus", date="2026-11-21")
    with database.transaction() as session:
        event = services.get_event(session, event_id)
        services.update_event(session, event, EventPatch.model_validate({"title": "Neu"}))
    with database.read() as session:
        event = services.get_event(session, event_id)
        assert (event.title, event.location, event.date.isoformat()) == \
            ("Neu", "Rathaus", "2026-11-21")


def test_get_event_unknown_is_not_found(database):
    with pytest.raises(NotFound), database.read() as session:
        services.get_event(session, 999)
