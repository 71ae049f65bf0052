"""Moderator accounts and tokens; plain functions on a Session, no Flask."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from pinnwand.auth.identity import HOST, MODERATOR, PARTICIPANT, UPDATER, VIEWER, Identity
from pinnwand.auth.models import Moderator, Token
from pinnwand.auth.passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from pinnwand.db import utcnow
from pinnwand.errors import Conflict, Invalid, Unauthorized
from pinnwand.events.models import Participant
from pinnwand.series.models import UpdateLink
from pinnwand.workshops.models import Workshop
from sqlalchemy import func, select
from sqlalchemy.orm import Session


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively: stored trimmed and lower-cased."""
    return email.strip().lower()


def create_moderator(session: Session, email: str, password: str, name: str | None = None):
    """Create a moderator account (CLI). Refuses a taken e-mail or a short password."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise Invalid("That is not an e-mail address.", {"email": "not an e-mail address"})
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
            {"password": f"at least {MIN_PASSWORD_LENGTH} characters"},
        )
    if find_moderator(session, email) is not None:
        raise Conflict(f"A moderator with the e-mail {email} exists already.", {"email": "taken"})
    display = (name or "").strip() or email.split("@", 1)[0]
    moderator = Moderator(email=email, name=display[:80], password_hash=hash_password(password))
    session.add(moderator)
    session.flush()
    return moderator


def find_moderator(session: Session, email: str) -> Moderator | None:
    """The moderator with this e-mail (any case), or ``None``."""
    query = select(Moderator).where(Moderator.email == normalise_email(email))
    return session.scalars(query).one_or_none()


def count_moderators(session: Session) -> int:
    """How many moderator accounts exist (the server hints at the CLI when there are none)."""
    return session.scalar(select(func.count(Moderator.id))) or 0


def authenticate(session: Session, email: str, password: str,
                 verify=verify_password) -> Moderator:
    """The moderator whose e-mail and password match, or :class:`Unauthorized`.

    ``verify(hash, password)`` checks the password (the server passes one that runs off the
    event loop); an unknown e-mail is checked against a dummy hash, so it costs the same."""
    moderator = find_moderator(session, email)
    return check_password(moderator, password, verify)


def check_password(moderator: Moderator | None, password: str,
                   verify=verify_password) -> Moderator:
    """``moderator`` if ``password`` is theirs; :class:`Unauthorized` otherwise (also for
    ``None``, after the same work)."""
    if not verify(moderator.password_hash if moderator else None, password):
        raise Unauthorized("E-mail or password is wrong.")
    return moderator


def issue_token(session: Session, *, days: int, moderator: Moderator | None = None,
                participant: Participant | None = None, workshop_id: int | None = None,
                host_name: str | None = None,
                event_id: int | None = None) -> tuple[str, datetime]:
    """Create an opaque token for a moderator, a participant, a read-only viewer of one
    workshop (or, given ``event_id`` instead, of the event's plenary), or (given
    ``host_name``) a host of one workshop; only its digest is stored.

    Returns the raw token (shown once, never stored) and when it expires.
    """
    raw = secrets.token_urlsafe(32)
    expires_at = utcnow().replace(microsecond=0) + timedelta(days=days)
    kind = HOST if host_name is not None else VIEWER
    if moderator is not None or participant is not None:
        kind = MODERATOR if moderator is not None else PARTICIPANT
    session.add(Token(
        kind=kind,
        digest=digest(raw),
        moderator_id=moderator.id if moderator is not None else None,
        participant_id=participant.id if participant is not None else None,
        workshop_id=workshop_id if kind in (VIEWER, HOST) else None,
        event_id=event_id if kind == VIEWER and workshop_id is None else None,
        name=host_name if kind == HOST else None,
        expires_at=expires_at,
    ))
    session.flush()
    return raw, expires_at


def issue_update_token(session: Session, *, action_id: int, name: str | None,
                       days: int) -> tuple[str, Token]:
    """Create the personal link token of one action for ``name`` (its owner, a contributor);
    only its digest is stored. Returns the raw token (shown once) and its row."""
    raw = secrets.token_urlsafe(32)
    token = Token(kind=UPDATER, digest=digest(raw), name=name or None,
                  expires_at=utcnow().replace(microsecond=0) + timedelta(days=days))
    session.add(token)
    session.flush()
    session.add(UpdateLink(token_id=token.id, action_id=action_id))
    session.flush()
    return raw, token


def resolve_token(session: Session, raw) -> Identity:
    """The identity behind a raw token, or :class:`Unauthorized` if unknown, expired or revoked."""
    if not isinstance(raw, str) or not 20 <= len(raw) <= 200:
        raise Unauthorized("A valid token is needed.")
    token = session.scalars(select(Token).where(Token.digest == digest(raw))).one_or_none()
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        raise Unauthorized("The token is unknown, expired or revoked.")
    if token.kind == MODERATOR:
        moderator = session.get(Moderator, token.moderator_id)
        return Identity(MODERATOR, token.id, moderator.name, moderator_id=moderator.id)
    if token.kind == VIEWER and token.workshop_id is None:  # a projector of the plenary
        return Identity(VIEWER, token.id, "viewer", event_id=token.event_id)
    if token.kind == UPDATER:
        link = session.get(UpdateLink, token.id)
        return Identity(UPDATER, token.id, token.name or "", action_id=link.action_id)
    if token.kind in (VIEWER, HOST):
        workshop = session.get(Workshop, token.workshop_id)
        name = token.name if token.kind == HOST else "viewer"
        return Identity(token.kind, token.id, name, event_id=workshop.event_id,
                        workshop_id=workshop.id)
    participant = session.get(Participant, token.participant_id)
    return Identity(PARTICIPANT, token.id, participant.name, participant_id=participant.id,
                    event_id=participant.event_id)


def revoke_token(session: Session, token_id: int) -> None:
    """Revoke a token at once; it is refused from now on (logout)."""
    token = session.get(Token, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()


def digest(raw: str) -> str:
    """SHA-256 of a token: tokens are random enough that a slow hash adds nothing."""
    return hashlib.sha256(raw.encode()).hexdigest()
