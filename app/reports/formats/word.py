"""The report as a Word document: A4 (or Letter, as the report settings say), real headings
(Title, Heading 1–3), a table of contents that is filled in already (entries linking to their
headings), real tables, vote charts as images, page numbers in the footer, the document's
language set so Word hyphenates and checks spelling in it."""

from __future__ import annotations

import copy
import io
import itertools
import re

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from pinnwand.reports.formats.cells import xml_safe
from pinnwand.reports.formats.chart_image import chart_png, width_in_points
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import ChartBar, EventReport, PlenaryReport, Ranked, WorkshopReport

TABLE_STYLE = "Table Grid"
ACCENT = RGBColor(0x0F, 0x5C, 0x6E)
MUTED = RGBColor(0x66, 0x72, 0x7D)
AGENDA_WIDTHS = (Cm(1.8), Cm(7.0), Cm(4.0), Cm(4.2))
PAGE_SIZES = {"A4": (Mm(210), Mm(297)), "Letter": (Inches(8.5), Inches(11))}
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}
TOC_INDENT = Cm(0.8)


def render(report: EventReport, labels: Labels) -> bytes:
    """The report as DOCX bytes."""
    document = Document()
    _setup(document, report, labels)
    _cover(document, report, labels)
    _contents(document, report, labels)
    if report.plenary:
        _plenary(document, report.plenary, labels)
    _agenda(document, report, labels)
    _heading(document, labels["workshops"], 1, "workshops")
    for workshop in report.workshops:
        _workshop(document, workshop, report.options.authors, labels)
    if report.review:
        _review(document, report, labels)
    if report.register:
        _register(document, report, labels)
    _appendix(document, report, labels)
    _muted(document, f"{labels['generated']}: {labels.format_moment(report.generated_at)}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -------------------------------------------------------------------- page and language

def _setup(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    document.core_properties.title = xml_safe(report.event.title)
    document.core_properties.subject = labels["report"]
    document.core_properties.language = LANGUAGE_TAGS[labels.lang]
    width, height = PAGE_SIZES.get(report.event.page_size, PAGE_SIZES["A4"])
    for section in document.sections:
        section.page_width, section.page_height = width, height
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run(f"{labels['report']} · {labels['page']} ")
        _field(footer, "PAGE", "1")
        footer.add_run(f" {labels['of']} ")
        _field(footer, "NUMPAGES", "1")
    _language(document, LANGUAGE_TAGS[labels.lang])


def _language(document: DocxDocument, tag: str) -> None:
    """Set the text's language (spelling, hyphenation) and switch on automatic hyphenation."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), tag)
    tab_stop = document.settings.element.find(qn("w:defaultTabStop"))
    if tab_stop is not None:
        hyphenation = OxmlElement("w:autoHyphenation")
        hyphenation.set(qn("w:val"), "true")
        tab_stop.addnext(hyphenation)


# -------------------------------------------------------------------- cover and contents

def _cover(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    event = report.event
    _add_heading(document, xml_safe(event.title), level=0)
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
    _add_heading(document, labels["key_figures"], level=1)
    _table(document, [labels["participants"], labels["workshops"], labels["ideas"],
                      labels["votes"], labels["actions"]],
           [[figures.participants, figures.workshops, figures.ideas, figures.votes,
             figures.actions]], numeric=(0, 1, 2, 3, 4))
    if report.workshops or report.plenary:
        _add_heading(document, labels["top_results"], level=1)
        if report.plenary:
            _top(document, labels["plenary_top"],
                 [(item.heading, item.votes) for item in report.plenary.top],
                 labels["plenary_no_vote"], labels)
        for workshop in report.workshops:
            empty = (f"{labels['ideas']}: {workshop.figures.ideas} · {labels['no_votes']}"
                     if workshop.ideas else labels["no_ideas"])
            _top(document, f"{workshop.number}. {workshop.title}",
                 [(bar.label, bar.votes) for bar in workshop.top], empty, labels)
    _muted(document, f"{labels.names_note(report.options)} {labels.fill('times_in')}")
    if report.personal_data_removed_at:
        day = labels.format_short_day(report.personal_data_removed_at.date())
        _muted(document, labels["personal_data_removed"].replace("{date}", day))


def _top(document: DocxDocument, title: str, entries: list[tuple[str, int]], empty: str,
         labels: Labels) -> None:
    document.add_paragraph().add_run(xml_safe(title)).bold = True
    if not entries:
        _muted(document, empty)
    for text, votes in entries:
        item = _add_paragraph(document, style="List Number")
        item.add_run(xml_safe(text))
        item.add_run(f" — {labels.count_votes(votes)}").bold = True


def _contents(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    """The table of contents, filled in: one entry per section, linked to its heading."""
    document.add_page_break()
    _add_heading(document, labels["contents"], level=1)
    entries = []
    if report.plenary:
        entries.append((labels["plenary"], "plenary", 0))
    entries.append((labels["agenda"], "agenda", 0))
    entries.append((labels["workshops"], "workshops", 0))
    entries += [(f"{w.number}. {w.title}", f"workshop_{w.id}", 1) for w in report.workshops]
    if report.review:
        entries.append((labels["review"], "review", 0))
    if report.register:
        entries.append((labels["register"], "register", 0))
    entries.append((labels["appendix"], "appendix", 0))
    for text, anchor, depth in entries:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = TOC_INDENT * depth
        paragraph.paragraph_format.space_after = Pt(3)
        _link(paragraph, xml_safe(text), anchor)


# -------------------------------------------------------------------- sections

def _plenary(document: DocxDocument, plenary: PlenaryReport, labels: Labels) -> None:
    _heading(document, labels["plenary"], 1, "plenary")
    document.add_paragraph(labels["plenary_intro"])
    _add_heading(document, labels["plenary_vote"], level=3)
    if plenary.voted:
        document.add_paragraph(labels.plenary_summary(plenary))
        _chart(document, plenary.chart)
    else:
        _muted(document, labels["plenary_no_vote"])
    rows = [[f"{item.rank}.",
             "\n".join(part for part in (item.heading, item.details,
                                         labels[f"kind_{item.kind}"]) if part),
             item.workshop, item.votes] for item in plenary.items]
    _table(document, [labels["rank"], labels["item"], labels["workshop"], labels["votes"]],
           rows, widths=(Cm(1.2), Cm(9.5), Cm(4.5), Cm(1.8)), numeric=(0, 3))


def _agenda(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    _heading(document, labels["agenda"], 1, "agenda")
    if not report.agenda:
        _muted(document, labels["no_agenda"])
        return
    rows = [[item.starts_at or "", item.title, item.speaker or "", item.organisation or ""]
            for item in report.agenda]
    _table(document, [labels["time"], labels["talk"], labels["speaker"],
                      labels["organisation"]], rows, widths=AGENDA_WIDTHS)


def _workshop(document: DocxDocument, workshop: WorkshopReport, authors: bool,
              labels: Labels) -> None:
    figures = workshop.figures
    _heading(document, f"{workshop.number}. {xml_safe(workshop.title)}", 2,
             f"workshop_{workshop.id}")
    if workshop.question:
        _labelled(document, labels["question"], workshop.question)
    facts = [(labels["host"], workshop.host or ""),
             (labels["participants"], figures.participants), (labels["ideas"], figures.ideas),
             (labels["votes"], figures.votes), (labels["actions"], figures.actions),
             (labels["steps"], labels.step_names(workshop.steps))]
    if workshop.clusters:
        facts.insert(4, (labels["clusters"], figures.clusters))
    _facts(document, [(label, value) for label, value in facts if value != ""])
    _add_heading(document, labels["vote_chart"], level=3)
    if workshop.chart:
        _chart(document, workshop.chart)
    else:
        _muted(document, labels["no_votes"])
    for cluster in workshop.clusters:
        _add_heading(document, f"{labels['cluster']} {cluster.rank}: {xml_safe(cluster.title)} "
                             f"({labels.count_votes(cluster.votes)})", level=3)
        _ranked(document, cluster.ideas, authors, labels)
    _add_heading(document, labels["unclustered"] if workshop.clusters else labels["ideas_ranked"],
                         level=3)
    if workshop.unclustered:
        _ranked(document, workshop.unclustered, authors, labels)
    elif not workshop.ideas:
        _muted(document, labels["no_ideas"])
    _actions(document, workshop, labels)


def _actions(document: DocxDocument, workshop: WorkshopReport, labels: Labels) -> None:
    _add_heading(document, labels["actions"], level=3)
    if not workshop.actions:
        _muted(document, labels["no_actions"])
        return
    rows = [["\n".join(part for part in (action.title, action.description,
                                         action.prospects and
                                         f"{labels['prospects']}: {action.prospects}",
                                         action.source and f"{labels['source']}: {action.source}")
                       if part),
             action.owner or "", labels.contributors_of(action),
             labels.format_short_day(action.due)] for action in workshop.actions]
    _table(document, [labels["action"], labels["owner"], labels["contributors"], labels["due"]],
           rows, widths=(Cm(7.5), Cm(3.0), Cm(4.0), Cm(2.5)))


def _register(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    """The series' action register as it stood at the end of the forum."""
    _heading(document, labels["register"], 1, "register")
    document.add_paragraph(labels["register_intro"])
    rows = [["\n".join(part for part in (row.title, row.event, labels.latest_update(row))
                       if part),
             "\n".join(part for part in (labels.status_name(row.status),
                                         labels.decision(row.decision)) if part),
             "\n".join(part for part in (row.owner, row.organisation) if part),
             labels.format_short_day(row.due)] for row in report.register]
    _table(document, [labels["action"], labels["register_status"], labels["owner"],
                      labels["due"]], rows, widths=(Cm(8.0), Cm(3.0), Cm(4.0), Cm(2.0)))


def _ranked(document: DocxDocument, entries: tuple[Ranked, ...], authors: bool,
            labels: Labels) -> None:
    header = [labels["rank"], labels["idea"], *([labels["author"]] if authors else []),
              labels["votes"]]
    rows = [[f"{entry.rank}.", _idea_text(entry.idea, labels),
             *([labels.format_author(entry.idea.author)] if authors else []), entry.idea.votes]
            for entry in entries]
    widths = (Cm(1.2), Cm(10.5 if authors else 14.0), *([Cm(3.5)] if authors else []),
              Cm(1.8))
    _table(document, header, rows, widths=widths, numeric=(0, len(header) - 1))


def _idea_text(idea, labels: Labels) -> str:
    return f"{idea.text} ({labels['redacted']})" if idea.redacted else idea.text


def _review(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    """The earlier forums' actions reviewed here: status, verdicts, comments without names."""
    _heading(document, labels["review"], 1, "review")
    _muted(document, labels["review_intro"])
    header = [labels["action"], labels["review_status"],
              *(name for name, _ in labels.review_counts(report.review[0]))]
    rows = []
    for row in report.review:
        parts = [row.title, row.forum and f"{labels['review_forum']}: {row.forum}",
                 *(f"„{c.text}“ ({labels.verdict(c.verdict)})" for c in row.comments)]
        rows.append(["\n".join(part for part in parts if part),
                     labels.status_name(row.status),
                     *(count for _, count in labels.review_counts(row))])
    _table(document, header, rows, widths=(Cm(8.0), Cm(2.5), Cm(1.7), Cm(1.7), Cm(1.7),
                                           Cm(1.7)), numeric=(2, 3, 4, 5))


def _appendix(document: DocxDocument, report: EventReport, labels: Labels) -> None:
    _heading(document, labels["appendix"], 1, "appendix")
    authors = report.options.authors
    for workshop in report.workshops:
        _add_heading(document, f"{workshop.number}. {xml_safe(workshop.title)}", level=2)
        if not workshop.ideas:
            _muted(document, labels["no_ideas"])
            continue
        header = [labels["number"], labels["idea"], *([labels["author"]] if authors else []),
                  labels["category"], labels["cluster"], labels["votes"], labels["time"]]
        rows = [[idea.number, _idea_text(idea, labels),
                 *([labels.format_author(idea.author)] if authors else []),
                 idea.category or "", idea.cluster or "", idea.votes,
                 labels.format_time(idea.created_at)] for idea in workshop.ideas]
        _table(document, header, rows, numeric=(0, len(header) - 2))


# -------------------------------------------------------------------- building blocks

def _add_heading(document: DocxDocument, text: str, level: int) -> Paragraph:
    """``document.add_heading`` without its style look-up (see :func:`_add_paragraph`)."""
    return _add_paragraph(document, text, "Title" if level == 0 else f"Heading {level}")


def _add_paragraph(document: DocxDocument, text: str = "", style: str | None = None
                   ) -> Paragraph:
    """``document.add_paragraph(text, style)``, the style's id looked up once: python-docx
    searches the whole style sheet on every paragraph (~6 ms each)."""
    paragraph = document.add_paragraph(text)
    if style is not None:
        paragraph._p.style = _style_id(document, style)
    return paragraph


def _style_id(document: DocxDocument, style: str) -> str | None:
    """The id of a paragraph style of python-docx's default template (the same in every
    document this module makes, so it is looked up in the first one only)."""
    if style not in _STYLE_IDS:
        _STYLE_IDS[style] = document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
    return _STYLE_IDS[style]


_STYLE_IDS: dict[str, str | None] = {}


def _heading(document: DocxDocument, text: str, level: int, anchor: str) -> Paragraph:
    """A heading with a bookmark the table of contents links to."""
    heading = _add_heading(document, text, level)
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(_bookmark_id(document)))
    start.set(qn("w:name"), anchor)
    end.set(qn("w:id"), start.get(qn("w:id")))
    heading._p.insert(1 if heading._p.pPr is not None else 0, start)
    heading._p.append(end)
    return heading


def _bookmark_id(document: DocxDocument) -> int:
    """The next bookmark id (0, 1, …), counted on the document (searching its body for the
    bookmarks so far took a third of a second in a 6,000-idea report)."""
    return next(vars(document).setdefault("_bookmark_ids", itertools.count()))


def _link(paragraph: Paragraph, text: str, anchor: str) -> None:
    """A link within the document to the bookmark ``anchor``."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(ACCENT))
    properties.append(colour)
    run.append(properties)
    shown = OxmlElement("w:t")
    shown.set(qn("xml:space"), "preserve")
    shown.text = text
    run.append(shown)
    link.append(run)
    paragraph._p.append(link)


def _chart(document: DocxDocument, bars: tuple[ChartBar, ...]) -> None:
    document.add_picture(io.BytesIO(chart_png(bars)), width=Pt(width_in_points()))


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
        cells[0].width, cells[1].width = Cm(5.0), Cm(12.0)
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _muted(document: DocxDocument, text: str) -> None:
    run = document.add_paragraph().add_run(text)
    run.italic, run.font.color.rgb = True, MUTED


def _table(document: DocxDocument, header: list[str], rows: list[list], *,
           widths: tuple = (), numeric: tuple[int, ...] = ()) -> Table:
    """A table with a bold header row repeated on every page, then one row per entry of
    ``rows``; ``numeric`` columns right-aligned, ``widths`` per column where given. The body
    rows are copies of one prepared row (python-docx's cell API costs ~100 µs a cell)."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header_cells = table.rows[0].cells
    for cell, text in zip(header_cells, header, strict=True):
        cell.text = text
        if cell.paragraphs[0].runs:
            cell.paragraphs[0].runs[0].bold = True
    _repeat_as_header(table.rows[0])
    _shape(header_cells, widths, numeric)
    prototype = _row_prototype(table, widths, numeric)
    for values in rows:
        row = copy.deepcopy(prototype)
        for run, value in zip(row.iter(_RUN), values, strict=True):
            _fill_run(run, xml_safe(str(value)))
        table._tbl.append(row)
    document.add_paragraph().paragraph_format.space_after = Pt(2)
    return table


def _shape(cells, widths: tuple, numeric: tuple[int, ...]) -> None:
    for column in numeric:
        cells[column].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in enumerate(widths):
        cells[column].width = width


def _row_prototype(table: Table, widths: tuple, numeric: tuple[int, ...]):
    """An empty body row of ``table`` (one empty run per cell), shaped like every row."""
    row = table.add_row()
    cells = row.cells
    for cell in cells:
        cell.text = ""
    _shape(cells, widths, numeric)
    table._tbl.remove(row._tr)
    return row._tr


_RUN, _TEXT, _BREAK, _TAB = qn("w:r"), qn("w:t"), qn("w:br"), qn("w:tab")
_SPACE = qn("xml:space")
_CONTROLS = re.compile(r"([\t\r\n])")


def _fill_run(run, text: str) -> None:
    """Put ``text`` into an empty ``w:r`` as python-docx's ``run.text`` does: ``w:t`` for
    the text, ``w:tab`` for a tab, ``w:br`` for each line break."""
    for piece in _CONTROLS.split(text):
        if piece == "\t":
            run.append(run.makeelement(_TAB))
        elif piece in ("\r", "\n"):
            run.append(run.makeelement(_BREAK))
        elif piece:
            shown = run.makeelement(_TEXT)
            shown.text = piece
            run.append(shown)
            if len(piece.strip()) < len(piece):
                shown.set(_SPACE, "preserve")


def _repeat_as_header(row) -> None:
    # Repeat the header row at the top of every page the table runs onto.
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word computes when it lays out the page; ``shown``
    is what a reader that computes no fields shows."""
    run = paragraph.add_run()
    run._r.append(_field_char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    run._r.append(code)
    run._r.append(_field_char("separate"))
    value = OxmlElement("w:t")
    value.text = shown
    run._r.append(value)
    run._r.append(_field_char("end"))


def _field_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element
