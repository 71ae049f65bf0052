"""The report as a PDF, typeset by WeasyPrint from the HTML of :mod:`pinnwand.reports.html`
(page numbers, a table of contents with page references, bookmarks, SVG charts); nothing
outside the document is ever fetched."""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache

from markupsafe import Markup
from pinnwand.reports.html import render_document, render_page_numbers
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, Fit, NameObject
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
# With two processes, reports with more ideas than this are laid out in parts too, of about a
# quarter of their ideas each: two processes lay out two parts at once (smaller reports are
# one document; a part costs a few hundredths of a second of its own, and starts a page).
PARALLEL_IDEAS = 300
# Processes that lay out the parts of a large report at once (forked from the render
# worker, so fonts and hyphenation dictionaries are loaded already): two, or one on a
# machine with a single core. The render worker runs at a lower priority than the server
# (``pinnwand.reports.worker``), so live boards go first when the cores are busy.
PROCESSES = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                else os.cpu_count() or 1)


@dataclass(frozen=True)
class ReportPart:
    """The sections one part of a PDF laid out in parts holds.

    The first part holds the cover, the contents, the plenary and the agenda; then come
    parts of whole workshop sections, then parts of the appendix. Every part starts on a
    new page. ``toc_pages`` maps the contents' anchors to their pages (the first part only,
    once the others are laid out); page numbers are stamped on every page after the parts
    are joined (:func:`page_numbers_html`)."""

    front: bool = False
    workshops: tuple = ()
    appendix: tuple = ()
    appendix_head: bool = False
    last: bool = False
    toc_pages: dict | None = None
    event_title: str = '""'
    section_title: str = '""'


@dataclass(frozen=True)
class LaidOut:
    """One part laid out (by :func:`_lay_out`): its PDF (unless only counted), its number
    of pages, where its anchors are (``name: (page index, x, y)`` in PDF points from the
    bottom left) and its links to anchors in other parts (``(page index, name, rectangle)``,
    the rectangle in PDF points)."""

    pdf: bytes | None
    pages: int
    anchors: dict
    foreign_links: list


def render(report: EventReport, labels: Labels, part_ideas: int | None = None,
           processes: int = PROCESSES) -> bytes:
    """The report as PDF bytes: one document, or laid out in parts of ``part_ideas`` ideas
    (:func:`part_size` unless given) by ``processes`` processes and joined (WeasyPrint
    keeps a document's whole layout until it is written, so parts bound the memory a large
    report needs, and two processes lay out two parts at once)."""
    part_ideas = part_ideas or part_size(report.figures.ideas, processes)
    if report.figures.ideas <= part_ideas:
        return _document(render_html(report, labels)).write_pdf()
    return render_in_parts(report, labels, part_ideas, processes)


