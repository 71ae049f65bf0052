"""Inviting a series' follow-up contacts to its next forum through the mail outbox: everyone
who, at any forum of the series, agreed to be invited to further meetings (a participant's
contact with ``follow_up``) or asked on a published page to hear about the next forums and
confirmed it (a subscriber). Each address once, in its own language, with its own link to
withdraw that consent (also as ``List-Unsubscribe``). Plain functions on a Session."""

from __future__ import annotations

from dataclasses import dataclass

from pinnwand.events.joining import join_link
from pinnwand.events.models import Event
from pinnwand.mail import outbox
from pinnwand.mail.mailings import MailSetup, withdraw_link
from pinnwand.mail.texts import render_mail, words_for
from pinnwand.privacy.links import WITHDRAW
from pinnwand.privacy.models import Contact, Subscriber
from pinnwand.privacy.subscribers import token_of
from pinnwand.series.models import Series, series_events
from sqlalchemy import select
from sqlalchemy.orm import Session

INVITATION = "invitation"


@dataclass(frozen=True)
class Invitee:
    """One invitation: the address, its language, its withdrawal link and that link's words."""

    email: str
    lang: str
    withdraw_url: str
    withdraw_key: str  # "withdraw" (a contact's consent) or "withdraw_request" (a subscriber)


def invitees(session: Session, series_id: int, setup: MailSetup) -> list[Invitee]:
    """The series' follow-up contacts, each address once (any case; confirmed subscribers
    first, then contacts, each oldest first)."""
    events = select(series_events.c.event_id).where(series_events.c.series_id == series_id)
    found: dict[str, Invitee] = {}
    for subscriber in session.scalars(
            select(Subscriber).where(Subscriber.event_id.in_(events),
                                     Subscriber.confirmed_at.is_not(None))
            .order_by(Subscriber.confirmed_at, Subscriber.id)):
        url = setup.link(f"/mail/withdraw/{token_of(setup, WITHDRAW, subscriber)}")
        found.setdefault(subscriber.email.lower(), Invitee(
            subscriber.email, subscriber.lang, url, "withdraw_request"))
    for contact in session.scalars(
            select(Contact).where(Contact.event_id.in_(events), Contact.follow_up.is_(True))
            .order_by(Contact.consented_at, Contact.id)):
        if contact.email.lower() not in found:
            found[contact.email.lower()] = Invitee(
                contact.email, contact.consent_lang or "de",
                withdraw_link(session, setup, contact), "withdraw")
    return list(found.values())


def invite(session: Session, event: Event, series_id: int, setup: MailSetup) -> int:
    """Queue an invitation to ``event`` for every follow-up contact of its series; how many."""
    series = session.get(Series, series_id)
    join_url = join_link(setup.base_url, event)
    mails = []
    for invitee in invitees(session, series_id, setup):
        words = words_for(invitee.lang)
        rendered = render_mail(
            "invite", words.fill("invite_subject", event=event.title), words=words,
            event=event.title, series=series.title,
            date=event.date.isoformat() if event.date else None, location=event.location,
            join_url=join_url, withdraw_url=invitee.withdraw_url,
            withdraw_label=words[invitee.withdraw_key])
        mails.append(dict(
            kind=INVITATION, sender=setup.sender(series.title[:80]), recipient=invitee.email,
            lang=words.lang, subject=rendered.subject, text=rendered.text, html=rendered.html,
            headers={"List-Unsubscribe": f"<{invitee.withdraw_url}>",
                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}))
    outbox.enqueue_many(session, mails, domain=setup.domain)
    return len(mails)
