"""The report as HTML, from the Jinja templates in ``templates/reports``: the whole document
the PDF is typeset from, and the ``<article>`` the preview and the published page show.

Both come from the same ``_body.html`` and ``report.css``, so the browser shows what the PDF
prints. Every piece of user text is HTML-escaped (autoescape); the templates load nothing
from outside. Long words of user text pass through ``hy``: soft hyphens on web pages, nothing
in the PDF (WeasyPrint hyphenates by itself, see :mod:`pinnwand.reports.hyphens`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from pinnwand.background import run_blocking
from pinnwand.reports.formats.charts import vote_chart
from pinnwand.reports.hyphens import no_hyphens, soft_hyphens
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "reports"
STYLESHEET = TEMPLATES / "report.css"


def render_document(report: EventReport, labels: Labels, part=None) -> str:
    """The complete HTML document of the PDF (stylesheet inlined, paged-media frame); with a
    ``part`` (:class:`pinnwand.reports.formats.pdf.ReportPart`) only the sections it holds."""
    return _render("report.html", report, labels, mode="pdf", part=part)


def render_page_numbers(report: EventReport, labels: Labels, first: int, pages: int,
                        total: int) -> str:
    """A document of ``pages`` empty pages in the PDF's page frame showing only their
    numbers, from ``first`` on, "of ``total``" (stamped over the pages of a PDF laid out in
    parts)."""
    template = _environment().get_template("page_numbers.html")
    return template.render(report=report, labels=labels, first=first, pages=pages,
                           total=total)


def render_fragment(report: EventReport, labels: Labels) -> Markup:
    """The report's ``<article class="report">`` for a web page (which links ``report.css``)."""
    return Markup(_render("_body.html", report, labels, mode="web"))


def render_fragment_off_loop(report: EventReport, labels: Labels) -> Markup:
    """:func:`render_fragment` in a worker thread (a 6,000-idea report takes a few hundred
    milliseconds). The template is looked up here, on the calling green thread: Jinja's
    template cache takes a lock, rendering a template does not."""
    template = _environment().get_template("_body.html")
    return Markup(run_blocking(_render_template, template, report, labels))


def _render_template(template, report: EventReport, labels: Labels) -> str:
    return template.render(**_context(report, labels, "web"))


def _render(template: str, report: EventReport, labels: Labels, mode: str,
            part=None) -> str:
    return _environment().get_template(template).render(**_context(report, labels, mode, part))


def _context(report: EventReport, labels: Labels, mode: str, part=None) -> dict:
    hyphenate = soft_hyphens if mode == "web" else no_hyphens
    return {"report": report, "labels": labels, "mode": mode, "vote_chart": vote_chart,
            "hy": lambda text: hyphenate(text, labels.lang), "part": part}


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

