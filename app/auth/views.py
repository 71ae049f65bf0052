"""HTTP routes for moderators signing in and out."""

from __future__ import annotations

from flask import request
from pinnwand.api import api
from pinnwand.api.helpers import caller, json_body
from pinnwand.auth import services
from pinnwand.auth.schemas import LoginIn
from pinnwand.db import isoformat
from pinnwand.errors import Unauthorized
from pinnwand.state import state
from pinnwand.validation import parse


@api.post("/auth/token")
def create_token():
    """Sign in with e-mail and password: ``200 {"token", "expires_at", "moderator"}``.

    Failed attempts are counted per client address; too many answer ``429``.
    """
    data = parse(LoginIn, json_body())
    app_state = state()
    limiter = app_state.login_limiter
    limiter.check(request.remote_addr, "Too many failed sign-ins: wait {seconds} s.")
    days = app_state.settings.moderator_token_days
    with app_state.db.transaction() as session:
        try:
            moderator = services.authenticate(session, data.email, data.password)
        except Unauthorized:
            limiter.record(request.remote_addr)
            raise
        token, expires_at = services.issue_token(session, days=days, moderator=moderator)
        answer = {"token": token, "expires_at": isoformat(expires_at),
                  "moderator": moderator_json(moderator)}
    limiter.reset(request.remote_addr)
    return answer


@api.post("/auth/logout")
def logout():
    """Revoke the token this request carries (moderator or participant): ``204``."""
    identity = caller()
    with state().db.transaction() as session:
        services.revoke_token(session, identity.token_id)
    return "", 204


@api.get("/auth/me")
def whoami():
    """Who the token belongs to: ``{"kind", "name", "moderator_id"?, "participant_id"?,
    "event_id"?, "workshop_id"?}``."""
    identity = caller()
    answer = {"kind": identity.kind, "name": identity.name}
    if identity.is_moderator:
        answer["moderator_id"] = identity.moderator_id
    elif identity.is_host:
        answer.update(event_id=identity.event_id, workshop_id=identity.workshop_id)
    else:
        answer.update(participant_id=identity.participant_id, event_id=identity.event_id)
    return answer


def moderator_json(moderator) -> dict:
    """A moderator as the API shows them."""
    return {"id": moderator.id, "email": moderator.email, "name": moderator.name}
