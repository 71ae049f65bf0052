"""The report as a Word document: real headings (Title, Heading 1–3), a table of contents
field, real tables, page numbers in the footer."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from pinnwand.reports.formats.cells import xml_safe
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport, Ranked, WorkshopReport

TABLE_STYLE = "Table Grid"
ACCENT = RGBColor(0x0F, 0x5C, 0x6E)
MUTED = RGBColor(0x66, 0x72, 0x7D)
AGENDA_WIDTHS = (Cm(1.8), Cm(7.0), Cm(4.0), Cm(3.8))
BAR_BLOCKS = 20


def render(report: EventReport, labels: Labels) -> bytes:
    """The report as DOCX bytes."""
    document = Document()
    _setup(document, report, labels)
    _cover(document, report, labels)
    _contents(document, labels)
    _agenda(document, report, labels)
    document.add_heading(labels["workshops"], level=1)
    for workshop in report.workshops:
        _workshop(document, workshop, report.options.authors, labels)
    _appendix(document, report, labels)
    _muted(document, f"{labels['generated']}: {labels.format_moment(report.generated_at)}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _setup(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    document.core_properties.title = xml_safe(report.event.title)
    document.core_properties.subject = labels["report"]
    document.core_properties.language = labels.lang
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2.0)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run(f"{labels['report']} · {labels['page']} ")
        _field(footer, "PAGE")
        footer.add_run(f" {labels['of']} ")
        _field(footer, "NUMPAGES")
    # Ask Word to fill in the table of contents and page numbers when it opens the file.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


def _cover(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    event = report.event
    document.add_heading(xml_safe(event.title), level=0)
    subtitle = document.add_paragraph().add_run(labels["report"])
    subtitle.italic, subtitle.font.color.rgb = True, ACCENT
    facts = [(labels["date"], labels.format_day(event.date)),
             (labels["location"], event.location),
             (labels["organiser"], event.organiser),
             (labels["moderation"], ", ".join(event.moderators))]
    for label, value in facts:
        if value:
            _labelled(document, label, value)
    if event.description:
        document.add_paragraph(xml_safe(event.description))
    figures = report.figures
    document.add_heading(labels["key_figures"], level=1)
    _table(document, [labels["participants"], labels["workshops"], labels["ideas"],
                      labels["votes"], labels["actions"]],
           [[figures.participants, figures.workshops, figures.ideas, figures.votes,
             figures.actions]], numeric=(0, 1, 2, 3, 4))
    if report.workshops:
        document.add_heading(labels["top_results"], level=1)
        for workshop in report.workshops:
            name = document.add_paragraph().add_run(
                f"{workshop.number}. {xml_safe(workshop.title)}")
            name.bold = True
            if workshop.top:
                for bar in workshop.top:
                    item = document.add_paragraph(style="List Number")
                    item.add_run(xml_safe(bar.label))
                    item.add_run(f" — {labels.count_votes(bar.votes)}").bold = True
            elif workshop.ideas:
                _muted(document, f"{labels['ideas']}: {workshop.figures.ideas} · "
                                 f"{labels['no_votes']}")
            else:
                _muted(document, labels["no_ideas"])
    if not report.options.authors:
        _muted(document, labels["authors_hidden"])
    if report.personal_data_removed_at:
        day = labels.format_short_day(report.personal_data_removed_at.date())
        _muted(document, labels["personal_data_removed"].replace("{date}", day))


def _contents(document: DocxDocument, labels: Labels) -> None:
    document.add_page_break()
    document.add_heading(labels["contents"], level=1)
    paragraph = document.add_paragraph()
    _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u')


def _agenda(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    document.add_heading(labels["agenda"], level=1)
    if not report.agenda:
        _muted(document, labels["no_agenda"])
        return
    rows = [[item.starts_at or "", item.title, item.speaker or "", item.organisation or ""]
            for item in report.agenda]
    _table(document, [labels["time"], labels["talk"], labels["speaker"],
                      labels["organisation"]], rows, widths=AGENDA_WIDTHS)


def _workshop(document: DocxDocument, workshop: WorkshopReport, authors: bool,
              labels: Labels) -> None:
    document.add_page_break()
    figures = workshop.figures
    document.add_heading(f"{workshop.number}. {xml_safe(workshop.title)}", level=2)
    if workshop.question:
        _labelled(document, labels["question"], workshop.question)
    facts = [(labels["host"], workshop.host or ""),
             (labels["participants"], figures.participants), (labels["ideas"], figures.ideas),
             (labels["votes"], figures.votes), (labels["actions"], figures.actions),
             (labels["steps"], labels.step_names(workshop.steps))]
    if workshop.clusters:
        facts.insert(4, (labels["clusters"], figures.clusters))
    _facts(document, [(label, value) for label, value in facts if value != ""])
    document.add_heading(labels["vote_chart"], level=3)
    if workshop.chart:
        _table(document, [labels["rank"], labels["cluster"] if workshop.clusters
                          else labels["idea"], "", labels["votes"]],
               [[f"{bar.rank}.", bar.label, "█" * max(1, round(bar.fraction * BAR_BLOCKS)),
                 bar.votes] for bar in workshop.chart], numeric=(0, 3),
               widths=(Cm(1.2), Cm(8.0), Cm(5.5), Cm(1.6)))
    else:
        _muted(document, labels["no_votes"])
    for cluster in workshop.clusters:
        document.add_heading(f"{labels['cluster']} {cluster.rank}: {xml_safe(cluster.title)} "
                             f"({labels.count_votes(cluster.votes)})", level=3)
        _ranked(document, cluster.ideas, authors, labels)
    document.add_heading(labels["unclustered"] if workshop.clusters else labels["ideas_ranked"],
                         level=3)
    if workshop.unclustered:
        _ranked(document, workshop.unclustered, authors, labels)
    elif not workshop.ideas:
        _muted(document, labels["no_ideas"])
    document.add_heading(labels["actions"], level=3)
    if not workshop.actions:
        _muted(document, labels["no_actions"])
        return
    rows = [["\n".join(part for part in (action.title, action.description,
                                         action.prospects and
                                         f"{labels['prospects']}: {action.prospects}",
                                         action.source and f"{labels['source']}: {action.source}")
                       if part),
             action.owner or "", ", ".join(action.contributors),
             labels.format_short_day(action.due)] for action in workshop.actions]
    _table(document, [labels["action"], labels["owner"], labels["contributors"], labels["due"]],
           rows, widths=(Cm(8.0), Cm(3.0), Cm(3.5), Cm(2.3)))


def _ranked(document: DocxDocument, entries: tuple[Ranked, ...], authors: bool,
            labels: Labels) -> None:
    header = [labels["rank"], labels["idea"], *([labels["author"]] if authors else []),
              labels["votes"]]
    rows = [[f"{entry.rank}.", _idea_text(entry.idea, labels),
             *([labels.format_author(entry.idea.author)] if authors else []), entry.idea.votes]
            for entry in entries]
    widths = (Cm(1.2), Cm(10.5 if authors else 14.0), *([Cm(3.5)] if authors else []),
              Cm(1.6))
    _table(document, header, rows, widths=widths, numeric=(0, len(header) - 1))


def _idea_text(idea, labels: Labels) -> str:
    return f"{idea.text} ({labels['redacted']})" if idea.redacted else idea.text


def _appendix(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    document.add_page_break()
    document.add_heading(labels["appendix"], level=1)
    authors = report.options.authors
    for workshop in report.workshops:
        document.add_heading(f"{workshop.number}. {xml_safe(workshop.title)}", level=2)
        if not workshop.ideas:
            _muted(document, labels["no_ideas"])
            continue
        header = ["ID", labels["idea"], *([labels["author"]] if authors else []),
                  labels["category"], labels["cluster"], labels["votes"], labels["time_utc"]]
        rows = [[idea.id, _idea_text(idea, labels),
                 *([labels.format_author(idea.author)] if authors else []),
                 idea.category or "", idea.cluster or "", idea.votes,
                 labels.format_time(idea.created_at)] for idea in workshop.ideas]
        _table(document, header, rows, numeric=(0, len(header) - 2))


def _labelled(document: DocxDocument, label: str, value) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(xml_safe(str(value)))


def _facts(document: DocxDocument, facts: list[tuple[str, object]]) -> None:
    table = document.add_table(rows=0, cols=2)
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = xml_safe(str(value))
        cells[0].width, cells[1].width = Cm(5.0), Cm(11.5)
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _muted(document: DocxDocument, text: str) -> None:
    run = document.add_paragraph().add_run(text)
    run.italic, run.font.color.rgb = True, MUTED


def _table(document: DocxDocument, header: list[str], rows: list[list], *,
           widths: tuple = (), numeric: tuple[int, ...] = ()) -> Table:
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        if cell.paragraphs[0].runs:
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


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES, TOC …) that Word computes when it shows the document."""
    run = paragraph.add_run()
    run._r.append(_field_char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    run._r.append(code)
    run._r.append(_field_char("separate"))
    run._r.append(OxmlElement("w:t"))  # the field's last shown value: empty until computed
    run._r.append(_field_char("end"))


def _field_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element
