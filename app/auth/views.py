"""HTTP routes for moderators signing in and out."""

from __future__ import annotations

from flask import jsonify, request
from pinnwand.api import api
from pinnwand.api.helpers import caller, json_body
from pinnwand.auth import services
from pinnwand.auth.budgets import DEVICE_COOKIE, DEVICE_DAYS
from pinnwand.auth.schemas import LoginIn
from pinnwand.db import isoformat
from pinnwand.errors import Unauthorized
from pinnwand.state import state
from pinnwand.validation import parse


@api.post("/auth/token")
def create_token():
    """Sign in with e-mail and password: ``200 {"token", "expires_at", "moderator"}``, and a
    ``pinnwand_device`` cookie that lets this device sign in to the account even while others
    use up the address's or the account's budget of failures (``auth/budgets.py``).

    Failures are counted per known device, else per client address and per account; a used-up
    budget answers ``429`` with ``Retry-After``. The password is checked off the event loop in
    a bounded pool; when its line is full the answer is ``503`` with ``Retry-After``.
    """
    data = parse(LoginIn, json_body())
    app_state = state()
    with app_state.db.read() as session:
        moderator = services.find_moderator(session, data.email)
        if moderator is not None:
            session.expunge(moderator)
    budgets = app_state.sign_in_budgets
    attempt = budgets.attempt(request.remote_addr, data.email,
                              moderator.id if moderator else None,
                              request.cookies.get(DEVICE_COOKIE))
    try:
        services.check_password(moderator, data.password, app_state.passwords.verify)
    except Unauthorized:
        budgets.failed(attempt)
        raise
    days = app_state.settings.moderator_token_days
    with app_state.db.transaction() as session:
        token, expires_at = services.issue_token(session, days=days, moderator=moderator)
    response = jsonify({"token": token, "expires_at": isoformat(expires_at),
                        "moderator": moderator_json(moderator)})
    _set_device_cookie(response, budgets.succeeded(attempt, moderator.id))
    return response


def _set_device_cookie(response, value: str) -> None:
    """The known-device cookie: sent only to the sign-in routes, never readable by scripts."""
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 86_400, path="/api/v1/auth",
                        secure=request.is_secure, httponly=True, samesite="Strict")


@api.post("/auth/logout")
def logout():
    """Revoke the token this request carries (moderator, participant, host or projector link):
    ``204``. Sockets that connected with it are closed at once, on every process."""
    identity = caller()
    app_state = state()
    with app_state.db.transaction() as session:
        services.revoke_token(session, identity.token_id)
    app_state.revocations.tokens([identity.token_id])
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
