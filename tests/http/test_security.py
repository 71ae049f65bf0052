"""Security headers, and slowing down wrong join codes without hindering a venue behind NAT."""

from __future__ import annotations

from app.config import DEFAULT_FAILED_JOIN_LIMIT


def test_every_response_carries_a_strict_policy(client, auth):
    for response in (client.get("/api/v1/openapi.json"), client.get("/api/v1/nothing"),
                     client.get("/api/v1/events", headers=auth)):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_over_tls(client):
    response = client.get("/api/v1/openapi.json", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_wrong_codes_from_one_address_are_slowed_down(client, event):
    wrong = {"code": "ZZZZZZ", "name": "Eve"}
    for _ in range(DEFAULT_FAILED_JOIN_LIMIT):
        assert client.post("/api/v1/join", json=wrong).status_code == 404
    refused = client.post("/api/v1/join", json={"code": event["join_code"], "name": "Eve"})
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    other_address = client.post("/api/v1/join", json={"code": event["join_code"], "name": "Bo"},
                                environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other_address.status_code == 200


def test_a_whole_venue_behind_one_address_joins(client, event):
    for number in range(3 * DEFAULT_FAILED_JOIN_LIMIT):
        answer = client.post("/api/v1/join", json={"code": event["join_code"],
                                                   "name": f"Phone {number}"})
        assert answer.status_code == 200, answer.json
