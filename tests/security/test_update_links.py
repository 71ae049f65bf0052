"""A personal update link (contract §5) reaches its own action and nothing else.

With the link of ``action_B`` every HTTP route the authorisation matrix names (every route
the server registers) answers ``forbidden`` and changes nothing — but the three that need no
token at all; the socket connection is refused. Its own action it may read and update; a
revoked or expired link, nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from pinnwand.auth.models import Token
from pinnwand.db import utcnow
from sqlalchemy import update

from tests.http.helpers import assert_error
from tests.security.test_authorisation_matrix import HTTP_ROUTES, _body, _fill

WITHOUT_TOKEN = {"api.openapi_document": 200, "api.create_token": 200, "api.join": 200}


def _link(world, action: str = "action_B", name: str = "Stadtwerke") -> dict:
    response = world.client.post(f"/api/v1/actions/{world.ids[action]}/update-link",
                                 headers=world.headers("moderator"), json={"name": name})
    assert response.status_code == 201, response.json
    return response.json


def _headers(link: dict) -> dict:
    return {"Authorization": f"Bearer {link['token']}"}


@pytest.mark.parametrize("endpoint", sorted(HTTP_ROUTES))
def test_the_link_is_forbidden_on_every_other_route(world, endpoint):
    link = _link(world)
    method, path, body = HTTP_ROUTES[endpoint]
    kwargs = {"headers": _headers(link)}
    if body is not None:
        kwargs["json"] = _body(body, world)
    before = world.dump()
    response = getattr(world.client, method)(_fill(path, world), **kwargs)
    if endpoint in WITHOUT_TOKEN:
        assert response.status_code == WITHOUT_TOKEN[endpoint]
        return
    assert_error(response, "forbidden")
    assert world.dump() == before, "a refused call changed the database"


def test_the_link_reads_and_updates_its_own_action_only(world):
    link = _link(world)
    own, other = world.ids["action_B"], world.ids["action_A"]
    assert link["url"].endswith(f"/actions/{own}/update#token={link['token']}")
    assert link["qr"].startswith("data:image/svg+xml")
    shown = world.client.get(f"/api/v1/actions/{own}", headers=_headers(link))
    assert shown.status_code == 200
    assert shown.json["title"] == "Aktion B" and "contributors" not in shown.json
    sent = world.client.post(f"/api/v1/actions/{own}/updates", headers=_headers(link),
                             json={"status": "running", "note": "Angefangen"})
    assert sent.status_code == 201 and sent.json["by"] == "Stadtwerke"
    before = world.dump()
    for call in (lambda: world.client.get(f"/api/v1/actions/{other}", headers=_headers(link)),
                 lambda: world.client.post(f"/api/v1/actions/{other}/updates",
                                           headers=_headers(link), json={"status": "done"}),
                 lambda: world.client.post(f"/api/v1/actions/{other}/updates",
                                           headers=_headers(link), json={"bad": True}),
                 lambda: world.client.post(f"/api/v1/actions/{own}/update-link",
                                           headers=_headers(link), json={}),
                 lambda: world.client.get(f"/api/v1/actions/{own}/update-links",
                                          headers=_headers(link))):
        assert_error(call(), "forbidden")
    assert world.dump() == before
    register = world.client.get(f"/api/v1/actions/{own}", headers=world.headers("moderator"))
    assert register.json["status"] == "running"
    assert [u["note"] for u in register.json["updates"]] == ["Angefangen"]


def test_the_link_cannot_open_a_socket(world):
    link = _link(world)
    tc = world.socket_with(link["token"])
    assert not tc.is_connected()
    assert tc.connect_error["message"].startswith("forbidden:"), tc.connect_error


def test_a_revoked_link_does_nothing_any_more(world):
    link = _link(world)
    other = _link(world, name="IHK")
    own = world.ids["action_B"]
    links = world.client.get(f"/api/v1/actions/{own}/update-links",
                             headers=world.headers("moderator")).json["links"]
    assert [(entry["name"], entry["revoked"]) for entry in links] == [
        ("Stadtwerke", False), ("IHK", False)]
    assert "token" not in links[0]
    revoked = world.client.delete(f"/api/v1/actions/{own}/update-links/{link['id']}",
                                  headers=world.headers("moderator"))
    assert revoked.status_code == 204
    assert_error(world.client.post(f"/api/v1/actions/{own}/updates", headers=_headers(link),
                                   json={"status": "done"}), "unauthorized")
    assert_error(world.client.get(f"/api/v1/actions/{own}", headers=_headers(link)),
                 "unauthorized")
    # The other link of the same action still works.
    assert world.client.get(f"/api/v1/actions/{own}", headers=_headers(other)).status_code == 200
    # Revoking through another action, or by another event's moderator, is refused.
    assert_error(world.client.delete(
        f"/api/v1/actions/{world.ids['action_A']}/update-links/{other['id']}",
        headers=world.headers("moderator")), "not_found")
    assert_error(world.client.delete(f"/api/v1/actions/{own}/update-links/{other['id']}",
                                     headers=world.headers("moderator_other_event")),
                 "forbidden")


def test_an_expired_link_is_refused(world):
    link = _link(world)
    with world.app.extensions["pinnwand"].db.transaction() as session:
        session.execute(update(Token).where(Token.kind == "updater")
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert_error(world.client.get(f"/api/v1/actions/{world.ids['action_B']}",
                                  headers=_headers(link)), "unauthorized")


def test_a_deleted_action_takes_its_links_with_it(world):
    link = _link(world, action="action_A")
    mod = world.socket("moderator")
    ack = mod.emit("delete_action", {"workshop_id": world.ids["A"],
                                     "action_id": world.ids["action_A"]}, callback=True)
    assert ack["ok"], ack
    assert_error(world.client.get(f"/api/v1/actions/{world.ids['action_A']}",
                                  headers=_headers(link)), "not_found")
