"""The agenda (keynote talks), workshops and co-moderators of an event."""

from __future__ import annotations

import pytest

from tests.http.helpers import assert_error, headers_of


def _url(event, tail=""):
    return f"/api/v1/events/{event['id']}{tail}"


# --- agenda -----------------------------------------------------------------------------------

def test_agenda_crud(client, auth, event):
    listed = client.get(_url(event, "/agenda"), headers=auth)
    assert listed.status_code == 200
    [talk] = listed.json["agenda"]
    assert (talk["title"], talk["speaker"], talk["organisation"]) == \
        ("Ausbildung neu denken", "Dr. Jörg Ölmann", "IHK")

    created = client.post(_url(event, "/agenda"), headers=auth, json={
        "title": "Wohnen und Arbeiten", "speaker": "Ute Ubel", "starts_at": "10:30"})
    assert created.status_code == 201
    item = created.json
    assert (item["title"], item["speaker"], item["starts_at"]) == \
        ("Wohnen und Arbeiten", "Ute Ubel", "10:30")
    assert [t["id"] for t in client.get(_url(event, "/agenda"), headers=auth).json["agenda"]] \
        == [talk["id"], item["id"]]

    patched = client.patch(_url(event, f"/agenda/{item['id']}"), headers=auth,
                           json={"title": "Wohnen, Arbeiten, Leben", "starts_at": "11:00"})
    assert patched.status_code == 200
    assert (patched.json["title"], patched.json["speaker"], patched.json["starts_at"]) == \
        ("Wohnen, Arbeiten, Leben", "Ute Ubel", "11:00")

    deleted = client.delete(_url(event, f"/agenda/{talk['id']}"), headers=auth)
    assert deleted.status_code == 204
    remaining = client.get(_url(event, "/agenda"), headers=auth).json["agenda"]
    assert [(t["id"], t["title"]) for t in remaining] == [(item["id"], "Wohnen, Arbeiten, Leben")]
    assert_error(client.delete(_url(event, f"/agenda/{talk['id']}"), headers=auth), "not_found")
    assert_error(client.patch(_url(event, f"/agenda/{talk['id']}"), headers=auth,
                              json={"title": "x"}), "not_found")


@pytest.mark.parametrize(("body", "field"), [
    ({}, "title"),
    ({"title": ""}, "title"),
    ({"title": "T", "starts_at": "25:00"}, "starts_at"),
    ({"title": "T", "starts_at": "9:30"}, "starts_at"),
    ({"title": "T", "starts_at": 930}, "starts_at"),
    ({"title": "T", "speaker": "x" * 121}, "speaker"),
    ({"title": "T", "room": "A"}, "room"),
])
def test_agenda_validation(client, auth, event, body, field):
    fields = assert_error(client.post(_url(event, "/agenda"), headers=auth, json=body),
                          "invalid")
    assert field in fields, fields
    assert len(client.get(_url(event, "/agenda"), headers=auth).json["agenda"]) == 1


def test_agenda_item_of_another_event_is_not_found(client, auth, event):
    other = client.post("/api/v1/events", headers=auth, json={
        "title": "Anderes", "agenda": [{"title": "Fremder Vortrag"}]}).json
    foreign = other["agenda"][0]["id"]
    assert_error(client.patch(_url(event, f"/agenda/{foreign}"), headers=auth,
                              json={"title": "gekapert"}), "not_found")
    assert_error(client.delete(_url(event, f"/agenda/{foreign}"), headers=auth), "not_found")
    assert client.get(_url(other, "/agenda"), headers=auth).json["agenda"][0]["title"] == \
        "Fremder Vortrag"


def test_agenda_is_for_the_event_moderators_only(client, other_auth, join, event):
    assert_error(client.get(_url(event, "/agenda"), headers=other_auth), "forbidden")
    participant = headers_of(join("Anna")["token"])
    assert_error(client.post(_url(event, "/agenda"), headers=participant,
                             json={"title": "x"}), "forbidden")


# --- workshops --------------------------------------------------------------------------------

def test_add_workshop(client, auth, event):
    response = client.post(_url(event, "/workshops"), headers=auth,
                           json={"title": "  Talente binden ", "question": "Wie binden wir?"})
    assert response.status_code == 201
    workshop = response.json
    assert (workshop["title"], workshop["question"]) == ("Talente binden", "Wie binden wir?")
    assert (workshop["participants"], workshop["ideas"]) == (0, 0)
    assert isinstance(workshop["id"], int)
    listed = client.get(_url(event, "/workshops"), headers=auth).json["workshops"]
    assert [w["id"] for w in listed] == [w["id"] for w in event["workshops"]] + [workshop["id"]]
    got = client.get(_url(event), headers=auth).json["workshops"]
    assert got[-1]["id"] == workshop["id"]
    assert got[-1]["locked"] is False


