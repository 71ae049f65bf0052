"""Three forums of one series end to end against a real ``pinnwand serve`` with real
Socket.IO clients: actions agreed in forum 1 (a phone signs up for its organisation), updated
between the forums through personal links, reviewed in forum 2 (in secret, then revealed; the
server is killed with ``kill -9`` in the middle), carried forward or dropped at forum 2's act
step, updated again, and reviewed once more in forum 3. The register, its CSV and XLSX
exports, the organisations' contributions and the forums' ``report.json`` must all agree.

The forums are dated far ahead, so that "the end of the forum" of every report is still to
come whatever day the test runs on: the register sections show the state at the moment of
the report, which the test controls."""

from __future__ import annotations

import csv
import io
import uuid

import openpyxl
import requests

from tests.support.server import Api, LiveClient, ServerProcess, create_moderator, server_env

EMAIL, PASSWORD = "moderatorin@example.org", "correct horse battery staple"
CHANGES = ("review_changed", "reviews_revealed")
VERDICTS = ("worked", "partly", "not", "unsure")


def _forum(api: Api, series_id: int, title: str, date: str) -> dict:
    return api.post("/events", {"title": title, "date": date, "series_id": series_id,
                                "workshops": [{"title": "Fachkräfte halten",
                                               "question": "Was hat gewirkt?"}]},
                    expect=201)


def _phone(server: ServerProcess, code: str, name: str, workshop: int) -> LiveClient:
    joined = Api(server.url).post("/join", {"code": code, "name": name})
    client = LiveClient(server.url, joined["token"], name).listen(*CHANGES).connect()
    client.call_ok("join_workshop", {"workshop_id": workshop})
    return client


def _save_action(mod: LiveClient, workshop: int, title: str, owner: str, due: str) -> dict:
    return mod.call_ok("save_action", {"workshop_id": workshop, "op_id": uuid.uuid4().hex,
                                       "title": title, "owner": owner,
                                       "owner_organisation": owner, "due": due})["action"]


def _update(server: ServerProcess, link: dict, action_id: int, status: str, note: str) -> None:
    response = requests.post(f"{server.url}/api/v1/actions/{action_id}/updates",
                             headers={"Authorization": f"Bearer {link['token']}"},
                             json={"status": status, "note": note}, timeout=10)
    assert response.status_code == 201, response.text


def _review(client: LiveClient, workshop: int, action: int, verdict: str, **extra) -> dict:
    return client.call_ok("review_action", {"workshop_id": workshop, "action_id": action,
                                            "verdict": verdict, **extra})


def _counts(review: dict) -> tuple[int, ...]:
    return tuple(review[key] for key in VERDICTS)


def _close(*clients: LiveClient) -> None:
    for client in clients:
        client.close()


