"""HTTP routes of the results report: downloads, the preview, report settings, redactions,
the anonymity review and the published results page (JSON API under ``/api/v1``)."""

from __future__ import annotations

from flask import Response, request
from pinnwand.api import api
from pinnwand.api.helpers import base_url, json_body, moderator
from pinnwand.errors import Invalid, NotFound
from pinnwand.events.services import moderated_event
from pinnwand.reports import services
from pinnwand.reports.html import render_fragment_off_loop
from pinnwand.reports.labels import report_labels
from pinnwand.reports.model import ReportOptions
from pinnwand.reports.reader import build_report
from pinnwand.reports.render import FORMATS, MIMETYPES, report_filename
from pinnwand.reports.schemas import PublicationIn, RedactionIn, ReportSettingsPatch
from pinnwand.reports.worker import render_file
from pinnwand.state import state
from pinnwand.validation import parse

LANGUAGES = ("de", "en")
# Documents made to be read and passed on hide authors unless asked; the JSON archive is
# complete (the contract's ``author`` field) unless asked not to be.
AUTHORS_BY_DEFAULT = frozenset({"json"})


@api.get("/events/<int:event_id>/report.<fmt>")
def download_report(event_id: int, fmt: str):
    """The event's results report as a download in ``pdf``, ``docx``, ``md``, ``csv``,
    ``xlsx`` or ``json`` (``?lang=de|en``, ``?authors=0|1`` names on or off,
    ``?contributors=0|1`` names of contributors who agreed); the event's moderators only.

    The data is read here; rendering happens off the event loop (a worker process for PDF
    and DOCX, a worker thread for the rest), so live boards never stall.
    """
    identity = moderator()
    if fmt not in FORMATS:
        raise NotFound(f"Reports come as {', '.join(FORMATS)}.")
    lang = _lang()
    options = _options(authors=fmt in AUTHORS_BY_DEFAULT)
    with state().db.read() as session:
        moderated_event(session, identity, event_id)
        report = build_report(session, event_id, base_url=base_url(), options=options)
    body = render_file(report, fmt, lang)
    return Response(body, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{report_filename(report, fmt)}"',
        "Cache-Control": "no-store",
    })


@api.get("/events/<int:event_id>/report/preview")
def preview_report(event_id: int):
    """The report as the PDF shows it, as HTML for the browser (``?lang``, ``?authors``,
    ``?contributors``): ``{"html", "lang", "authors", "contributors"}``; ``html`` is the
    ``<article class="report">`` styled by ``/reports/report.css``."""
    identity = moderator()
    lang = _lang()
    options = _options(authors=False)
    with state().db.read() as session:
        moderated_event(session, identity, event_id)
        report = build_report(session, event_id, base_url=base_url(), options=options)
    html = render_fragment_off_loop(report, report_labels(report, lang))
    return {"html": str(html), "lang": lang, "authors": options.authors,
            "contributors": options.contributors}


@api.get("/events/<int:event_id>/report-settings")
def get_report_settings(event_id: int):
    """The report settings: ``{"organiser", "time_zone", "page_size"}``."""
    identity = moderator()
    with state().db.read() as session:
        moderated_event(session, identity, event_id)
        return services.report_settings_json(session, event_id)


@api.patch("/events/<int:event_id>/report-settings")
def update_report_settings(event_id: int):
    """Change the report settings (``organiser``, ``time_zone``, ``page_size``)."""
    identity = moderator()
    patch = parse(ReportSettingsPatch, json_body())
    with state().db.transaction() as session:
        moderated_event(session, identity, event_id)
        return services.update_report_settings(
            session, event_id, patch.model_dump(include=patch.model_fields_set))


@api.get("/events/<int:event_id>/review")
def review(event_id: int):
    """The anonymity review (``?authors``, ``?contributors`` as for the report): every idea
    a report may show with its own text, its redaction and its author (``null`` when posted
    anonymously); ``names``, exactly the names a report with these options shows;
    ``authors``, the authors a report with names on shows; the publication's state."""
    identity = moderator()
    app_state = state()
    options = _options(authors=False)
    with app_state.db.read() as session:
        moderated_event(session, identity, event_id)
        answer = services.review(session, event_id, base_url=base_url(), options=options)
        answer["publication"] = services.publication_json(
            services.publication_of(session, event_id), base_url=base_url(),
            secret_key=app_state.settings.secret_key)
    return answer


@api.put("/ideas/<int:idea_id>/redaction")
def redact_idea(idea_id: int):
    """Show ``{"text"}`` instead of the idea's text in reports and on a page published from
    now on; the board and its history keep the original. The event's moderators only."""
    identity = moderator()
    data = parse(RedactionIn, json_body())
    with state().db.transaction() as session:
        moderated_event(session, identity, services.event_of_idea(session, idea_id))
        return services.redact(session, idea_id, data.text, identity.moderator_id)


@api.delete("/ideas/<int:idea_id>/redaction")
def unredact_idea(idea_id: int):
    """Show the idea's own text again (``204``, also when it was not redacted)."""
    identity = moderator()
    with state().db.transaction() as session:
        moderated_event(session, identity, services.event_of_idea(session, idea_id))
        services.unredact(session, idea_id)
    return "", 204


@api.get("/events/<int:event_id>/publication")
def get_publication(event_id: int):
    """The published results page: ``{"published": false}`` or its link, QR code, language
    and whether it names authors."""
    identity = moderator()
    app_state = state()
    with app_state.db.read() as session:
        moderated_event(session, identity, event_id)
        return services.publication_json(services.publication_of(session, event_id),
                                          base_url=base_url(),
                                          secret_key=app_state.settings.secret_key)


@api.put("/events/<int:event_id>/publication")
def publish(event_id: int):
    """Publish the results as they are now (``{"authors", "contributors", "lang"}``): a
    read-only page with its own link, no sign-in needed. Publishing again refreshes it under
    the same link."""
    identity = moderator()
    data = parse(PublicationIn, json_body())
    app_state = state()
    with app_state.db.transaction() as session:
        moderated_event(session, identity, event_id)
        publication = services.publish(
            session, event_id, lang=data.lang,
            options=ReportOptions(authors=data.authors, contributors=data.contributors),
            moderator_id=identity.moderator_id, base_url=base_url(),
            secret_key=app_state.settings.secret_key)
        return services.publication_json(publication, base_url=base_url(),
                                          secret_key=app_state.settings.secret_key)


@api.delete("/events/<int:event_id>/publication")
def withdraw(event_id: int):
    """Withdraw the results page (``204``): its link shows "withdrawn" from now on."""
    identity = moderator()
    with state().db.transaction() as session:
        moderated_event(session, identity, event_id)
        services.withdraw(session, event_id)
    return "", 204


def _lang() -> str:
    lang = request.args.get("lang", "en")
    if lang not in LANGUAGES:
        raise Invalid("The report's language is de or en.", {"lang": "de or en"})
    return lang


def _options(*, authors: bool) -> ReportOptions:
    """The names a report shows, from ``?authors`` (default ``authors``) and
    ``?contributors`` (default off)."""
    return ReportOptions(authors=_flag("authors", authors),
                         contributors=_flag("contributors", False))


def _flag(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw not in ("0", "1", "true", "false"):
        raise Invalid(f"{name} is 0 or 1.", {name: "0 or 1"})
    return raw in ("1", "true")
