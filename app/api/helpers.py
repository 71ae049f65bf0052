"""Small helpers every API view uses: the JSON body, the caller's identity, the base URL."""

from __future__ import annotations

from flask import g, request
from pinnwand.auth.identity import Identity
from pinnwand.auth.services import resolve_token
from pinnwand.errors import Forbidden, Invalid, Unauthorized
from pinnwand.state import state


def json_body() -> dict:
    """The request's JSON object, or :class:`Invalid` when it is missing or not an object."""
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise Invalid("The request body must be a JSON object.", {"": "expected a JSON object"})
    return data


def bearer_token() -> str | None:
    """The token from ``Authorization: Bearer <token>``, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def caller(updater_ok: bool = False) -> Identity:
    """Whoever the bearer token stands for, or :class:`Unauthorized`. The personal link of an
    action (an updater) is :class:`Forbidden` everywhere but on the routes that pass
    ``updater_ok`` (its own action's page and updates)."""
    if "identity" not in g:
        token = bearer_token()
        if token is None:
            raise Unauthorized("Send 'Authorization: Bearer <token>'.")
        with state().db.read() as session:
            g.identity = resolve_token(session, token)
    if g.identity.is_updater and not updater_ok:
        raise Forbidden("This link only shows and updates its one action.")
    return g.identity


def moderator() -> Identity:
    """The calling moderator, or 401 (no valid token) / 403 (a participant's token)."""
    identity = caller()
    if not identity.is_moderator:
        raise Forbidden("Only moderators may do this.")
    return identity


def base_url() -> str:
    """The public base URL: ``PINNWAND_PUBLIC_URL`` if set, else the URL of this request."""
    return state().settings.public_url or request.host_url.rstrip("/")
