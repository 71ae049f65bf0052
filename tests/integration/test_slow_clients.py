"""Slow and stuck HTTP clients cannot hold the server.

Real server processes in every async mode, real sockets:

- a request whose headers trickle in (one byte now and then, never finishing) is cut once
  ``PINNWAND_HEADER_TIMEOUT`` is over, however often bytes arrive;
- a body that trickles is cut once ``PINNWAND_BODY_TIMEOUT`` is over (eventlet, gevent; the
  threading development server cuts slow headers only);
- meanwhile other requests are answered, and a websocket stays open far beyond both timeouts;
- SIGTERM while a client is half-way through a 10 MB polling POST (never finished): the server
  stops at once with exit code 0.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.parse

import pytest
import requests

from tests.support.server import Api, create_moderator, server_env

pytestmark = pytest.mark.integration

TIMEOUT_S = 2
SLACK_S = 3
TRICKLE_S = 0.4
MODES = ["eventlet", "gevent", "threading"]


def open_raw(url: str) -> socket.socket:
    parts = urllib.parse.urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT_S + SLACK_S)


def trickle_until_cut(sock: socket.socket, started: float, limit: float) -> float:
    """Send one byte every :data:`TRICKLE_S` until the server closes; when that was."""
    while time.perf_counter() - started < limit:
        try:
            sock.sendall(b"x")
            sock.settimeout(TRICKLE_S)
            if sock.recv(4096) == b"":
                return time.perf_counter() - started
        except TimeoutError:
            continue
        except OSError:  # reset or broken pipe: cut
            return time.perf_counter() - started
    raise AssertionError(f"the server kept a trickling request open for {limit} s")


def assert_answers(url: str) -> None:
    response = requests.get(f"{url}/api/v1/openapi.json", timeout=SLACK_S)
    assert response.status_code == 200


@pytest.fixture
def slow_env(instance_path):
    def make(mode: str) -> dict:
        return server_env(instance_path, async_mode=mode, PINNWAND_HEADER_TIMEOUT=str(TIMEOUT_S),
                          PINNWAND_BODY_TIMEOUT=str(TIMEOUT_S))

    return make


@pytest.mark.parametrize("mode", MODES)
def test_trickling_headers_are_cut(mode, slow_env, start_server):
    server = start_server(slow_env(mode))
    sock = open_raw(server.url)
    started = time.perf_counter()
    sock.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: pinnwand\r\nX-Slow: ")
    assert_answers(server.url)
    took = trickle_until_cut(sock, started, TIMEOUT_S + SLACK_S)
    assert took >= TIMEOUT_S * 0.8, f"cut after {took:.2f} s, before its time"
    sock.close()
    assert_answers(server.url)


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_trickling_bodies_are_cut(mode, slow_env, start_server):
    server = start_server(slow_env(mode))
    sock = open_raw(server.url)
    sock.sendall(b"POST /api/v1/join HTTP/1.1\r\nHost: pinnwand\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"code\": ")
    started = time.perf_counter()
    assert_answers(server.url)
    took = trickle_until_cut(sock, started, TIMEOUT_S + SLACK_S)
    assert took >= TIMEOUT_S * 0.8, f"cut after {took:.2f} s, before its time"
    sock.close()
    assert_answers(server.url)


@pytest.mark.parametrize("mode", MODES)
def test_a_websocket_outlives_the_request_timeouts(mode, slow_env, start_server, open_clients):
    env = slow_env(mode)
    server = start_server(env)
    create_moderator(env, "slow@example.org", "patience is a virtue", "Paula")
    moderator = Api(server.url).login("slow@example.org", "patience is a virtue")
    event = moderator.post("/events", {"title": "Geduld", "workshops": [
        {"title": "Eins", "question": "?"}]}, expect=201)
    client = open_clients(server.url, [(moderator.token, "moderator")])[0]
    time.sleep(2 * TIMEOUT_S + 1)  # idle, far beyond both request timeouts
    assert client.connected
    client.call_ok("join_workshop", {"workshop_id": event["workshops"][0]["id"]})


@pytest.mark.parametrize("mode", MODES)
def test_sigterm_during_a_huge_unfinished_body_stops_at_once(mode, instance_path,
                                                             start_server):
    server = start_server(server_env(instance_path, async_mode=mode))
    sock = open_raw(server.url)
    body = 10 * 1024 * 1024
    sock.sendall(b"POST /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: pinnwand\r\n"
                 b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % body)
    sent = threading.Event()

    def send_half() -> None:
        with contextlib.suppress(OSError):  # the server may cut it: also fine
            sock.sendall(b"x" * (body // 2))
        sent.set()

    threading.Thread(target=send_half, daemon=True).start()
    sent.wait(SLACK_S)
    time.sleep(0.5)  # the server answered, and now waits for (or discards) the rest
    server.terminate(timeout=SLACK_S + 5)
    assert server.stop_seconds < SLACK_S, f"stopping took {server.stop_seconds:.2f} s"
    sock.close()
