"""Results reports: the model read from a real database, and every format opened with the
library a reader would use."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime, timedelta

import docx
import openpyxl
import pypdf
import pytest
from sqlalchemy import event as sa_event

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.db import Base, Database
from app.errors import NotFound
from app.events.models import AgendaItem, Event, Participant
from app.ideas.models import Idea
from app.reports.formats.pdf import RefusingFetcher, render_html
from app.reports.labels import labels_for
from app.reports.model import build_report, report_to_json
from app.reports.render import FORMATS, MIMETYPES, render, report_filename
from app.workshops.models import Workshop, WorkshopMember

BASE_URL = "https://pinnwand.example.org"
HIDDEN_AUTHOR = "Geheime Gärtnerin"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'

PEOPLE = ["Anna Müller", "Jürgen Weiß", "Zoë Çelik", "Ömer Öztürk", "Hans-Peter Groß",
          HIDDEN_AUTHOR, "Lena Schmidt"]

# Workshop title, guiding question, members (indexes into PEOPLE), ideas:
# (text, author index, anonymous, votes).
WORKSHOPS = [
    ("Ausbildung & Übergänge", "Wie gewinnen wir mehr Auszubildende?", [0, 1, 2, 5], [
        ("Mentoring-Programme für Azubis in kleinen Betrieben", 0, False, 7),
        ("„Schnuppertage“ an Schulen ausbauen – mit Übernahmegarantie", 1, False, 3),
        (SCRIPT, 2, False, 0),
        ("Weiterbildung während der Arbeitszeit; Größe der Betriebe berücksichtigen", 5,
         True, 5),
    ]),
    ("Weiterbildung im Betrieb", "Was hält Beschäftigte vom Lernen ab?", [3, 4, 0], [
        (FORMULA, 3, False, 1),
        ("Sprachkurse | berufsbegleitend anbieten", 4, False, 2),
        ("# Überschrift? Nein: Lernzeit als Arbeitszeit zählen", 0, False, 0),
    ]),
    ("Fachkräfte aus dem Ausland", "Wie heißen wir neue Kolleg*innen willkommen?", [2, 3], [
        ("Anerkennung ausländischer Abschlüsse beschleunigen\nZentrale Anlaufstelle schaffen",
         2, False, 4),
        ("Wohnraum für Zugezogene: ÄÖÜ äöü ß", 3, False, 6),
    ]),
]

AGENDA = [("09:30", "Fachkräftesicherung in der Region", "Dr. Eva Köhler", "IHK Köln"),
          ("10:15", "Arbeiten 2030", "Prof. Jens Bär", None)]


def _seed(session) -> int:
    event = Event(title="Fachkräfte-Forum", date=date(2026, 11, 21), location="Köln, Gürzenich",
                  description="Impulse und Workshops\nzur Fachkräftesicherung.",
                  join_code="ABC234")
    session.add(event)
    session.flush()
    for position, (starts_at, title, speaker, organisation) in enumerate(AGENDA):
        session.add(AgendaItem(event_id=event.id, position=position, title=title,
                               speaker=speaker, organisation=organisation,
                               starts_at=starts_at))
    people = [Participant(event_id=event.id, name=name) for name in PEOPLE]
    session.add_all(people)
    session.flush()
    moment = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
    for position, (title, question, members, ideas) in enumerate(WORKSHOPS):
        workshop = Workshop(event_id=event.id, position=position, title=title,
                            question=question)
        session.add(workshop)
        session.flush()
        session.add_all(WorkshopMember(workshop_id=workshop.id, participant_id=people[i].id)
                        for i in members)
        for text, author, anonymous, votes in ideas:
            moment += timedelta(minutes=3)
            session.add(Idea(workshop_id=workshop.id, participant_id=people[author].id,
                             author_name=PEOPLE[author], anonymous=anonymous, text=text,
                             votes=votes, created_at=moment))
    return event.id


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A fresh SQLite file holding one realistic event."""
    path = tmp_path_factory.mktemp("reports") / "reports.db"
    db = Database(f"sqlite:///{path}")
    Base.metadata.create_all(db.engine)
    with db.transaction() as session:
        db.event_id = _seed(session)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def report(database):
    with database.read() as session:
        return build_report(session, database.event_id, base_url=BASE_URL)


