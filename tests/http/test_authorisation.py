"""Who may call what: no token 401, a participant's token 403, another moderator 403,
an unknown event 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pinnwand.auth.models import Token
from pinnwand.auth.services import digest
from pinnwand.db import utcnow
from sqlalchemy import update

from tests.http.helpers import assert_error, headers_of

# (method, path template, body) of every moderator route; {e} = event id, {w} = workshop id,
# {a} = agenda item id
MODERATOR_ROUTES = [
    ("get", "/api/v1/events", None),
    ("post", "/api/v1/events", {"title": "E"}),
    ("get", "/api/v1/events/{e}", None),
    ("patch", "/api/v1/events/{e}", {"title": "E"}),
    ("get", "/api/v1/events/{e}/agenda", None),
    ("post", "/api/v1/events/{e}/agenda", {"title": "T"}),
    ("patch", "/api/v1/events/{e}/agenda/{a}", {"title": "T"}),
    ("delete", "/api/v1/events/{e}/agenda/{a}", None),
    ("get", "/api/v1/events/{e}/moderators", None),
    ("post", "/api/v1/events/{e}/moderators", {"email": "other@example.org"}),
    ("post", "/api/v1/events/{e}/workshops", {"title": "W", "question": "?"}),
    ("patch", "/api/v1/workshops/{w}", {"title": "W"}),
    ("get", "/api/v1/events/{e}/report.json", None),
]
EVENT_ROUTES = [r for r in MODERATOR_ROUTES if "{" in r[1]]
IDS = [f"{m} {p}" for m, p, _ in MODERATOR_ROUTES]


def _call(client, route, event, headers=None, event_id=None):
    method, template, body = route
    path = template.format(e=event_id or event["id"], w=event["workshops"][0]["id"],
                           a=event["agenda"][0]["id"])
    kwargs = {"headers": headers or {}}
    if body is not None:
        kwargs["json"] = body
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize("route", MODERATOR_ROUTES, ids=IDS)
def test_no_token_is_unauthorized(client, event, route):
    assert_error(_call(client, route, event), "unauthorized")


@pytest.mark.parametrize("route", MODERATOR_ROUTES, ids=IDS)
def test_participant_token_is_forbidden(client, event, join, route):
    headers = headers_of(join("Anna")["token"])
    assert_error(_call(client, route, event, headers), "forbidden")


@pytest.mark.parametrize("route", EVENT_ROUTES, ids=[f"{m} {p}" for m, p, _ in EVENT_ROUTES])
def test_other_moderator_is_forbidden(client, event, other_auth, route):
    assert_error(_call(client, route, event, other_auth), "forbidden")


@pytest.mark.parametrize("route", [r for r in EVENT_ROUTES if "{w}" not in r[1]],
                         ids=[f"{m} {p}" for m, p, _ in EVENT_ROUTES if "{w}" not in p])
def test_unknown_event_is_not_found(client, event, auth, route):
    assert_error(_call(client, route, event, auth, event_id=987654), "not_found")


def test_forbidden_calls_change_nothing(client, auth, other_auth, event, join):
    participant = headers_of(join("Anna")["token"])
    for headers, routes in ((other_auth, EVENT_ROUTES), (participant, MODERATOR_ROUTES)):
        for route in routes:
            if route[0] != "get":
                assert_error(_call(client, route, event, headers), "forbidden")
    got = client.get(f"/api/v1/events/{event['id']}", headers=auth).json
    assert got["title"] == event["title"]
    assert [(w["id"], w["title"]) for w in got["workshops"]] == \
        [(w["id"], w["title"]) for w in event["workshops"]]
    assert [a["id"] for a in got["agenda"]] == [a["id"] for a in event["agenda"]]
    moderators = client.get(f"/api/v1/events/{event['id']}/moderators", headers=auth).json
    assert [m["email"] for m in moderators["moderators"]] == ["moderatorin@example.org"]
    assert client.get("/api/v1/events", headers=other_auth).json["events"] == []


def test_expired_token_is_unauthorized(app, client, auth):
    token = auth["Authorization"].split()[1]
    with app.extensions["pinnwand"].db.transaction() as session:
        session.execute(update(Token).where(Token.digest == digest(token))
                        .values(expires_at=utcnow() - timedelta(minutes=1)))
    assert_error(client.get("/api/v1/events", headers=auth), "unauthorized")
