"""Series and their action register over HTTP (contract §5): series, events in a series, the
register (filter, sort, search), status updates, personal links, and the exports. Actions are
recorded the way the boards record them: ``save_action`` and ``sign_up`` over Socket.IO."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.http.helpers import assert_error, headers_of
from tests.sockets.helpers import bearer, configure, data_of, new_series, save_action, series_forum


@pytest.fixture
def world(app, client, auth, connect):
    """A series with two forums (the later one created first), three actions, a sign-up."""
    series = new_series(client, auth)
    autumn = series_forum(client, auth, series["id"], "Herbstforum", "2026-10-01")
    spring = series_forum(client, auth, series["id"], "Frühjahrsforum", "2026-04-01")
    mod = connect(bearer(auth))
    spring_ws, autumn_ws = spring["workshops"][0]["id"], autumn["workshops"][0]["id"]
    bus = save_action(mod, spring_ws, title="Pendlerbus", owner="Stadtwerke", due="2026-09-30",
                  what="Ein Bus vom Bahnhof ins Gewerbegebiet")
    fair = save_action(mod, spring_ws, title="Ausbildungsmesse", owner="IHK", due="2026-06-15")
    mentoring = save_action(mod, autumn_ws, title="Mentoring", owner="Handwerkskammer")
    configure(app, spring_ws, step="act")
    anna = client.post("/api/v1/join", json={"code": spring["join_code"], "name": "Anna"}).json
    anna_tc = connect(anna["token"])
    data_of(anna_tc.emit("join_workshop", {"workshop_id": spring_ws}, callback=True))
    data_of(anna_tc.emit("sign_up", {"workshop_id": spring_ws, "action_id": bus["id"],
                                     "brings": "Fahrplandaten"}, callback=True))
    return {"series": series, "spring": spring, "autumn": autumn, "bus": bus, "fair": fair,
            "mentoring": mentoring, "anna": anna}


def _register(client, auth, series_id, query="") -> list[dict]:
    response = client.get(f"/api/v1/series/{series_id}/actions{query}", headers=auth)
    assert response.status_code == 200, response.json
    return response.json["actions"]


def test_a_series_is_created_empty_and_lists_its_events_by_date(client, auth, world):
    assert new_series(client, auth, "Neu") ["events"] == []
    answer = client.get(f"/api/v1/series/{world['series']['id']}", headers=auth).json
    assert answer == {"id": world["series"]["id"], "title": "Dialogforen Seenplatte", "events": [
        {"id": world["spring"]["id"], "title": "Frühjahrsforum", "date": "2026-04-01"},
        {"id": world["autumn"]["id"], "title": "Herbstforum", "date": "2026-10-01"}]}
    listed = client.get("/api/v1/series", headers=auth).json["series"]
    assert [s["title"] for s in listed] == ["Dialogforen Seenplatte", "Neu"]
    assert world["spring"]["series_id"] == world["series"]["id"]


def test_the_register_holds_every_action_of_every_forum_with_its_state(client, auth, world):
    register = _register(client, auth, world["series"]["id"])
    assert [a["title"] for a in register] == ["Pendlerbus", "Ausbildungsmesse", "Mentoring"]
    bus = register[0]
    assert bus["event_id"] == world["spring"]["id"] and bus["series_id"] == world["series"]["id"]
    assert bus["status"] == "planned" and bus["updates"] == []
    assert bus["review"] == {"worked": 0, "partly": 0, "not": 0, "unsure": 0}
    assert [(c["name"], c["brings"]) for c in bus["contributors"]] == [("Anna", "Fahrplandaten")]
    assert bus["event"] == {"id": world["spring"]["id"], "title": "Frühjahrsforum",
                            "date": "2026-04-01"}
    assert bus["workshop"]["title"] == "Halten"
    for field in ("id", "workshop_id", "title", "what", "owner", "due", "prospects",
                  "idea_ids", "cluster_ids", "contributors"):
        assert field in bus


def test_deleted_actions_leave_the_register(client, auth, world, connect):
    mod = connect(bearer(auth))
    ws = world["spring"]["workshops"][0]["id"]
    data_of(mod.emit("delete_action", {"workshop_id": ws, "action_id": world["fair"]["id"]},
                     callback=True))
    assert [a["title"] for a in _register(client, auth, world["series"]["id"])] == [
        "Pendlerbus", "Mentoring"]


def test_updates_set_the_status_and_are_logged_in_order(client, auth, world):
    bus = world["bus"]["id"]
    first = client.post(f"/api/v1/actions/{bus}/updates", headers=auth,
                        json={"status": "running", "note": "Fahrplan steht"})
    assert first.status_code == 201, first.json
    assert first.json["status"] == "running" and first.json["note"] == "Fahrplan steht"
    assert first.json["at"].endswith("Z") and first.json["by"] == "Maria Moderatorin"
    second = client.post(f"/api/v1/actions/{bus}/updates", headers=auth,
                         json={"status": "done", "link": "https://example.org/bus"})
    assert second.status_code == 201
    entry = client.get(f"/api/v1/actions/{bus}", headers=auth).json
    assert entry["status"] == "done"
    assert [(u["status"], u["note"], u["link"]) for u in entry["updates"]] == [
        ("running", "Fahrplan steht", None), ("done", None, "https://example.org/bus")]


@pytest.mark.parametrize("body", [
    {}, {"status": "finished"}, {"status": "done", "note": "x" * 1001},
    {"status": "done", "link": "javascript:alert(1)"}, {"status": "done", "extra": 1},
    {"status": None},
])
def test_bad_updates_are_refused_and_change_nothing(client, auth, world, body):
    bus = world["bus"]["id"]
    assert_error(client.post(f"/api/v1/actions/{bus}/updates", headers=auth, json=body),
                 "invalid")
    entry = client.get(f"/api/v1/actions/{bus}", headers=auth).json
    assert entry["status"] == "planned" and entry["updates"] == []


def test_the_register_filters_sorts_and_searches(client, auth, world):
    series = world["series"]["id"]
    client.post(f"/api/v1/actions/{world['fair']['id']}/updates", headers=auth,
                json={"status": "running", "note": "Hallen gebucht"})

    def titles(query):
        return [a["title"] for a in _register(client, auth, series, query)]

    assert titles("?status=running") == ["Ausbildungsmesse"]
    assert titles("?status=planned,done") == ["Pendlerbus", "Mentoring"]
    assert titles(f"?event_id={world['autumn']['id']}") == ["Mentoring"]
    assert titles("?q=hallen") == ["Ausbildungsmesse"]  # a note
    assert titles("?q=FAHRPLAN") == ["Pendlerbus"]  # what a contributor brings
    assert titles("?q=bahnhof%20bus") == ["Pendlerbus"]  # every word, anywhere
    assert titles("?q=nirgends") == []
    assert titles("?sort=due") == ["Ausbildungsmesse", "Pendlerbus", "Mentoring"]
    assert titles("?sort=title") == ["Ausbildungsmesse", "Mentoring", "Pendlerbus"]
    assert titles("?sort=status") == ["Pendlerbus", "Mentoring", "Ausbildungsmesse"]
    assert titles("?sort=updated")[0] == "Ausbildungsmesse"


@pytest.mark.parametrize("query", ["?status=finished", "?sort=random", "?event_id=abc",
                                   "?event_id=0", "?colour=red"])
def test_bad_register_queries_are_invalid(client, auth, world, query):
    response = client.get(f"/api/v1/series/{world['series']['id']}/actions{query}",
                          headers=auth)
    assert_error(response, "invalid")


def test_the_exports_hold_what_the_register_shows(client, auth, world):
    series = world["series"]["id"]
    client.post(f"/api/v1/actions/{world['bus']['id']}/updates", headers=auth,
                json={"status": "running", "note": "=HYPERLINK(\"x\")"})
    register = _register(client, auth, series, "?status=planned,running")
    response = client.get(f"/api/v1/series/{series}/actions.csv?status=planned,running",
                          headers=auth)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="dialogforen-seenplatte-register.csv"' in response.headers[
        "Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [int(r["id"]) for r in rows] == [a["id"] for a in register]
    assert [r["status"] for r in rows] == [a["status"] for a in register]
    assert rows[0]["latest_note"] == "'=HYPERLINK(\"x\")"  # inert, never a formula
    assert rows[0]["contributors"] == "Anna (Fahrplandaten)"
    workbook = client.get(f"/api/v1/series/{series}/actions.xlsx?status=planned,running",
                          headers=auth)
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:5] == ("id", "event", "event_date", "workshop", "title")
    assert [row[0] for row in values[1:]] == [a["id"] for a in register]
    assert values[1][12] == "'=HYPERLINK(\"x\")"


def test_events_join_only_series_their_moderator_may_use(client, auth, other_auth, world):
    body = {"title": "Fremd", "series_id": world["series"]["id"], "workshops": []}
    assert_error(client.post("/api/v1/events", headers=other_auth, json=body), "forbidden")
    assert_error(client.post("/api/v1/events", headers=auth, json={**body, "series_id": 999}),
                 "not_found")
    own = new_series(client, other_auth, "Andere Reihe")
    event = client.post("/api/v1/events", headers=other_auth,
                        json={**body, "series_id": own["id"]}).json
    # Moving it into a series the caller does not moderate is refused as well.
    assert_error(client.patch(f"/api/v1/events/{event['id']}", headers=other_auth,
                              json={"series_id": world["series"]["id"]}), "forbidden")
    moved = client.patch(f"/api/v1/events/{event['id']}", headers=other_auth,
                         json={"series_id": None})
    assert moved.status_code == 200 and moved.json["series_id"] is None


def test_co_moderators_of_a_forum_moderate_its_series(client, auth, other_auth, world):
    series = world["series"]["id"]
    assert_error(client.get(f"/api/v1/series/{series}/actions", headers=other_auth),
                 "forbidden")
    added = client.post(f"/api/v1/events/{world['autumn']['id']}/moderators", headers=auth,
                        json={"email": "other@example.org"})
    assert added.status_code == 201
    assert len(_register(client, other_auth, series)) == 3


def test_another_series_register_is_out_of_reach(client, auth, other_auth, world):
    """Participants never see a register; a moderator only the series they moderate."""
    series = world["series"]["id"]
    anna = headers_of(world["anna"]["token"])
    for path in (f"/api/v1/series/{series}", f"/api/v1/series/{series}/actions",
                 f"/api/v1/series/{series}/actions.csv", f"/api/v1/actions/{world['bus']['id']}"):
        assert_error(client.get(path, headers=anna), "forbidden")
        assert_error(client.get(path, headers=other_auth), "forbidden")
    other = new_series(client, other_auth, "Andere Reihe")
    assert _register(client, other_auth, other["id"]) == []
    assert_error(client.get(f"/api/v1/series/{other['id']}/actions", headers=auth), "forbidden")
    assert_error(client.get("/api/v1/series/999/actions", headers=auth), "not_found")


def test_the_next_forum_copies_what_the_moderator_chooses(app, client, auth, other_auth,
                                                          world, connect):
    spring = world["spring"]
    workshop = spring["workshops"][0]["id"]
    client.post(f"/api/v1/events/{spring['id']}/agenda", headers=auth,
                json={"title": "Was lief seit dem Frühjahr?", "speaker": "Dr. Jana Beispiel",
                      "starts_at": "09:30"})
    client.post(f"/api/v1/events/{spring['id']}/workshops", headers=auth, json={
        "title": "Gewinnen", "question": "Wie?", "template": "categories",
        "categories": ["Schule", "Studium"]})
    client.post(f"/api/v1/events/{spring['id']}/moderators", headers=auth,
                json={"email": "other@example.org"})
    mod = connect(bearer(auth))
    data_of(mod.emit("configure_workshop", {"workshop_id": workshop, "vote_budget": 7,
                                            "private_writing": True}, callback=True))
    response = client.post(f"/api/v1/events/{spring['id']}/next-forum", headers=auth, json={
        "title": "Sommerforum", "date": "2026-07-01", "location": "Waren (Müritz)"})
    assert response.status_code == 201, response.json
    summer = response.json
    assert summer["series_id"] == world["series"]["id"] and summer["id"] != spring["id"]
    assert (summer["title"], summer["date"], summer["location"]) == (
        "Sommerforum", "2026-07-01", "Waren (Müritz)")
    assert summer["join_code"] != spring["join_code"]
    assert [(a["title"], a["speaker"], a["starts_at"]) for a in summer["agenda"]] == [
        ("Was lief seit dem Frühjahr?", "Dr. Jana Beispiel", "09:30")]
    copied = summer["workshops"]
    assert [(w["title"], w["template"], w["step"], w["seq"]) for w in copied] == [
        ("Halten", "free", "collect", 0), ("Gewinnen", "categories", "collect", 0)]
    assert [c["title"] for c in copied[1]["categories"]] == ["Schule", "Studium"]
    assert copied[0]["settings"]["vote_budget"] == 7
    assert copied[0]["settings"]["private_writing"] is True
    assert copied[0]["participants"] == 0 and copied[0]["ideas"] == 0
    # The co-moderator runs the new forum too; the series lists it by date.
    assert client.get(f"/api/v1/events/{summer['id']}", headers=other_auth).status_code == 200
    events = client.get(f"/api/v1/series/{world['series']['id']}", headers=auth).json["events"]
    assert [e["title"] for e in events] == ["Frühjahrsforum", "Sommerforum", "Herbstforum"]
    # Its register entries: none yet (actions are never copied).
    assert _register(client, auth, world["series"]["id"], f"?event_id={summer['id']}") == []


def test_the_next_forum_copies_nothing_it_is_told_not_to(client, auth, other_auth, world):
    spring = world["spring"]
    client.post(f"/api/v1/events/{spring['id']}/moderators", headers=auth,
                json={"email": "other@example.org"})
    response = client.post(f"/api/v1/events/{spring['id']}/next-forum", headers=auth, json={
        "title": "Leer", "copy": {"agenda": False, "workshops": False, "moderators": False}})
    assert response.status_code == 201, response.json
    assert response.json["workshops"] == [] and response.json["agenda"] == []
    assert_error(client.get(f"/api/v1/events/{response.json['id']}", headers=other_auth),
                 "forbidden")


def test_the_next_forum_needs_a_series_and_its_moderator(client, auth, other_auth, world):
    alone = client.post("/api/v1/events", headers=auth, json={"title": "Einzeln"}).json
    before = client.get("/api/v1/events", headers=auth).json["events"]
    assert_error(client.post(f"/api/v1/events/{alone['id']}/next-forum", headers=auth,
                             json={"title": "Zweites"}), "conflict")
    assert_error(client.post(f"/api/v1/events/{world['spring']['id']}/next-forum",
                             headers=other_auth, json={"title": "Fremd"}), "forbidden")
    for body in ({}, {"title": ""}, {"title": "X", "copy": {"agenda": "ja"}},
                 {"title": "X", "copy": {"votes": True}}, {"title": "X", "date": "morgen"}):
        assert_error(client.post(f"/api/v1/events/{world['spring']['id']}/next-forum",
                                 headers=auth, json=body), "invalid")
    # Invitations without a mail server: refused before anything is created.
    assert_error(client.post(f"/api/v1/events/{world['spring']['id']}/next-forum",
                             headers=auth, json={"title": "Mit Post", "invite": True}),
                 "conflict")
    assert client.get("/api/v1/events", headers=auth).json["events"] == before
