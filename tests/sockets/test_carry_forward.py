"""A later forum decides about the series' open actions: ``carry_action`` (same register entry,
new due date, new contributors) and ``drop_action`` (status ``dropped``, the reason logged),
numbered ``carried_action_saved`` in the later workshop, idempotent per ``op_id``."""

from __future__ import annotations

import pytest

from tests.conftest import op_id
from tests.sockets.helpers import (
    bearer,
    configure,
    data_of,
    error_code,
    join_board,
    new_series,
    payloads,
    save_action,
    seq_of,
    series_forum,
)


def _register(client, auth, series_id) -> dict:
    response = client.get(f"/api/v1/series/{series_id}/actions", headers=auth)
    assert response.status_code == 200, response.json
    return {a["id"]: a for a in response.json["actions"]}


@pytest.fixture
def forums(app, client, auth, connect):
    """A series with a spring forum (two actions) and an autumn forum in its act step, the
    moderator's socket, and a participant of the autumn forum on its board."""
    series = new_series(client, auth)
    spring = series_forum(client, auth, series["id"], "Frühjahrsforum", "2026-04-01")
    autumn = series_forum(client, auth, series["id"], "Herbstforum", "2026-10-01")
    mod = connect(bearer(auth))
    spring_ws, autumn_ws = spring["workshops"][0]["id"], autumn["workshops"][0]["id"]
    bus = save_action(mod, spring_ws, title="Pendlerbus", owner="Stadtwerke",
                      owner_organisation="Stadtwerke Waren", due="2026-09-30")
    fair = save_action(mod, spring_ws, title="Ausbildungsmesse", owner="IHK", due="2026-06-15")
    configure(app, autumn_ws, step="act")
    ben = client.post("/api/v1/join", json={"code": autumn["join_code"], "name": "Ben"}).json
    ben_tc = connect(ben["token"])
    join_board(ben_tc, autumn_ws)
    ben_tc.get_received()
    return {"series": series, "spring": spring, "autumn": autumn, "mod": mod,
            "autumn_ws": autumn_ws, "spring_ws": spring_ws, "bus": bus, "fair": fair,
            "ben": ben_tc}


def _carry(tc, workshop_id, action_id, op=None, **fields):
    return tc.emit("carry_action", {"workshop_id": workshop_id, "op_id": op or op_id(),
                                    "action_id": action_id, **fields}, callback=True)


def _drop(tc, workshop_id, action_id, reason, op=None):
    return tc.emit("drop_action", {"workshop_id": workshop_id, "op_id": op or op_id(),
                                   "action_id": action_id, "reason": reason}, callback=True)


def test_carrying_forward_keeps_the_register_entry_with_a_new_due_date_and_contributors(
        app, client, auth, forums):
    ws, bus = forums["autumn_ws"], forums["bus"]
    before = seq_of(app, ws)
    data = data_of(_carry(forums["mod"], ws, bus["id"], due="2027-03-31", contributors=[
        {"name": "Jana Kurz", "organisation": "Landkreis", "brings": "Fördermittel"}]))
    assert data["seq"] == before + 1
    carried = data["carried"]
    assert carried["kind"] == "carried" and carried["action_id"] == bus["id"]
    assert (carried["due_before"], carried["due"]) == ("2026-09-30", "2027-03-31")
    assert carried["action"]["event"]["title"] == "Frühjahrsforum"
    assert [(c["name"], c["organisation"]) for c in carried["action"]["contributors"]] == [
        ("Jana Kurz", "Landkreis")]

    entry = _register(client, auth, forums["series"]["id"])[bus["id"]]
    assert entry["due"] == "2027-03-31" and entry["status"] == "planned"
    assert entry["workshop_id"] == forums["spring_ws"]
    assert entry["carried"][0]["workshop_id"] == ws and entry["carried"][0]["kind"] == "carried"
    assert len(_register(client, auth, forums["series"]["id"])) == 2  # still one entry each

    # The room hears it, without the contributors' names; the snapshot holds it too.
    heard = payloads(forums["ben"], "carried_action_saved")
    assert [p["seq"] for p in heard] == [data["seq"]]
    assert heard[0]["carried"]["action"]["contributors"] == [
        {"organisation": "Landkreis", "brings": "Fördermittel"}]
    assert join_board(forums["ben"], ws)["carried"] == [heard[0]["carried"]]
    assert join_board(forums["mod"], ws)["carried"] == [carried]


def test_a_repeated_op_id_answers_the_first_answer_and_numbers_nothing(app, forums):
    ws, bus = forums["autumn_ws"], forums["bus"]
    op = op_id()
    first = data_of(_carry(forums["mod"], ws, bus["id"], op=op, due="2027-01-15"))
    again = data_of(_carry(forums["mod"], ws, bus["id"], op=op, due="2028-01-01"))
    assert again == first
    assert seq_of(app, ws) == first["seq"]


