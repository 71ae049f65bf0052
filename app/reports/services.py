"""Report settings, redactions, the anonymity review and published results pages; no Flask.

Services take a Session and only flush; the caller commits once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from pinnwand.auth.services import digest
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import NotFound
from pinnwand.ideas.models import Idea
from pinnwand.reports.archive import report_to_json
from pinnwand.reports.model import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIME_ZONE,
    EventReport,
    ReportOptions,
)
from pinnwand.reports.models import IdeaRedaction, Publication, ReportSettings
from pinnwand.reports.published import discard_files
from pinnwand.reports.reader import build_report
from pinnwand.workshops.models import Workshop
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, defer

# --------------------------------------------------------------------------- settings


def report_settings_json(session: Session, event_id: int) -> dict:
    """The report settings: ``{"organiser", "time_zone", "page_size"}`` (the defaults
    filled in: Europe/Berlin, A4)."""
    settings = session.get(ReportSettings, event_id)
    return {"organiser": settings.organiser if settings else None,
            "time_zone": (settings and settings.time_zone) or DEFAULT_TIME_ZONE,
            "page_size": (settings and settings.page_size) or DEFAULT_PAGE_SIZE}


def update_report_settings(session: Session, event_id: int, changes: dict) -> dict:
    """Change the report settings that ``changes`` holds: ``organiser`` (``null`` or ``""``
    clears it), ``time_zone`` and ``page_size`` (``null``: back to the default)."""
    settings = session.get(ReportSettings, event_id)
    if settings is None:
        settings = ReportSettings(event_id=event_id)
        session.add(settings)
    for field in ("organiser", "time_zone", "page_size"):
        if field in changes:
            setattr(settings, field, changes[field] or None)
    settings.updated_at = utcnow()
    session.flush()
    return report_settings_json(session, event_id)


# --------------------------------------------------------------------------- redactions


def event_of_idea(session: Session, idea_id: int) -> int:
    """The event an idea belongs to, or :class:`NotFound`."""
    event_id = session.scalar(
        select(Workshop.event_id).join(Idea, Idea.workshop_id == Workshop.id)
        .where(Idea.id == idea_id))
    if event_id is None:
        raise NotFound("There is no such idea.")
    return event_id


def redact(session: Session, idea_id: int, text: str, moderator_id: int | None) -> dict:
    """Show ``text`` instead of the idea's own text in reports and on the published page.

    The idea and the board's history stay as they are."""
    redaction = session.get(IdeaRedaction, idea_id)
    if redaction is None:
        redaction = IdeaRedaction(idea_id=idea_id, text=text)
        session.add(redaction)
    redaction.text, redaction.moderator_id, redaction.created_at = text, moderator_id, utcnow()
    session.flush()
    return redaction_json(session, idea_id)


def unredact(session: Session, idea_id: int) -> None:
    """Show the idea's own text again."""
    session.execute(delete(IdeaRedaction).where(IdeaRedaction.idea_id == idea_id))


def redaction_json(session: Session, idea_id: int) -> dict:
    """``{"idea_id", "text", "original_text", "redacted_at"}`` of a redacted idea."""
    redaction = session.get(IdeaRedaction, idea_id)
    idea = session.get(Idea, idea_id)
    return {"idea_id": idea_id, "text": redaction.text, "original_text": idea.text,
            "redacted_at": isoformat(redaction.created_at)}


def review(session: Session, event_id: int, *, base_url: str,
           options: ReportOptions) -> dict:
    """What the anonymity review shows: every idea a report may show (not deleted, merged or
    still hidden) with its own text, its redaction and its author (``null`` when posted
    anonymously); ``names``, exactly the names a report compiled with ``options`` shows
    (read from that very report); ``authors``, the authors a report with names on shows."""
    query = (
        select(Idea.id, Idea.workshop_id, Workshop.title, Idea.text, Idea.author_name,
               Idea.anonymous, Idea.votes, Idea.created_at, IdeaRedaction.text.label("shown"))
        .join(Workshop, Workshop.id == Idea.workshop_id)
        .outerjoin(IdeaRedaction, IdeaRedaction.idea_id == Idea.id)
        .where(Workshop.event_id == event_id, Idea.hidden.is_(False),
               Idea.deleted_at.is_(None), Idea.merged_into_id.is_(None))
        .order_by(Workshop.position, Workshop.id, Idea.id)
    )
    ideas = [{
        "id": row.id, "workshop_id": row.workshop_id, "workshop": row.title,
        "text": row.text, "redaction": row.shown,
        "author": None if row.anonymous else row.author_name,
        "votes": row.votes, "created_at": isoformat(row.created_at),
    } for row in session.execute(query)]
    report = build_report(session, event_id, base_url=base_url, options=options)
    with_authors = report if options.authors else build_report(
        session, event_id, base_url=base_url, options=ReportOptions(authors=True))
    authors = {idea.author for idea in with_authors.ideas if idea.author}
    return {"ideas": ideas, "authors": sorted(authors, key=str.casefold),
            "names": names_in(report),
            "options": {"authors": options.authors, "contributors": options.contributors}}


