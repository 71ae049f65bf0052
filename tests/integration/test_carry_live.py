"""Carrying forward and dropping at a later forum against a real ``pinnwand serve`` with real
Socket.IO clients: the room of the later workshop hears each decision with the next ``seq``;
after ``kill -9`` a repeated ``op_id`` answers the first answer and numbers nothing, a
reconnecting phone catches up from the log, and the register shows the same entry with its
new due date and the dropped one with its reason."""

from __future__ import annotations

import uuid

from tests.support.server import Api, LiveClient, ServerProcess, create_moderator, server_env

EMAIL, PASSWORD = "moderatorin@example.org", "correct horse battery staple"


def _forum(api: Api, series_id: int, title: str, date: str) -> dict:
    return api.post("/events", {"title": title, "date": date, "series_id": series_id,
                                "workshops": [{"title": "Halten", "question": "Wie?"}]},
                    expect=201)


def test_decisions_of_a_later_forum_are_numbered_and_survive_kill_9(instance_path):
    env = server_env(instance_path)
    create_moderator(env, EMAIL, PASSWORD, "Maria Moderatorin", cwd=instance_path)
    with ServerProcess(env, cwd=instance_path) as server:
        api = Api(server.url).login(EMAIL, PASSWORD)
        series = api.post("/series", {"title": "Dialogforen Seenplatte"}, expect=201)
        spring = _forum(api, series["id"], "Frühjahrsforum", "2026-04-01")
        autumn = _forum(api, series["id"], "Herbstforum", "2026-10-01")
        spring_ws, autumn_ws = spring["workshops"][0]["id"], autumn["workshops"][0]["id"]
        mod = LiveClient(server.url, api.token, "mod").connect()
        joined = Api(server.url).post("/join", {"code": autumn["join_code"], "name": "Ben"})
        ben = LiveClient(server.url, joined["token"], "ben").listen("carried_action_saved")
        ben.connect()
        carry_op = uuid.uuid4().hex
        try:
            bus, fair = (mod.call_ok("save_action", {
                "workshop_id": spring_ws, "op_id": uuid.uuid4().hex, "title": title,
                "owner": owner, "due": "2026-09-30"})["action"]
                for title, owner in (("Pendlerbus", "Stadtwerke"), ("Messe", "IHK")))
            mod.call_ok("set_step", {"workshop_id": autumn_ws, "step": "act"})
            since = ben.call_ok("join_workshop", {"workshop_id": autumn_ws})["seq"]
            carried = mod.call_ok("carry_action", {
                "workshop_id": autumn_ws, "op_id": carry_op, "action_id": bus["id"],
                "due": "2027-03-31",
                "contributors": [{"name": "Jörg", "organisation": "Landkreis"}]})
            ben.wait_for_count(1, "carried_action_saved")
            assert ben.broadcasts("carried_action_saved")[0]["seq"] == carried["seq"] == since + 1
        finally:
            mod.close()
            ben.close()

        server.kill9()
        server.start()
        api = Api(server.url, api.token)
        mod = LiveClient(server.url, api.token, "mod").connect()
        ben = LiveClient(server.url, joined["token"], "ben").connect()
        try:
            again = mod.call_ok("carry_action", {
                "workshop_id": autumn_ws, "op_id": carry_op, "action_id": bus["id"],
                "due": "2030-01-01"})
            assert again == carried
            dropped = mod.call_ok("drop_action", {
                "workshop_id": autumn_ws, "op_id": uuid.uuid4().hex, "action_id": fair["id"],
                "reason": "Keine Halle frei"})
            assert dropped["seq"] == carried["seq"] + 1
            caught = ben.call_ok("join_workshop", {"workshop_id": autumn_ws,
                                                   "since_seq": since})
            assert [(e["event"], e["seq"], e["carried"]["kind"]) for e in caught["events"]] == [
                ("carried_action_saved", since + 1, "carried"),
                ("carried_action_saved", since + 2, "dropped")]
            assert caught["events"][0]["carried"]["action"]["contributors"] == [
                {"organisation": "Landkreis", "brings": None}]
            board = mod.call_ok("join_workshop", {"workshop_id": autumn_ws})
            assert [c["action_id"] for c in board["carried"]] == [bus["id"], fair["id"]]
        finally:
            mod.close()
            ben.close()

        register = {a["id"]: a for a in api.get(f"/series/{series['id']}/actions")["actions"]}
        assert len(register) == 2
        assert (register[bus["id"]]["due"], register[bus["id"]]["status"]) == (
            "2027-03-31", "planned")
        assert register[fair["id"]]["status"] == "dropped"
        assert register[fair["id"]]["updates"][-1]["note"] == "Keine Halle frei"
