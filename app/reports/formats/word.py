"""The report as a Word document: real headings (Title, Heading 1, Heading 2) and tables."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from app.reports.formats.cells import xml_safe
from app.reports.labels import Labels
from app.reports.model import EventReport, WorkshopReport

TABLE_STYLE = "Table Grid"
IDEA_WIDTHS = (Cm(1.0), Cm(10.5), Cm(3.5), Cm(1.6))
AGENDA_WIDTHS = (Cm(1.8), Cm(7.0), Cm(4.0), Cm(3.8))


def render(report: EventReport, labels: Labels) -> bytes:
    """The report as DOCX bytes."""
    document = Document()
    document.core_properties.title = xml_safe(report.event.title)
    document.core_properties.language = labels.lang
    _title(document, report, labels)
    _figures(document, report, labels)
    _agenda(document, report, labels)
    document.add_heading(labels["workshops"], level=1)
    for number, workshop in enumerate(report.workshops, start=1):
        _workshop(document, number, workshop, labels)
    generated = document.add_paragraph(
        f"{labels['generated']}: {labels.format_moment(report.generated_at)}")
    generated.runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _title(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    event = report.event
    document.add_heading(xml_safe(event.title), level=0)
    document.add_paragraph(labels["report"]).runs[0].italic = True
    if event.date:
        _labelled(document, labels["date"], labels.format_day(event.date))
    if event.location:
        _labelled(document, labels["location"], event.location)
    if event.description:
        document.add_paragraph(xml_safe(event.description))


def _figures(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    figures = report.figures
    document.add_heading(labels["key_figures"], level=1)
    _table(document, [labels["participants"], labels["workshops"], labels["ideas"],
                      labels["votes"]],
           [[figures.participants, figures.workshops, figures.ideas, figures.votes]],
           numeric=(0, 1, 2, 3))


def _agenda(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    if not report.agenda:
        return
    document.add_heading(labels["agenda"], level=1)
    rows = [[item.starts_at or "", item.title, item.speaker or "", item.organisation or ""]
            for item in report.agenda]
    _table(document, [labels["time"], labels["talk"], labels["speaker"],
                      labels["organisation"]], rows, widths=AGENDA_WIDTHS)


def _workshop(document: DocxDocument, number: int, workshop: WorkshopReport,
              labels: Labels) -> None:
    figures = workshop.figures
    document.add_heading(f"{number}. {xml_safe(workshop.title)}", level=2)
    _labelled(document, labels["question"], workshop.question)
    document.add_paragraph(
        f"{labels['participants']}: {figures.participants} · {labels['ideas']}: "
        f"{figures.ideas} · {labels['votes']}: {figures.votes}")
    if not workshop.ideas:
        document.add_paragraph(labels["no_ideas"]).runs[0].italic = True
        return
    rows = [[index, idea.text, labels.format_author(idea.author), idea.votes]
            for index, idea in enumerate(workshop.ideas, start=1)]
    _table(document, ["#", labels["idea"], labels["author"], labels["votes"]], rows,
           widths=IDEA_WIDTHS, numeric=(0, 3))


def _labelled(document: DocxDocument, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(xml_safe(value))


def _table(document: DocxDocument, header: list[str], rows: list[list], *,
           widths: tuple = (), numeric: tuple[int, ...] = ()) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    _repeat_as_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = xml_safe(str(value))
    for column in numeric:
        for row in table.rows:
            row.cells[column].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in enumerate(widths):
        for row in table.rows:
            row.cells[column].width = width
    document.add_paragraph().paragraph_format.space_after = Pt(2)
    return table


def _repeat_as_header(row) -> None:
    # Repeat the header row at the top of every page the table runs onto.
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
