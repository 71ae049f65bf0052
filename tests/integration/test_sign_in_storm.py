"""A storm of failed sign-ins does not stall the boards.

A real server process (eventlet, the default, with the real Argon2 parameters) and real
Socket.IO clients: 20 addresses send 2 wrong sign-ins each, all at once (each address within
its budget; e-mails without accounts, so every attempt costs a full verification against the
dummy hash). Meanwhile a phone in a workshop posts ideas one after another: its slowest ack
stays far below what a verification on the event loop costs (20 concurrent verifications there
freeze every board for seconds; docs/security.md). Every sign-in is answered ``401``, or
``503`` with ``Retry-After`` when the line for verification is full. Afterwards the moderator
signs in with the right password. The figures come from ``bench/signin_storm.py``.
"""

from __future__ import annotations

import pytest

from tests.support.server import Api, create_moderator, server_env
from tests.support.storm import sign_in_storm

pytestmark = pytest.mark.integration

BYSTANDER_BOUND_S = 2.0  # generous for a busy machine; without the pool it takes many seconds
MODERATOR = ("storm@example.org", "the right password, at last")


def test_a_sign_in_storm_leaves_a_bystander_phone_its_quick_acks(instance_path, start_server,
                                                                open_clients):
    env = server_env(instance_path, PINNWAND_TRUSTED_PROXIES="1")
    server = start_server(env)
    create_moderator(env, *MODERATOR, "Stella Sturm")
    moderator = Api(server.url).login(*MODERATOR)
    event = moderator.post("/events", {"title": "Sturm", "workshops": [
        {"title": "Windstill", "question": "?"}]}, expect=201)
    workshop = event["workshops"][0]["id"]
    phone = Api(server.url).post("/join", {"code": event["join_code"], "name": "Paula"})
    client = open_clients(server.url, [(phone["token"], "bystander")])[0]
    client.call_ok("join_workshop", {"workshop_id": workshop})

    result = sign_in_storm(server.url, client, workshop, addresses=20, attempts=2)
    print(f"\n{result.summary()}")

    assert set(result.statuses) <= {401, 503}, result.statuses
    assert result.statuses[401] >= 17, f"too few sign-ins were checked: {result.statuses}"
    assert result.missing_retry_after == 0
    assert result.worst_ack < BYSTANDER_BOUND_S, (
        f"a bystander's ack took {result.worst_ack:.2f} s during the storm: {result.summary()}")
    assert len(result.acks) >= 5, f"the bystander got only {len(result.acks)} acks"
    assert Api(server.url).login(*MODERATOR).token
