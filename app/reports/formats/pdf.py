"""The report as a PDF, typeset by WeasyPrint from the HTML of :mod:`pinnwand.reports.html`
(page numbers, a table of contents with page references, bookmarks, SVG charts); nothing
outside the document is ever fetched."""

from __future__ import annotations

import re
from functools import cache

from pinnwand.reports.html import render_document
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport
from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle
from weasyprint.urls import URLFetcher


class RefusingFetcher(URLFetcher):
    """A URL fetcher that fetches nothing: no web address, no local file, no data URL."""

    def fetch(self, url, headers=None):
        """Refuse ``url``; WeasyPrint then leaves the resource out."""
        raise ValueError(f"External resources are not loaded: {url[:80]}")


class ReportHTML(HTML):
    """A WeasyPrint document whose user-agent stylesheet leaves out the rules for footnotes
    and notes (``::footnote-call``, ``::note-marker``, …), which the report never uses.

    WeasyPrint computes a style for every pseudo-element that any rule names, for every
    element: these five universal rules made five of the eight styles of each table cell,
    a fifth of the memory of a report's layout."""

    def _ua_stylesheets(self, forms=False):
        return [_user_agent_stylesheet(), *super()._ua_stylesheets(forms)[1:]]


@cache
def _user_agent_stylesheet() -> CSS:
    # WeasyPrint's own sheet without those rules; its counter styles are WeasyPrint's
    # already (``_ua_counter_style``), so they go to a throwaway registry here.
    return CSS(string=_FOOTNOTE_RULES.sub("", weasyprint_html.UA), counter_style=CounterStyle())


_FOOTNOTE_RULES = re.compile(r"^::(footnote|note)-[a-z]+ \{[^}]*\}$", re.M)


def render(report: EventReport, labels: Labels) -> bytes:
    """The report as PDF bytes."""
    document = ReportHTML(string=render_html(report, labels), base_url=None,
                          url_fetcher=RefusingFetcher())
    return document.write_pdf()


def render_html(report: EventReport, labels: Labels) -> str:
    """The HTML the PDF is typeset from; every piece of user text is HTML-escaped."""
    return render_document(report, labels)


_WARM_UP = """<!DOCTYPE html><html lang="{lang}"><head><style>
p {{ width: 20mm; hyphens: auto; font: 9.5pt "DejaVu Sans", sans-serif; }}
b {{ font-weight: bold; }}
</style></head><body><p>Ausbildungsplatzakquisekampagne <b>Implementation 1.</b></p>
</body></html>"""


def warm_up() -> None:
    """Typeset a few words in German and English, so that fonts and hyphenation
    dictionaries are loaded before the first report (the render worker's spare does this
    while it waits for its job)."""
    for lang in ("de", "en"):
        ReportHTML(string=_WARM_UP.format(lang=lang), base_url=None,
                   url_fetcher=RefusingFetcher()).write_pdf()
