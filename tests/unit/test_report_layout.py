"""How the PDF and the Word document are laid out: A4 (or Letter, as set), German words
hyphenated at syllables and never broken anywhere else, times in the event's time zone, ideas
numbered 1…n per workshop, sections flowing on without half-empty pages; Word with a filled
table of contents, bar charts as images and its language set."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import docx
import pypdf
import pyphen
import pytest
from pinnwand.reports.model import (
    ActionRow,
    EventInfo,
    IdeaRow,
    ReportOptions,
    WorkshopFacts,
    assemble_report,
)
from pinnwand.reports.render import render

LONG_WORDS = ("Kreishandwerkerschaft", "Ausbildungsplatzakquisekampagne",
              "Berufsorientierungsveranstaltungen", "Fachkräftesicherungsstrategie")
START = datetime(2026, 11, 21, 9, 5, tzinfo=UTC)  # 10:05 in Berlin (CET)


def _report(time_zone: str = "Europe/Berlin", page_size: str = "A4", workshops: int = 3):
    facts = []
    for number in range(1, workshops + 1):
        workshop_id = number * 10
        ideas = [IdeaRow(id=workshop_id * 100 + n * 7, workshop_id=workshop_id,  # gaps in ids
                         text=f"{LONG_WORDS[n % len(LONG_WORDS)]} stärken ({n})",
                         author=None, votes=n, created_at=START + timedelta(minutes=n))
                 for n in range(4)]
        actions = [ActionRow(id=workshop_id, workshop_id=workshop_id,
                             title="Kreishandwerkerschaft einbinden",
                             owner="Kreishandwerkerschaft", contributors=(), unnamed=2)]
        facts.append(WorkshopFacts(id=workshop_id, position=number, title=f"Workshop {number}",
                                   question="Wie gewinnen wir Auszubildende?", locked=False,
                                   step="act", participants=4, ideas=ideas, actions=actions))
    event = EventInfo(id=1, title="Fachkräfteforum", date=date(2026, 11, 21), location="Siegen",
                      description=None, organiser=None, moderators=("Maria Moderatorin",),
                      join_code="ABC234", join_url="https://example.org/join/ABC234",
                      time_zone=time_zone, page_size=page_size)
    return assemble_report(event=event, agenda=(), workshops=facts, participants=12,
                           options=ReportOptions(), generated_at=START + timedelta(hours=8))


@pytest.fixture(scope="module")
def pdf_pages():
    reader = pypdf.PdfReader(io.BytesIO(render(_report(), "pdf", "de")))
    return reader.pages


def test_the_pdf_is_a4_unless_letter_is_set(pdf_pages):
    assert [round(float(v)) for v in pdf_pages[0].mediabox.upper_right] == [595, 842]
    letter = pypdf.PdfReader(io.BytesIO(render(_report(page_size="Letter"), "pdf", "en")))
    assert [round(float(v)) for v in letter.pages[0].mediabox.upper_right] == [612, 792]


def test_german_words_break_only_at_syllables_with_a_hyphen(pdf_pages):
    text = "\n".join(page.extract_text() for page in pdf_pages)
    syllables = pyphen.Pyphen(lang="de_DE")
    breaks = 0
    for word in LONG_WORDS:
        allowed = set(syllables.positions(word))
        for cut in range(1, len(word)):
            head, tail = word[:cut], word[cut:]
            assert f"{head}\n{tail}" not in text, f"{word} broken without a hyphen at {cut}"
            if f"{head}\u2010\n{tail}" in text:
                breaks += 1
                assert cut in allowed, f"{word} hyphenated at {cut}, not at a syllable"
    assert breaks > 0  # the narrow columns do make it hyphenate


def test_times_are_in_the_events_time_zone_and_ideas_numbered_per_workshop(pdf_pages):
    text = "\n".join(page.extract_text() for page in pdf_pages)
    appendix = text[text.index("Anhang: alle Ideen\n1. Workshop 1"):]
    assert "10:05" in appendix and "09:05" not in appendix
    assert "Nr." in appendix
    numbers = re.findall(r"^([1-4]) \S", appendix, re.M)
    assert numbers[:4] == ["1", "2", "3", "4"]
    assert "1007" not in appendix  # no database ids
    text = render(_report(time_zone="America/New_York"), "md", "en").decode()
    assert "| 4 | Kreishandwerkerschaft stärken (4)" not in text  # only four ideas: 0…3
    assert "| 1 | Kreishandwerkerschaft stärken (0) |" in text and "| 04:05 |" in text
    assert "Times in America/New_York." in text
    assert "21 November 2026, 12:05 (America/New_York)" in text  # generated, local time


def test_sections_flow_on_without_half_empty_pages(pdf_pages):
    # the cover is a page of its own; then contents, workshops and appendix follow on
    starts = {number: next(n for n, page in enumerate(pdf_pages)
                           if f"WORKSHOP {number}" in page.extract_text())
              for number in (1, 2, 3)}
    assert starts[1] == 1  # on the contents' page
    assert starts[2] == starts[3]  # two workshops share a page
    appendix = next(n for n, page in enumerate(pdf_pages)
                    if "Anhang: alle Ideen\n1. Workshop 1" in page.extract_text())
    assert appendix == starts[3] + 1 or appendix == starts[3]
    assert len(pdf_pages) < 3 + 3  # a page per workshop would make six


def test_the_word_document_is_a4_german_with_contents_and_chart_images():
    document = docx.Document(io.BytesIO(render(_report(), "docx", "de")))  # votes everywhere
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("Inhalt")
    assert paragraphs[start + 1:start + 6] == ["Agenda", "Workshops", "1. Workshop 1",
                                               "2. Workshop 2", "3. Workshop 3"]
    links = document.element.body.findall(".//" + docx.oxml.ns.qn("w:hyperlink"))
    anchors = {link.get(docx.oxml.ns.qn("w:anchor")) for link in links}
    bookmarks = {mark.get(docx.oxml.ns.qn("w:name")) for mark in
                 document.element.body.findall(".//" + docx.oxml.ns.qn("w:bookmarkStart"))}
    assert anchors and anchors <= bookmarks  # every entry leads to its heading
    assert len(document.inline_shapes) == 3  # one bar chart per workshop, as an image
    text = "\n".join(paragraphs + [cell.text for table in document.tables
                                   for row in table.rows for cell in row.cells])
    assert "█" not in text
    assert "Kreishandwerkerschaft" in text and "2 Personen" in text
    language = document.styles.element.find(".//" + docx.oxml.ns.qn("w:lang"))
    assert language.get(docx.oxml.ns.qn("w:val")) == "de-DE"
    settings = document.settings.element
    assert settings.find(docx.oxml.ns.qn("w:autoHyphenation")) is not None
    assert settings.find(docx.oxml.ns.qn("w:updateFields")) is None  # no question on opening
    letter = docx.Document(io.BytesIO(render(_report(page_size="Letter"), "docx", "en")))
    assert round(letter.sections[0].page_width.inches, 1) == 8.5