def _expected_ideas():
    """(workshop title, text, author or None, votes) of every seeded idea, in order."""
    return [(title, text, None if anonymous else PEOPLE[author], votes)
            for title, _, _, ideas in WORKSHOPS for text, author, anonymous, votes in ideas]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# The model ---------------------------------------------------------------------------------

def test_model_holds_every_workshop_and_idea_in_order(report):
    assert [w.title for w in report.workshops] == [w[0] for w in WORKSHOPS]
    rows = [(w.title, i.text, i.author, i.votes) for w in report.workshops for i in w.ideas]
    assert rows == _expected_ideas()
    for workshop, (_, question, members, ideas) in zip(report.workshops, WORKSHOPS,
                                                       strict=True):
        assert workshop.question == question
        assert workshop.participants == len(members)
        assert workshop.figures.ideas == len(ideas)
        assert workshop.figures.votes == sum(idea[3] for idea in ideas)
        assert [i.id for i in workshop.ideas] == sorted(i.id for i in workshop.ideas)


def test_model_key_figures_and_event(report):
    all_ideas = _expected_ideas()
    assert report.figures.participants == len(PEOPLE)
    assert report.figures.workshops == len(WORKSHOPS)
    assert report.figures.ideas == len(all_ideas)
    assert report.figures.votes == sum(idea[3] for idea in all_ideas)
    assert report.event.title == "Fachkräfte-Forum"
    assert report.event.join_url == f"{BASE_URL}/join/ABC234"
    assert [(a.starts_at, a.title, a.speaker, a.organisation) for a in report.agenda] == AGENDA


def test_model_reads_with_a_fixed_number_of_queries(database):
    statements = []

    def count(*_args):
        statements.append(1)

    sa_event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.read() as session:
            build_report(session, database.event_id, base_url=BASE_URL)
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", count)
    assert 0 < len(statements) <= 8


def test_missing_event_is_not_found(database):
    with database.read() as session, pytest.raises(NotFound):
        build_report(session, 999_999, base_url=BASE_URL)


# The formats -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outputs(report):
    return {(fmt, lang): render(report, fmt, lang) for fmt in FORMATS for lang in ("en", "de")
            if fmt != "pdf" or lang == "de"}


def test_every_format_has_a_mimetype(outputs):
    assert set(MIMETYPES) == set(FORMATS)
    assert all(body for body in outputs.values())


