"""Routes of the browser pages and the join QR code."""

from __future__ import annotations

import re

from flask import Response, redirect, render_template, request, url_for
from flask_babel import format_date
from pinnwand.api.helpers import base_url, bearer_token
from pinnwand.auth.services import resolve_token
from pinnwand.errors import Forbidden, NotFound, RateLimited
from pinnwand.events.models import Event
from pinnwand.events.services import join_url
from pinnwand.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, js_messages
from pinnwand.pages.blueprint import asset, pages
from pinnwand.pages.qr import qr_svg_response
from pinnwand.state import state
from pinnwand.workshops.models import Workshop
from sqlalchemy import select

_NOT_CODE = re.compile(r"[^A-Za-z0-9]")


def normalise_code(raw: str) -> str:
    """A typed join code as stored: letters and digits only, upper case."""
    return _NOT_CODE.sub("", raw or "").upper()[:32]


def event_by_code(code: str) -> Event | None:
    """The event with this join code (any case), or ``None``.

    Wrong codes count against the client's address like ``POST /api/v1/join`` does, so the
    pages cannot be used to guess codes (:class:`RateLimited` once the address used them up).
    """
    app_state = state()
    limiter, address = app_state.join_limiter, request.remote_addr
    limiter.check(address, "Too many wrong codes from your network: wait {seconds} s.")
    event = _find_event(code)
    if event is None:
        limiter.record(address)
    return event


def _find_event(code: str) -> Event | None:
    with state().db.read() as session:
        event = session.scalars(select(Event).where(Event.join_code == normalise_code(code)))
        event = event.one_or_none()
        if event is not None:
            session.expunge(event)
        return event


@pages.context_processor
def page_helpers() -> dict:
    """What every page template uses: asset URLs, the language and the language switch."""
    return {
        "asset": asset,
        "lang": current_language(),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
    }


def page(template: str, *groups: str, status: int = 200, **context):
    """Render a page with the translated strings its scripts need."""
    return render_template(f"pages/{template}", messages=js_messages(*groups), **context), status


@pages.get("/")
def home():
    """The start page: type the join code; a link for moderators."""
    return page("home.html")


@pages.get("/join")
def join_by_form():
    """The start page's form without JavaScript: ``/join?code=abc234`` → ``/join/ABC234``."""
    code = normalise_code(request.args.get("code", ""))
    if not code:
        return redirect(url_for("pages.home"))
    return redirect(url_for("pages.join", code=code))


@pages.get("/join/<code>")
def join(code: str):
    """The phone page of an event: name, workshop, board. An unknown code gets the start
    page with a clear message (404)."""
    normal = normalise_code(code)
    if normal != code:
        return redirect(url_for("pages.join", code=normal))
    try:
        event = event_by_code(normal)
    except RateLimited:
        return page("home.html", status=429, rate_limited=True)
    if event is None:
        return page("home.html", status=404, unknown_code=code)
    when = format_date(event.date, format="full") if event.date else None
    return page("join.html", "participant", "phone_steps", event=event, event_date=when)


@pages.get("/join/<code>/qr.svg")
def join_qr(code: str):
    """The QR code of an event's join link as SVG (public; 404 for an unknown code)."""
    event = event_by_code(code)
    if event is None:
        raise NotFound("No event has this code.")
    response = qr_svg_response(join_url(base_url(), event.join_code), title=event.join_code)
    response.cache_control.public = True
    return response


@pages.get("/moderator")
def moderator_home():
    """Sign in, then the moderator's events and a form for a new one."""
    return page("moderator.html", "moderator")


@pages.get("/moderator/events/<int:event_id>")
def event_editor(event_id: int):
    """Edit an event: details, agenda, workshops, join code and QR, projector links."""
    return page("event.html", "moderator", "staff_steps", event_id=event_id)


@pages.get("/moderator/events/<int:event_id>/cockpit")
def cockpit(event_id: int):
    """Every workshop of an event live on one screen."""
    return page("cockpit.html", "moderator", "staff_steps", event_id=event_id)


@pages.get("/moderator/workshops/<int:workshop_id>")
def moderator_board(workshop_id: int):
    """The moderator's live board of one workshop."""
    return page("board.html", "moderator", "staff_steps", workshop_id=workshop_id,
                mode="moderator")


@pages.get("/host/<int:workshop_id>")
def host_board(workshop_id: int):
    """The board of one workshop for its host (a table facilitator without an account): the
    host token is in the URL fragment, like a projector's viewer token, so it never reaches
    a request line or a referrer."""
    response = Response(*page("board.html", "moderator", "staff_steps",
                              workshop_id=workshop_id, mode="host"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@pages.get("/projector/<int:workshop_id>")
def projector(workshop_id: int):
    """The large read-only board of one workshop; the viewer token is in the URL fragment."""
    response = Response(*page("projector.html", "projector", "phone_steps",
                              workshop_id=workshop_id))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@pages.get("/projector/<int:workshop_id>/info")
def projector_info(workshop_id: int):
    """What a projector shows besides the board: the event's title, join code and link.

    For the workshop's viewer token (or one of the event's moderators), sent as
    ``Authorization: Bearer``; the board itself comes over Socket.IO.
    """
    token = bearer_token()
    app_state = state()
    with app_state.db.read() as session:
        identity = resolve_token(session, token)
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise NotFound("There is no such workshop.")
        allowed = (identity.is_viewer and identity.workshop_id == workshop_id) or (
            app_state.access.moderates(identity, workshop.event_id))
        if not allowed:
            raise Forbidden("This screen belongs to another workshop.")
        event = session.get(Event, workshop.event_id)
        return {
            "event": {"id": event.id, "title": event.title, "join_code": event.join_code,
                      "join_url": join_url(base_url(), event.join_code)},
            "workshop": {"id": workshop.id, "title": workshop.title,
                         "question": workshop.question},
        }
