"""Events: create, list, get (with counts), patch; validation errors name the fields."""

from __future__ import annotations

import re

import pytest
from pinnwand.config import load_settings
from pinnwand.events.services import JOIN_CODE_ALPHABET
from pinnwand.factory import create_app

from tests.conftest import _login, _make_moderator
from tests.http.helpers import assert_error, headers_of
from tests.sockets.helpers import data_of, join_board, post


def test_create_event_answers_the_contract(event):
    assert isinstance(event["id"], int)
    assert event["title"] == "Fachkräfte-Forum Südwest"
    assert event["date"] == "2026-11-21"
    assert event["location"] == "Rathaus, Großer Saal"
    assert re.fullmatch(f"[{JOIN_CODE_ALPHABET}]{{6}}", event["join_code"])
    assert not set(event["join_code"]) & set("0O1IL")
    assert [(w["title"], w["question"]) for w in event["workshops"]] == [
        ("Talente halten", "Wie halten wir Fachkräfte in der Region?"),
        ("Talente ausbilden", "Wie bilden wir neue Fachkräfte aus?"),
        ("Talente gewinnen", "Wie gewinnen wir Fachkräfte von außen?"),
    ]
    assert all(isinstance(w["id"], int) for w in event["workshops"])
    assert event["agenda"][0]["speaker"] == "Dr. Jörg Ölmann"


def test_join_url_is_absolute_and_names_the_code(event):
    assert re.match(r"^https?://[^/]+/", event["join_url"])
    assert event["join_code"] in event["join_url"]


def test_join_url_uses_the_public_url(settings):
    public = load_settings({"PINNWAND_INSTANCE_PATH": str(settings.instance_path),
                            "PINNWAND_PUBLIC_URL": "https://pinnwand.example.org/"})
    application = create_app(public, async_mode="threading")
    try:
        client = application.test_client()
        headers = _login(client, _make_moderator(application, "p@example.org", "P"))
        created = client.post("/api/v1/events", headers=headers, json={"title": "X"}).json
        assert created["join_url"].startswith("https://pinnwand.example.org/")
        assert created["join_url"].startswith(
            f"https://pinnwand.example.org/join/{created['join_code']}?key=")
    finally:
        application.extensions["pinnwand"].db.dispose()


def test_minimal_event(client, auth):
    response = client.post("/api/v1/events", headers=auth, json={"title": "Nur ein Titel"})
    assert response.status_code == 201
    assert response.json["workshops"] == []
    assert response.json["date"] is None


def test_list_events_shows_only_my_events(client, auth, other_auth, event):
    mine = client.get("/api/v1/events", headers=auth)
    assert mine.status_code == 200
    assert [e["id"] for e in mine.json["events"]] == [event["id"]]
    theirs = client.get("/api/v1/events", headers=other_auth)
    assert theirs.json["events"] == []


def test_get_event(client, auth, event):
    response = client.get(f"/api/v1/events/{event['id']}", headers=auth)
    assert response.status_code == 200
    got = response.json
    assert (got["id"], got["title"], got["join_code"], got["join_url"]) == \
        (event["id"], event["title"], event["join_code"], event["join_url"])
    assert [w["id"] for w in got["workshops"]] == [w["id"] for w in event["workshops"]]
    assert all(w["participants"] == 0 and w["ideas"] == 0 for w in got["workshops"])


def test_counts_in_get_event(client, auth, event, join, connect):
    w1, w2, _ = (w["id"] for w in event["workshops"])
    anna = connect(join("Anna")["token"])
    carla = connect(join("Carla")["token"])
    ben_token = join("Ben")["token"]
    ben = connect(ben_token)
    ben_second_phone = connect(ben_token)
    join_board(anna, w1)
    data_of(post(anna, w1, "Eins"))
    data_of(post(anna, w1, "Zwei"))
    join_board(ben, w1)
    join_board(ben_second_phone, w1)  # the same participant twice counts once
    join_board(ben, w2)
    join_board(carla, w2)
    data_of(post(carla, w2, "Drei"))

    counts = {w["id"]: (w["participants"], w["ideas"]) for w in
              client.get(f"/api/v1/events/{event['id']}", headers=auth).json["workshops"]}
    assert counts == {w1: (2, 2), w2: (2, 1), event["workshops"][2]["id"]: (0, 0)}


def test_joining_the_event_alone_does_not_count_in_a_workshop(client, auth, event, join):
    join("Anna")
    got = client.get(f"/api/v1/events/{event['id']}", headers=auth).json
    assert all(w["participants"] == 0 for w in got["workshops"])


