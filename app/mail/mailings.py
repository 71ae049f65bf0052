"""The results mailing of an event: the published page's link (and, when small, its PDF) to
everyone who consented to receive the results, each once, in their own language; a test mail
to the moderator first; the preview; and how far a mailing got. Plain functions on a Session
(they flush; the caller commits once).

Every mail is rendered when it is queued (:mod:`pinnwand.mail.outbox`), with the recipient's
own link to withdraw their consent (also as RFC 8058 ``List-Unsubscribe`` one-click header).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from pinnwand.db import isoformat
from pinnwand.errors import Conflict, NotFound
from pinnwand.events.models import Event
from pinnwand.mail import outbox
from pinnwand.mail.models import (
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    MailAttachment,
    Mailing,
    OutboxMessage,
)
from pinnwand.mail.texts import Rendered, render_mail, words_for
from pinnwand.privacy.links import CONTACT, WITHDRAW, make_token, new_nonce
from pinnwand.privacy.models import Contact
from pinnwand.reports.models import Publication, ReportSettings
from pinnwand.reports.services import link_secret
from sqlalchemy import func, select
from sqlalchemy.orm import Session

RESULTS, TEST = "results", "test"
KINDS = (RESULTS, TEST)
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024  # larger PDFs are linked, not attached
PDF_TYPE = "application/pdf"
ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class MailSetup:
    """What every mail of a request needs: the public base URL, the signing key (for the
    links), and the configured sender address (``PINNWAND_MAIL_FROM``, or ``None``)."""

    base_url: str
    secret_key: str
    mail_from: str | None = None

    @property
    def domain(self) -> str:
        """The host of the public URL (for the default sender and Message-IDs)."""
        return urlsplit(self.base_url).hostname or "localhost"

    def sender(self, display: str) -> str:
        """The ``From`` header: the configured address (or ``pinnwand@<host>``), shown as
        ``display`` unless the configured address names itself."""
        address = self.mail_from or f"pinnwand@{self.domain}"
        name, bare = parseaddr(address)
        return address if name else formataddr((display, bare or address))

    def link(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"


@dataclass(frozen=True)
class Draft:
    """What the moderator writes for a mailing: default language, subject, note."""

    lang: str | None = None
    subject: str | None = None
    note: str | None = None


# --------------------------------------------------------------------------- recipients


def results_recipients(session: Session, event_id: int) -> list[Contact]:
    """The event's contacts who consented to receive the results, each address once (the
    earliest consent), in the order they consented."""
    query = (select(Contact).where(Contact.event_id == event_id,
                                   Contact.send_results.is_(True))
             .order_by(Contact.consented_at, Contact.id))
    seen: set[str] = set()
    recipients = []
    for contact in session.scalars(query):
        key = contact.email.lower()
        if key not in seen:
            seen.add(key)
            recipients.append(contact)
    return recipients


def published(session: Session, event_id: int) -> Publication:
    """The event's active publication, or :class:`Conflict` (nothing to send yet)."""
    publication = session.scalar(select(Publication).where(Publication.event_id == event_id))
    if publication is None or publication.withdrawn_at is not None or not publication.snapshot:
        raise Conflict("Publish the results page first: the mail links to it.")
    return publication


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Recipient:
    """One mail of a mailing: to whom, in which language, with which withdrawal link."""

    email: str
    lang: str
    withdraw_url: str
    one_click: bool = True  # a link that withdraws a consent (not the test mail's placeholder)


@dataclass(frozen=True)
class Plan:
    """Everything the mails of a mailing are rendered from, read in one short transaction
    (rendering then needs no database and runs off the event loop)."""

    event_id: int
    kind: str
    lang: str
    draft: Draft
    event_title: str
    organiser: str | None
    page_secret: str
    sender: str
    recipients: tuple[Recipient, ...]


def withdraw_link(session: Session, setup: MailSetup, contact: Contact) -> str:
    """The contact's link to withdraw their consent (its nonce made on first use)."""
    if not contact.link_nonce:
        contact.link_nonce = new_nonce()
        session.flush()
    token = make_token(setup.secret_key, WITHDRAW, CONTACT, contact.id, contact.link_nonce)
    return setup.link(f"/mail/withdraw/{token}")


