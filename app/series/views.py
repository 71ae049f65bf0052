"""HTTP routes of series, their action register (with its exports), the personal update links
of an action and its dated updates (JSON API under ``/api/v1``)."""

from __future__ import annotations

import segno
from flask import Response, current_app, request
from pinnwand.api import api
from pinnwand.api.helpers import base_url, caller, json_body, moderator
from pinnwand.background import run_blocking
from pinnwand.db import utcnow
from pinnwand.errors import Conflict, Invalid
from pinnwand.events.services import event_json, moderated_event, series_of
from pinnwand.mail.mailings import MailSetup
from pinnwand.mail.sender import mail_sender
from pinnwand.series import exports, forums, invitations, organisations, reminders, services
from pinnwand.series.schemas import (
    ActionUpdateIn,
    NextForumIn,
    RegisterArgs,
    RemindersIn,
    SeriesIn,
    UpdateLinkIn,
)
from pinnwand.state import state
from pinnwand.validation import parse
from sqlalchemy.exc import IntegrityError

UPDATE_LINK_DAYS = 365


@api.post("/series")
def create_series():
    """A moderator creates a series of events: ``201 {"id", "title", "events": []}``."""
    identity = moderator()
    data = parse(SeriesIn, json_body())
    with state().db.transaction() as session:
        series = services.create_series(session, identity.moderator_id, data.title)
        answer = services.series_json(session, series)
    return answer, 201


@api.get("/series")
def list_series():
    """The series the calling moderator moderates: ``{"series": [...]}``."""
    identity = moderator()
    with state().db.read() as session:
        return {"series": [services.series_json(session, s)
                           for s in services.list_series(session, identity.moderator_id)]}


@api.post("/events/<int:event_id>/next-forum")
def create_next_forum(event_id: int):
    """The event's moderators create the next forum of its series: ``{"title", "date"?,
    "location"?, "description"?, "copy"?: {"agenda", "workshops", "settings",
    "moderators"}, "invite"?}`` (each part copied unless ``false``) → ``201`` the new event
    with ``"invited"`` (how many invitations were queued). ``invite``: the series' follow-up
    contacts get an invitation by mail (the background sender delivers it). ``409`` when the
    event is in no series, or invitations are asked for and no mail server is configured."""
    identity = moderator()
    data = parse(NextForumIn, json_body())
    app_state = state()
    settings = app_state.settings
    if data.invite and not settings.smtp_url:
        raise Conflict("No mail server is configured (PINNWAND_SMTP_URL): nobody can be "
                       "invited.")
    with app_state.db.transaction() as session:
        source = moderated_event(session, identity, event_id)
        event = forums.next_forum(session, identity, source, data, settings.max_workshops)
        invited = invitations.invite(session, event, series_of(session, event.id), MailSetup(
            base_url=base_url(), secret_key=settings.secret_key,
            mail_from=settings.mail_from)) if data.invite else 0
        answer = event_json(session, event, base_url(), join_days=settings.join_days)
    sender = mail_sender(current_app)
    if invited and sender is not None:
        sender.wake()
    return {**answer, "invited": invited}, 201


@api.get("/series/<int:series_id>")
def get_series(series_id: int):
    """The series with its events by date (its moderators)."""
    identity = moderator()
    with state().db.read() as session:
        return services.series_json(session,
                                    services.moderated_series(session, identity, series_id))


def _register_query() -> services.RegisterQuery:
    """The register's filters and order from the query string; bad values are ``invalid``."""
    args = parse(RegisterArgs, {key: request.args[key] for key in request.args})
    statuses = tuple(s.strip() for s in (args.status or "").split(",") if s.strip())
    unknown = [s for s in statuses if s not in services.STATUSES]
    if unknown:
        raise Invalid("Unknown status.", {"status": f"one of {', '.join(services.STATUSES)}"})
    return services.RegisterQuery(statuses=statuses, event_id=args.event_id,
                                  words=tuple((args.q or "").casefold().split()),
                                  sort=args.sort)


@api.get("/series/<int:series_id>/actions")
def list_register(series_id: int):
    """The series' register (its moderators): ``{"actions": [...]}``, filtered and ordered by
    ``status``, ``event_id``, ``q`` and ``sort``."""
    identity = moderator()
    query = _register_query()
    with state().db.read() as session:
        services.moderated_series(session, identity, series_id)
        return {"actions": services.register(session, series_id, query)}


@api.get("/series/<int:series_id>/organisations")
def list_organisations(series_id: int):
    """Member contributions (the series' moderators): per organisation what it owns and
    contributes across the whole register, ``{"organisations": [...]}``."""
    identity = moderator()
    with state().db.read() as session:
        services.moderated_series(session, identity, series_id)
        entries = services.register(session, series_id)
    return {"organisations": organisations.organisations(entries)}


