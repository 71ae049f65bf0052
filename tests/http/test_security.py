"""Security headers, and slowing down wrong join codes without hindering a venue behind NAT."""

from __future__ import annotations

from pinnwand.config import DEFAULT_FAILED_JOIN_LIMIT


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
    """Correct codes never count (tests/http/test_joining.py: a room of 500 with typos)."""
    for number in range(DEFAULT_FAILED_JOIN_LIMIT + 50):
        answer = client.post("/api/v1/join", json={"code": event["join_code"],
                                                   "name": f"Phone {number}"})
        assert answer.status_code == 200, answer.json


def test_the_number_of_workshops_is_limited_as_configured(tmp_path, migrated_template):
    import shutil

    from pinnwand.config import load_settings
    from pinnwand.factory import create_app

    from tests.conftest import _login, _make_moderator

    (tmp_path / "limited").mkdir()
    shutil.copy(migrated_template, tmp_path / "limited" / "pinnwand.db")
    app = create_app(load_settings({"PINNWAND_INSTANCE_PATH": str(tmp_path / "limited"),
                                    "PINNWAND_MAX_WORKSHOPS": "2"}), async_mode="threading")
    client = app.test_client()
    auth = _login(client, _make_moderator(app, "limit@example.org", "Lina"))
    three = [{"title": f"W{n}", "question": "?"} for n in range(3)]
    refused = client.post("/api/v1/events", headers=auth, json={"title": "E", "workshops": three})
    assert refused.status_code == 400 and "workshops" in refused.json["error"]["fields"]
    assert client.get("/api/v1/events", headers=auth).json["events"] == []
    event = client.post("/api/v1/events", headers=auth,
                        json={"title": "E", "workshops": three[:2]}).json
    extra = client.post(f"/api/v1/events/{event['id']}/workshops", headers=auth, json=three[2])
    assert extra.status_code == 400
    app.extensions["pinnwand"].db.dispose()
