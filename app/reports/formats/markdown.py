"""The report as Markdown (GitHub flavour), with every piece of user text escaped so it
cannot add headings, lists, tables, links or HTML of its own."""

from __future__ import annotations

import html
import re

from app.reports.labels import Labels
from app.reports.model import AgendaRow, EventReport, WorkshopReport

# Characters that start inline markup (emphasis, code, links, tables, strike-through).
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# What turns a line into a block of its own: heading, list item, rule, setext underline.
_BLOCK_START = re.compile(r"^(#|[-+=]|\d+[.)])")


def render(report: EventReport, labels: Labels) -> bytes:
    """The report as UTF-8 Markdown."""
    return "\n".join(lines(report, labels)).encode()


def lines(report: EventReport, labels: Labels):
    """The report's Markdown, line by line."""
    event = report.event
    yield f"# {inline(event.title)}"
    yield ""
    yield f"*{labels['report']}*"
    yield ""
    if event.date:
        yield f"**{labels['date']}:** {labels.format_day(event.date)}  "
    if event.location:
        yield f"**{labels['location']}:** {inline(event.location)}  "
    if event.description:
        yield ""
        yield paragraph(event.description)
    yield ""
    yield from _figures(report, labels)
    yield from _agenda(report.agenda, labels)
    yield f"## {labels['workshops']}"
    yield ""
    for number, workshop in enumerate(report.workshops, start=1):
        yield from _workshop(number, workshop, labels)
    yield f"*{labels['generated']}: {labels.format_moment(report.generated_at)}*"
    yield ""


def _figures(report: EventReport, labels: Labels):
    figures = report.figures
    yield f"## {labels['key_figures']}"
    yield ""
    yield f"- {labels['participants']}: {figures.participants}"
    yield f"- {labels['workshops']}: {figures.workshops}"
    yield f"- {labels['ideas']}: {figures.ideas}"
    yield f"- {labels['votes']}: {figures.votes}"
    yield ""


def _agenda(agenda: tuple[AgendaRow, ...], labels: Labels):
    if not agenda:
        return
    yield f"## {labels['agenda']}"
    yield ""
    yield from _table(
        [labels["time"], labels["talk"], labels["speaker"], labels["organisation"]],
        [[item.starts_at or "", item.title, item.speaker or "", item.organisation or ""]
         for item in agenda],
        align=("left", "left", "left", "left"),
    )


def _workshop(number: int, workshop: WorkshopReport, labels: Labels):
    figures = workshop.figures
    yield f"### {number}. {inline(workshop.title)}"
    yield ""
    yield f"**{labels['question']}:** {inline(workshop.question)}"
    yield ""
    yield (f"{labels['participants']}: {figures.participants} · "
           f"{labels['ideas']}: {figures.ideas} · {labels['votes']}: {figures.votes}")
    yield ""
    if not workshop.ideas:
        yield f"*{labels['no_ideas']}*"
        yield ""
        return
    yield from _table(
        ["#", labels["idea"], labels["author"], labels["votes"]],
        [[str(index), idea.text, labels.format_author(idea.author), str(idea.votes)]
         for index, idea in enumerate(workshop.ideas, start=1)],
        align=("right", "left", "left", "right"),
    )


def _table(header: list[str], rows: list[list[str]], align: tuple[str, ...]):
    yield "| " + " | ".join(header) + " |"
    yield "|" + "|".join("---:" if side == "right" else "---" for side in align) + "|"
    for row in rows:
        yield "| " + " | ".join(cell_text(cell) for cell in row) + " |"
    yield ""


def inline(text: str) -> str:
    """User text for a heading or one line: markup escaped, line breaks become spaces."""
    return " ".join(_escape_line(line) for line in _lines_of(text))


def cell_text(text: str) -> str:
    """User text for a table cell: markup and ``|`` escaped, line breaks become ``<br>``."""
    return "<br>".join(_escape_line(line) for line in _lines_of(text))


def paragraph(text: str) -> str:
    """User text as a paragraph that keeps its line breaks."""
    return "  \n".join(_escape_line(line) for line in _lines_of(text))


def _lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _escape_line(line: str) -> str:
    escaped = _INLINE.sub(r"\\\1", html.escape(line, quote=False))
    return _BLOCK_START.sub(_escape_block_start, escaped, count=1)


def _escape_block_start(match: re.Match) -> str:
    marker = match.group(1)
    return marker[:-1] + "\\" + marker[-1]
