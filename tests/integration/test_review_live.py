"""The review step end to end against a real ``pinnwand serve`` (SQLite and PostgreSQL) with
real Socket.IO clients: two phones of the later forum give verdicts on the earlier forum's
open actions while they are secret (each phone sees only its own, the projector only how
many came in, the moderator everything), the moderator reveals them, and after ``kill -9``
the verdicts, the reveal and the numbering are all still there — in the board, the register
and the report."""

from __future__ import annotations

import uuid

import pytest

from tests.support.server import Api, LiveClient, ServerProcess, create_moderator, server_env

EMAIL, PASSWORD = "moderatorin@example.org", "correct horse battery staple"
CHANGES = ("review_changed", "reviews_revealed", "step_changed")


def _forum(api: Api, series_id: int, title: str, date: str) -> dict:
    return api.post("/events", {"title": title, "date": date, "series_id": series_id,
                                "workshops": [{"title": "Halten", "question": "Wie?"}]},
                    expect=201)


def _phone(server: ServerProcess, code: str, name: str, workshop: int) -> LiveClient:
    joined = Api(server.url).post("/join", {"code": code, "name": name})
    client = LiveClient(server.url, joined["token"], name).listen(*CHANGES).connect()
    client.call_ok("join_workshop", {"workshop_id": workshop})
    return client


def _last(client: LiveClient, name: str) -> dict:
    client.wait_for_count(1, name)
    return client.broadcasts(name)[-1]


def _review(client: LiveClient, workshop: int, action: int, verdict: str, **extra) -> dict:
    return client.call_ok("review_action", {"workshop_id": workshop, "action_id": action,
                                            "verdict": verdict, **extra})


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_phones_review_in_secret_then_revealed_and_kill9_keeps_it(instance_path, request,
                                                                      database):
    url = request.getfixturevalue("postgres_database") if database == "postgresql" else None
    env = server_env(instance_path, database_url=url)
    create_moderator(env, EMAIL, PASSWORD, "Maria Moderatorin", cwd=instance_path)
    with ServerProcess(env, cwd=instance_path) as server:
        api = Api(server.url).login(EMAIL, PASSWORD)
        series = api.post("/series", {"title": "Dialogforen Seenplatte"}, expect=201)
        spring = _forum(api, series["id"], "Frühjahrsforum", "2026-04-01")
        autumn = _forum(api, series["id"], "Herbstforum", "2026-10-01")
        spring_ws, ws = spring["workshops"][0]["id"], autumn["workshops"][0]["id"]
        mod = LiveClient(server.url, api.token, "mod").listen(*CHANGES).connect()
        clients = [mod]
        try:
            actions = [mod.call_ok("save_action", {"workshop_id": spring_ws,
                                                   "op_id": uuid.uuid4().hex,
                                                   "title": title})["action"]["id"]
                       for title in ("Pendlerbus", "Ausbildungsmesse")]
            bus, fair = actions
            api.post(f"/actions/{bus}/updates", {"status": "running", "note": "Fahrplan steht"},
                     expect=201)
            viewer = api.post(f"/workshops/{ws}/viewer-link", {}, expect=201)
            projector = LiveClient(server.url, viewer["token"], "projector").listen(*CHANGES)
            clients.append(projector.connect())
            projector.call_ok("join_workshop", {"workshop_id": ws})
            mod.call_ok("join_workshop", {"workshop_id": ws})
            anna = _phone(server, autumn["join_code"], "Anna", ws)
            ben = _phone(server, autumn["join_code"], "Ben", ws)
            clients += [anna, ben]
            assert mod.call("review_action", {"workshop_id": ws, "action_id": bus,
                                              "verdict": "worked"})["error"]["code"] == "locked"
            mod.call_ok("set_step", {"workshop_id": ws, "step": "review"})
            board = anna.call_ok("join_workshop", {"workshop_id": ws})
            assert [a["title"] for a in board["review"]["actions"]] == [
                "Pendlerbus", "Ausbildungsmesse"]
            assert board["review"]["actions"][0]["updates"][0]["note"] == "Fahrplan steht"

            first = _review(anna, ws, bus, "worked", comment="Fährt zuverlässig")
            _review(ben, ws, bus, "partly")
            last = _review(ben, ws, fair, "unsure")
            assert last["seq"] == first["seq"] + 2
            for client in (mod, projector, anna, ben):
                client.wait_for(lambda got: sum(n == "review_changed" for n, _ in got) >= 3)
            assert _last(mod, "review_changed")["review"]["unsure"] == 1
            for client in (projector, anna, ben):
                seen = _last(client, "review_changed")
                assert seen["hidden"] is True and seen["review"] is None
            for client in (projector, ben):  # Anna's comment is hers (under "mine")
                assert "Fährt zuverlässig" not in str(client.received)
            assert anna.broadcasts("review_changed")[0]["mine"] == {
                "verdict": "worked", "comment": "Fährt zuverlässig"}

            revealed = mod.call_ok("reveal_reviews", {"workshop_id": ws})
            shown = {a["action_id"]: a for a in _last(projector, "reviews_revealed")["actions"]}
            assert shown[bus]["review"] == {"worked": 1, "partly": 1, "not": 0, "unsure": 0}
            assert shown[bus]["comments"][0]["comment"] == "Fährt zuverlässig"
            assert revealed["seq"] == last["seq"] + 1
        finally:
            for client in clients:
                client.close()

        server.kill9()
        server.start()
        api = Api(server.url, api.token)
        mod = LiveClient(server.url, api.token, "mod").connect()
        try:
            board = mod.call_ok("join_workshop", {"workshop_id": ws})
            assert board["seq"] == revealed["seq"] and board["workshop"]["step"] == "review"
            tallies = {a["id"]: a["review"] for a in board["review"]["actions"]}
            assert tallies == {bus: {"worked": 1, "partly": 1, "not": 0, "unsure": 0},
                               fair: {"worked": 0, "partly": 0, "not": 0, "unsure": 1}}
            caught = mod.call_ok("join_workshop", {"workshop_id": ws,
                                                   "since_seq": first["seq"] - 1})
            assert [e["event"] for e in caught["events"]] == [
                "review_changed"] * 3 + ["reviews_revealed"]
            again = _phone(server, autumn["join_code"], "Clara", ws)
            try:
                part = again.call_ok("join_workshop", {"workshop_id": ws})["review"]
                assert part["revealed"] is True and part["actions"][0]["review"]["worked"] == 1
                repeat = _review(again, ws, fair, "not")
                assert repeat["seq"] == revealed["seq"] + 1
            finally:
                again.close()
        finally:
            mod.close()
        register = api.get(f"/series/{series['id']}/actions")["actions"]
        assert {a["id"]: a["review"]["not"] + a["review"]["unsure"] for a in register} == {
            bus: 0, fair: 2}
        report = api.get(f"/events/{autumn['id']}/report.json")
        assert [(r["title"], r["worked"], r["partly"], r["not"], r["unsure"])
                for r in report["review"]] == [("Pendlerbus", 1, 1, 0, 0),
                                               ("Ausbildungsmesse", 0, 0, 1, 1)]