def test_dropping_sets_the_status_and_logs_the_reason(app, client, auth, forums):
    ws, fair = forums["autumn_ws"], forums["fair"]
    data = data_of(_drop(forums["mod"], ws, fair["id"], "Die Messe findet nicht mehr statt."))
    assert data["carried"]["kind"] == "dropped"
    assert data["carried"]["reason"] == "Die Messe findet nicht mehr statt."
    entry = _register(client, auth, forums["series"]["id"])[fair["id"]]
    assert entry["status"] == "dropped"
    assert [(u["status"], u["note"]) for u in entry["updates"]] == [
        ("dropped", "Die Messe findet nicht mehr statt.")]
    assert entry["updates"][0]["at"]
    assert [p["seq"] for p in payloads(forums["ben"], "carried_action_saved")] == [data["seq"]]
    # A dropped action can be neither dropped again nor carried forward.
    assert error_code(_drop(forums["mod"], ws, fair["id"], "Nochmal")) == "conflict"
    assert error_code(_carry(forums["mod"], ws, fair["id"])) == "conflict"
    assert seq_of(app, ws) == data["seq"]


def test_only_in_the_act_step_only_staff_only_earlier_forums_of_the_same_series(
        app, client, auth, connect, forums):
    ws, bus = forums["autumn_ws"], forums["bus"]
    seq = seq_of(app, ws)
    assert error_code(_carry(forums["ben"], ws, bus["id"])) == "forbidden"
    # Its own forum's action is no carry; nor one of another series.
    own = save_action(forums["mod"], ws, title="Neu im Herbst")
    seq = seq_of(app, ws)
    assert error_code(_carry(forums["mod"], ws, own["id"])) == "not_found"
    other = series_forum(client, auth, new_series(client, auth, "Andere Reihe")["id"], "Fremd",
                         "2026-01-01")
    stranger = save_action(forums["mod"], other["workshops"][0]["id"], title="Fremde Maßnahme")
    assert error_code(_carry(forums["mod"], ws, stranger["id"])) == "not_found"
    # From the spring forum, the autumn forum is later: no carry backwards.
    configure(app, forums["spring_ws"], step="act")
    assert error_code(_carry(forums["mod"], forums["spring_ws"], own["id"])) == "conflict"
    configure(app, ws, step="collect")
    assert error_code(_carry(forums["mod"], ws, bus["id"])) == "locked"
    assert error_code(_drop(forums["mod"], ws, bus["id"], "   ")) == "invalid"
    assert error_code(forums["mod"].emit("carry_action", {
        "workshop_id": ws, "op_id": op_id(), "action_id": bus["id"], "due": "2027-02-30"},
        callback=True)) == "invalid"
    assert seq_of(app, ws) == seq


def test_a_reconnecting_client_catches_up_on_the_decision(forums):
    ws = forums["autumn_ws"]
    since = join_board(forums["ben"], ws)["seq"]
    data = data_of(_carry(forums["mod"], ws, forums["bus"]["id"], due="2027-05-01"))
    caught = data_of(forums["ben"].emit("join_workshop", {"workshop_id": ws,
                                                          "since_seq": since}, callback=True))
    assert [(e["event"], e["seq"]) for e in caught["events"]] == [
        ("carried_action_saved", data["seq"])]


# --- "What is already running" -----------------------------------------------------------


def test_a_running_board_takes_an_activity_into_the_register(app, client, auth, connect):
    series = new_series(client, auth)
    response = client.post("/api/v1/events", headers=auth, json={
        "title": "Auftakt", "series_id": series["id"], "workshops": [
            {"title": "Was läuft schon?", "question": "Was tun Sie bereits?",
             "template": "running"},
            {"title": "Frei", "question": "Was noch?"}]})
    assert response.status_code == 201, response.json
    running_ws, free_ws = (w["id"] for w in response.json["workshops"])
    mod = connect(bearer(auth))
    join_board(mod, running_ws)
    idea = data_of(mod.emit("create_idea", {"workshop_id": running_ws, "op_id": op_id(),
                                            "text": "Azubi-Speeddating – IHK"},
                            callback=True))["idea"]
    op = op_id()
    payload = {"workshop_id": running_ws, "op_id": op, "idea_id": idea["id"],
               "organisation": "IHK", "title": "Azubi-Speeddating"}
    data = data_of(mod.emit("take_running", payload, callback=True))
    assert data["action"]["owner"] == data["action"]["owner_organisation"] == "IHK"
    assert data["action"]["idea_ids"] == [idea["id"]]
    assert data_of(mod.emit("take_running", payload, callback=True)) == data  # once
    assert seq_of(app, running_ws) == data["seq"]
    [entry] = _register(client, auth, series["id"]).values()
    assert (entry["title"], entry["status"]) == ("Azubi-Speeddating", "running")

    other = {**payload, "op_id": op_id(), "workshop_id": free_ws}
    assert error_code(mod.emit("take_running", other, callback=True)) in ("conflict",
                                                                         "not_found")
    no_org = {**payload, "op_id": op_id(), "organisation": " "}
    assert error_code(mod.emit("take_running", no_org, callback=True)) == "invalid"
