"""The report as a PDF, typeset by WeasyPrint from the HTML of :mod:`pinnwand.reports.html`
(page numbers, a table of contents with page references, bookmarks, SVG charts); nothing
outside the document is ever fetched."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from functools import cache

from markupsafe import Markup
from pinnwand.reports.html import render_document
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport
from pypdf import PdfReader, PdfWriter
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


# Reports with more ideas than this are laid out in parts of about this many ideas each.
PART_IDEAS = 1500


@dataclass(frozen=True)
class ReportPart:
    """The sections one part of a PDF laid out in parts holds, and where it goes.

    The first part holds the cover, the contents, the plenary and the agenda; then come
    parts of whole workshop sections, then parts of the appendix. Every part starts on a
    new page; ``first_page`` is the number of its first page. ``toc_pages`` maps the
    contents' anchors to their pages (the first part only, once the others are laid out)."""

    front: bool = False
    workshops: tuple = ()
    appendix: tuple = ()
    appendix_head: bool = False
    last: bool = False
    first_page: int = 1
    toc_pages: dict | None = None
    event_title: str = '""'
    section_title: str = '""'


def render(report: EventReport, labels: Labels, part_ideas: int = PART_IDEAS) -> bytes:
    """The report as PDF bytes: one document, or from ``part_ideas`` ideas on laid out in
    parts and joined (WeasyPrint keeps a document's whole layout until it is written, so
    parts bound the memory a large report needs)."""
    if report.figures.ideas <= part_ideas:
        return _document(render_html(report, labels)).write_pdf()
    return render_in_parts(report, labels, part_ideas)


def render_in_parts(report: EventReport, labels: Labels, part_ideas: int) -> bytes:
    """The report laid out part by part (:class:`ReportPart`), each part written to PDF
    before the next is laid out, and the parts joined with pypdf (with their bookmarks).

    Pages are numbered through ("Page n", without the total, which is known only at the
    end). The first part is laid out twice: once with empty page numbers in its contents
    to count its pages, and last with the pages the other parts found their sections on."""
    running = {"event_title": css_string(report.event.title),
               "section_title": css_string(labels["appendix"])}
    front = ReportPart(front=True, toc_pages={}, **running)
    toc_pages: dict[str, int] = {}
    page = 1 + _note_anchors(_document(render_html(report, labels, front)).render(), 1,
                             toc_pages)
    files = []
    for part in _body_parts(report, part_ideas, running):
        rendered = _document(render_html(report, labels, replace(part, first_page=page))).render()
        page += _note_anchors(rendered, page, toc_pages)
        files.append(rendered.write_pdf())
        del rendered
    front = replace(front, toc_pages=toc_pages)
    files.insert(0, _document(render_html(report, labels, front)).render().write_pdf())
    return _join(files)


def _note_anchors(rendered, first_page: int, pages: dict[str, int]) -> int:
    """Note the page of every anchor of a laid-out part in ``pages``; its number of pages."""
    for number, page in enumerate(rendered.pages, start=first_page):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return len(rendered.pages)


def _body_parts(report: EventReport, part_ideas: int, running: dict) -> list[ReportPart]:
    """The workshop sections and the appendix in parts of whole workshops, each part as
    many workshops as add up to about ``part_ideas`` ideas (at least one)."""
    groups: list[list] = [[]]
    for workshop in report.workshops:
        if groups[-1] and sum(len(w.ideas) for w in groups[-1]) + len(workshop.ideas) > part_ideas:
            groups.append([])
        groups[-1].append(workshop)
    groups = [tuple(group) for group in groups if group]
    parts = [ReportPart(workshops=group, **running) for group in groups]
    parts += [ReportPart(appendix=group, appendix_head=number == 0, **running)
              for number, group in enumerate(groups or [()])]
    return [*parts[:-1], replace(parts[-1], last=True)]


def _join(files: list[bytes]) -> bytes:
    """One PDF of ``files`` in order, with the bookmarks of each."""
    writer = PdfWriter()
    for body in files:
        writer.append(PdfReader(io.BytesIO(body)), import_outline=True)
    first = PdfReader(io.BytesIO(files[0])).metadata or {}
    writer.add_metadata({key: value for key, value in first.items() if isinstance(value, str)})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string that is safe inside the document's ``<style>``:
    backslashes, quotes, line breaks and ``<`` escaped."""
    escaped = "".join(_CSS_ESCAPES.get(char, char) for char in text)
    return Markup(f'"{escaped}"')


_CSS_ESCAPES = {"\\": "\\\\", '"': "\\22 ", "<": "\\3c ", ">": "\\3e ", "&": "\\26 ",
                "\n": "\\a ", "\r": "\\d ", "\f": "\\c "}


def _document(source: str) -> ReportHTML:
    return ReportHTML(string=source, base_url=None, url_fetcher=RefusingFetcher())


def render_html(report: EventReport, labels: Labels, part: ReportPart | None = None) -> str:
    """The HTML the PDF (or one ``part`` of it) is typeset from; every piece of user text is
    HTML-escaped."""
    return render_document(report, labels, part)


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
