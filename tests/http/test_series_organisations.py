"""Member contributions: owners and contributors name an organisation (the moderator on the
board, a participant at sign-up); the register sums up per organisation what it owns and
contributes across the series, also in the CSV (a second section) and XLSX (a second sheet)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.http.helpers import assert_error
from tests.sockets.helpers import bearer, configure, data_of, save_action, series_forum


@pytest.fixture
def members(app, client, auth, connect):
    """Two forums: the Stadtwerke own two actions, the IHK one; Anna (IHK) signs up on her
    phone for the bus, the moderator adds the Landkreis to the fair."""
    series = client.post("/api/v1/series", headers=auth, json={"title": "Seenplatte"}).json
    spring = series_forum(client, auth, series["id"], "Frühjahrsforum", "2026-04-01")
    autumn = series_forum(client, auth, series["id"], "Herbstforum", "2026-10-01")
    mod = connect(bearer(auth))
    spring_ws, autumn_ws = spring["workshops"][0]["id"], autumn["workshops"][0]["id"]
    bus = save_action(mod, spring_ws, title="Pendlerbus", owner="Herr Kern",
                      owner_organisation="Stadtwerke")
    fair = save_action(mod, spring_ws, title="Ausbildungsmesse", owner="Frau Roth",
                       owner_organisation="IHK")
    tram = save_action(mod, autumn_ws, title="Rufbus", owner="Herr Kern",
                       owner_organisation=" stadtwerke ")
    configure(app, spring_ws, step="act")
    anna = client.post("/api/v1/join", json={"code": spring["join_code"], "name": "Anna"}).json
    anna_tc = connect(anna["token"])
    data_of(anna_tc.emit("join_workshop", {"workshop_id": spring_ws}, callback=True))
    signed = data_of(anna_tc.emit("sign_up", {
        "workshop_id": spring_ws, "action_id": bus["id"], "brings": "Fahrplandaten",
        "organisation": "IHK"}, callback=True))
    assert signed["action"]["contributors"][0]["organisation"] == "IHK"
    data_of(mod.emit("sign_up", {"workshop_id": spring_ws, "action_id": fair["id"],
                                 "name": "Jana", "organisation": "Landkreis"}, callback=True))
    return {"series": series, "bus": bus, "fair": fair, "tram": tram, "anna": anna_tc,
            "spring_ws": spring_ws}


def test_the_register_sums_up_per_organisation(client, auth, members):
    answer = client.get(f"/api/v1/series/{members['series']['id']}/organisations",
                        headers=auth)
    assert answer.status_code == 200, answer.json
    found = {o["name"]: o for o in answer.json["organisations"]}
    assert list(found) == ["IHK", "Stadtwerke", "Landkreis"]
    assert (found["Stadtwerke"]["owns"], found["Stadtwerke"]["contributes"]) == (2, 0)
    assert (found["IHK"]["owns"], found["IHK"]["contributes"]) == (1, 1)
    assert [(a["title"], a["role"], a["brings"]) for a in found["IHK"]["actions"]] == [
        ("Pendlerbus", "contributor", "Fahrplandaten"), ("Ausbildungsmesse", "owner", None)]
    assert [a["event"] for a in found["Stadtwerke"]["actions"]] == [
        "Frühjahrsforum", "Herbstforum"]
    entry = {a["id"]: a for a in client.get(
        f"/api/v1/series/{members['series']['id']}/actions", headers=auth).json["actions"]}
    assert entry[members["bus"]["id"]]["owner_organisation"] == "Stadtwerke"


def test_signing_up_again_keeps_the_organisation_unless_a_new_one_is_sent(members):
    anna, ws, bus = members["anna"], members["spring_ws"], members["bus"]["id"]
    again = data_of(anna.emit("sign_up", {"workshop_id": ws, "action_id": bus,
                                          "brings": "Zeit"}, callback=True))
    assert again["action"]["contributors"][0]["organisation"] == "IHK"
    moved = data_of(anna.emit("sign_up", {"workshop_id": ws, "action_id": bus,
                                          "brings": "Zeit", "organisation": "HWK"},
                              callback=True))
    assert moved["action"]["contributors"][0]["organisation"] == "HWK"
    assert moved["seq"] == again["seq"] + 1


def test_the_exports_carry_the_member_contributions(client, auth, members):
    series = members["series"]["id"]
    text = client.get(f"/api/v1/series/{series}/actions.csv", headers=auth).data.decode(
        "utf-8-sig")
    register, organisations = text.split("\r\n\r\n")
    rows = list(csv.DictReader(io.StringIO(register)))
    assert {r["title"]: r["owner_organisation"] for r in rows} == {
        "Pendlerbus": "Stadtwerke", "Ausbildungsmesse": "IHK", "Rufbus": "stadtwerke"}
    assert "Anna, IHK (Fahrplandaten)" in {r["title"]: r for r in rows}["Pendlerbus"][
        "contributors"]
    summary = list(csv.DictReader(io.StringIO(organisations)))
    assert [(r["organisation"], r["owns"], r["contributes"]) for r in summary] == [
        ("IHK", "1", "1"), ("Stadtwerke", "2", "0"), ("Landkreis", "0", "1")]

    book = load_workbook(io.BytesIO(client.get(f"/api/v1/series/{series}/actions.xlsx",
                                               headers=auth).data))
    assert book.sheetnames == ["register", "organisations"]
    sheet = list(book["organisations"].values)
    assert sheet[0] == ("organisation", "owns", "contributes", "actions")
    assert sheet[2][:3] == ("Stadtwerke", 2, 0)


def test_organisations_are_the_series_moderators_and_bounded(client, auth, other_auth,
                                                             members):
    url = f"/api/v1/series/{members['series']['id']}/organisations"
    assert_error(client.get(url), "unauthorized")
    assert_error(client.get(url, headers=other_auth), "forbidden")
    ack = members["anna"].emit("sign_up", {"workshop_id": members["spring_ws"],
                                           "action_id": members["bus"]["id"],
                                           "organisation": "x" * 201}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid"