def plan_mailing(session: Session, event_id: int, kind: str, draft: Draft, setup: MailSetup,
                 *, test_address: str | None = None) -> Plan:
    """What a mailing of ``kind`` will send: ``results`` to every contact who consented (each
    in the language of their consent), ``test`` to ``test_address`` alone, ``preview`` to
    nobody. Gives contacts their link nonce where they have none yet (the caller commits).
    :class:`Conflict` while the results are not published."""
    event = _event(session, event_id)
    publication = published(session, event_id)
    lang = draft.lang or publication.lang
    settings = session.get(ReportSettings, event.id)
    organiser = settings.organiser if settings and settings.organiser else None
    placeholder = setup.link("/mail/withdraw/…")
    if kind == RESULTS:
        recipients = tuple(Recipient(contact.email, _language(contact.consent_lang, lang),
                                     withdraw_link(session, setup, contact))
                           for contact in results_recipients(session, event_id))
    elif kind == TEST:
        if not test_address:
            raise NotFound("Your account has no e-mail address to send a test to.")
        recipients = (Recipient(test_address, lang, placeholder, one_click=False),)
    else:
        recipients = ()
    return Plan(event_id=event_id, kind=kind, lang=lang, draft=draft, event_title=event.title,
                organiser=organiser, page_secret=link_secret(setup.secret_key, publication.nonce),
                sender=setup.sender((organiser or event.title)[:80]), recipients=recipients)


def _language(wanted: str | None, default: str) -> str:
    return wanted if wanted in ("de", "en") else default


def languages_of(plan: Plan) -> set[str]:
    """The languages the plan's mails are written in."""
    return {recipient.lang for recipient in plan.recipients}


# --------------------------------------------------------------------------- rendering


def render_results_mail(plan: Plan, lang: str, setup: MailSetup, *, withdraw_url: str,
                        attached: bool) -> Rendered:
    """The results mail of ``plan`` in ``lang``: subject, plain text, HTML."""
    words = words_for(lang)
    page = setup.link(f"/results/{plan.page_secret}?lang={words.lang}")
    pdf = setup.link(f"/results/{plan.page_secret}/report.pdf?lang={words.lang}")
    subject = plan.draft.subject or words.fill("results_subject", event=plan.event_title)
    test = plan.kind == TEST
    if test:
        subject = words["test_subject_prefix"] + subject
    organiser = plan.organiser or ("Die Moderation" if words.lang == "de" else "The moderation")
    return render_mail("results", subject, words=words, event=plan.event_title,
                       organiser=organiser, page_url=page, pdf_url=pdf, attached=attached,
                       note=plan.draft.note, withdraw_url=withdraw_url, test=test)


def render_mailing(plan: Plan, setup: MailSetup,
                   attached: set[str]) -> list[tuple[Recipient, Rendered]]:
    """Every mail of the plan, rendered (no database: run it off the event loop);
    ``attached`` are the languages whose PDF goes along."""
    return [(recipient, render_results_mail(plan, recipient.lang, setup,
                                            withdraw_url=recipient.withdraw_url,
                                            attached=recipient.lang in attached))
            for recipient in plan.recipients]


def preview(session: Session, event_id: int, draft: Draft, setup: MailSetup) -> dict:
    """The mail as recipients will get it (in ``draft.lang``, the publication's language by
    default), with a placeholder for each recipient's own link: ``{"subject", "text",
    "html", "lang", "recipients"}``."""
    plan = plan_mailing(session, event_id, "preview", draft, setup)
    mail = render_results_mail(plan, plan.lang, setup,
                               withdraw_url=setup.link("/mail/withdraw/…"), attached=False)
    return {"subject": mail.subject, "text": mail.text, "html": mail.html, "lang": plan.lang,
            "recipients": len(results_recipients(session, event_id))}


# --------------------------------------------------------------------------- mailings


