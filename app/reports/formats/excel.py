"""The report as an Excel workbook: the plenary (first: the event's headline result), one row
per idea, a row per workshop with its figures, and the concrete actions; headers and sheet
names in the report's language, times in the event's time zone."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pinnwand.reports.formats.cells import inert, xml_safe
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport

MIN_WIDTH, MAX_WIDTH = 8, 70
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_FILL = PatternFill("solid", fgColor="E2EFF2")


def render(report: EventReport, labels: Labels) -> bytes:
    """The workbook as XLSX bytes; formula-like text is stored inert, never as a formula."""
    book = Workbook()
    book.properties.title = xml_safe(report.event.title)
    book.properties.language = labels.lang
    _fill(book.active, labels["plenary"], _plenary_header(labels),
          _plenary_rows(report, labels))
    _fill(book.create_sheet(), labels["sheet_ideas"], _idea_header(report, labels),
          _idea_rows(report, labels))
    _fill(book.create_sheet(), labels["sheet_workshops"], _workshop_header(labels),
          _workshop_rows(report, labels))
    _fill(book.create_sheet(), labels["sheet_actions"], _action_header(labels),
          _action_rows(report, labels))
    if report.review:
        _fill(book.create_sheet(), labels["sheet_review"], _review_header(labels),
              _review_rows(report, labels))
    if report.register:
        _fill(book.create_sheet(), labels["register"], _register_header(labels),
              _register_rows(report, labels))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plenary_header(labels: Labels) -> list[str]:
    return [labels["rank"], labels["item"], labels["description"], labels["workshop"],
            labels["votes"]]


def _plenary_rows(report: EventReport, labels: Labels):
    for item in report.plenary.items if report.plenary else ():
        yield [item.rank, item.heading, item.details, item.workshop, item.votes]


def _idea_header(report: EventReport, labels: Labels) -> list[str]:
    author = [labels["author"]] if report.options.authors else []
    return [labels["workshop_id"], labels["workshop"], labels["idea_id"], labels["number"],
            labels["idea"], *author, labels["votes"], labels["rank"], labels["category"],
            labels["cluster"], labels["redacted"], labels.fill("created_zoned")]


def _idea_rows(report: EventReport, labels: Labels):
    for workshop in report.workshops:
        ranks = workshop.ranks()
        for idea in workshop.ideas:
            author = [labels.format_author(idea.author)] if report.options.authors else []
            yield [workshop.id, workshop.title, idea.id, idea.number, idea.text, *author,
                   idea.votes, ranks.get(idea.id), idea.category, idea.cluster,
                   labels.yes_no(idea.redacted), _wall_time(idea.created_at, labels)]


def _wall_time(moment: datetime | None, labels: Labels) -> datetime | None:
    # Excel has no time zones: store the event's wall time (the header names the zone).
    return labels.local(moment).replace(tzinfo=None) if moment else None


def _workshop_header(labels: Labels) -> list[str]:
    return ["ID", labels["workshop"], labels["question"], labels["host"],
            labels["participants"], labels["ideas"], labels["votes"], labels["clusters"],
            labels["actions"], labels["steps"]]


def _workshop_rows(report: EventReport, labels: Labels):
    for workshop in report.workshops:
        figures = workshop.figures
        yield [workshop.id, workshop.title, workshop.question, workshop.host,
               figures.participants, figures.ideas, figures.votes, figures.clusters,
               figures.actions, labels.step_names(workshop.steps)]


def _action_header(labels: Labels) -> list[str]:
    return [labels["workshop_id"], labels["workshop"], labels["action"],
            labels["description"], labels["owner"], labels["contributors"], labels["due"],
            labels["prospects"], labels["source"]]


def _action_rows(report: EventReport, labels: Labels):
    for workshop in report.workshops:
        for action in workshop.actions:
            yield [workshop.id, workshop.title, action.title, action.description,
                   action.owner, labels.contributors_of(action), action.due,
                   action.prospects, action.source]


def _review_header(labels: Labels) -> list[str]:
    return ["ID", labels["action"], labels["review_forum"], labels["review_status"],
            *(labels.verdict(key) for key in ("worked", "partly", "not", "unsure")),
            labels["review_comments"]]


def _review_rows(report: EventReport, labels: Labels):
    """One row per reviewed action: status, the four counts, the comments (no names)."""
    for row in report.review:
        comments = "\n".join(f"„{c.text}“ ({labels.verdict(c.verdict)})" for c in row.comments)
        yield [row.action_id, row.title, row.forum, labels.status_name(row.status),
               *(count for _, count in labels.review_counts(row)), comments or None]
def _register_header(labels: Labels) -> list[str]:
    return ["ID", labels["action"], labels["register_forum"], labels["register_status"],
            labels["owner"], labels["organisation"], labels["due"], labels["register_latest"],
            labels["register_decision"]]


def _register_rows(report: EventReport, labels: Labels):
    for row in report.register:
        yield [row.id, row.title, row.event, labels.status_name(row.status), row.owner,
               row.organisation, row.due, labels.latest_update(row),
               labels.decision(row.decision)]


def _fill(sheet: Worksheet, title: str, header: list[str], rows) -> None:
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAPPED if isinstance(cell.value, str) else TOP
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet)


def _cell(value):
    return inert(xml_safe(value)) if isinstance(value, str) else value


def _fit_columns(sheet: Worksheet) -> None:
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((_display_length(cell.value) for cell in column), default=0)
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width


def _display_length(value) -> int:
    if value is None:
        return 0
    if hasattr(value, "strftime"):
        return 16
    return max(len(line) for line in str(value).splitlines() or [""])
