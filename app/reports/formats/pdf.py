"""The report as a PDF, typeset by WeasyPrint from the HTML of :mod:`pinnwand.reports.html`
(page numbers, a table of contents with page references, bookmarks, SVG charts); nothing
outside the document is ever fetched."""

from __future__ import annotations

from pinnwand.reports.html import render_document
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class RefusingFetcher(URLFetcher):
    """A URL fetcher that fetches nothing: no web address, no local file, no data URL."""

    def fetch(self, url, headers=None):
        """Refuse ``url``; WeasyPrint then leaves the resource out."""
        raise ValueError(f"External resources are not loaded: {url[:80]}")


def render(report: EventReport, labels: Labels) -> bytes:
    """The report as PDF bytes."""
    document = HTML(string=render_html(report, labels), base_url=None,
                    url_fetcher=RefusingFetcher())
    return document.write_pdf()


def render_html(report: EventReport, labels: Labels) -> str:
    """The HTML the PDF is typeset from; every piece of user text is HTML-escaped."""
    return render_document(report, labels)
