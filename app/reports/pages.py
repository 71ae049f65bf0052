"""Browser pages of the results: the moderators' results page (preview, downloads, anonymity
review, publishing, contacts, data protection), the published read-only results page with its
QR code and PDF, and the report's stylesheet.

The ``results`` blueprint also carries the participants' "stay in touch" page and the contact
export (:mod:`pinnwand.privacy.pages`). Pages get the same helpers as the app's other pages
(asset URLs, language switch); the strings their scripts need come as a JSON data block
(``page-i18n``), never as inline script.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from pinnwand.api.helpers import base_url
from pinnwand.background import run_blocking
from pinnwand.i18n import js_messages, remember_language
from pinnwand.pages.qr import qr_svg_response
from pinnwand.pages.views import page_helpers
from pinnwand.privacy.subscribers import consent_sentence
from pinnwand.reports import services
from pinnwand.reports.archive import report_from_json
from pinnwand.reports.html import STYLESHEET, TEMPLATES, render_fragment_off_loop
from pinnwand.reports.hyphens import soft_hyphens
from pinnwand.reports.labels import report_labels
from pinnwand.reports.models import Publication
from pinnwand.reports.published import StoredPdf
from pinnwand.reports.render import MIMETYPES, report_filename
from pinnwand.reports.worker import PUBLIC, render_file
from pinnwand.state import state

results = Blueprint("results", __name__)
results.context_processor(page_helpers)
results.after_request(remember_language)

LANGUAGES = ("de", "en")
STYLE_CACHE_SECONDS = 365 * 24 * 3600
PAGE_STYLES = TEMPLATES.parent / "results" / "results.css"


@results.context_processor
def report_assets() -> dict:
    """URLs of the report's and the results pages' stylesheets, fingerprinted."""
    return {"report_css_url": _style_url("report"), "results_css_url": _style_url("results")}


def _style_url(name: str) -> str:
    return url_for("results.style", name=name, v=_style(name)[1])


_styles: dict[str, tuple[float, bytes, str]] = {}


def _style(name: str) -> tuple[bytes, str]:
    """A stylesheet and its fingerprint, read again only when the file changed."""
    path = STYLESHEET if name == "report" else PAGE_STYLES
    mtime = path.stat().st_mtime
    known = _styles.get(name)
    if known is None or known[0] != mtime:
        body = path.read_bytes()
        known = _styles[name] = (mtime, body, hashlib.sha256(body).hexdigest()[:12])
    return known[1], known[2]


@results.get("/reports/<any(report, results):name>.css")
def style(name: str):
    """The report's stylesheet (the same the PDF is typeset with) and the results pages'."""
    body, fingerprint = _style(name)
    response = Response(body, mimetype="text/css")
    response.set_etag(fingerprint)
    if request.args.get("v") == fingerprint:
        response.cache_control.public = True
        response.cache_control.max_age = STYLE_CACHE_SECONDS
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def page_messages() -> dict[str, str]:
    """The strings ``static/js/results.js`` shows (besides the common ones)."""
    return {
        "loading": _("Loading …"),
        "preview_loading": _("Updating the preview …"),
        "preview_failed": _("The preview could not be loaded: {message}"),
        "download_loading": _("Creating the file …"),
        "download_failed": _("The file could not be created: {message}"),
        "saved": _("Saved."),
        "save_failed": _("Not saved: {message}"),
        "published": _("Published."),
        "publish_confirm": _("Publish the results as shown in the preview? Anyone with the "
                             "link can read them."),
        "republish": _("Publish again (update)"),
        "publish": _("Publish"),
        "withdraw_confirm": _("Withdraw the results page? Its link stops working for good."),
        "withdrawn": _("The results page is withdrawn."),
        "not_published": _("Not published yet."),
        "published_since": _("Published on {date} ({lang}, {names})."),
        "names_shown": _("with names"),
        "names_hidden": _("without names"),
        "lang_de": _("German"),
        "lang_en": _("English"),
        "copied": _("Copied"),
        "copy_failed": _("Select the link and copy it."),
        "redact": _("Edit text"),
        "redacted": _("Edited for the report"),
        "restore": _("Restore original"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "redaction_hint": _("What reports and the published page show instead:"),
        "no_ideas": _("No ideas yet."),
        "anonymous": _("Anonymous"),
        "names_list": _("Names the report shows: {names}"),
        "names_none": _("The report shows no names."),
        "role_moderator": _("moderation"),
        "role_host": _("host"),
        "role_author": _("author"),
        "role_owner": _("owner of an action"),
        "role_contributor": _("contributor"),
        "republish_hint": _("Changed since publishing: publish again to update the page."),
        "contacts_none": _("Nobody has left an address yet."),
        "contacts_count": _("{n} addresses with consent"),
        "purpose_results": _("results"),
        "purpose_follow_up": _("follow-up meetings"),
        "retention_off": _("Personal data is kept until you delete it."),
        "retention_due": _("Participants' names and addresses will be deleted on {date}."),
        "purged_at": _("Personal data was deleted on {date}."),
        "purge_confirm": _("Delete participants' names and addresses now? The anonymous "
                           "results stay. This cannot be undone."),
        "purged": _("Personal data deleted."),
        "delete_confirm": _("Delete the event “{title}” with all workshops, ideas and "
                            "participants? This cannot be undone."),
        "delete_type": _("Type the event's title to confirm:"),
        "deleted": _("The event was deleted."),
        "not_found": _("Not found or not yours."),
        "filter_count": _("{shown} of {total} ideas"),
        "mail_off": _("No mail server is configured (PINNWAND_SMTP_URL), so nothing can be "
                      "sent. Download the contact list instead."),
        "mail_publish_first": _("Publish the results first: the mail links to the page."),
        "mail_recipients": _("{n} addresses will receive the results (each once)."),
        "mail_queueing": _("Queueing the mails …"),
        "mail_queued": _("{n} mails are on their way."),
        "mail_test_queued": _("A test mail is on its way to you."),
        "mail_confirm": _("Send the results to {n} addresses now?"),
        "mailing_results": _("Results, {date}"),
        "mailing_test": _("Test mail, {date}"),
        "mailing_queued": _("waiting"),
        "mailing_sending": _("sending"),
        "mailing_done": _("done"),
        "mailing_progress": _("{sent} of {total} sent, {failed} failed"),
        "mailing_recipients": _("Recipients"),
        "delivery_email": _("E-mail"),
        "delivery_state": _("State"),
        "delivery_error": _("Server's answer"),
        "delivery_queued": _("waiting"),
        "delivery_sent": _("sent"),
        "delivery_failed": _("failed"),
        "forums_none": _("Nobody has asked yet."),
        "forums_count": _("{n} confirmed, {waiting} waiting for confirmation"),
        "forums_waiting": _("not confirmed yet"),
        "forums_delete": _("Delete"),
        "forums_delete_who": _("Delete {name}"),
        "forums_delete_confirm": _("Delete {name} from the list?"),
    }


@results.get("/moderator/events/<int:event_id>/results")
def moderator_results(event_id: int):
    """The moderators' results page: report preview and downloads, anonymity review and
    publishing, contact addresses, data protection. The data comes through the API."""
    return render_template("results/results.html", event_id=event_id,
                           messages=js_messages("moderator"), page_messages=page_messages())


# --------------------------------------------------------------------------- published


def active_publication(secret: str, with_snapshot: bool = True):
    """The active publication behind a link, or ``(None, status)`` (404 unknown, 410 gone);
    its snapshot is loaded only when asked for."""
    with state().db.read() as session:
        publication = services.find_publication(session, secret, with_snapshot)
        if publication is None:
            return None, 404
        if publication.withdrawn_at is not None or (with_snapshot and not publication.snapshot):
            return None, 410
        session.expunge(publication)
        return publication, 200


def gone_response(status: int):
    response = Response(render_template("results/gone.html", withdrawn=status == 410,
                                        messages={}), status=status)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@results.get("/results/<secret>")
def published(secret: str):
    """The published results: read-only, no sign-in, in the language chosen when publishing
    (``?lang=de|en`` switches). Rendered from the snapshot taken when it was published; below
    the report, the form to hear about the next forums (``?subscribed=1`` after sending it)."""
    publication, status = active_publication(secret)
    if publication is None:
        return gone_response(status)
    return published_page(secret, publication, page_language(publication),
                          KeepInformed(sent=request.args.get("subscribed") == "1"))


def page_language(publication) -> str:
    """The published page's language: ``?lang`` or the one chosen when publishing."""
    lang = request.args.get("lang", "")
    return lang if lang in LANGUAGES else publication.lang


