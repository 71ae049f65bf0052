"""The outbox's life cycle: queue a mail, claim the next one that is due, record how its
delivery went. Plain functions on a Session (they flush; the caller commits once).

Claiming is one conditional ``UPDATE`` per row (``… WHERE state = 'queued'`` or a claim that
ran out), so when several server processes send from one database exactly one of them gets
each message. A message stays claimed (``sending``) while it is on the wire; if its sender
dies there, the claim runs out after the lease and another sender (or the same server after a
restart) sends it again: nobody is lost, and only the one mail on the wire may arrive twice.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from pinnwand.db import utcnow
from pinnwand.mail.models import FAILED, QUEUED, SENDING, SENT, OutboxMessage
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

MAX_ATTEMPTS = 8  # temporary failures are retried this often, then the mail is given up
MAX_BACKOFF_SECONDS = 3600
CLAIM_CANDIDATES = 5


def enqueue(session: Session, *, kind: str, sender: str, recipient: str, lang: str,
            subject: str, text: str, html: str | None = None, headers: dict | None = None,
            mailing_id: int | None = None, attachment_id: int | None = None,
            domain: str = "pinnwand.invalid") -> OutboxMessage:
    """Queue one rendered mail for sending as soon as possible; its ``Message-ID`` is made
    here (under ``domain``) and kept for every attempt."""
    [message] = enqueue_many(session, [dict(
        kind=kind, sender=sender, recipient=recipient, lang=lang, subject=subject, text=text,
        html=html, headers=headers, mailing_id=mailing_id, attachment_id=attachment_id)],
        domain=domain)
    return message


def enqueue_many(session: Session, mails: list[dict],
                 domain: str = "pinnwand.invalid") -> list[OutboxMessage]:
    """Queue several rendered mails at once (one flush); each dict holds
    :func:`enqueue`'s keyword arguments but ``domain``."""
    now = utcnow()
    messages = [OutboxMessage(
        kind=mail["kind"], sender=mail["sender"], recipient=mail["recipient"],
        lang=mail["lang"], subject=mail["subject"], text_body=mail["text"],
        html_body=mail.get("html"), headers=dict(mail.get("headers") or {}),
        mailing_id=mail.get("mailing_id"), attachment_id=mail.get("attachment_id"),
        state=QUEUED, attempts=0, next_attempt_at=now,
        message_id=f"<{secrets.token_hex(16)}@{domain}>",
    ) for mail in mails]
    session.add_all(messages)
    session.flush()
    return messages


def _claimable(now: datetime):
    """Rows a sender may take: queued and due, or claimed by a sender whose lease ran out."""
    return or_(and_(OutboxMessage.state == QUEUED, OutboxMessage.next_attempt_at <= now),
               and_(OutboxMessage.state == SENDING, OutboxMessage.claimed_until < now))


def claim_next(session: Session, *, worker: str, now: datetime,
               lease_seconds: float) -> OutboxMessage | None:
    """Claim the message that is due longest for ``worker`` until ``now + lease``, counting
    the attempt; ``None`` when nothing is due (or others took everything due first)."""
    candidates = session.scalars(
        select(OutboxMessage.id).where(_claimable(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(CLAIM_CANDIDATES))
    for message_id in list(candidates):
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, _claimable(now))
            .values(state=SENDING, claimed_by=worker,
                    claimed_until=now + timedelta(seconds=lease_seconds),
                    attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False))
        if claimed.rowcount == 1:
            return session.get(OutboxMessage, message_id, populate_existing=True)
    return None


def _finish(session: Session, message_id: int, worker: str, **values) -> bool:
    """Change a message this worker still holds; whether it did (a claim that ran out and was
    taken by another sender is theirs now)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == SENDING,
               OutboxMessage.claimed_by == worker)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def record_sent(session: Session, message_id: int, worker: str, now: datetime) -> bool:
    """The server accepted the message."""
    return _finish(session, message_id, worker, state=SENT, sent_at=now, last_error=None)


def record_refused(session: Session, message_id: int, worker: str, reply: str) -> bool:
    """The server refused the message for good; ``reply`` is kept."""
    return _finish(session, message_id, worker, state=FAILED, last_error=reply)


def record_temporary_failure(session: Session, message_id: int, worker: str, reply: str,
                             now: datetime, attempts: int, base_seconds: float) -> bool:
    """Try again after a back-off (doubling from ``base_seconds``, at most an hour), or,
    after :data:`MAX_ATTEMPTS` attempts, give up and keep the last reply."""
    if attempts >= MAX_ATTEMPTS:
        return _finish(session, message_id, worker, state=FAILED,
                       last_error=f"gave up after {attempts} attempts: {reply}")
    delay = backoff_seconds(attempts, base_seconds)
    return _finish(session, message_id, worker, state=QUEUED, last_error=reply,
                   next_attempt_at=now + timedelta(seconds=delay))


def backoff_seconds(attempts: int, base_seconds: float) -> float:
    """How long to wait after the ``attempts``-th attempt failed for now."""
    return min(base_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


def cancel_queued(session: Session, recipient: str, mailing_ids: list[int],
                  reason: str) -> int:
    """Give up the mails to ``recipient`` (any case) of these mailings that are still
    waiting, e.g. because the recipient withdrew their consent; how many."""
    if not mailing_ids:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.mailing_id.in_(mailing_ids), OutboxMessage.state == QUEUED,
               func.lower(OutboxMessage.recipient) == recipient.lower())
        .values(state=FAILED, last_error=reason)
        .execution_options(synchronize_session=False))
    return result.rowcount
