"""Templates and first columns of new workshops: ``template`` and ``categories`` on
``POST /events`` and ``POST /events/{id}/workshops``."""

from __future__ import annotations

import pytest
from flask_babel import gettext

from tests.sockets.helpers import bearer, join_board

EXAMPLES = ["Keep talent in the region", "Train new talent", "Attract talent from outside"]


def titles(workshop: dict) -> list[str]:
    """The titles of a workshop's columns, in order."""
    return [c["title"] for c in workshop["categories"]]


def create_event(client, auth, workshops: list[dict], query: str = "", **headers):
    return client.post(f"/api/v1/events{query}", headers={**auth, **headers},
                       json={"title": "Forum", "workshops": workshops})


def add_workshop(client, auth, event_id: int, body: dict, query: str = "", **headers):
    return client.post(f"/api/v1/events/{event_id}/workshops{query}",
                       headers={**auth, **headers}, json=body)


def translated(app, lang: str) -> list[str]:
    """The example columns as the catalogue of ``lang`` has them."""
    with app.test_request_context(f"/?lang={lang}"):
        return [gettext(msgid) for msgid in EXAMPLES]


def test_default_is_a_free_board_without_columns(client, auth):
    response = create_event(client, auth, [{"title": "Frei"}])
    assert response.status_code == 201, response.json
    [workshop] = response.json["workshops"]
    assert workshop["template"] == "free"
    assert workshop["categories"] == []


def test_categories_template_starts_with_three_examples_in_english(client, auth):
    response = create_event(client, auth, [{"title": "Spalten", "template": "categories"}],
                            query="?lang=en")
    assert response.status_code == 201, response.json
    [workshop] = response.json["workshops"]
    assert workshop["template"] == "categories"
    assert titles(workshop) == EXAMPLES
    assert all(isinstance(c["id"], int) for c in workshop["categories"])


def test_examples_follow_accept_language(app, client, auth, event):
    english = add_workshop(client, auth, event["id"], {"title": "A", "template": "categories"},
                           **{"Accept-Language": "en-GB,en;q=0.9"})
    german = add_workshop(client, auth, event["id"], {"title": "B", "template": "categories"},
                          **{"Accept-Language": "de-DE,de;q=0.9"})
    assert english.status_code == german.status_code == 201
    assert titles(english.json) == EXAMPLES
    assert titles(german.json) == translated(app, "de")


def test_examples_default_to_the_servers_language(app, client, auth, event):
    response = add_workshop(client, auth, event["id"], {"title": "A", "template": "categories"})
    assert titles(response.json) == translated(app, "de")


def test_given_categories_are_kept_in_order_and_trimmed(client, auth):
    response = create_event(client, auth, [{
        "title": "Spalten", "template": "categories",
        "categories": ["  Halten ", "Ausbilden", "Gewinnen", "Sonstiges"],
    }])
    [workshop] = response.json["workshops"]
    assert titles(workshop) == ["Halten", "Ausbilden", "Gewinnen", "Sonstiges"]


def test_categories_turn_a_free_board_into_a_categories_board(client, auth, event):
    implicit = add_workshop(client, auth, event["id"], {"title": "A", "categories": ["Eins"]})
    explicit = add_workshop(client, auth, event["id"],
                            {"title": "B", "template": "free", "categories": ["Zwei"]})
    for response, column in ((implicit, "Eins"), (explicit, "Zwei")):
        assert response.status_code == 201, response.json
        assert response.json["template"] == "categories"
        assert titles(response.json) == [column]


def test_empty_categories_keep_a_free_board_free(client, auth, event):
    response = add_workshop(client, auth, event["id"], {"title": "A", "categories": []})
    assert (response.json["template"], response.json["categories"]) == ("free", [])


def test_how_might_we_has_no_columns_unless_given(client, auth, event):
    plain = add_workshop(client, auth, event["id"], {"title": "A", "template": "how_might_we"})
    columns = add_workshop(client, auth, event["id"],
                           {"title": "B", "template": "how_might_we", "categories": ["Wer"]})
    assert (plain.json["template"], plain.json["categories"]) == ("how_might_we", [])
    assert (columns.json["template"], titles(columns.json)) == ("how_might_we", ["Wer"])


def test_each_workshop_of_an_event_gets_its_own_columns(client, auth):
    response = create_event(client, auth, [
        {"title": "A", "template": "categories"},
        {"title": "B", "categories": ["Nur B"]},
        {"title": "C"},
    ], query="?lang=en")
    a, b, c = response.json["workshops"]
    assert (titles(a), titles(b), titles(c)) == (EXAMPLES, ["Nur B"], [])
    assert not {x["id"] for x in a["categories"]} & {x["id"] for x in b["categories"]}


def test_columns_are_on_the_board_and_take_no_seq(client, auth, event, connect):
    response = add_workshop(client, auth, event["id"],
                            {"title": "A", "categories": ["Eins", "Zwei"]})
    board = join_board(connect(bearer(auth)), response.json["id"])
    assert board["seq"] == 0
    assert titles(board["workshop"]) == ["Eins", "Zwei"]
    listed = client.get(f"/api/v1/events/{event['id']}", headers=auth).json["workshops"]
    assert titles(listed[-1]) == ["Eins", "Zwei"]


@pytest.mark.parametrize(("workshop", "field"), [
    ({"title": "T", "template": "kanban"}, "template"),
    ({"title": "T", "template": None}, "template"),
    ({"title": "T", "template": 1}, "template"),
    ({"title": "T", "categories": [f"S{n}" for n in range(13)]}, "categories"),
    ({"title": "T", "categories": [""]}, "categories.0"),
    ({"title": "T", "categories": ["   "]}, "categories.0"),
    ({"title": "T", "categories": ["x" * 121]}, "categories.0"),
    ({"title": "T", "categories": ["A", 2]}, "categories.1"),
    ({"title": "T", "categories": "A, B"}, "categories"),
    ({"title": "T", "categories": [{"title": "A"}]}, "categories.0"),
])
def test_bad_templates_create_nothing(client, auth, event, workshop, field):
    response = add_workshop(client, auth, event["id"], workshop)
    assert response.status_code == 400
    assert field in response.json["error"]["fields"]
    created = create_event(client, auth, [{"title": "ok"}, workshop])
    assert created.status_code == 400
    assert f"workshops.1.{field}" in created.json["error"]["fields"]
    events = client.get("/api/v1/events", headers=auth).json["events"]
    assert [e["id"] for e in events] == [event["id"]]
    listed = client.get(f"/api/v1/events/{event['id']}/workshops", headers=auth).json
    assert len(listed["workshops"]) == 3


def test_twelve_categories_are_fine(client, auth, event):
    columns = [f"Spalte {n}" for n in range(12)]
    response = add_workshop(client, auth, event["id"], {"title": "T", "categories": columns})
    assert response.status_code == 201
    assert titles(response.json) == columns