@dataclass
class KeepInformed:
    """The state of the "keep me informed" form on the published page."""

    sent: bool = False
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)


def published_page(secret: str, publication, lang: str, form: KeepInformed,
                   status: int = 200) -> Response:
    """The published page's response (also with a form to show again, and its errors)."""
    report = run_blocking(report_from_json, publication.snapshot)
    report_html = render_fragment_off_loop(report, report_labels(report, lang))
    with force_locale(lang):
        body = render_template(
            "results/published.html", report=report, lang=lang, report_html=report_html,
            published_on=format_date(publication.published_at.date(), format="long"),
            page_url=f"{base_url()}/results/{secret}", messages={}, secret=secret,
            form=form, mail_available=state().settings.smtp_url is not None,
            consent=consent_sentence(lang, report.event.title),
            title=soft_hyphens(report.event.title, lang),
        )
    response = Response(body, status=status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@results.get("/results/<secret>/qr.svg")
def published_qr(secret: str):
    """The QR code of a published results page (SVG)."""
    publication, status = active_publication(secret)
    if publication is None:
        return gone_response(status)
    response = qr_svg_response(f"{base_url()}/results/{secret}")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@results.get("/results/<secret>/report.pdf")
def published_pdf(secret: str):
    """The published results as a PDF (the same snapshot, ``?lang`` as the page): rendered
    once per version of the publication and language, then handed to every reader
    (:mod:`pinnwand.reports.published`); a render waits behind the moderators' ones."""
    publication, status = active_publication(secret, with_snapshot=False)
    if publication is None:
        return gone_response(status)
    lang = request.args.get("lang", "")
    lang = lang if lang in LANGUAGES else publication.lang
    pdf = state().published_pdfs.get(publication.id, lang, publication.version,
                                     lambda: _render_published_pdf(publication.id, lang))
    response = Response(pdf.body, mimetype=MIMETYPES["pdf"], headers={
        "Content-Disposition": f'attachment; filename="{pdf.filename}"'})
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _render_published_pdf(publication_id: int, lang: str) -> StoredPdf:
    with state().db.read() as session:
        snapshot = session.get(Publication, publication_id).snapshot
    report = run_blocking(report_from_json, snapshot)
    body = render_file(report, "pdf", lang, who=PUBLIC)
    return StoredPdf(body, report_filename(report, "pdf"))
