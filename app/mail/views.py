"""HTTP routes of mailings (JSON under ``/api/v1``): send the published results to everyone
who consented, a test mail to oneself first, the preview, and how far a mailing got."""

from __future__ import annotations

from flask import current_app
from pinnwand.api import api
from pinnwand.api.helpers import base_url, json_body, moderator
from pinnwand.auth.models import Moderator
from pinnwand.background import run_blocking
from pinnwand.errors import Conflict
from pinnwand.events.services import moderated_event
from pinnwand.mail import mailings
from pinnwand.mail.schemas import DraftIn, MailingIn
from pinnwand.mail.sender import mail_sender
from pinnwand.mail.smtp_url import parse_smtp_url
from pinnwand.reports.archive import report_from_json
from pinnwand.reports.render import report_filename
from pinnwand.reports.worker import render_file
from pinnwand.state import state
from pinnwand.validation import parse


def _setup() -> mailings.MailSetup:
    settings = state().settings
    return mailings.MailSetup(base_url=base_url(), secret_key=settings.secret_key,
                              mail_from=settings.mail_from)


def _draft(data: DraftIn) -> mailings.Draft:
    return mailings.Draft(lang=data.lang, subject=data.subject, note=data.note or None)


def _ensure_mail_configured() -> None:
    if not state().settings.smtp_url:
        raise Conflict("No mail server is configured (PINNWAND_SMTP_URL): nothing can be sent.")


@api.get("/events/<int:event_id>/mailings")
def list_mailings(event_id: int):
    """The event's mailings, newest first, with their counts; whether mail is configured
    (``{"mail": {"configured", "server"}}``); how many contacts would receive the results,
    and whether the results are published (``{"published"}``)."""
    identity = moderator()
    settings = state().settings
    with state().db.read() as session:
        moderated_event(session, identity, event_id)
        recipients = len(mailings.results_recipients(session, event_id))
        try:
            mailings.published(session, event_id)
            is_published = True
        except Conflict:
            is_published = False
        return {
            "mail": {"configured": settings.smtp_url is not None,
                     "server": parse_smtp_url(settings.smtp_url).shown
                     if settings.smtp_url else None},
            "published": is_published, "recipients": recipients,
            "mailings": mailings.mailings_json(session, event_id),
        }


@api.post("/events/<int:event_id>/mailings/preview")
def preview_mailing(event_id: int):
    """The results mail as it will look (``{"lang"?, "subject"?, "note"?}``): ``{"subject",
    "text", "html", "lang", "recipients"}``; ``409`` while nothing is published."""
    identity = moderator()
    data = parse(DraftIn, json_body())
    with state().db.transaction() as session:
        moderated_event(session, identity, event_id)
        return mailings.preview(session, event_id, _draft(data), _setup())


@api.post("/events/<int:event_id>/mailings")
def create_mailing(event_id: int):
    """Send the published results (``{"kind": "results"|"test", "lang"?, "subject"?,
    "note"?, "attach_pdf"?}``) → ``201`` the mailing: ``results`` to every contact who
    consented to receive them (each address once, each in their language), ``test`` to the
    calling moderator. ``409`` while the results are not published or when no mail server is
    configured.

    Three short steps keep live boards going: what to send is read (one transaction), the
    PDFs and every mail are rendered off the event loop (a worker process, a worker thread),
    and the mails are queued (one transaction). The background sender takes it from there."""
    identity = moderator()
    data = parse(MailingIn, json_body())
    app_state, setup = state(), _setup()
    with app_state.db.transaction() as session:
        moderated_event(session, identity, event_id)
        address = session.get(Moderator, identity.moderator_id).email
        plan = mailings.plan_mailing(session, event_id, data.kind, _draft(data), setup,
                                     test_address=address)
        snapshot = mailings.published(session, event_id).snapshot
    _ensure_mail_configured()
    pdfs = mailings.attachable(_pdfs(snapshot, mailings.languages_of(plan))
                               if data.attach_pdf else {})
    mails = run_blocking(mailings.render_mailing, plan, setup, set(pdfs))
    with app_state.db.transaction() as session:
        moderated_event(session, identity, event_id)
        mailing = mailings.store_mailing(session, plan, mails, setup,
                                         moderator_id=identity.moderator_id, pdfs=pdfs)
        answer = mailings.mailing_json(session, mailing)
    sender = mail_sender(current_app)
    if sender is not None:
        sender.wake()
    return answer, 201


@api.get("/mailings/<int:mailing_id>")
def get_mailing(mailing_id: int):
    """A mailing with every delivery's state (the event's moderators)."""
    identity = moderator()
    with state().db.read() as session:
        mailing = mailings.mailing_of(session, mailing_id)
        moderated_event(session, identity, mailing.event_id)
        return mailings.mailing_json(session, mailing)


def _pdfs(snapshot: dict, languages: set[str]) -> dict[str, tuple[str, bytes]]:
    """The published report as a PDF in each language (rendered off the event loop)."""
    report = report_from_json(snapshot)
    return {lang: (report_filename(report, "pdf"), render_file(report, "pdf", lang))
            for lang in sorted(languages)}
