"""Reminder mails about open actions of a series' register, through the mail outbox.

A personal link created with an e-mail address (``POST /actions/{id}/update-link {"email"}``)
gets a reminder ``days`` before the action's due date and ``days`` before the next forum of
its series, each with a fresh personal link to update the action. Each action, address and
occasion (``due:<date>``, ``forum:<event id>``) is reminded once: the row in
``action_reminders`` is written in the same transaction that queues the mail, and its unique
key refuses a second one, across restarts and processes too. Plain functions on a Session.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

from pinnwand.actions.models import Action
from pinnwand.auth.models import Token
from pinnwand.auth.services import issue_update_token
from pinnwand.db import utcnow
from pinnwand.events.models import Event
from pinnwand.mail import outbox
from pinnwand.mail.mailings import MailSetup
from pinnwand.mail.texts import render_mail, words_for
from pinnwand.series.models import ActionReminder, Series, UpdateLink, series_events
from pinnwand.workshops.models import Workshop
from sqlalchemy import select
from sqlalchemy.orm import Session

REMINDER = "reminder"
ROUND_SECONDS = 3600  # the background sender looks for due reminders this often
LINK_DAYS = 365
OPEN = ("planned", "running")


@dataclass(frozen=True)
class Due:
    """One reminder to queue: the action, the address, whom the link is for, the occasion
    and its day (with the next forum when that is the occasion)."""

    action: Action
    email: str
    name: str | None
    occasion: str
    day: date
    forum: Event | None = None


def _addresses(session: Session, series_id: int | None = None) -> list[tuple]:
    """(action, event, series id, e-mail, link name) of every open action in a series that
    has a valid personal link with an address."""
    now = utcnow()
    query = (select(Action, Event, series_events.c.series_id, UpdateLink.email, Token.name)
             .join(UpdateLink, UpdateLink.action_id == Action.id)
             .join(Token, Token.id == UpdateLink.token_id)
             .join(Workshop, Workshop.id == Action.workshop_id)
             .join(Event, Event.id == Workshop.event_id)
             .join(series_events, series_events.c.event_id == Event.id)
             .where(UpdateLink.email.is_not(None), Token.revoked_at.is_(None),
                    Token.expires_at > now, Action.deleted_at.is_(None),
                    Action.status.in_(OPEN))
             .order_by(Action.id, UpdateLink.token_id))
    if series_id is not None:
        query = query.where(series_events.c.series_id == series_id)
    return list(session.execute(query))


def _next_forum(session: Session, series_id: int, after: Event, today: date) -> Event | None:
    """The series' next forum from ``today`` on, if it comes after the action's own."""
    query = (select(Event).join(series_events, series_events.c.event_id == Event.id)
             .where(series_events.c.series_id == series_id, Event.date.is_not(None),
                    Event.date >= today, Event.id != after.id)
             .order_by(Event.date, Event.id))
    forum = session.scalars(query).first()
    if forum is None or (after.date is not None and forum.date <= after.date):
        return None
    return forum


def due_reminders(session: Session, today: date, days: int,
                  series_id: int | None = None) -> list[Due]:
    """The reminders due ``today`` that were not queued yet: an open action's due date or
    the next forum of its series lies within ``days`` days from ``today`` (inclusive). Each
    address once per action and occasion."""
    horizon = today + timedelta(days=days)
    queued = {(r.action_id, r.email.casefold(), r.occasion)
              for r in session.scalars(select(ActionReminder))}
    found: dict[tuple, Due] = {}
    forums: dict[tuple, Event | None] = {}
    for action, event, series, email, name in _addresses(session, series_id):
        occasions = []
        if action.due is not None and today <= action.due <= horizon:
            occasions.append((f"due:{action.due.isoformat()}", action.due, None))
        key = (series, event.id)
        if key not in forums:
            forums[key] = _next_forum(session, series, event, today)
        forum = forums[key]
        if forum is not None and forum.date <= horizon:
            occasions.append((f"forum:{forum.id}", forum.date, forum))
        for occasion, day, next_forum in occasions:
            ident = (action.id, email.casefold(), occasion)
            if ident not in queued and ident not in found:
                found[ident] = Due(action, email, name, occasion, day, next_forum)
    return list(found.values())


def queue_reminders(session: Session, setup: MailSetup, today: date, days: int,
                    series_id: int | None = None, lang: str = "de") -> int:
    """Queue every reminder due ``today`` (see :func:`due_reminders`) in the outbox, each
    with a fresh personal link (valid a year, named like the link it was sent for), and
    note it as sent for its occasion; how many were queued."""
    mails = []
    for due in due_reminders(session, today, days, series_id):
        raw, token = issue_update_token(session, action_id=due.action.id, name=due.name,
                                        days=LINK_DAYS)
        session.get(UpdateLink, token.id).email = due.email
        session.add(ActionReminder(action_id=due.action.id, email=due.email,
                                   occasion=due.occasion, queued_at=utcnow()))
        mails.append(_mail(session, setup, due, raw, lang))
    session.flush()
    outbox.enqueue_many(session, mails, domain=setup.domain)
    return len(mails)


def _mail(session: Session, setup: MailSetup, due: Due, raw: str, lang: str) -> dict:
    """The rendered reminder of one occasion, with its personal link."""
    words = words_for(lang)
    series = _series_title(session, due.action)
    url = setup.link(f"/actions/{due.action.id}/update#token={raw}")
    kind = "forum" if due.forum is not None else "due"
    rendered = render_mail(
        "reminder", words.fill("reminder_subject", action=due.action.title), words=words,
        event=series, action=due.action.title, series=series, kind=kind,
        day=due.day.isoformat(),
        forum=due.forum.title if due.forum else None, update_url=url)
    return dict(kind=REMINDER, sender=setup.sender(series[:80]), recipient=due.email,
                lang=words.lang, subject=rendered.subject, text=rendered.text,
                html=rendered.html)


def _series_title(session: Session, action: Action) -> str:
    query = (select(Series.title).join(series_events, series_events.c.series_id == Series.id)
             .join(Workshop, Workshop.event_id == series_events.c.event_id)
             .where(Workshop.id == action.workshop_id))
    return session.scalar(query) or ""


class ReminderRound:
    """The background sender's hourly look for due reminders (only with a public URL, which
    the links in them need): every series, ``PINNWAND_REMINDER_DAYS`` ahead, today in UTC."""

    def __init__(self, db, settings, clock=time.monotonic, today=None):
        self.db = db
        self.setup = MailSetup(base_url=settings.public_url, secret_key=settings.secret_key,
                               mail_from=settings.mail_from)
        self.days = settings.reminder_days
        self.clock = clock
        self.today = today or (lambda: utcnow().date())
        self.last: float | None = None

    def __call__(self) -> int:
        """Queue what is due, at most once per :data:`ROUND_SECONDS`; how many."""
        now = self.clock()
        if self.last is not None and now - self.last < ROUND_SECONDS:
            return 0
        self.last = now
        with self.db.transaction() as session:
            return queue_reminders(session, self.setup, self.today(), self.days)
