"""Rendering a report model into a download: formats, media types and file names.

Rendering is a pure function of the :class:`~pinnwand.reports.model.EventReport`; it touches no
database, so callers may run it in a worker thread.
"""

from __future__ import annotations

import importlib
import re
import unicodedata

from pinnwand.reports.labels import report_labels
from pinnwand.reports.model import EventReport

FORMATS = ("pdf", "docx", "md", "csv", "xlsx", "json")

# Media types without parameters: the web layer adds ``charset=utf-8`` to text types itself.
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

# The module of each format, imported when first used (WeasyPrint alone takes most of a
# second to import; the render worker process imports only what it needs).
_MODULES = {
    "pdf": "pinnwand.reports.formats.pdf",
    "docx": "pinnwand.reports.formats.word",
    "md": "pinnwand.reports.formats.markdown",
    "csv": "pinnwand.reports.formats.csv_table",
    "xlsx": "pinnwand.reports.formats.excel",
    "json": "pinnwand.reports.formats.json_data",
}

_TRANSLITERATIONS = str.maketrans({
    "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
})
MAX_SLUG_LENGTH = 60


def render(report: EventReport, fmt: str, lang: str = "en") -> bytes:
    """The report as a file in ``fmt`` (one of :data:`FORMATS`), labelled in ``lang``
    (``en`` or ``de``), times in the event's time zone. An unknown format or language is a
    :class:`ValueError`."""
    if fmt not in _MODULES:
        raise ValueError(f"Reports come as {', '.join(FORMATS)}, not {fmt!r}.")
    labels = report_labels(report, lang)
    return importlib.import_module(_MODULES[fmt]).render(report, labels)


def report_filename(report: EventReport, fmt: str) -> str:
    """A download name such as ``2026-11-21-fachkraefte-forum.pdf``: the event's date (when
    it has one), then an ASCII slug of its title."""
    slug = slugify(report.event.title) or "report"
    day = report.event.date
    stem = f"{day.isoformat()}-{slug}" if day else slug
    return f"{stem}.{fmt}"


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; German umlauts become ae/oe/ue, ß ss."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLITERATIONS)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")
