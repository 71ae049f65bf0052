"""What the results report keeps besides the board: report settings, redactions and the
published results page of an event."""

from __future__ import annotations

from datetime import datetime

from pinnwand.db import Base, UTCDateTime, utcnow
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, event, false
from sqlalchemy.orm import Mapped, mapped_column


class ReportSettings(Base):
    """Per event: what the report's cover says beyond the event's own fields, the time zone
    its times are shown in (``None``: Europe/Berlin) and its page size (``None``: A4)."""

    __tablename__ = "report_settings"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    organiser: Mapped[str | None] = mapped_column(String(200))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    page_size: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaRedaction(Base):
    """The text an idea shows in reports and on the published page instead of its own.

    The idea itself (and the board's history) stays untouched; removing the redaction shows
    the original text again.
    """

    __tablename__ = "idea_redactions"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Publication(Base):
    """An event's public, read-only results page: a snapshot of the report as reviewed.

    The link's secret is never stored: ``digest`` is its SHA-256 (for look-up) and ``nonce``
    lets the server derive the same secret again with its signing key (to show moderators
    their link). Withdrawing clears the snapshot and kills the link for good. ``authors`` and
    ``contributors`` record which names it was published with. ``version``
    counts the snapshot's changes (publishing again, deleting personal data): a PDF rendered
    from an older version is never handed out.
    """

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    nonce: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    lang: Mapped[str] = mapped_column(String(2))
    authors: Mapped[bool] = mapped_column(default=False)
    contributors: Mapped[bool] = mapped_column(default=False, server_default=false())
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("moderators.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@event.listens_for(Publication.snapshot, "set")
def _count_snapshot_versions(publication, _value, _old, _initiator) -> None:
    publication.version = (publication.version or 0) + 1


class PublishedFile(Base):
    """The PDF of a published results page in one language, rendered once per version of the
    publication and handed to every reader (``pinnwand.reports.published``)."""

    __tablename__ = "published_files"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(2), primary_key=True)
    version: Mapped[int]
    filename: Mapped[str] = mapped_column(String(120))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
