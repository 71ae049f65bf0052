"""Moderator accounts and tokens, straight on the services (no Flask)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pinnwand.auth import services
from pinnwand.auth.identity import MODERATOR, PARTICIPANT
from pinnwand.auth.models import Moderator, Token
from pinnwand.db import utcnow
from pinnwand.errors import Conflict, Invalid, Unauthorized
from pinnwand.events.models import Event, Participant
from sqlalchemy import select, update

PASSWORD = "sicheres-passwort"


@pytest.fixture
def maria(database):
    with database.transaction() as session:
        moderator = services.create_moderator(session, "Maria@Example.org", PASSWORD, "Maria")
        return moderator.id


def test_create_moderator_stores_a_hash_and_a_lower_case_email(database, maria):
    with database.read() as session:
        moderator = session.get(Moderator, maria)
        assert moderator.email == "maria@example.org"
        assert moderator.name == "Maria"
        assert PASSWORD not in moderator.password_hash
        assert moderator.password_hash.startswith("$argon2")


@pytest.mark.parametrize("email", ["maria@example.org", "MARIA@EXAMPLE.ORG",
                                   "  Maria@Example.org  "])
def test_email_is_unique_case_insensitively(database, maria, email):
    with pytest.raises(Conflict) as caught, database.transaction() as session:
        services.create_moderator(session, email, PASSWORD)
    assert caught.value.code == "conflict"
    assert "email" in caught.value.fields
    with database.read() as session:
        assert len(session.scalars(select(Moderator)).all()) == 1


def test_short_password_is_invalid(database):
    with pytest.raises(Invalid) as caught, database.transaction() as session:
        services.create_moderator(session, "kurz@example.org", "1234567")
    assert "password" in caught.value.fields
    with database.read() as session:
        assert services.count_moderators(session) == 0


def test_password_of_eight_characters_is_enough(database):
    with database.transaction() as session:
        services.create_moderator(session, "acht@example.org", "12345678")
    with database.read() as session:
        assert services.count_moderators(session) == 1


@pytest.mark.parametrize("email", ["no-at-sign", "", "   "])
def test_bad_email_is_invalid(database, email):
    with pytest.raises(Invalid), database.transaction() as session:
        services.create_moderator(session, email, PASSWORD)


def test_display_name_defaults_to_the_local_part(database):
    with database.transaction() as session:
        moderator = services.create_moderator(session, "jo.doe@example.org", PASSWORD)
        assert moderator.name == "jo.doe"


def test_authenticate_accepts_any_case_of_the_email(database, maria):
    with database.read() as session:
        assert services.authenticate(session, "MARIA@example.ORG", PASSWORD).id == maria


def test_authenticate_refuses_a_wrong_password(database, maria):
    with pytest.raises(Unauthorized), database.read() as session:
        services.authenticate(session, "maria@example.org", PASSWORD + "!")


def test_authenticate_refuses_an_unknown_email(database, maria):
    with pytest.raises(Unauthorized), database.read() as session:
        services.authenticate(session, "nobody@example.org", PASSWORD)


def _issue_moderator_token(database, moderator_id, days=14):
    with database.transaction() as session:
        moderator = session.get(Moderator, moderator_id)
        return services.issue_token(session, days=days, moderator=moderator)


def test_issued_token_resolves_to_its_moderator(database, maria):
    raw, expires_at = _issue_moderator_token(database, maria, days=14)
    assert expires_at - utcnow() > timedelta(days=13)
    with database.read() as session:
        identity = services.resolve_token(session, raw)
    assert identity.kind == MODERATOR
    assert identity.moderator_id == maria
    assert identity.name == "Maria"
    assert identity.sender == f"m:{maria}"


def test_token_is_stored_only_hashed(database, maria):
    raw, _ = _issue_moderator_token(database, maria)
    assert len(raw) >= 32
    with database.read() as session:
        [token] = session.scalars(select(Token)).all()
        assert token.digest != raw
        assert raw not in token.digest
        assert token.digest == services.digest(raw)


def test_tokens_differ_every_time(database, maria):
    tokens = {_issue_moderator_token(database, maria)[0] for _ in range(5)}
    assert len(tokens) == 5


def test_participant_token_resolves_to_the_participant(database, maria):
    with database.transaction() as session:
        event = Event(title="E", join_code="ABCDEF", created_by=maria)
        session.add(event)
        session.flush()
        participant = Participant(event_id=event.id, name="Anna")
        session.add(participant)
        session.flush()
        raw, _ = services.issue_token(session, days=1, participant=participant)
        ids = participant.id, event.id
    with database.read() as session:
        identity = services.resolve_token(session, raw)
    assert identity.kind == PARTICIPANT
    assert (identity.participant_id, identity.event_id) == ids
    assert identity.name == "Anna"
    assert identity.moderator_id is None


def test_revoked_token_is_refused(database, maria):
    raw, _ = _issue_moderator_token(database, maria)
    with database.read() as session:
        identity = services.resolve_token(session, raw)
    with database.transaction() as session:
        services.revoke_token(session, identity.token_id)
    with pytest.raises(Unauthorized), database.read() as session:
        services.resolve_token(session, raw)


def test_revoking_one_token_keeps_the_others(database, maria):
    first, _ = _issue_moderator_token(database, maria)
    second, _ = _issue_moderator_token(database, maria)
    with database.read() as session:
        identity = services.resolve_token(session, first)
    with database.transaction() as session:
        services.revoke_token(session, identity.token_id)
    with database.read() as session:
        assert services.resolve_token(session, second).moderator_id == maria


def test_expired_token_is_refused(database, maria):
    raw, _ = _issue_moderator_token(database, maria)
    with database.transaction() as session:
        session.execute(update(Token).where(Token.digest == services.digest(raw))
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(Unauthorized), database.read() as session:
        services.resolve_token(session, raw)


def test_token_of_zero_days_is_already_expired(database, maria):
    raw, _ = _issue_moderator_token(database, maria, days=0)
    with pytest.raises(Unauthorized), database.read() as session:
        services.resolve_token(session, raw)


@pytest.mark.parametrize("raw", [None, "", "short", 12345, ["x" * 43], "x" * 43, "x" * 1000])
def test_unknown_or_malformed_token_is_refused(database, maria, raw):
    _issue_moderator_token(database, maria)
    with pytest.raises(Unauthorized), database.read() as session:
        services.resolve_token(session, raw)