def part_size(ideas: int, processes: int) -> int:
    """The ideas of a part: :data:`PART_IDEAS`, or with several processes and more than
    :data:`PARALLEL_IDEAS` ideas, a quarter of them (so that two processes have work until
    the end), at most :data:`PART_IDEAS`."""
    if processes < 2 or ideas <= PARALLEL_IDEAS:
        return PART_IDEAS
    return min(PART_IDEAS, -(-ideas // (2 * processes)))


def render_in_parts(report: EventReport, labels: Labels, part_ideas: int,
                    processes: int = PROCESSES) -> bytes:
    """The report laid out part by part (:class:`ReportPart`) in ``processes`` processes,
    each part written to PDF on its own, and the parts joined with pypdf (with their
    bookmarks and the contents' links).

    No part depends on another's layout: parts carry no page numbers; once all are laid
    out, the pages are known, the front (cover, contents, …) is laid out a second time
    with the contents' page numbers, and "Page n of N" is stamped on every page from a
    document of page numbers alone (:func:`page_numbers_html`)."""
    running = {"event_title": css_string(report.event.title),
               "section_title": css_string(labels["appendix"])}
    front = ReportPart(front=True, toc_pages={}, **running)
    body = _body_parts(report, part_ideas, running)
    with _pool(processes) as pool:
        # the largest parts (the appendix's) first, the front (counted only) last
        jobs = {index: pool.submit(_lay_out, render_html(report, labels, body[index]))
                for index in sorted(range(len(body)), key=lambda i: not body[i].appendix)}
        counted = pool.submit(_lay_out, render_html(report, labels, front), write=False)
        parts = [counted.result(), *(jobs[index].result() for index in range(len(body)))]
        total = _pages(parts)
        numbers = _page_numbers(pool, report, labels, total)
        parts[0] = _final_front(pool, report, labels, front, parts)
        if _pages(parts) != total:
            numbers = _page_numbers(pool, report, labels, _pages(parts))
        numbers = [job.result() for job in numbers]
    return _join(parts, numbers)  # the processes have exited: their memory is back


def _page_numbers(pool, report: EventReport, labels: Labels, total: int) -> list[Future]:
    """The page numbers of ``total`` pages laid out in :data:`NUMBER_CHUNKS` documents."""
    size = -(-total // NUMBER_CHUNKS)
    return [pool.submit(_lay_out, page_numbers_html(report, labels, first,
                                                    min(size, total - first + 1), total))
            for first in range(1, total + 1, size)]


# Documents the page numbers of a report in parts are laid out in (at once, beside the
# front's second layout): a few milliseconds a page.
NUMBER_CHUNKS = 2


def _final_front(pool, report: EventReport, labels: Labels, front: ReportPart,
                 parts: list[LaidOut]) -> LaidOut:
    """The front laid out with the pages of the sections in its contents; ``parts[0]`` is
    the front laid out to count its pages (again, should the numbers change them)."""
    for _ in range(3):
        final = pool.submit(_lay_out, render_html(
            report, labels, replace(front, toc_pages=_section_pages(parts)))).result()
        if final.pages == parts[0].pages:
            break
        parts = [final, *parts[1:]]
    return final


def _pages(parts: list[LaidOut]) -> int:
    return sum(part.pages for part in parts)


def _section_pages(parts: list[LaidOut]) -> dict[str, int]:
    """The page number of every anchor in ``parts`` (which follow each other)."""
    pages: dict[str, int] = {}
    first_page = 1
    for part in parts:
        for name, (index, _, _) in part.anchors.items():
            pages.setdefault(name, first_page + index)
        first_page += part.pages
    return pages


def _lay_out(source: str, write: bool = True) -> LaidOut:
    """Lay out one part (``source``: its HTML) and write it to PDF unless ``write`` is
    false. Links to anchors the part does not hold are taken out before writing
    (WeasyPrint would drop them with an error) and returned, to be linked after joining."""
    rendered = _document(source).render()
    anchors, foreign = {}, []
    for index, page in enumerate(rendered.pages):
        height = page.height * POINTS
        for name, (x, y, _, _) in page.anchors.items():
            anchors.setdefault(name, (index, x * POINTS, height - y * POINTS))
    for index, page in enumerate(rendered.pages):
        height = page.height * POINTS
        kept = []
        for link in page.links:
            kind, target, (x1, y1, x2, y2), _ = link
            if kind == "internal" and target not in anchors:
                foreign.append((index, target, (x1 * POINTS, height - y2 * POINTS,
                                                x2 * POINTS, height - y1 * POINTS)))
            else:
                kept.append(link)
        page.links[:] = kept
    return LaidOut(rendered.write_pdf() if write else None, len(rendered.pages), anchors,
                   foreign)


POINTS = 0.75  # PDF points per CSS pixel


class _InProcess:
    """An executor that runs each job at once in this process (one process for the parts)."""

    def submit(self, function, *args, **kwargs) -> Future:
        future = Future()
        future.set_result(function(*args, **kwargs))
        return future


@contextmanager
def _pool(processes: int):
    """``processes`` forked processes that lay out parts, or this process alone."""
    if processes < 2:
        yield _InProcess()
        return
    warm_up_once()  # the forked processes inherit fonts and dictionaries
    # Their garbage collections skip what they inherit, so they copy less of it: ≈ 6 % of
    # the CPU of a 600-idea report.
    gc.freeze()
    try:
        with ProcessPoolExecutor(processes,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()


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


def _join(parts: list[LaidOut], numbers: list[LaidOut]) -> bytes:
    """One PDF of ``parts`` in order, with the bookmarks of each, the links between them
    and the page numbers of ``numbers`` (their pages one after the other) stamped on every
    page."""
    writer = PdfWriter()
    starts = []
    for part in parts:
        starts.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=True)
    _link_across(writer, parts, starts)
    stamp_pages(writer, [page for chunk in numbers
                         for page in PdfReader(io.BytesIO(chunk.pdf)).pages])
    first = PdfReader(io.BytesIO(parts[0].pdf)).metadata or {}
    writer.add_metadata({key: value for key, value in first.items() if isinstance(value, str)})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _link_across(writer: PdfWriter, parts: list[LaidOut], starts: list[int]) -> None:
    """Link every part's links to anchors of other parts (the contents') to the page and
    place of their anchor."""
    anchors = {name: (start + index, x, y) for part, start in zip(parts, starts, strict=True)
               for name, (index, x, y) in part.anchors.items()}
    for part, start in zip(parts, starts, strict=True):
        for index, name, rectangle in part.foreign_links:
            if name not in anchors:
                continue
            target, x, y = anchors[name]
            writer.add_annotation(start + index, Link(
                rect=rectangle, target_page_index=target, fit=Fit.xyz(left=x, top=y, zoom=0)))


def stamp_pages(writer: PdfWriter, stamps: list) -> None:
    """Draw page ``i`` of ``stamps`` over page ``i`` of ``writer`` (pages of the same size):
    each stamp becomes a form XObject that the page draws last, its own drawing wrapped so
    that nothing it leaves set (WeasyPrint's pages flip the coordinates) touches the stamp.
    The pages' content streams are not decoded."""
    save = writer._add_object(_stream(b"q\n"))
    for number, (page, stamp) in enumerate(zip(writer.pages, stamps, strict=True)):
        name = NameObject(f"/PageNumber{number}")
        form = _stream(stamp.get_contents().get_data())
        form.update({NameObject("/Type"): NameObject("/XObject"),
                     NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject(stamp.mediabox),
                     NameObject("/Resources"): stamp["/Resources"].clone(writer)})
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[name] = writer._add_object(form)
        contents = page.raw_get("/Contents")  # the reference: streams must stay indirect
        streams = list(contents.get_object()) if isinstance(contents.get_object(), list) \
            else [contents]
        draw = writer._add_object(_stream(b"\nQ\nq " + name.encode() + b" Do Q\n"))
        page[NameObject("/Contents")] = ArrayObject([save, *streams, draw])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def page_numbers_html(report: EventReport, labels: Labels, first: int, pages: int,
                      total: int) -> str:
    """A document of ``pages`` empty pages with the report's page frame showing only
    "Page n of ``total``", n from ``first`` on: stamped over the pages of a report laid out
    in parts."""
    return render_page_numbers(report, labels, first, pages, total)


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
    global _warm
    for lang in ("de", "en"):
        ReportHTML(string=_WARM_UP.format(lang=lang), base_url=None,
                   url_fetcher=RefusingFetcher()).write_pdf()
    _warm = True


_warm = False


def warm_up_once() -> None:
    """:func:`warm_up` unless this process did already."""
    if not _warm:
        warm_up()
