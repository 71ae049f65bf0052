"""A large report's PDF is laid out in parts and joined: it holds what the one-document PDF
holds, its pages are numbered through ("Seite n von N", stamped after joining), its contents
name the pages the sections start on and link there, its bookmarks lead to every section,
the running header of every part names the event (user text escaped in the stylesheet it
goes into), and two processes lay out the same PDF as one."""

from __future__ import annotations

import dataclasses
import io
import logging
import re

import pypdf
import pytest
from pinnwand.reports.formats import pdf
from pinnwand.reports.labels import report_labels

from tests.unit.test_report_layout import _report

TITLE = 'Forum "A\\B" </style><b>x</b>\nzweite Zeile & mehr'


def _target_page(reader, dest) -> int:
    """The index of the page a link's destination (an array or a name) leads to."""
    page = reader.named_destinations[dest]["/Page"] if isinstance(dest, str) else dest[0]
    reference = getattr(page, "indirect_reference", None) or page
    return next(n for n, candidate in enumerate(reader.pages)
                if candidate.indirect_reference.idnum == reference.idnum)


def _text(body: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages]


@pytest.fixture(scope="module")
def report():
    report = _report(workshops=4)
    return dataclasses.replace(report, event=dataclasses.replace(report.event, title=TITLE))


@pytest.fixture(scope="module")
def parts(report):
    """The report laid out two workshops (eight ideas) to a part, by two processes."""
    return pdf.render(report, report_labels(report, "de"), part_ideas=8, processes=2)


@pytest.fixture(scope="module")
def parts_in_one_process(report):
    return pdf.render(report, report_labels(report, "de"), part_ideas=8, processes=1)


@pytest.fixture(scope="module")
def whole(report):
    return pdf.render(report, report_labels(report, "de"))


def test_parts_hold_every_idea_and_section_of_the_whole(parts, whole):
    in_parts, in_whole = "\n".join(_text(parts)), "\n".join(_text(whole))
    for number in range(4):
        text = f"stärken ({number})"
        assert in_parts.count(text) == in_whole.count(text) > 0
    for line in ("Anhang: alle Ideen", "Inhalt", "Erstellt", "Maßnahmen", "10:05"):
        assert (line in in_parts) == (line in in_whole), line
    assert re.findall(r"^([1-4]) \S", in_parts, re.M) == re.findall(r"^([1-4]) \S",
                                                                    in_whole, re.M)


def test_pages_are_numbered_through(parts):
    pages = _text(parts)
    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert re.findall(r"Seite \d+ von \d+", text) == [f"Seite {number} von {len(pages)}"]


def test_page_numbers_sit_where_the_whole_documents_do(parts, whole):
    def position(body: bytes) -> tuple:
        page = pypdf.PdfReader(io.BytesIO(body)).pages[1]
        found = []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: found.append(
            (round(cm[4] + tm[4]), round(cm[5] + tm[5]))) if text.startswith("Seite") else None)
        return found[0]
    assert position(parts) == position(whole)


def test_two_processes_lay_out_what_one_does(parts, parts_in_one_process):
    assert _text(parts) == _text(parts_in_one_process)


def test_contents_name_the_pages_and_bookmarks_lead_there(parts, report):
    pages = _text(parts)
    reader = pypdf.PdfReader(io.BytesIO(parts))
    outline = {item.title: reader.get_destination_page_number(item)
               for item in reader.outline if not isinstance(item, list)}
    contents = next(text for text in pages if "Inhalt" in text)
    for workshop in report.workshops:
        start = next(n for n, text in enumerate(pages) if f"WORKSHOP {workshop.number}" in text)
        assert re.search(rf"{workshop.title} *\.*\s*{start + 1}(?!\d)", contents), workshop.title
        assert outline[workshop.title] == start
    appendix = next(n for n, text in enumerate(pages)
                    if "Anhang: alle Ideen\n1. Workshop 1" in text)
    assert re.search(rf"Anhang: alle Ideen *\.*\s*{appendix + 1}(?!\d)", contents)
    assert outline["Anhang: alle Ideen"] == appendix and "Agenda" in outline


def test_every_part_names_the_event_in_its_header(parts):
    header = TITLE.replace("\n", " ")
    pages = _text(parts)
    assert all(header in text for text in pages[1:]), [t[:80] for t in pages]
    assert "<b>" in pages[1] and "</style>" in pages[1]  # shown as text, nothing broke out


def test_contents_link_to_the_pages_of_their_sections(parts):
    reader = pypdf.PdfReader(io.BytesIO(parts))
    pages = _text(parts)
    contents = next(n for n, text in enumerate(pages) if "Inhalt" in text)
    links = [a.get_object() for a in reader.pages[contents]["/Annots"]]
    # WeasyPrint links each entry's boxes (the entry, its text, its leader): one target each
    targets = list(dict.fromkeys((tuple(link["/Rect"])[1::2], _target_page(reader, link["/Dest"]))
                                 for link in links if link["/Subtype"] == "/Link"))
    starts = [next(n for n, text in enumerate(pages) if heading in text)
              for heading in ("Agenda", *(f"WORKSHOP {n}" for n in range(1, 5)),
                              "Anhang: alle Ideen\n1. Workshop 1")]
    assert [page for _, page in targets] == starts


def test_links_across_parts_log_no_missing_anchor(report, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf.render(report, report_labels(report, "en"), part_ideas=8, processes=1)
    assert not [r for r in caplog.records if "anchor" in r.getMessage()]


def test_two_processes_take_reports_from_300_ideas_in_quarters_one_process_from_1500():
    assert pdf.part_size(300, processes=2) == pdf.part_size(1500, processes=1) == 1500
    assert pdf.part_size(600, processes=2) == 150
    assert pdf.part_size(6000, processes=2) == pdf.part_size(9000, processes=2) == 1500