@api.get("/series/<int:series_id>/actions.<any(csv, xlsx):fmt>")
def export_register(series_id: int, fmt: str):
    """The register as CSV or XLSX (same query as the list), rendered off the event loop."""
    identity = moderator()
    query = _register_query()
    with state().db.read() as session:
        series = services.moderated_series(session, identity, series_id)
        entries = services.register(session, series_id, query)
        members = organisations.organisations(services.register(session, series_id))
        title = series.title
    body = run_blocking(exports.render, fmt, title, entries, members)
    return Response(body, mimetype=exports.MIMETYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{exports.filename(title, fmt)}"',
        "Cache-Control": "no-store",
    })


@api.get("/actions/<int:action_id>")
def get_action(action_id: int):
    """One action of the register: all of it for the moderators of its event or series, what
    the phone page shows for its own personal link."""
    identity = caller(updater_ok=True)
    services.ensure_own_action(identity, action_id)
    with state().db.read() as session:
        return services.action_view(session, identity, action_id)


@api.post("/actions/<int:action_id>/update-link")
def create_update_link(action_id: int):
    """A personal link for the owner or a contributor (the series' moderators):
    ``201 {"id", "url", "token", "name", "expires_at", "qr"}``."""
    identity = moderator()
    data = parse(UpdateLinkIn, json_body() if request.content_length else {})
    with state().db.transaction() as session:
        raw, token = services.create_update_link(session, identity, action_id, data.name,
                                                 UPDATE_LINK_DAYS, data.email)
        answer = services.update_link_json(token, data.email)
    url = f"{base_url()}/actions/{action_id}/update#token={raw}"
    answer.update(url=url, token=raw, qr=_qr_data_url(url))
    return answer, 201


@api.get("/actions/<int:action_id>/update-links")
def list_update_links(action_id: int):
    """The action's personal links, revoked ones flagged (never their tokens)."""
    identity = moderator()
    with state().db.read() as session:
        return {"links": services.update_links(session, identity, action_id)}


@api.delete("/actions/<int:action_id>/update-links/<int:link_id>")
def revoke_update_link(action_id: int, link_id: int):
    """Revoke a personal link: it opens and changes nothing from now on. ``204``."""
    identity = moderator()
    with state().db.transaction() as session:
        services.revoke_update_link(session, identity, action_id, link_id)
    return "", 204


@api.post("/actions/<int:action_id>/updates")
def add_update(action_id: int):
    """A dated update (``{"status", "note"?, "link"?}``) from the action's personal link or a
    moderator of its event or series: sets the status, logs the note. ``201`` the update."""
    identity = caller(updater_ok=True)
    services.ensure_own_action(identity, action_id)
    data = parse(ActionUpdateIn, json_body())
    with state().db.transaction() as session:
        answer = services.add_update(session, identity, action_id, data.status, data.note,
                                     data.link)
    return answer, 201


@api.post("/series/<int:series_id>/reminders")
def queue_reminders(series_id: int):
    """The series' moderators queue the reminders due now (``{"today"?, "days"?, "lang"?}``;
    ``today`` defaults to the server's day in UTC, ``days`` to ``PINNWAND_REMINDER_DAYS``):
    ``200 {"queued"}``. Each action, address and occasion is reminded once, however often
    this is called (the background sender also queues them by itself). ``409`` without a
    mail server."""
    identity = moderator()
    data = parse(RemindersIn, json_body() if request.content_length else {})
    settings = state().settings
    if not settings.smtp_url:
        raise Conflict("No mail server is configured (PINNWAND_SMTP_URL): no reminders.")
    today = data.today or utcnow().date()
    try:
        with state().db.transaction() as session:
            services.moderated_series(session, identity, series_id)
            queued = reminders.queue_reminders(
                session, _mail_setup(), today, data.days or settings.reminder_days,
                series_id=series_id, lang=data.lang)
    except IntegrityError:  # another process queued one of them at the same moment
        raise Conflict("Reminders are being queued right now: try again.") from None
    sender = mail_sender(current_app)
    if queued and sender is not None:
        sender.wake()
    return {"queued": queued}


def _mail_setup() -> MailSetup:
    settings = state().settings
    return MailSetup(base_url=base_url(), secret_key=settings.secret_key,
                     mail_from=settings.mail_from)


def _qr_data_url(url: str) -> str:
    """The QR code of a personal link as an SVG data URL (the page shows it as an image; the
    link's token never appears in a request line)."""
    return segno.make(url, error="m").svg_data_uri(scale=1, border=3, omitsize=True,
                                                   dark="#000", light="#fff")
