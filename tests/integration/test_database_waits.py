"""Nobody waits in the dark: a held database lock or a lost database answers ``unavailable``.

Real server processes (eventlet, the default) with real Socket.IO clients:

- SQLite: another connection holds the write lock. A phone's ``create_idea`` answers
  ``unavailable`` (with ``retry_after``) once ``PINNWAND_DB_TIMEOUT`` is over, and meanwhile the
  event loop keeps serving: another phone's board of another workshop answers at once. After the
  lock is gone the phone's retry (same ``op_id``) is stored once.
- PostgreSQL: another session holds a row lock, then a table lock: the calls waiting for them
  answer ``unavailable`` within the timeout (socket ack and HTTP 503 with ``Retry-After``).
- PostgreSQL out of reach (the line cut by a proxy): connects are refused at once with a
  message, acks and HTTP answers say ``unavailable``; once the line is back everything works.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass

import psycopg
import pytest
import requests
import socketio
from sqlalchemy.engine import make_url

from tests.support.server import Api, LiveClient, create_moderator, server_env
from tests.support.services import libpq_url
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration

DB_TIMEOUT_S = 2
SLACK_S = 3  # what a busy test machine may add to a bounded wait
PROMPT_S = 1.0  # a call that waits for nothing answers within this, however busy the machine
MODERATOR_EMAIL = "waits@example.org"
MODERATOR_PASSWORD = "nobody waits in the dark"


@dataclass
class Stage:
    """A running server with an event of two workshops and a phone on each board."""

    url: str
    moderator: Api
    event: dict
    anna: LiveClient
    ben: LiveClient

    @property
    def workshops(self) -> list[int]:
        return [workshop["id"] for workshop in self.event["workshops"]]


def open_stage(env, start_server, open_clients) -> Stage:
    server = start_server(env)
    create_moderator(env, MODERATOR_EMAIL, MODERATOR_PASSWORD, "Wanda Wartet")
    moderator = Api(server.url).login(MODERATOR_EMAIL, MODERATOR_PASSWORD)
    event = moderator.post("/events", {"title": "Warten", "workshops": [
        {"title": "Eins", "question": "?"}, {"title": "Zwei", "question": "?"}]}, expect=201)
    tokens = [Api(server.url).post("/join", {"code": event["join_code"], "name": name})["token"]
              for name in ("Anna", "Ben")]
    anna, ben = open_clients(server.url, [(tokens[0], "Anna"), (tokens[1], "Ben")])
    stage = Stage(server.url, moderator, event, anna, ben)
    anna.call_ok("join_workshop", {"workshop_id": stage.workshops[0]})
    ben.call_ok("join_workshop", {"workshop_id": stage.workshops[1]})
    return stage


def new_idea(workshop_id: int, text: str) -> dict:
    return {"workshop_id": workshop_id, "op_id": uuid.uuid4().hex, "text": text}


def assert_unavailable(ack, waited: float, at_least: float = 0.0) -> None:
    assert isinstance(ack, dict) and ack.get("ok") is False, ack
    assert ack["error"]["code"] == "unavailable", ack
    assert isinstance(ack["error"].get("retry_after"), int) and ack["error"]["retry_after"] >= 1
    assert at_least <= waited <= DB_TIMEOUT_S + SLACK_S, f"answered after {waited:.2f} s"


def timed_call(client: LiveClient, event: str, data) -> tuple[dict, float]:
    began = time.perf_counter()
    ack = client.call(event, data, timeout=DB_TIMEOUT_S + 2 * SLACK_S)
    return ack, time.perf_counter() - began


def assert_stored_once(stage: Stage, workshop_id: int, text: str) -> None:
    ideas = stage.anna.call_ok("join_workshop", {"workshop_id": workshop_id})["ideas"]
    assert [idea["text"] for idea in ideas].count(text) == 1, ideas


def test_a_held_sqlite_write_lock_answers_unavailable_and_the_loop_keeps_serving(
        instance_path, start_server, open_clients):
    env = server_env(instance_path, PINNWAND_DB_TIMEOUT=str(DB_TIMEOUT_S))
    stage = open_stage(env, start_server, open_clients)
    holder = sqlite3.connect(instance_path / "pinnwand.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another connection (a script, a backup) writes
    try:
        idea = new_idea(stage.workshops[0], "Gewartet, nicht erstarrt")
        began = time.perf_counter()
        pending = stage.anna.emit("create_idea", idea)
        slowest = 0.0
        while not pending.arrived:  # Ben's board, another workshop, answers all the while
            ack, took = timed_call(stage.ben, "join_workshop",
                                   {"workshop_id": stage.workshops[1]})
            assert ack.get("ok") is True, ack
            slowest = max(slowest, took)
        waited = time.perf_counter() - began
        assert slowest < PROMPT_S, f"the event loop stalled: a read took {slowest:.2f} s"
        assert_unavailable(pending.ack, waited, at_least=DB_TIMEOUT_S * 0.8)
        refused = requests.patch(f"{stage.url}/api/v1/events/{stage.event['id']}",
                                 json={"title": "Umbenannt"}, timeout=DB_TIMEOUT_S + SLACK_S,
                                 headers={"Authorization": f"Bearer {stage.moderator.token}"})
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "unavailable"
        assert int(refused.headers["Retry-After"]) >= 1
    finally:
        holder.rollback()
        holder.close()
    assert stage.anna.call_ok("create_idea", idea)["idea"]["text"] == idea["text"]
    assert_stored_once(stage, stage.workshops[0], idea["text"])


def test_postgres_locks_held_by_another_session_answer_unavailable_within_the_timeout(
        postgres_database, instance_path, start_server, open_clients):
    env = server_env(instance_path, postgres_database, PINNWAND_DB_TIMEOUT=str(DB_TIMEOUT_S))
    stage = open_stage(env, start_server, open_clients)
    idea = new_idea(stage.workshops[0], "Zeile gesperrt")
    with psycopg.connect(libpq_url(postgres_database)) as holder:
        holder.execute("SELECT id FROM workshops WHERE id = %s FOR UPDATE",
                       (stage.workshops[0],))
        ack, waited = timed_call(stage.anna, "create_idea", idea)
        assert_unavailable(ack, waited, at_least=DB_TIMEOUT_S * 0.8)
        ack, took = timed_call(stage.ben, "join_workshop", {"workshop_id": stage.workshops[1]})
        assert ack.get("ok") is True and took < PROMPT_S, (ack, took)
        holder.rollback()
        holder.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
        began = time.perf_counter()
        refused = requests.get(f"{stage.url}/api/v1/events/{stage.event['id']}",
                               headers={"Authorization": f"Bearer {stage.moderator.token}"},
                               timeout=DB_TIMEOUT_S + 2 * SLACK_S)
        waited = time.perf_counter() - began
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "unavailable"
        assert int(refused.headers["Retry-After"]) >= 1
        assert waited <= DB_TIMEOUT_S + SLACK_S, waited
    assert stage.anna.call_ok("create_idea", idea)["idea"]["text"] == idea["text"]
    assert_stored_once(stage, stage.workshops[0], idea["text"])


class RefusalRecorder:
    """A bare Socket.IO client that remembers why its connection was refused."""

    def __init__(self):
        self.sio = socketio.Client(reconnection=False)
        self.refusal = None
        self.refused = threading.Event()
        self.sio.on("connect_error", self._refused)

    def _refused(self, data=None):
        self.refusal = data
        self.refused.set()

    def try_connect(self, url: str, token: str) -> float:
        began = time.perf_counter()
        with contextlib.suppress(socketio.exceptions.ConnectionError):
            self.sio.connect(url, auth={"token": token}, transports=["websocket"],
                             wait_timeout=DB_TIMEOUT_S + SLACK_S)
        assert self.refused.wait(DB_TIMEOUT_S + SLACK_S), "the connection was not refused"
        return time.perf_counter() - began


def test_a_lost_database_is_told_at_once_and_everything_works_when_it_is_back(
        postgres_database, instance_path, start_server, open_clients):
    real = make_url(postgres_database)
    proxy = TcpProxy((real.host or "127.0.0.1", real.port or 5432))
    try:
        through_proxy = real.set(host="127.0.0.1", port=proxy.port)
        env = server_env(instance_path, through_proxy.render_as_string(hide_password=False),
                         PINNWAND_DB_TIMEOUT=str(DB_TIMEOUT_S))
        stage = open_stage(env, start_server, open_clients)
        token = Api(stage.url).post("/join", {"code": stage.event["join_code"],
                                              "name": "Clara"})["token"]
        idea = new_idea(stage.workshops[0], "Trotz Ausfall")
        proxy.cut()

        ack, waited = timed_call(stage.anna, "create_idea", idea)
        assert_unavailable(ack, waited)
        recorder = RefusalRecorder()
        took = recorder.try_connect(stage.url, token)
        assert took < PROMPT_S + 1, f"a refused connect took {took:.2f} s"
        assert recorder.refusal["message"].startswith("unavailable:"), recorder.refusal
        assert recorder.refusal["data"]["code"] == "unavailable", recorder.refusal
        assert recorder.refusal["data"]["retry_after"] >= 1, recorder.refusal
        refused = requests.post(f"{stage.url}/api/v1/join", timeout=DB_TIMEOUT_S + SLACK_S,
                                json={"code": stage.event["join_code"], "name": "Dora"})
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "unavailable"
        assert int(refused.headers["Retry-After"]) >= 1

        proxy.restore()
        deadline = time.monotonic() + 3 * DB_TIMEOUT_S + SLACK_S
        while (ack := stage.anna.call("create_idea", idea)).get("ok") is not True:
            assert ack["error"]["code"] == "unavailable", ack
            assert time.monotonic() < deadline, f"still refused after the line came back: {ack}"
            time.sleep(ack["error"]["retry_after"] / 4)
        assert_stored_once(stage, stage.workshops[0], idea["text"])
        clara = open_clients(stage.url, [(token, "Clara")])[0]
        assert clara.call_ok("join_workshop", {"workshop_id": stage.workshops[1]})["ideas"] == []
    finally:
        proxy.close()