@pytest.mark.parametrize(("body", "field"), [
    ({"question": "?"}, "title"),
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": "T", "question": "x" * 1001}, "question"),
    ({"title": "T", "question": None}, "question"),
    ({"title": "T", "locked": True}, "locked"),
])
def test_add_workshop_validation(client, auth, event, body, field):
    fields = assert_error(client.post(_url(event, "/workshops"), headers=auth, json=body),
                          "invalid")
    assert field in fields, fields
    assert len(client.get(_url(event, "/workshops"), headers=auth).json["workshops"]) == 3


def test_patch_workshop(client, auth, event):
    workshop = event["workshops"][0]
    response = client.patch(f"/api/v1/workshops/{workshop['id']}", headers=auth,
                            json={"question": "Neue Leitfrage?"})
    assert response.status_code == 200
    assert (response.json["title"], response.json["question"]) == \
        (workshop["title"], "Neue Leitfrage?")
    listed = client.get(_url(event, "/workshops"), headers=auth).json["workshops"]
    assert listed[0]["question"] == "Neue Leitfrage?"


@pytest.mark.parametrize(("body", "field"), [
    ({"title": None}, "title"),
    ({"title": ""}, "title"),
    ({"position": -1}, "position"),
    ({"locked": True}, "locked"),
])
def test_patch_workshop_validation(client, auth, event, body, field):
    workshop = event["workshops"][0]
    response = client.patch(f"/api/v1/workshops/{workshop['id']}", headers=auth, json=body)
    assert field in assert_error(response, "invalid")


def test_patch_workshop_authorisation(client, other_auth, join, event):
    workshop = event["workshops"][0]
    url = f"/api/v1/workshops/{workshop['id']}"
    assert_error(client.patch(url, json={"title": "x"}), "unauthorized")
    assert_error(client.patch(url, headers=other_auth, json={"title": "x"}), "forbidden")
    assert_error(client.patch(url, headers=headers_of(join("Anna")["token"]),
                              json={"title": "x"}), "forbidden")


def test_patch_unknown_workshop_is_not_found(client, auth):
    assert_error(client.patch("/api/v1/workshops/99999", headers=auth, json={"title": "x"}),
                 "not_found")


def test_participant_of_another_event_may_not_list_workshops(client, auth, event):
    other = client.post("/api/v1/events", headers=auth, json={"title": "Anderes"}).json
    token = client.post("/api/v1/join", json={"code": other["join_code"], "name": "Olga"}).json
    assert_error(client.get(_url(event, "/workshops"), headers=headers_of(token["token"])),
                 "forbidden")


# --- moderators -------------------------------------------------------------------------------

def test_add_moderator_then_conflict_on_repeat(client, auth, other_auth, event):
    assert_error(client.get(_url(event), headers=other_auth), "forbidden")
    response = client.post(_url(event, "/moderators"), headers=auth,
                           json={"email": "OTHER@example.org"})
    assert response.status_code == 201
    assert response.json["email"] == "other@example.org"
    assert response.json["name"] == "Otto Other"
    assert client.get(_url(event), headers=other_auth).status_code == 200
    listed = client.get(_url(event, "/moderators"), headers=auth).json["moderators"]
    assert {m["email"] for m in listed} == {"moderatorin@example.org", "other@example.org"}

    repeat = client.post(_url(event, "/moderators"), headers=auth,
                         json={"email": "other@example.org"})
    assert "email" in assert_error(repeat, "conflict")
    assert len(client.get(_url(event, "/moderators"), headers=auth).json["moderators"]) == 2


def test_adding_myself_is_a_conflict(client, auth, moderator, event):
    assert_error(client.post(_url(event, "/moderators"), headers=auth,
                             json={"email": moderator["email"]}), "conflict")


def test_add_unknown_moderator_is_not_found(client, auth, event):
    assert_error(client.post(_url(event, "/moderators"), headers=auth,
                             json={"email": "nobody@example.org"}), "not_found")


def test_other_moderator_may_not_add_themselves(client, other_auth, event):
    assert_error(client.post(_url(event, "/moderators"), headers=other_auth,
                             json={"email": "other@example.org"}), "forbidden")