def test_no_format_reveals_an_anonymous_author(outputs):
    for (fmt, _), body in outputs.items():
        if fmt == "pdf":
            text = _pdf_text(body)
        elif fmt in ("docx", "xlsx"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                text = html.unescape("".join(archive.read(name).decode()
                                             for name in archive.namelist()
                                             if name.endswith(".xml")))
        else:
            text = body.decode("utf-8-sig")
        assert "Gärtnerin" not in text, fmt
        assert "Jürgen Weiß" in text, fmt


def _pdf_text(body: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_shows_workshops_ideas_authors_and_votes(outputs, report):
    body = outputs[("pdf", "de")]
    assert body.startswith(b"%PDF")
    text = _squash(_pdf_text(body))
    for title, question, members, ideas in WORKSHOPS:
        assert _squash(title) in text
        assert _squash(question) in text
        assert _squash(f"Teilnehmende: {len(members)}") in text
        assert _squash(f"Stimmen: {sum(i[3] for i in ideas)}") in text
    for _, idea_text, author, votes in _expected_ideas():
        assert _squash(f"{idea_text}{author or 'Anonym'}{votes}") in text
    assert "Leitfrage" in text and "Seite1von" in text
    assert HIDDEN_AUTHOR.replace(" ", "") not in text


def test_pdf_html_escapes_user_text(report):
    source = render_html(report, labels_for("en"))
    assert SCRIPT not in source
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "Ausbildung &amp; Übergänge" in source


def test_pdf_fetches_nothing_external():
    fetcher = RefusingFetcher()
    for url in ("https://example.org/logo.png", "file:///etc/passwd", "data:text/plain,x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def _docx_tables(document):
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in document.tables]


def test_docx_has_headings_and_idea_tables(outputs):
    document = docx.Document(io.BytesIO(outputs[("docx", "en")]))
    headings = {p.text: p.style.name for p in document.paragraphs
                if p.style.name.startswith(("Heading", "Title"))}
    assert headings["Fachkräfte-Forum"] == "Title"
    assert headings["Workshops"] == "Heading 1"
    for number, (title, *_rest) in enumerate(WORKSHOPS, start=1):
        assert headings[f"{number}. {title}"] == "Heading 2"
    rows = [row for table in _docx_tables(document) if table[0][0] == "#" for row in table[1:]]
    assert [(text, author, int(votes)) for _, text, author, votes in rows] == [
        (text, author or "Anonymous", votes) for _, text, author, votes in _expected_ideas()]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Guiding question: Wie heißen wir neue Kolleg*innen willkommen?" in body
    assert HIDDEN_AUTHOR not in body


def test_docx_speaks_german(outputs):
    document = docx.Document(io.BytesIO(outputs[("docx", "de")]))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Leitfrage:" in body and "Kennzahlen" in body
    cells = {cell for table in _docx_tables(document) for row in table for cell in row}
    assert {"Autor/in", "Stimmen", "Anonym", "Teilnehmende"} <= cells


def test_csv_has_one_inert_row_per_idea(outputs, report):
    body = outputs[("csv", "en")]
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0]) == ["event", "workshop_id", "workshop", "idea_id", "text", "author",
                             "votes", "created_at"]
    expected = [(title, "'" + text if text == FORMULA else text, author or "", str(votes))
                for title, text, author, votes in _expected_ideas()]
    assert [(r["workshop"], r["text"], r["author"], r["votes"]) for r in rows] == expected
    assert {r["event"] for r in rows} == {"Fachkräfte-Forum"}
    ids = {w.title: str(w.id) for w in report.workshops}
    assert all(r["workshop_id"] == ids[r["workshop"]] for r in rows)
    assert all(r["created_at"].endswith("Z") for r in rows)


def test_xlsx_sheets_hold_ideas_and_counts(outputs):
    book = openpyxl.load_workbook(io.BytesIO(outputs[("xlsx", "de")]))
    assert book.sheetnames == ["Ideas", "Workshops"]
    ideas = book["Ideas"]
    header = [cell.value for cell in ideas[1]]
    assert header[3:6] == ["Idee", "Autor/in", "Stimmen"]
    assert all(cell.font.bold for cell in ideas[1])
    rows = [(r[1], r[3], r[4], r[5]) for r in ideas.iter_rows(min_row=2, values_only=True)]
    assert rows == [(title, "'" + text if text == FORMULA else text, author or "Anonym", votes)
                    for title, text, author, votes in _expected_ideas()]
    assert all(cell.data_type != "f" for row in ideas.iter_rows() for cell in row)
    assert ideas.column_dimensions["D"].width > ideas.column_dimensions["C"].width
    counts = [r for r in book["Workshops"].iter_rows(min_row=2, values_only=True)]
    assert [(r[1], r[3], r[4], r[5]) for r in counts] == [
        (title, len(members), len(ideas), sum(i[3] for i in ideas))
        for title, _, members, ideas in WORKSHOPS]