def test_three_forums_review_carry_and_agree_everywhere(instance_path):
    env = server_env(instance_path)
    create_moderator(env, EMAIL, PASSWORD, "Maria Moderatorin", cwd=instance_path)
    with ServerProcess(env, cwd=instance_path) as server:
        api = Api(server.url).login(EMAIL, PASSWORD)
        series = api.post("/series", {"title": "Dialogforen Seenplatte"}, expect=201)
        spring = _forum(api, series["id"], "Frühjahrsforum", "2099-03-10")
        summer = _forum(api, series["id"], "Sommerforum", "2099-07-01")
        autumn = _forum(api, series["id"], "Herbstforum", "2099-11-01")
        ws1, ws2, ws3 = (forum["workshops"][0]["id"] for forum in (spring, summer, autumn))

        # Forum 1: three actions agreed, a phone signs up for its organisation.
        mod = LiveClient(server.url, api.token, "mod").connect()
        anna = _phone(server, spring["join_code"], "Anna", ws1)
        try:
            mod.call_ok("join_workshop", {"workshop_id": ws1})
            mod.call_ok("set_step", {"workshop_id": ws1, "step": "act"})
            bus = _save_action(mod, ws1, "Pendlerbus", "Stadtwerke", "2099-06-30")
            fair = _save_action(mod, ws1, "Ausbildungsmesse", "IHK", "2099-05-31")
            mentoring = _save_action(mod, ws1, "Mentoring", "HWK", "2099-06-01")
            anna.call_ok("sign_up", {"workshop_id": ws1, "action_id": bus["id"],
                                     "brings": "Fahrplandaten", "organisation": "Landkreis"})
        finally:
            _close(mod, anna)

        # Between forums 1 and 2: the owners report through their personal links.
        links = {action["id"]: api.post(f"/actions/{action['id']}/update-link",
                                        {"name": action["owner"]}, expect=201)
                 for action in (bus, fair, mentoring)}
        _update(server, links[bus["id"]], bus["id"], "running", "Fahrplan steht")
        _update(server, links[fair["id"]], fair["id"], "running", "Halle angefragt")
        _update(server, links[mentoring["id"]], mentoring["id"], "done", "Zwölf Tandems")

        # Forum 2: "which of our actions worked?" on every phone, in secret.
        mod = LiveClient(server.url, api.token, "mod").listen(*CHANGES).connect()
        ben = _phone(server, summer["join_code"], "Ben", ws2)
        clara = _phone(server, summer["join_code"], "Clara", ws2)
        try:
            mod.call_ok("join_workshop", {"workshop_id": ws2})
            mod.call_ok("set_step", {"workshop_id": ws2, "step": "review"})
            board = ben.call_ok("join_workshop", {"workshop_id": ws2})["review"]
            assert [card["id"] for card in board["actions"]] == [bus["id"], fair["id"]]
            assert board["actions"][0]["updates"][0]["note"] == "Fahrplan steht"
            _review(ben, ws2, bus["id"], "worked", comment="Fährt pünktlich")
            _review(clara, ws2, bus["id"], "partly")
            _review(ben, ws2, fair["id"], "not")
            last = _review(clara, ws2, fair["id"], "not", comment="Keine Aussteller")
            clara.wait_for(lambda got: sum(n == "review_changed" for n, _ in got) >= 4)
            assert all(change["review"] is None for change in clara.broadcasts("review_changed"))
            assert "Fährt pünktlich" not in str(clara.received)
        finally:
            _close(mod, ben, clara)

        server.kill9()  # nothing acknowledged may be lost
        server.start()
        api = Api(server.url, api.token)
        mod = LiveClient(server.url, api.token, "mod").connect()
        try:
            board = mod.call_ok("join_workshop", {"workshop_id": ws2})
            assert board["seq"] == last["seq"]
            assert {card["id"]: _counts(card["review"]) for card in board["review"]["actions"]} \
                == {bus["id"]: (1, 1, 0, 0), fair["id"]: (0, 0, 2, 0)}
            mod.call_ok("reveal_reviews", {"workshop_id": ws2})
            mod.call_ok("set_step", {"workshop_id": ws2, "step": "act"})
            mod.call_ok("carry_action", {
                "workshop_id": ws2, "op_id": uuid.uuid4().hex, "action_id": bus["id"],
                "due": "2099-10-31",
                "contributors": [{"name": "Jörg", "organisation": "Landkreis",
                                  "brings": "Haltestellen"}]})
            mod.call_ok("drop_action", {"workshop_id": ws2, "op_id": uuid.uuid4().hex,
                                        "action_id": fair["id"], "reason": "Keine Halle frei"})
            refused = mod.call("drop_action", {"workshop_id": ws2, "op_id": uuid.uuid4().hex,
                                               "action_id": mentoring["id"], "reason": "x"})
            assert refused["error"]["code"] == "conflict"  # done already
        finally:
            mod.close()
        summer_report = api.get(f"/events/{summer['id']}/report.json")

        # Between forums 2 and 3.
        _update(server, links[bus["id"]], bus["id"], "running", "Zweite Linie geplant")

        # Forum 3: only the carried action is still open; reviewed again.
        mod = LiveClient(server.url, api.token, "mod").connect()
        dora = _phone(server, autumn["join_code"], "Dora", ws3)
        try:
            mod.call_ok("join_workshop", {"workshop_id": ws3})
            mod.call_ok("set_step", {"workshop_id": ws3, "step": "review"})
            board = dora.call_ok("join_workshop", {"workshop_id": ws3})["review"]
            assert [card["id"] for card in board["actions"]] == [bus["id"]]
            assert board["actions"][0]["updates"][0]["note"] == "Zweite Linie geplant"
            assert board["actions"][0]["due"] == "2099-10-31"
            gone = dora.call("review_action", {"workshop_id": ws3, "action_id": fair["id"],
                                               "verdict": "worked"})
            assert gone["error"]["code"] == "not_found"  # dropped at forum 2
            _review(dora, ws3, bus["id"], "worked")
            mod.call_ok("reveal_reviews", {"workshop_id": ws3})
        finally:
            _close(mod, dora)
        autumn_report = api.get(f"/events/{autumn['id']}/report.json")

        # The register: one entry per action, across all three forums.
        register = {a["id"]: a for a in api.get(f"/series/{series['id']}/actions")["actions"]}
        assert list(register) == [bus["id"], fair["id"], mentoring["id"]]
        assert {i: (a["status"], _counts(a["review"])) for i, a in register.items()} == {
            bus["id"]: ("running", (2, 1, 0, 0)),
            fair["id"]: ("dropped", (0, 0, 2, 0)),
            mentoring["id"]: ("done", (0, 0, 0, 0))}
        assert register[bus["id"]]["due"] == "2099-10-31"
        assert [(c["workshop_id"], c["kind"], c["due_before"], c["due"])
                for c in register[bus["id"]]["carried"]] == [
            (ws2, "carried", "2099-06-30", "2099-10-31")]
        assert register[fair["id"]]["updates"][-1]["note"] == "Keine Halle frei"
        assert sorted(c["comment"] for c in register[bus["id"]]["review_comments"]) == [
            "Fährt pünktlich"]
        assert {c["organisation"] for c in register[bus["id"]]["contributors"]} == {"Landkreis"}

        # The exports say the same.
        exported = api.request("GET", f"/series/{series['id']}/actions.csv")
        lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        header = lines[0]
        table = [dict(zip(header, line, strict=True)) for line in lines[1:lines.index([])]]
        rows = {int(r["id"]): r for r in table}  # the organisations' table follows the blank
        assert {i: (r["status"], tuple(int(r[key]) for key in VERDICTS))
                for i, r in rows.items()} == {
            i: (a["status"], _counts(a["review"])) for i, a in register.items()}
        workbook = openpyxl.load_workbook(io.BytesIO(
            api.request("GET", f"/series/{series['id']}/actions.xlsx").content))
        sheet = workbook.worksheets[0]
        header = [cell.value for cell in sheet[1]]
        xlsx = {row[header.index("id")]: (row[header.index("status")],
                                          tuple(row[header.index(key)] for key in VERDICTS))
                for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert xlsx == {i: (a["status"], _counts(a["review"])) for i, a in register.items()}

        # Every member's contribution, across the series.
        organisations = {o["name"]: (o["owns"], o["contributes"]) for o in
                         api.get(f"/series/{series['id']}/organisations")["organisations"]}
        assert organisations == {"Stadtwerke": (1, 0), "IHK": (1, 0), "HWK": (1, 0),
                                 "Landkreis": (0, 1)}

        # The forums' reports: the review of each, and the register as it stood.
        assert [(r["action_id"], r["status"], *_counts(r)) for r in summer_report["review"]] == [
            (bus["id"], "running", 1, 1, 0, 0), (fair["id"], "dropped", 0, 0, 2, 0)]
        assert {r["action_id"]: (r["status"], r["decision"])
                for r in summer_report["register"]} == {
            bus["id"]: ("running", "carried"), fair["id"]: ("dropped", "dropped"),
            mentoring["id"]: ("done", None)}
        assert [(r["action_id"], *_counts(r)) for r in autumn_report["review"]] == [
            (bus["id"], 1, 0, 0, 0)]
        assert {r["action_id"]: (r["status"], r["latest_note"])
                for r in autumn_report["register"]} == {
            i: (a["status"], a["updates"][-1]["note"]) for i, a in register.items()}
