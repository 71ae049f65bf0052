""""Keep me informed about the next forums": requests left on a published results page, made
valid by a confirmation mail (double opt-in), withdrawable by a link in every mail; and
withdrawing a participant's results consent by the link in a results mail. Plain functions on
a Session (they flush; the caller commits once).

A request stores name, address, organisation, the consent sentence shown (in the page's
language) and when; it counts as a contact only once confirmed. Asking again for the same
address updates the request and sends a new confirmation mail at most every
:data:`RESEND_AFTER`. Requests never confirmed are deleted after :data:`UNCONFIRMED_DAYS`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pinnwand.db import isoformat, utcnow
from pinnwand.events.models import Event
from pinnwand.mail import outbox
from pinnwand.mail.mailings import MailSetup
from pinnwand.mail.models import Mailing
from pinnwand.mail.texts import render_mail, words_for
from pinnwand.privacy.links import (
    CONFIRM,
    CONTACT,
    SUBSCRIBER,
    WITHDRAW,
    make_token,
    new_nonce,
    read_token,
    token_matches,
)
from pinnwand.privacy.models import Contact, Subscriber
from pinnwand.privacy.services import normalise_email
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

UNCONFIRMED_DAYS = 7
RESEND_AFTER = timedelta(minutes=10)
CONFIRMATION = "confirm"

CONSENT = {
    "de": "Ich willige ein, dass die Veranstalter von „{event}“ meinen Namen, meine "
          "E-Mail-Adresse und meine Organisation speichern, um mich über die nächsten Foren zu "
          "informieren. Ich bestätige das über den Link in einer E-Mail an diese Adresse. Ich "
          "kann die Einwilligung jederzeit über den Link in jeder E-Mail widerrufen; meine "
          "Angaben werden dann sofort gelöscht.",
    "en": "I agree that the organisers of “{event}” store my name, my e-mail address and my "
          "organisation in order to tell me about the next forums. I confirm this through the "
          "link in an e-mail to this address. I can withdraw my consent at any time through "
          "the link in every e-mail; my details are then deleted at once.",
}


def consent_sentence(lang: str, event_title: str) -> str:
    """The consent sentence the page shows (and the request stores), in ``lang``."""
    return CONSENT["en" if lang == "en" else "de"].replace("{event}", event_title)


# --------------------------------------------------------------------------- requests


def request_subscription(session: Session, event: Event, *, name: str, email: str,
                         organisation: str | None, lang: str,
                         setup: MailSetup) -> Subscriber:
    """Store (or renew) a request to hear about the next forums and queue its confirmation
    mail (unless one was queued for it within :data:`RESEND_AFTER`). An address already
    confirmed keeps its confirmation; nothing is sent then."""
    email = normalise_email(email)
    subscriber = session.scalar(select(Subscriber).where(Subscriber.event_id == event.id,
                                                         Subscriber.email_key == email.lower()))
    now = utcnow()
    if subscriber is None:
        subscriber = Subscriber(event_id=event.id, email_key=email.lower(),
                                link_nonce=new_nonce())
        session.add(subscriber)
    subscriber.name, subscriber.email = name, email
    subscriber.organisation = organisation or None
    subscriber.lang = "en" if lang == "en" else "de"
    subscriber.consent_text = consent_sentence(subscriber.lang, event.title)
    subscriber.requested_at = now
    session.flush()
    due = subscriber.confirm_sent_at is None or now - subscriber.confirm_sent_at >= RESEND_AFTER
    if subscriber.confirmed_at is None and due:
        _queue_confirmation(session, subscriber, event, setup)
        subscriber.confirm_sent_at = now
        session.flush()
    return subscriber


def _queue_confirmation(session: Session, subscriber: Subscriber, event: Event,
                        setup: MailSetup) -> None:
    words = words_for(subscriber.lang)
    confirm = setup.link(f"/mail/confirm/{token_of(setup, CONFIRM, subscriber)}")
    withdraw = setup.link(f"/mail/withdraw/{token_of(setup, WITHDRAW, subscriber)}")
    mail = render_mail("confirm", words["confirm_subject"], words=words, event=event.title,
                       name=subscriber.name, confirm_url=confirm, withdraw_url=withdraw)
    outbox.enqueue(session, kind=CONFIRMATION, sender=setup.sender(event.title[:80]),
                   recipient=subscriber.email, lang=subscriber.lang, subject=mail.subject,
                   text=mail.text, html=mail.html, domain=setup.domain,
                   headers={"List-Unsubscribe": f"<{withdraw}>",
                            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def token_of(setup: MailSetup, purpose: str, subscriber: Subscriber) -> str:
    """The token of a subscriber's link for ``purpose``."""
    return make_token(setup.secret_key, purpose, SUBSCRIBER, subscriber.id,
                      subscriber.link_nonce)


def confirm(session: Session, subscriber: Subscriber) -> Subscriber:
    """Confirm the request (double opt-in done); confirming again changes nothing."""
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = utcnow()
        session.flush()
    return subscriber


def forget_unconfirmed(session: Session, now: datetime | None = None) -> int:
    """Delete the requests not confirmed within :data:`UNCONFIRMED_DAYS`; how many."""
    limit = (now or utcnow()) - timedelta(days=UNCONFIRMED_DAYS)
    return session.execute(delete(Subscriber).where(Subscriber.confirmed_at.is_(None),
                                                    Subscriber.requested_at < limit)).rowcount


# --------------------------------------------------------------------------- links in mails


def find_by_link(session: Session, secret_key: str, purpose: str,
                 token: str) -> tuple[str, Contact | Subscriber | None] | None:
    """What a link's token stands for: ``(kind, row)`` with ``row`` ``None`` when the row is
    gone (already withdrawn or deleted); ``None`` when the token is no link of ours."""
    parsed = read_token(token)
    if parsed is None:
        return None
    kind, row_id, mac = parsed
    if purpose == CONFIRM and kind != SUBSCRIBER:
        return None
    row = session.get(Contact if kind == CONTACT else Subscriber, row_id)
    if row is None:
        return kind, None
    if not token_matches(secret_key, purpose, kind, row_id, row.link_nonce, mac):
        return None
    return kind, row


def withdraw(session: Session, row: Contact | Subscriber) -> None:
    """Withdraw the consent behind a mail's link: the row is deleted at once, and results
    mails to a contact's address still waiting in the outbox are not sent."""
    if isinstance(row, Contact):
        mailing_ids = list(session.scalars(select(Mailing.id)
                                           .where(Mailing.event_id == row.event_id)))
        outbox.cancel_queued(session, row.email, mailing_ids, "consent withdrawn")
    session.delete(row)
    session.flush()


# --------------------------------------------------------------------------- the moderators' list


def subscribers_of_event(session: Session, event_id: int) -> list[Subscriber]:
    """The event's requests, oldest first (confirmed and waiting)."""
    return list(session.scalars(select(Subscriber).where(Subscriber.event_id == event_id)
                                .order_by(Subscriber.requested_at, Subscriber.id)))


def subscriber_json(subscriber: Subscriber) -> dict:
    """A request as the moderators' API shows it."""
    return {
        "id": subscriber.id, "name": subscriber.name, "email": subscriber.email,
        "organisation": subscriber.organisation, "lang": subscriber.lang,
        "consent_text": subscriber.consent_text,
        "requested_at": isoformat(subscriber.requested_at),
        "confirmed_at": isoformat(subscriber.confirmed_at),
        "confirmed": subscriber.confirmed_at is not None,
    }
