"""The report as an Excel workbook: an "Ideas" sheet (one row per idea) and a "Workshops"
sheet with each workshop's counts."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.formats.cells import inert, xml_safe
from app.reports.labels import Labels
from app.reports.model import EventReport

MIN_WIDTH, MAX_WIDTH = 8, 70
WRAPPED = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def render(report: EventReport, labels: Labels) -> bytes:
    """The workbook as XLSX bytes; headers in the labels' language, formula-like text inert."""
    book = Workbook()
    _fill(book.active, "Ideas", _idea_header(labels), _idea_rows(report, labels))
    _fill(book.create_sheet(), "Workshops", _workshop_header(labels), _workshop_rows(report))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _idea_header(labels: Labels) -> list[str]:
    return [labels["workshop_id"], labels["workshop"], labels["idea_id"], labels["idea"],
            labels["author"], labels["votes"], labels["created_at"]]


def _idea_rows(report: EventReport, labels: Labels):
    for workshop in report.workshops:
        for idea in workshop.ideas:
            yield [workshop.id, workshop.title, idea.id, idea.text,
                   labels.format_author(idea.author), idea.votes, _naive_utc(idea.created_at)]


def _naive_utc(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: store UTC wall time (the header says so).
    return moment.astimezone(UTC).replace(tzinfo=None) if moment else None


def _workshop_header(labels: Labels) -> list[str]:
    return ["ID", labels["workshop"], labels["question"], labels["participants"],
            labels["ideas"], labels["votes"]]


def _workshop_rows(report: EventReport):
    for workshop in report.workshops:
        figures = workshop.figures
        yield [workshop.id, workshop.title, workshop.question, figures.participants,
               figures.ideas, figures.votes]


def _fill(sheet: Worksheet, title: str, header: list[str], rows) -> None:
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAPPED if isinstance(cell.value, str) else TOP
            if cell.is_date:
                cell.number_format = "yyyy-mm-dd hh:mm"
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
