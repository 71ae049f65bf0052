"""The report as a PDF, typeset by WeasyPrint from the HTML template
``templates/reports/report.html``; nothing outside the document is ever fetched."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from app.reports.labels import Labels
from app.reports.model import EventReport

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "reports"


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
    return _environment().get_template("report.html").render(report=report, labels=labels)


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
