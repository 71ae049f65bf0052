"""Routes of the browser pages and the join QR code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Response, redirect, render_template, request, url_for
from flask_babel import format_date
from pinnwand.api.helpers import base_url, bearer_token
from pinnwand.auth.services import resolve_token
from pinnwand.errors import Forbidden, NotFound, RateLimited
from pinnwand.events import joining
from pinnwand.events.models import Event
from pinnwand.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, js_messages
from pinnwand.pages.blueprint import asset, pages
from pinnwand.pages.inline import data_url, inline_file, policy_for
from pinnwand.pages.qr import qr_svg_response
from pinnwand.pages.static_files import CompressedPages
from pinnwand.state import state
from pinnwand.workshops.models import Workshop

_NOT_CODE = re.compile(r"[^A-Za-z0-9]")


def normalise_code(raw: str) -> str:
    """A typed join code as stored: letters and digits only, upper case."""
    return _NOT_CODE.sub("", raw or "").upper()[:32]


@dataclass
class CodePage:
    """The event a join code's page belongs to, and what the code can still do."""

    event: Event
    current: bool  # the event's code now (else one a moderator replaced)
    open: bool  # new participants may join now


def page_of_code(code: str, key: str | None = None) -> CodePage | None:
    """The event behind a code's page: by the join link's key (never counted), else by the
    code, current or replaced. A code that belongs to no event counts against the join budgets
    like ``POST /api/v1/join``, so the pages cannot be used to guess codes either
    (:class:`RateLimited` once a budget is used up, checked before the look-up)."""
    app_state = state()
    if key:
        found = _look_up(code, key)
        if found is not None:
            return found
    app_state.join_budgets.check(request.remote_addr)
    found = _look_up(code)
    if found is None:
        app_state.join_budgets.failed(request.remote_addr)
    return found


def _look_up(code: str, key: str | None = None) -> CodePage | None:
    join_days = state().settings.join_days
    with state().db.read() as session:
        if key:
            event, current = joining.event_by_key(session, code, key), True
        else:
            event, current = joining.event_by_code(session, code), True
            if event is None:
                event, current = joining.event_by_retired_code(session, code), False
        if event is None:
            return None
        is_open = current and joining.is_open(event, join_days)
        session.expunge(event)
        return CodePage(event, current, is_open)


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


@dataclass(frozen=True)
class Preload:
    """A file the page asks for before it is parsed: ``rel`` is ``modulepreload`` or
    ``preload`` (then ``kind`` is its ``as``)."""

    rel: str
    filename: str  # under the static folder
    kind: str | None = None

    @property
    def href(self) -> str:
        """Its URL: fingerprinted, except ES modules, which import each other by plain URL."""
        if self.rel == "modulepreload" and self.filename != "js/phone.js":
            return url_for("pages.static", filename=self.filename)
        return asset(self.filename)


# What the phone page asks for at once: phone.js and the modules it imports (the workshop
# list). With the page's own, these take the six connections a browser opens to a host (over
# HTTP/1.1): the join request gets the first that is free, ahead of the board's code.
PHONE_PRELOADS = (
    Preload("modulepreload", "js/phone.js"),
    *(Preload("modulepreload", f"js/{module}.js")
      for module in ("common", "board-state", "feed", "ui/board-text")),
)
# Every phone of an event gets the same page (per language): compressed at the best level once.
PHONE_PAGES = CompressedPages()

# The board's own code: asked for once the name is sent (or at once for a participant who
# joined before), by the page's first script (static/js/phone-start.js). The other steps' views
# (js/phone-steps.js, css/step-views.css) are asked for by phone.js once the board is up.
PHONE_BOARD_CODE = (Preload("modulepreload", "js/outbox.js"),
                    Preload("modulepreload", "js/phone-board.js"))


@pages.get("/join/<code>")
def join(code: str):
    """The phone page of an event: name, workshop, board (``?key=`` from the join link).
    An unknown code gets the start page with a clear message (404). A replaced code, or one
    whose event takes nobody new now, still opens the page (phones that joined keep their
    board) with a note for those who did not."""
    key = request.args.get("key") or None
    normal = normalise_code(code)
    if normal != code:
        return redirect(url_for("pages.join", code=normal, key=key))
    try:
        found = page_of_code(normal, key)
    except RateLimited:
        return page("home.html", status=429, rate_limited=True)
    if found is None:
        return page("home.html", status=404, unknown_code=code)
    event = found.event
    when = format_date(event.date, format="full") if event.date else None
    inline = {"stylesheet": inline_file("css/app.css"),
              "first_screen": inline_file("js/phone-start.js"),
              "board_styles": inline_file("css/steps.css"),
              "socket_client": inline_file("vendor/socket.io/socket.io.min.js",
                                           "js/phone-transport.js")}
    html, status = page("join.html", "participant", "phone_steps", event=event, event_date=when,
                        page_code=normal, join_key=event.join_key if found.current else None,
                        joining_closed=found.current and not found.open,
                        code_replaced=not found.current, icon=data_url("img/favicon.svg"),
                        preloads=PHONE_PRELOADS, board_code=PHONE_BOARD_CODE, **inline)
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = policy_for(
        scripts=(inline["first_screen"], inline["socket_client"]),
        styles=(inline["stylesheet"], inline["board_styles"]))
    return PHONE_PAGES.compress(response)


@pages.get("/join/<code>/qr.svg")
def join_qr(code: str):
    """The QR code of an event's join link (with its key) as SVG (public; 404 for a code that
    is not an event's current one)."""
    found = page_of_code(code)
    if found is None or not found.current:
        raise NotFound("No event has this code.")
    event = found.event
    response = qr_svg_response(joining.join_link(base_url(), event), title=event.join_code)
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
                      "join_url": joining.join_link(base_url(), event)},
            "workshop": {"id": workshop.id, "title": workshop.title,
                         "question": workshop.question},
        }
