"""Data-protection services without HTTP: when personal data is due, what the purge touches,
the consent sentences, deleting an event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pinnwand.board.models import Operation, WorkshopChange
from pinnwand.errors import Invalid, NotFound
from pinnwand.events.models import Event, Participant
from pinnwand.ideas.models import Idea
from pinnwand.privacy import services
from pinnwand.privacy.models import EventPrivacy
from pinnwand.workshops.models import Workshop
from sqlalchemy import func, select


def _event(session, day=date(2026, 11, 21), created=datetime(2026, 1, 5, tzinfo=UTC)):
    number = session.scalar(select(func.count(Event.id)))
    event = Event(title="Forum „Süd“", date=day, join_code=f"E{number:05d}", created_at=created)
    session.add(event)
    session.flush()
    return event


def test_purge_is_due_the_day_after_the_retention_period(database):
    with database.transaction() as session:
        event = _event(session)
        privacy = services.set_retention(session, event.id, 30)
        assert services.purge_due_on(event, privacy) == date(2026, 12, 22)
        assert services.due_for_purge(session, date(2026, 12, 21)) == []
        assert services.due_for_purge(session, date(2026, 12, 22)) == [event.id]
        undated = _event(session, day=None)
        services.set_retention(session, undated.id, 0)
        assert services.purge_due_on(undated, session.get(EventPrivacy, undated.id)) == \
            date(2026, 1, 6)
        never = _event(session)
        services.set_retention(session, never.id, None)
        assert never.id not in services.due_for_purge(session, date(2099, 1, 1))
        assert sorted(services.purge_due(session, date(2026, 12, 22))) == \
            sorted([undated.id, event.id])
        assert services.due_for_purge(session, date(2099, 1, 1)) == []  # each once


def test_purge_scrubs_names_from_log_and_answers(database):
    with database.transaction() as session:
        event = _event(session)
        workshop = Workshop(event_id=event.id, title="W", question="?")
        person = Participant(event_id=event.id, name="Jürgen Weiß")
        session.add_all([workshop, person])
        session.flush()
        idea = Idea(workshop_id=workshop.id, participant_id=person.id, author_name=person.name,
                    text="Idee")
        session.add(idea)
        session.flush()
        payload = {"workshop_id": workshop.id, "seq": 1, "idea": {**idea.to_json()}}
        session.add(WorkshopChange(workshop_id=workshop.id, seq=1, name="idea_created",
                                   payload=payload))
        session.add(Operation(sender=f"p:{person.id}", op_id="abcdefgh",
                              response={"idea": payload["idea"], "seq": 1}))
        session.flush()
        counts = services.purge_personal_data(session, event.id)
        assert counts["participants"] == 1 and counts["ideas"] == 1
        assert counts["log_entries"] == 1 and counts["answers"] == 1
    with database.read() as session:
        assert session.scalar(select(Participant.name)) == ""
        assert session.scalar(select(Idea.author_name)) is None
        assert session.scalar(select(WorkshopChange.payload))["idea"]["author"] is None
        assert session.scalar(select(Operation.response))["idea"]["author"] is None
        assert session.scalar(select(Idea.text)) == "Idee"


def test_consent_sentences_name_the_event_and_the_purposes():
    both = services.consent_text("de", "Forum „Süd“", True, True)
    assert "„Forum „Süd““" in both and "Ergebnisse zu schicken und mich zu Folgetreffen" in both
    assert "follow-up" in services.consent_text("en", "X", False, True)
    assert "results" not in services.consent_text("en", "X", False, True)


@pytest.mark.parametrize("email", ["a@b.de", " Anna.Bäcker+forum@example.org "])
def test_plausible_addresses_pass(email):
    assert services.normalise_email(email) == email.strip()


@pytest.mark.parametrize("email", ["", "a@b", "a b@c.de", "<a@b.de>", "a@b.de,c@d.de"])
def test_implausible_addresses_are_invalid(email):
    with pytest.raises(Invalid):
        services.normalise_email(email)


def test_deleting_an_unknown_event_is_not_found(database):
    with database.transaction() as session, pytest.raises(NotFound):
        services.delete_event(session, 987654)
