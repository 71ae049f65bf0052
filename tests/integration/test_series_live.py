"""A series of forums end to end against a real ``pinnwand serve`` with real Socket.IO
clients: actions agreed at the first forum (the room hears them, a participant signs up from
the phone), updated between the forums through personal links (one revoked), a second forum
in the same series adding its own; the register, its exports and the links survive
``kill -9``, and every view of the register agrees."""

from __future__ import annotations

import csv
import io
import uuid

import requests

from tests.support.server import Api, LiveClient, ServerProcess, create_moderator, server_env

EMAIL, PASSWORD = "moderatorin@example.org", "correct horse battery staple"


def _forum(api: Api, series_id: int, title: str, date: str) -> dict:
    return api.post("/events", {"title": title, "date": date, "series_id": series_id,
                                "workshops": [{"title": "Halten", "question": "Wie?"}]},
                    expect=201)


def _action(mod: LiveClient, workshop_id: int, title: str, owner: str) -> dict:
    return mod.call_ok("save_action", {"workshop_id": workshop_id, "op_id": uuid.uuid4().hex,
                                       "title": title, "owner": owner})["action"]


def _update(base_url: str, link: dict, action_id: int, status: str, note: str,
            expect: int = 201) -> requests.Response:
    response = requests.post(f"{base_url}/api/v1/actions/{action_id}/updates",
                             headers={"Authorization": f"Bearer {link['token']}"},
                             json={"status": status, "note": note}, timeout=10)
    assert response.status_code == expect, response.text
    return response


def test_a_series_carries_its_actions_from_forum_to_forum(instance_path):
    env = server_env(instance_path)
    create_moderator(env, EMAIL, PASSWORD, "Maria Moderatorin", cwd=instance_path)
    with ServerProcess(env, cwd=instance_path) as server:
        api = Api(server.url).login(EMAIL, PASSWORD)
        series = api.post("/series", {"title": "Dialogforen Seenplatte"}, expect=201)
        spring = _forum(api, series["id"], "Frühjahrsforum", "2026-04-01")
        workshop = spring["workshops"][0]["id"]

        mod = LiveClient(server.url, api.token, "mod").connect()
        anna_join = Api(server.url).post("/join", {"code": spring["join_code"], "name": "Anna"})
        anna = LiveClient(server.url, anna_join["token"], "anna")
        anna.sio.on("action_saved", anna._recorder("action_saved"))
        anna.connect()
        try:
            mod.call_ok("join_workshop", {"workshop_id": workshop})
            anna.call_ok("join_workshop", {"workshop_id": workshop})
            mod.call_ok("set_step", {"workshop_id": workshop, "step": "act"})
            bus = _action(mod, workshop, "Pendlerbus", "Stadtwerke")
            fair = _action(mod, workshop, "Ausbildungsmesse", "IHK")
            anna.wait_for_count(2, "action_saved")
            anna.call_ok("sign_up", {"workshop_id": workshop, "action_id": bus["id"],
                                     "brings": "Fahrplandaten"})
        finally:
            mod.close()
            anna.close()

        # Between the forums: the owners report through their personal links.
        bus_link = api.post(f"/actions/{bus['id']}/update-link", {"name": "Stadtwerke"},
                            expect=201)
        fair_link = api.post(f"/actions/{fair['id']}/update-link", {"name": "IHK"}, expect=201)
        _update(server.url, bus_link, bus["id"], "running", "Fahrplan steht")
        _update(server.url, fair_link, fair["id"], "dropped", "Keine Halle frei")
        _update(server.url, bus_link, fair["id"], "done", "fremd", expect=403)
        api.request("DELETE", f"/actions/{fair['id']}/update-links/{fair_link['id']}",
                    expect=204)
        _update(server.url, fair_link, fair["id"], "running", "zu spät", expect=401)

        server.kill9()
        server.start()
        api = Api(server.url, api.token)

        # The second forum of the series agrees on its own actions.
        autumn = _forum(api, series["id"], "Herbstforum", "2026-10-01")
        mod = LiveClient(server.url, api.token, "mod").connect()
        try:
            mentoring = _action(mod, autumn["workshops"][0]["id"], "Mentoring", "HWK")
        finally:
            mod.close()
        _update(server.url, bus_link, bus["id"], "done", "Bus fährt seit Mai")

        register = api.get(f"/series/{series['id']}/actions")["actions"]
        assert [(a["title"], a["event"]["title"], a["status"]) for a in register] == [
            ("Pendlerbus", "Frühjahrsforum", "done"),
            ("Ausbildungsmesse", "Frühjahrsforum", "dropped"),
            ("Mentoring", "Herbstforum", "planned")]
        assert [(u["status"], u["note"], u["by"]) for u in register[0]["updates"]] == [
            ("running", "Fahrplan steht", "Stadtwerke"), ("done", "Bus fährt seit Mai",
                                                          "Stadtwerke")]
        assert [c["name"] for c in register[0]["contributors"]] == ["Anna"]
        assert register[2]["id"] == mentoring["id"]
        open_ones = api.get(f"/series/{series['id']}/actions?status=planned,running")
        assert [a["title"] for a in open_ones["actions"]] == ["Mentoring"]

        exported = api.request("GET", f"/series/{series['id']}/actions.csv")
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert [(int(r["id"]), r["status"], r["latest_note"]) for r in rows] == [
            (a["id"], a["status"], a["updates"][-1]["note"] if a["updates"] else "")
            for a in register]
        assert api.get(f"/series/{series['id']}")["events"] == [
            {"id": spring["id"], "title": "Frühjahrsforum", "date": "2026-04-01"},
            {"id": autumn["id"], "title": "Herbstforum", "date": "2026-10-01"}]