def names_in(report: EventReport) -> list[dict]:
    """Every name the report shows, each once per role, in the order the report shows them:
    ``[{"name", "role"}]`` with ``role`` one of ``moderator``, ``host``, ``author``,
    ``owner`` (typed in by the staff as an action's owner), ``contributor`` (as listed,
    with what they bring)."""
    found: dict[tuple[str, str], None] = {}
    for name in report.event.moderators:
        found[(name, "moderator")] = None
    for workshop in report.workshops:
        for host in (workshop.host or "").split(", "):
            if host:
                found[(host, "host")] = None
        for idea in workshop.ideas:
            if idea.author:
                found[(idea.author, "author")] = None
        for action in workshop.actions:
            if action.owner:
                found[(action.owner, "owner")] = None
            for label in action.contributors:
                found[(label, "contributor")] = None
    return [{"name": name, "role": role} for name, role in found]


# --------------------------------------------------------------------------- publishing


def link_secret(secret_key: str, nonce: str) -> str:
    """The secret part of a published page's link, derived from the server's signing key
    and the publication's nonce (so only its digest needs storing)."""
    mac = hmac.new(secret_key.encode(), f"publication:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def publish(session: Session, event_id: int, *, options: ReportOptions, lang: str,
            moderator_id: int | None, base_url: str, secret_key: str) -> Publication:
    """Publish (or re-publish) the event's results page: a snapshot of the report as it is
    now, with the names ``options`` allow, redactions applied. An active link stays the same;
    after a withdrawal a new link is made (the old one never works again)."""
    report = build_report(session, event_id, base_url=base_url, options=options)
    publication = session.scalar(select(Publication).where(Publication.event_id == event_id))
    if publication is None:
        publication = Publication(event_id=event_id)
        session.add(publication)
    if publication.withdrawn_at is not None or publication.nonce is None:
        publication.nonce = secrets.token_urlsafe(24)
        publication.digest = digest(link_secret(secret_key, publication.nonce))
        publication.withdrawn_at = None
    publication.lang = lang
    publication.authors, publication.contributors = options.authors, options.contributors
    publication.snapshot = report_to_json(report)
    publication.published_by, publication.published_at = moderator_id, utcnow()
    session.flush()
    discard_files(session, publication.id)
    return publication


def withdraw(session: Session, event_id: int) -> None:
    """Take the results page down: the link answers "withdrawn" from now on and the
    snapshot is deleted. Withdrawing what is not published changes nothing."""
    publication = session.scalar(select(Publication).where(Publication.event_id == event_id))
    if publication is not None and publication.withdrawn_at is None:
        publication.withdrawn_at, publication.snapshot = utcnow(), None
        discard_files(session, publication.id)
        session.flush()


def publication_of(session: Session, event_id: int) -> Publication | None:
    """The event's publication (active or withdrawn), if it ever had one."""
    return session.scalar(select(Publication).where(Publication.event_id == event_id))


def find_publication(session: Session, secret: str,
                     with_snapshot: bool = True) -> Publication | None:
    """The publication a link's secret belongs to (active or withdrawn), or ``None``; without
    loading its (possibly large) snapshot unless asked to."""
    if not isinstance(secret, str) or not 20 <= len(secret) <= 100:
        return None
    query = select(Publication).where(Publication.digest == digest(secret))
    if not with_snapshot:
        query = query.options(defer(Publication.snapshot))
    return session.scalar(query)


def publication_json(publication: Publication | None, *, base_url: str,
                     secret_key: str) -> dict:
    """The publication as the moderators' API shows it (with its link while active)."""
    if publication is None or publication.withdrawn_at is not None:
        return {"published": False,
                "withdrawn_at": isoformat(publication.withdrawn_at) if publication else None}
    path = f"/results/{link_secret(secret_key, publication.nonce)}"
    root = base_url.rstrip("/")
    return {
        "published": True,
        "url": f"{root}{path}",
        "qr_url": f"{root}{path}/qr.svg",
        "pdf_url": f"{root}{path}/report.pdf",
        "lang": publication.lang,
        "authors": publication.authors,
        "contributors": publication.contributors,
        "published_at": isoformat(publication.published_at),
        "withdrawn_at": None,
    }
