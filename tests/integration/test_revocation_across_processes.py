"""Revoking access closes the sockets it concerns on every process, and a broadcast lost on
the way between processes is noticed by the heartbeat.

Two ``pinnwand serve`` processes, A and B, on one PostgreSQL database and one Redis
(``PINNWAND_MESSAGE_QUEUE``). Everything is revoked through A while the sockets it concerns
are connected to B:

1. a participant signs out (``POST /auth/logout``): their socket on B is closed, the others'
   stay open;
2. a host link is withdrawn (signing out with it): the host's socket on B is closed;
3. the moderator deletes the participants' personal data now: every participant's socket on B
   is closed, and the projector on B is told to load the board again, which then shows the
   ideas without names;
4. the moderator deletes the event: the projector's socket on B is closed.

Then the heartbeat: process A reaches Redis through a proxy that the test cuts, so a change
made on B never reaches A's phone as a broadcast; the heartbeat (read from the database, sent
by A itself) tells the phone the board's latest ``seq`` within seconds, and ``join_workshop
{"since_seq"}`` brings the missing change.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest

from tests.integration.test_multiprocess import message_queue  # noqa: F401  (fixture)
from tests.support.server import Api, create_moderator, server_env
from tests.support.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

MODERATOR = ("widerruf@example.org", "correct horse battery staple")
TIMEOUT_S = 15


def _two_processes(start_server, env_a: dict, env_b: dict):
    a = start_server(env_a)
    b = start_server(env_b)  # A has migrated the database: B finds it up to date
    create_moderator(env_a, *MODERATOR, "Wanda Widerruf")
    return a, b


def _event(api: Api) -> dict:
    return api.post("/events", {"title": "Widerruf", "workshops": [
        {"title": "Eins", "question": "Was tun?"}, {"title": "Zwei", "question": "Und nun?"}]},
        expect=201)


def test_revocations_close_the_sockets_on_every_process(
        postgres_database, message_queue, instance_path, start_server, open_clients):  # noqa: F811
    env = server_env(instance_path, postgres_database, message_queue=message_queue)
    a, b = _two_processes(start_server, env, env)
    moderator = Api(a.url).login(*MODERATOR)
    event = _event(moderator)
    workshop = event["workshops"][0]["id"]
    phones = {name: Api(a.url).post("/join", {"code": event["join_code"], "name": name})
              for name in ("Anna Abmelder", "Ben Bleibt", "Carla Clever")}
    viewer = moderator.post(f"/workshops/{workshop}/viewer-link", None, expect=201)
    host = moderator.post(f"/workshops/{workshop}/host-link", {"name": "Tisch Eins"},
                          expect=201)
    tokens = {**{name: phone["token"] for name, phone in phones.items()},
              "projector": viewer["token"], "host": host["token"]}
    clients = dict(zip(tokens, open_clients(b.url, [(token, f"{who} on B")
                                                     for who, token in tokens.items()]),
                       strict=True))
    clients["projector"].listen("resync")
    for client in clients.values():
        client.call_ok("join_workshop", {"workshop_id": workshop})
    named = clients["Carla Clever"].call_ok("create_idea", {
        "workshop_id": workshop, "op_id": uuid.uuid4().hex, "text": "Mit Namen"})["idea"]
    assert named["author"] == "Carla Clever"

    # 1. A participant signs out through A: only their socket on B is closed.
    Api(a.url, tokens["Anna Abmelder"]).request("POST", "/auth/logout", expect=204)
    assert clients["Anna Abmelder"].disconnected.wait(TIMEOUT_S), "the signed-out socket lives"
    # 2. The host link is withdrawn through A.
    Api(a.url, tokens["host"]).request("POST", "/auth/logout", expect=204)
    assert clients["host"].disconnected.wait(TIMEOUT_S), "the withdrawn host link's socket lives"
    assert clients["Ben Bleibt"].connected and clients["projector"].connected
    assert clients["Ben Bleibt"].call_ok("join_workshop", {"workshop_id": workshop,
                                                           "since_seq": 0})

    # 3. Personal data deleted now, through A: every participant's socket on B is closed, the
    #    projector on B loads the board again and sees no name.
    moderator.request("POST", f"/events/{event['id']}/privacy/purge", expect=200)
    for name in ("Ben Bleibt", "Carla Clever"):
        assert clients[name].disconnected.wait(TIMEOUT_S), f"{name}'s socket outlived the purge"
    projector = clients["projector"]
    projector.wait_for(lambda got: any(name == "resync" and payload == {"workshop_id": workshop}
                                       for name, payload in got),
                       TIMEOUT_S, "the request to load the board again")
    board = projector.call_ok("join_workshop", {"workshop_id": workshop})
    assert [idea["author"] for idea in board["ideas"] if idea["id"] == named["id"]] == [None]
    assert "Carla" not in str(board)

    # 4. The event is deleted through A: the projector's socket on B is closed.
    moderator.request("DELETE", f"/events/{event['id']}", expect=204)
    assert projector.disconnected.wait(TIMEOUT_S), "the projector outlived its event"


def test_a_broadcast_lost_between_processes_is_noticed_by_the_heartbeat(
        postgres_database, message_queue, instance_path, start_server, open_clients):  # noqa: F811
    redis = urlsplit(message_queue)
    proxy = TcpProxy((redis.hostname, redis.port or 6379))
    try:
        through_proxy = f"redis://127.0.0.1:{proxy.port}{redis.path}"
        env_a = server_env(instance_path, postgres_database, message_queue=through_proxy,
                           PINNWAND_HEARTBEAT_SECONDS="1")
        env_b = server_env(instance_path, postgres_database, message_queue=message_queue,
                           PINNWAND_HEARTBEAT_SECONDS="1")
        a, b = _two_processes(start_server, env_a, env_b)
        moderator = Api(a.url).login(*MODERATOR)
        event = _event(moderator)
        workshop = event["workshops"][0]["id"]
        phone_token = Api(a.url).post("/join", {"code": event["join_code"],
                                                "name": "Paula"})["token"]
        phone = open_clients(a.url, [(phone_token, "phone on A")])[0]
        phone.listen("heartbeat")
        staff = open_clients(b.url, [(moderator.token, "moderator on B")])[0]
        base = phone.call_ok("join_workshop", {"workshop_id": workshop})["seq"]
        staff.call_ok("join_workshop", {"workshop_id": workshop})

        proxy.cut()  # A loses Redis: what B publishes from now on never reaches A
        made = staff.call_ok("create_idea", {"workshop_id": workshop,
                                             "op_id": uuid.uuid4().hex, "text": "Verloren?"})
        phone.wait_for(lambda got: any(name == "heartbeat" and payload["seq"] >= made["seq"]
                                       for name, payload in got),
                       TIMEOUT_S, f"a heartbeat naming seq {made['seq']}")
        assert phone.broadcasts("idea_created") == [], "the broadcast was not lost after all"
        caught = phone.call_ok("join_workshop", {"workshop_id": workshop, "since_seq": base})
        assert caught["seq"] == made["seq"]
        assert [change["idea"]["text"] for change in caught["events"]] == ["Verloren?"]
    finally:
        proxy.close()
