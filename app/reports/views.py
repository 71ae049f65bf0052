"""HTTP route for downloading an event's results report."""

from __future__ import annotations

from flask import Response, request

from app.api import api
from app.api.helpers import base_url, moderator
from app.background import run_blocking
from app.errors import Invalid, NotFound
from app.events.services import moderated_event
from app.reports.model import build_report
from app.reports.render import FORMATS, MIMETYPES, render, report_filename
from app.state import state

LANGUAGES = ("de", "en")


@api.get("/events/<int:event_id>/report.<fmt>")
def download_report(event_id: int, fmt: str):
    """The event's results report as a download in ``pdf``, ``docx``, ``md``, ``csv``,
    ``xlsx`` or ``json`` (``?lang=de|en``); the event's moderators only.

    The data is read here; rendering runs in a worker thread so live boards never stall.
    """
    identity = moderator()
    if fmt not in FORMATS:
        raise NotFound(f"Reports come as {', '.join(FORMATS)}.")
    lang = request.args.get("lang", "en")
    if lang not in LANGUAGES:
        raise Invalid("The report's language is de or en.", {"lang": "de or en"})
    with state().db.read() as session:
        moderated_event(session, identity, event_id)
        report = build_report(session, event_id, base_url=base_url())
    body = run_blocking(render, report, fmt, lang)
    filename = report_filename(report, fmt)
    return Response(body, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
    })