def test_patch_event(client, auth, event):
    response = client.patch(f"/api/v1/events/{event['id']}", headers=auth,
                            json={"title": "Neuer Titel", "date": "2027-01-02"})
    assert response.status_code == 200
    assert (response.json["title"], response.json["date"]) == ("Neuer Titel", "2027-01-02")
    assert response.json["location"] == event["location"]
    again = client.get(f"/api/v1/events/{event['id']}", headers=auth).json
    assert (again["title"], again["date"], again["join_code"]) == \
        ("Neuer Titel", "2027-01-02", event["join_code"])


def test_patch_event_null_clears_an_optional_field(client, auth, event):
    response = client.patch(f"/api/v1/events/{event['id']}", headers=auth,
                            json={"location": None})
    assert response.status_code == 200
    assert response.json["location"] is None


def test_patch_event_cannot_clear_the_title(client, auth, event):
    assert "title" in assert_error(
        client.patch(f"/api/v1/events/{event['id']}", headers=auth, json={"title": None}),
        "invalid")
    assert client.get(f"/api/v1/events/{event['id']}", headers=auth).json["title"] == \
        event["title"]


@pytest.mark.parametrize(("body", "field"), [
    ({"workshops": []}, "title"),
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": 42}, "title"),
    ({"title": "E", "bogus": 1}, "bogus"),
    ({"title": "E", "date": "21.11.2026"}, "date"),
    ({"title": "E", "date": "2026-13-01"}, "date"),
    ({"title": "E", "date": "2026-02-30"}, "date"),
    ({"title": "E", "date": "2026-11-21T10:00:00"}, "date"),
    ({"title": "E", "date": 20261121}, "date"),
    ({"title": "E", "workshops": [{"title": ""}]}, "workshops.0.title"),
    ({"title": "E", "workshops": [{"title": "A", "question": "?"}, {"question": "?"}]},
     "workshops.1.title"),
    ({"title": "E", "workshops": [{"title": "A", "question": "?", "colour": "red"}]},
     "workshops.0.colour"),
    ({"title": "E", "workshops": [{"title": "A", "question": 5}]}, "workshops.0.question"),
    ({"title": "E", "workshops": "A"}, "workshops"),
    ({"title": "E", "workshops": [{"title": "A"}] * 51}, "workshops"),
    ({"title": "E", "agenda": [{"title": "Talk", "starts_at": "9:30"}]}, "agenda.0.starts_at"),
    ({"title": "E", "agenda": [{"speaker": "Jo"}]}, "agenda.0.title"),
])
def test_create_event_validation_names_the_field(client, auth, body, field):
    fields = assert_error(client.post("/api/v1/events", headers=auth, json=body), "invalid")
    assert field in fields, fields
    assert client.get("/api/v1/events", headers=auth).json["events"] == []


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b'"text"', b"null", b"{"])
def test_create_event_body_must_be_a_json_object(client, auth, raw):
    response = client.post("/api/v1/events", headers={**auth, "Content-Type":
                                                      "application/json"}, data=raw)
    assert_error(response, "invalid")


@pytest.mark.parametrize(("body", "field"), [
    ({"bogus": 1}, "bogus"),
    ({"date": "tomorrow"}, "date"),
    ({"title": ""}, "title"),
])
def test_patch_event_validation(client, auth, event, body, field):
    response = client.patch(f"/api/v1/events/{event['id']}", headers=auth, json=body)
    assert field in assert_error(response, "invalid")


def test_event_with_unicode_round_trips(client, auth):
    body = {"title": "Zukunft 🚀 gestalten", "description": "Ä Ö Ü ß — „Zitat“",
            "workshops": [{"title": "Café", "question": "Wie?"}]}
    created = client.post("/api/v1/events", headers=auth, json=body).json
    got = client.get(f"/api/v1/events/{created['id']}", headers=auth).json
    assert (got["title"], got["description"], got["workshops"][0]["title"]) == \
        (body["title"], body["description"], "Café")


def test_participant_sees_only_summaries_of_their_event_workshops(client, event, join):
    headers = headers_of(join("Anna")["token"])
    response = client.get(f"/api/v1/events/{event['id']}/workshops", headers=headers)
    assert response.status_code == 200
    assert [w["id"] for w in response.json["workshops"]] == [w["id"] for w in event["workshops"]]