def test_markdown_escapes_user_text(outputs):
    text = outputs[("md", "en")].decode()
    assert SCRIPT not in text and "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Sprachkurse \\| berufsbegleitend" in text
    assert "\n# Überschrift" not in text and "| \\# Überschrift?" in text
    assert "### 1. Ausbildung &amp; Übergänge" in text
    assert "Kolleg\\*innen" in text
    for line in text.splitlines():
        if line.startswith("| ") and "Mentoring" in line:
            assert line.count(" | ") == 3


def test_markdown_lists_ideas_with_authors_and_votes(outputs):
    for lang, anonymous in (("en", "Anonymous"), ("de", "Anonym")):
        text = outputs[("md", lang)].decode()
        for title, *_ in WORKSHOPS:
            assert title.replace("&", "&amp;") in text
        for _, idea_text, author, votes in _expected_ideas():
            first_line = idea_text.splitlines()[0]
            if first_line in (SCRIPT, FORMULA) or "|" in first_line or "#" in first_line:
                continue  # escaped forms are checked above
            assert re.search(rf"\| {re.escape(first_line)}.* \| {re.escape(author or anonymous)}"
                             rf" \| {votes} \|", text), idea_text
    assert "Anerkennung ausländischer Abschlüsse beschleunigen<br>Zentrale" in text


def test_markdown_marks_a_workshop_without_ideas(report):
    empty = dataclasses.replace(report.workshops[0], ideas=())
    text = render(dataclasses.replace(report, workshops=(empty,)), "md", "de").decode()
    assert "Noch keine Ideen." in text


def test_json_follows_the_contract(outputs, report):
    data = json.loads(outputs[("json", "en")])
    assert data["event"]["title"] == "Fachkräfte-Forum"
    assert data["event"]["date"] == "2026-11-21"
    assert data["figures"]["votes"] == report.figures.votes
    assert data["generated_at"].endswith("Z")
    assert len(data["agenda"]) == len(AGENDA)
    assert [w["title"] for w in data["workshops"]] == [w[0] for w in WORKSHOPS]
    assert [w["participants"] for w in data["workshops"]] == [len(w[2]) for w in WORKSHOPS]
    ideas = [(w["title"], i["text"], i["author"], i["votes"])
             for w in data["workshops"] for i in w["ideas"]]
    assert ideas == _expected_ideas()
    assert data == report_to_json(report)
    assert "Fachkräfte" in outputs[("json", "en")].decode()  # not \u-escaped


def test_control_characters_do_not_break_any_format(report):
    idea = dataclasses.replace(report.workshops[0].ideas[0], text="Null\x00 Tab\t Vtab\x0b ok")
    workshop = dataclasses.replace(report.workshops[0], ideas=(idea,))
    broken = dataclasses.replace(report, workshops=(workshop,))
    for fmt in ("docx", "xlsx", "md", "csv", "json"):
        assert render(broken, fmt, "en")
    book = openpyxl.load_workbook(io.BytesIO(render(broken, "xlsx", "en")))
    assert book["Ideas"]["D2"].value == "Null Tab\t Vtab ok"


def test_unknown_format_or_language_is_refused(report):
    with pytest.raises(ValueError):
        render(report, "html")
    with pytest.raises(ValueError):
        render(report, "md", "fr")


# File names --------------------------------------------------------------------------------

def test_filename_starts_with_the_date_and_transliterates(report):
    assert report_filename(report, "pdf") == "2026-11-21-fachkraefte-forum.pdf"
    event = dataclasses.replace(report.event, title="Größe „zählt“: Übermorgen & ÄRA!",
                                date=None)
    renamed = dataclasses.replace(report, event=event)
    assert report_filename(renamed, "xlsx") == "groesse-zaehlt-uebermorgen-aera.xlsx"
    untitled = dataclasses.replace(report, event=dataclasses.replace(event, title="„“"))
    assert report_filename(untitled, "md") == "report.md"