def attachable(pdfs: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    """The PDFs small enough to attach (:data:`MAX_ATTACHMENT_BYTES`)."""
    return {lang: pdf for lang, pdf in pdfs.items() if len(pdf[1]) <= MAX_ATTACHMENT_BYTES}


def store_mailing(session: Session, plan: Plan, mails: list[tuple[Recipient, Rendered]],
                  setup: MailSetup, *, moderator_id: int | None,
                  pdfs: dict[str, tuple[str, bytes]]) -> Mailing:
    """Queue the rendered mails of a plan as one mailing, with the PDFs to attach
    (:class:`Conflict` if the results were withdrawn meanwhile)."""
    published(session, plan.event_id)
    mailing = Mailing(event_id=plan.event_id, kind=plan.kind, lang=plan.lang,
                      subject=plan.draft.subject, note=plan.draft.note, created_by=moderator_id)
    session.add(mailing)
    session.flush()
    attachments = _attachments(session, mailing, attachable(pdfs))
    outbox.enqueue_many(session, [dict(
        kind=plan.kind, sender=plan.sender, recipient=recipient.email, lang=recipient.lang,
        subject=mail.subject, text=mail.text, html=mail.html, mailing_id=mailing.id,
        attachment_id=attachments[recipient.lang].id if recipient.lang in attachments else None,
        headers=_withdrawal_headers(recipient),
    ) for recipient, mail in mails], domain=setup.domain)
    return mailing


def _withdrawal_headers(recipient: Recipient) -> dict:
    """RFC 8058 one-click withdrawal: the link, and that a POST to it withdraws."""
    if not recipient.one_click:
        return {}
    return {"List-Unsubscribe": f"<{recipient.withdraw_url}>", "List-Unsubscribe-Post": ONE_CLICK}


def _attachments(session: Session, mailing: Mailing,
                 pdfs: dict[str, tuple[str, bytes]]) -> dict[str, MailAttachment]:
    stored = {lang: MailAttachment(mailing_id=mailing.id, filename=filename,
                                   content_type=PDF_TYPE, data=data)
              for lang, (filename, data) in pdfs.items()}
    session.add_all(stored.values())
    session.flush()
    return stored


def _event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("There is no such event.")
    return event


def mailing_of(session: Session, mailing_id: int) -> Mailing:
    """A mailing, or :class:`NotFound`."""
    mailing = session.get(Mailing, mailing_id)
    if mailing is None:
        raise NotFound("There is no such mailing.")
    return mailing


# --------------------------------------------------------------------------- progress


def mailing_json(session: Session, mailing: Mailing, *, deliveries: bool = True) -> dict:
    """A mailing and how far it got: ``{"id", "event_id", "kind", "state", "recipients",
    "sent", "failed", "deliveries": [{"email", "state", "error", …}]}`` plus ``lang``,
    ``subject``, ``created_at``, ``attachment``. A delivery waiting or on the wire is
    ``queued``."""
    rows = list(session.execute(
        select(OutboxMessage.recipient, OutboxMessage.state, OutboxMessage.last_error,
               OutboxMessage.attempts, OutboxMessage.sent_at)
        .where(OutboxMessage.mailing_id == mailing.id).order_by(OutboxMessage.id)))
    states = [row.state for row in rows]
    sent, failed = states.count(SENT), states.count(FAILED)
    answer = {
        "id": mailing.id, "event_id": mailing.event_id, "kind": mailing.kind,
        "state": _mailing_state(rows), "recipients": len(rows), "sent": sent,
        "failed": failed, "queued": len(rows) - sent - failed,
        "lang": mailing.lang, "subject": mailing.subject,
        "created_at": isoformat(mailing.created_at),
        "attachment": _attachment_json(session, mailing.id),
    }
    if deliveries:
        answer["deliveries"] = [{
            "email": row.recipient,
            "state": QUEUED if row.state == SENDING else row.state,
            "error": row.last_error if row.state != SENT else None,
            "attempts": row.attempts, "sent_at": isoformat(row.sent_at),
        } for row in rows]
    return answer


def _mailing_state(rows) -> str:
    if all(row.state in (SENT, FAILED) for row in rows):
        return "done"
    if all(row.state == QUEUED and row.attempts == 0 for row in rows):
        return "queued"
    return "sending"


def _attachment_json(session: Session, mailing_id: int) -> dict | None:
    row = session.execute(
        select(MailAttachment.filename, func.length(MailAttachment.data))
        .where(MailAttachment.mailing_id == mailing_id).order_by(MailAttachment.id)).first()
    return {"filename": row[0], "bytes": row[1]} if row else None


def mailings_json(session: Session, event_id: int) -> list[dict]:
    """The event's mailings, newest first, each with its counts (no deliveries)."""
    mailings = session.scalars(select(Mailing).where(Mailing.event_id == event_id)
                               .order_by(Mailing.id.desc()))
    return [mailing_json(session, mailing, deliveries=False) for mailing in mailings]
