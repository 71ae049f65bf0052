"""Sending the results survives ``kill -9`` (contract §4), with a real ``pinnwand serve`` and a
real SMTP server on 127.0.0.1.

Thirty participants consent to receive the results; one address is refused for good, one
mailbox is busy once, one delivery loses its connection half-way. The mailing starts, the
server is killed hard in the middle of it and started again: every recipient gets the mail
(at most the one on the wire twice), the refusal is marked with the server's reply, and while
the mails go out a phone's idea is acknowledged as quickly as ever. Every async mode, on SQLite;
and two processes sharing PostgreSQL, each claiming deliveries, with one of them killed.
"""

from __future__ import annotations

import time
import uuid

import pytest

from tests.support.server import Api, create_moderator, server_env, wait_until
from tests.support.smtp import MailServer

EMAIL, PASSWORD = "moderatorin@example.org", "correct horse battery staple"
RECIPIENTS = 30
REFUSED, BUSY, DROPPED = 7, 13, 21
REFUSAL = "550 5.1.1 Recipient address rejected: User unknown"
KILL_AFTER = 8  # mails delivered before the kill
SMTP_DELAY_S = 0.15  # per mail: the mailing takes a few seconds
LEASE_S = 3
MAX_ACK_SECONDS = 2.0


def _address(n: int) -> str:
    return f"person{n:02d}@example.org"


@pytest.fixture
def mail_server():
    with MailServer(delay=SMTP_DELAY_S) as server:
        server.refuse[_address(REFUSED)] = REFUSAL
        server.busy[_address(BUSY)] = 1
        server.drop[_address(DROPPED)] = 1
        yield server


def _env(instance_path, mail_server, **extra) -> dict[str, str]:
    return server_env(instance_path, PINNWAND_SMTP_URL=mail_server.url,
                      PINNWAND_MAIL_RETRY_SECONDS="1",
                      PINNWAND_MAIL_LEASE_SECONDS=str(LEASE_S), **extra)


def _event_with_consents(base_url: str) -> tuple[Api, dict, list[str]]:
    """An event, thirty participants who consented to receive the results, the published
    page; the moderator's API and the participants' tokens."""
    api = Api(base_url).login(EMAIL, PASSWORD)
    event = api.post("/events", {"title": "Fachkräfte-Forum", "date": "2026-11-21",
                                 "workshops": [{"title": "Halten", "question": "Wie?"}]},
                     expect=201)
    tokens = []
    for n in range(RECIPIENTS):
        joined = Api(base_url).post("/join", {"code": event["join_code"], "name": f"P{n}"})
        Api(base_url, joined["token"]).request(
            "PUT", "/contact", json={"email": _address(n), "send_results": True,
                                     "lang": "de" if n % 2 else "en"})
        tokens.append(joined["token"])
    api.request("PUT", f"/events/{event['id']}/publication", json={"lang": "de"})
    return api, event, tokens


def _mailing(api: Api, mailing_id: int) -> dict:
    return api.get(f"/mailings/{mailing_id}")


def _check_everyone_got_it(mail_server: MailServer, mailing: dict) -> None:
    assert mailing["state"] == "done", mailing
    assert (mailing["recipients"], mailing["sent"], mailing["failed"]) == (
        RECIPIENTS, RECIPIENTS - 1, 1)
    refused = [d for d in mailing["deliveries"] if d["state"] == "failed"]
    assert refused == [{"email": _address(REFUSED), "state": "failed", "error": REFUSAL,
                        "attempts": 1, "sent_at": None}]
    copies = {n: len(mail_server.to(_address(n))) for n in range(RECIPIENTS) if n != REFUSED}
    assert all(count >= 1 for count in copies.values()), copies  # nobody lost
    assert sum(count - 1 for count in copies.values()) <= 1, copies  # only the one on the wire
    assert mail_server.to(_address(REFUSED)) == []
    assert mail_server.dropped == 1
    busy = next(d for d in mailing["deliveries"] if d["email"] == _address(BUSY))
    assert busy["state"] == "sent" and busy["attempts"] >= 2


@pytest.mark.integration
@pytest.mark.parametrize("async_mode", ["eventlet", "gevent", "threading"])
def test_a_mailing_survives_kill_9_and_reaches_everyone(async_mode, instance_path,
                                                        start_server, mail_server,
                                                        open_clients):
    env = _env(instance_path, mail_server, async_mode=async_mode)
    create_moderator(env, EMAIL, PASSWORD, "Mia Moderatorin")
    server = start_server(env)
    api, event, tokens = _event_with_consents(server.url)
    [phone] = open_clients(server.url, [(tokens[0], "phone")])
    workshop = event["workshops"][0]["id"]
    phone.call_ok("join_workshop", {"workshop_id": workshop})

    mailing = api.post(f"/events/{event['id']}/mailings", {"kind": "results"}, expect=201)
    assert mailing["recipients"] == RECIPIENTS
    # the boards stay live while the mails go out
    while mail_server.count() < KILL_AFTER:
        began = time.perf_counter()
        phone.call_ok("create_idea", {"workshop_id": workshop, "op_id": uuid.uuid4().hex,
                                      "text": "Während des Versands"})
        assert time.perf_counter() - began < MAX_ACK_SECONDS
        time.sleep(0.05)
    server.kill9()
    delivered_before = mail_server.count()
    assert delivered_before < RECIPIENTS - 1, "the mailing finished before the kill"

    server.start()  # resumes on start
    api = Api(server.url).login(EMAIL, PASSWORD)
    done = wait_until(lambda: (m := _mailing(api, mailing["id"]))["state"] == "done" and m,
                      timeout=90, interval=0.2, what="the mailing to finish after the restart",
                      details=lambda: str(_mailing(api, mailing["id"])))
    _check_everyone_got_it(mail_server, done)
    assert mail_server.count() > delivered_before


@pytest.mark.integration
@pytest.mark.postgres
def test_two_processes_share_a_mailing_and_one_of_them_dies(instance_path, tmp_path,
                                                            start_server, mail_server,
                                                            postgres_database, redis_url):
    env = _env(instance_path, mail_server, database_url=postgres_database,
               message_queue=redis_url)
    create_moderator(env, EMAIL, PASSWORD, "Mia Moderatorin")
    first = start_server(env)
    second_instance = tmp_path / "second"
    second_instance.mkdir()
    second = start_server(_env(second_instance, mail_server, database_url=postgres_database,
                               message_queue=redis_url))
    api, event, _ = _event_with_consents(first.url)
    mailing = api.post(f"/events/{event['id']}/mailings", {"kind": "results"}, expect=201)
    wait_until(lambda: mail_server.count() >= KILL_AFTER, timeout=60,
               what=f"{KILL_AFTER} mails")
    first.kill9()
    watcher = Api(second.url).login(EMAIL, PASSWORD)
    done = wait_until(lambda: (m := _mailing(watcher, mailing["id"]))["state"] == "done" and m,
                      timeout=90, interval=0.2, what="the second process to finish the mailing",
                      details=lambda: str(_mailing(watcher, mailing["id"])))
    _check_everyone_got_it(mail_server, done)
