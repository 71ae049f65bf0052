"""Results reports: the model read from a real database, the archive round trip, and every
format opened with the library a reader would use."""

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
import pinnwand.models  # noqa: F401  (registers every table on Base.metadata)
import pypdf
import pytest
from pinnwand.db import Base, Database
from pinnwand.errors import Invalid, NotFound
from pinnwand.events.models import AgendaItem, Event, Participant
from pinnwand.ideas.models import Idea
from pinnwand.reports.archive import report_from_json, report_to_json
from pinnwand.reports.formats.charts import shorten, vote_chart
from pinnwand.reports.formats.pdf import RefusingFetcher, render_html
from pinnwand.reports.html import render_fragment
from pinnwand.reports.labels import TEXTS, labels_for
from pinnwand.reports.model import ReportOptions, rank_ideas
from pinnwand.reports.models import IdeaRedaction, ReportSettings
from pinnwand.reports.reader import build_report
from pinnwand.reports.render import FORMATS, MIMETYPES, render, report_filename
from pinnwand.workshops.models import Workshop, WorkshopMember
from sqlalchemy import event as sa_event

BASE_URL = "https://pinnwand.example.org"
HIDDEN_AUTHOR = "Geheime Gärtnerin"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
REDACTED_ORIGINAL = "Herr Maier aus der Personalabteilung blockiert alles"
REDACTED_TEXT = "Die Personalabteilung früher einbinden"

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
        ("# Überschrift? Nein: Lernzeit als Arbeitszeit zählen", 0, False, 2),
        (REDACTED_ORIGINAL, 0, False, 0),
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
    session.add(ReportSettings(event_id=event.id, organiser="IHK Köln & Stadt Köln"))
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
            idea = Idea(workshop_id=workshop.id, participant_id=people[author].id,
                        author_name=PEOPLE[author], anonymous=anonymous, text=text,
                        votes=votes, created_at=moment)
            session.add(idea)
            session.flush()
            if text == REDACTED_ORIGINAL:
                session.add(IdeaRedaction(idea_id=idea.id, text=REDACTED_TEXT))
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
    """The report with the ideas' authors shown."""
    with database.read() as session:
        return build_report(session, database.event_id, base_url=BASE_URL,
                            options=ReportOptions(authors=True))


@pytest.fixture(scope="module")
def plain(database):
    """The report as compiled by default: without authors."""
    with database.read() as session:
        return build_report(session, database.event_id, base_url=BASE_URL)


def _shown(text: str) -> str:
    return REDACTED_TEXT if text == REDACTED_ORIGINAL else text


def _expected_ideas(authors: bool = True):
    """(workshop title, text as shown, author or None, votes) of every idea, in order."""
    return [(title, _shown(text), PEOPLE[author] if authors and not anonymous else None, votes)
            for title, _, _, ideas in WORKSHOPS for text, author, anonymous, votes in ideas]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", _unhyphenated(text))


def _unhyphenated(text: str) -> str:
    """PDF text with the words hyphenated at a line's end joined again (WeasyPrint breaks
    them with U+2010 HYPHEN)."""
    return re.sub("\u2010\n", "", text)


def facilitated(report):
    """The first workshop as the facilitation feature will fill it: two clusters (with a
    category), one unclustered idea, two concrete actions; the rest of the report as is."""
    workshop = report.workshops[0]
    ideas = [dataclasses.replace(idea, category="Schule" if idea.votes else None)
             for idea in workshop.ideas]
    ids = [idea.id for idea in ideas]
    data = report_to_json(report)
    first = data["workshops"][0]
    first["host"] = "Björn Schäfer"
    first["steps"] = ["collect", "cluster", "vote", "act"]
    first["ideas"] = [{**idea, "category": ideas[n].category} for n, idea in
                      enumerate(first["ideas"])]
    first["clusters"] = [{"id": 1, "title": "Schule & Betrieb", "idea_ids": [ids[1], ids[3]]},
                         {"id": 2, "title": "Begleitung", "idea_ids": [ids[0]]}]
    first["actions"] = [
        {"id": 11, "workshop_id": workshop.id, "title": "Mentoring-Pilot „Azubi+“ starten",
         "description": "Fünf Betriebe, je ein:e Mentor:in", "owner": "Jürgen Weiß",
         "contributors": ["Zoë Çelik", "IHK"], "due": "2027-03-31",
         "prospects": "Förderung durch das Land möglich", "source": "Begleitung"},
        {"id": 12, "workshop_id": workshop.id, "title": FORMULA, "owner": None,
         "contributors": [], "due": None},
    ]
    return report_from_json(data)


# The model ---------------------------------------------------------------------------------

def test_model_holds_every_workshop_and_idea_in_order(report):
    assert [w.title for w in report.workshops] == [w[0] for w in WORKSHOPS]
    assert [w.number for w in report.workshops] == [1, 2, 3]
    rows = [(w.title, i.text, i.author, i.votes) for w in report.workshops for i in w.ideas]
    assert rows == _expected_ideas()
    for workshop, (_, question, members, ideas) in zip(report.workshops, WORKSHOPS,
                                                       strict=True):
        assert workshop.question == question
        assert workshop.participants == len(members)
        assert workshop.figures.ideas == len(ideas)
        assert workshop.figures.votes == sum(idea[3] for idea in ideas)
        assert [i.id for i in workshop.ideas] == sorted(i.id for i in workshop.ideas)


def test_model_key_figures_event_and_cover(report):
    all_ideas = _expected_ideas()
    assert report.figures.participants == len(PEOPLE)
    assert report.figures.workshops == len(WORKSHOPS)
    assert report.figures.ideas == len(all_ideas)
    assert report.figures.votes == sum(idea[3] for idea in all_ideas)
    assert report.figures.actions == 0
    assert report.event.title == "Fachkräfte-Forum"
    assert report.event.organiser == "IHK Köln & Stadt Köln"
    assert report.event.join_url == f"{BASE_URL}/join/ABC234"
    assert [(a.starts_at, a.title, a.speaker, a.organisation) for a in report.agenda] == AGENDA


def test_model_fills_facilitation_fields_from_what_exists(report):
    for workshop in report.workshops:
        assert workshop.clusters == ()  # no clustering yet: every idea is unclustered
        assert {r.idea.id for r in workshop.unclustered} == {i.id for i in workshop.ideas}
        assert workshop.actions == ()
        assert workshop.host is None
        assert workshop.steps == ("collect",)
        assert all(i.category is None and i.cluster is None for i in workshop.ideas)


def test_model_ranks_ideas_by_votes_with_ties(report):
    second = report.workshops[1]
    ranked = [(r.rank, r.idea.votes) for r in second.unclustered]
    assert ranked == [(1, 2), (1, 2), (3, 1), (4, 0)]
    # ties keep posting order
    assert [r.idea.text for r in second.unclustered][:2] == [
        "Sprachkurse | berufsbegleitend anbieten",
        "# Überschrift? Nein: Lernzeit als Arbeitszeit zählen"]
    assert second.ranks()[second.unclustered[-1].idea.id] == 4


def test_model_top_results_and_chart_only_hold_ideas_with_votes(report):
    first = report.workshops[0]
    assert [(bar.rank, bar.votes) for bar in first.top] == [(1, 7), (2, 5), (3, 3)]
    assert [bar.votes for bar in first.chart] == [7, 5, 3]
    assert first.chart[0].fraction == 1.0
    assert first.chart[1].fraction == pytest.approx(5 / 7)
    assert all(bar.kind == "idea" for bar in first.chart)


def test_model_hides_authors_by_default_and_anonymous_always(plain, report):
    assert plain.options.authors is False
    assert all(idea.author is None for idea in plain.ideas)
    anonymous = [i for i in report.ideas if i.text.startswith("Weiterbildung während")]
    assert anonymous[0].author is None
    assert HIDDEN_AUTHOR not in {i.author for i in report.ideas}


def test_model_shows_redacted_text(report):
    redacted = [i for i in report.ideas if i.redacted]
    assert [(i.text, i.votes) for i in redacted] == [(REDACTED_TEXT, 0)]
    assert REDACTED_ORIGINAL not in json.dumps(report_to_json(report), ensure_ascii=False)


def test_model_reads_with_a_fixed_number_of_queries(database):
    statements = []

    def count(_connection, _cursor, statement, *_args):
        if not statement.startswith("BEGIN"):  # transaction control is not a query
            statements.append(statement)

    sa_event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.read() as session:
            build_report(session, database.event_id, base_url=BASE_URL)
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", count)
    # 12 for the event itself, one to find it in no series, and up to four for the review
    # section (a forum of a series reads its register in a fixed handful more, see
    # test_report_register.py).
    assert 0 < len(statements) <= 17


def test_missing_event_is_not_found(database):
    with database.read() as session, pytest.raises(NotFound):
        build_report(session, 999_999, base_url=BASE_URL)


def test_clusters_and_actions_slot_in(report):
    rich = facilitated(report)
    workshop = rich.workshops[0]
    assert workshop.host == "Björn Schäfer"
    assert [(c.title, c.votes, c.rank) for c in workshop.clusters] == [
        ("Schule & Betrieb", 8, 1), ("Begleitung", 7, 2)]
    assert [r.idea.votes for r in workshop.clusters[0].ideas] == [5, 3]
    assert [r.idea.text for r in workshop.unclustered] == [SCRIPT]
    assert {i.cluster for i in workshop.ideas} == {"Schule & Betrieb", "Begleitung", None}
    assert [bar.kind for bar in workshop.chart] == ["cluster", "cluster"]
    assert workshop.figures.actions == 2 and rich.figures.actions == 2
    assert workshop.actions[0].contributors == ("Zoë Çelik", "IHK")
    assert workshop.actions[0].due == date(2027, 3, 31)


def test_rank_ideas_is_a_competition_ranking(report):
    ideas = list(report.workshops[1].ideas)
    assert [r.rank for r in rank_ideas(ideas)] == [1, 1, 3, 4]
    assert rank_ideas([]) == ()


# The archive -------------------------------------------------------------------------------

def test_json_archive_round_trips_exactly(report, plain):
    for original in (report, plain, facilitated(report)):
        data = json.loads(json.dumps(report_to_json(original)))
        assert report_from_json(data) == original


def test_archive_refuses_other_documents(report):
    with pytest.raises(Invalid):
        report_from_json({"event": {}})
    with pytest.raises(Invalid):
        report_from_json({**report_to_json(report), "version": 99})
    broken = report_to_json(report)
    del broken["workshops"][0]["ideas"][0]["text"]
    with pytest.raises(Invalid):
        report_from_json(broken)


# The formats -------------------------------------------------------------------------------

def _text_of(fmt: str, body: bytes) -> str:
    """What a reader sees in a file, as plain text (PDF text layer, DOCX/XLSX XML text)."""
    if fmt == "pdf":
        reader = pypdf.PdfReader(io.BytesIO(body))
        return _unhyphenated("\n".join(page.extract_text() for page in reader.pages))
    if fmt in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            xml = "".join(archive.read(name).decode() for name in archive.namelist()
                          if name.endswith(".xml"))
        return html.unescape(re.sub(r"<[^>]+>", " ", xml))
    return body.decode("utf-8-sig")


@pytest.fixture(scope="module")
def outputs(report, plain):
    """Every format in both languages; PDFs in German only (they take a moment)."""
    files = {}
    for fmt in FORMATS:
        for lang in ("en", "de"):
            if fmt == "pdf" and lang == "en":
                continue
            files[(fmt, lang)] = render(report, fmt, lang)
    files[("pdf", "plain")] = render(plain, "pdf", "de")
    for fmt in ("docx", "md", "csv", "xlsx", "json"):
        files[(fmt, "plain")] = render(plain, fmt, "de")
    return files


def test_every_format_has_a_mimetype(outputs):
    assert set(MIMETYPES) == set(FORMATS)
    assert all(body for body in outputs.values())


def test_no_format_reveals_an_anonymous_author(outputs):
    for (fmt, _), body in outputs.items():
        assert "Gärtnerin" not in _text_of(fmt, body), fmt


def test_authors_appear_only_when_asked(outputs):
    for (fmt, variant), body in outputs.items():
        text = _text_of(fmt, body)
        if variant == "plain":
            assert "Jürgen Weiß" not in text, fmt
        else:
            assert "Jürgen Weiß" in text, fmt


def test_every_format_holds_workshops_ideas_votes_and_umlauts(outputs):
    for (fmt, variant), body in outputs.items():
        text = _text_of(fmt, body)
        flat = _squash(text)
        for title, *_rest in WORKSHOPS:
            assert _squash(title) in flat or _squash(html.escape(title)) in flat, (fmt, title)
        for _, idea_text, _, _ in _expected_ideas():
            first = idea_text.splitlines()[0]
            if first in (SCRIPT, FORMULA) or "|" in first or "#" in first or "*" in first:
                continue  # checked in escaped form below
            assert _squash(first) in flat, (fmt, variant, first)
        assert "„Schnuppertage“" in text, fmt
        assert "ÄÖÜ äöü ß" in text, fmt
        assert REDACTED_TEXT in text and REDACTED_ORIGINAL not in text, fmt


def test_pdf_has_cover_contents_workshops_appendix_and_page_numbers(outputs, report):
    body = outputs[("pdf", "de")]
    assert body.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(body))
    pages = [page.extract_text() for page in reader.pages]
    flat = [_squash(page) for page in pages]
    assert "Ergebnisbericht" in pages[0] and "Fachkräfte-Forum" in pages[0]
    assert _squash("Die wichtigsten Ergebnisse der Workshops") in flat[0]
    assert _squash("IHK Köln & Stadt Köln") in flat[0]
    total = len(pages)
    assert all(_squash(f"Seite {n} von {total}") in flat[n - 1] for n in range(1, total + 1))
    contents = next(n for n, page in enumerate(flat) if "Inhalt" in page)
    for workshop in report.workshops:
        start = next(n for n, page in enumerate(flat)
                     if _squash(f"WORKSHOP {workshop.number}{workshop.title}") in page)
        # the contents name the page the workshop starts on
        assert re.search(rf"{workshop.number}:{re.escape(_squash(workshop.title))}\.*"
                         rf"{start + 1}(?!\d)", flat[contents]), workshop.title
        assert _squash(f"Teilnehmende{workshop.participants}") in flat[start]
        assert _squash(f"Stimmen{workshop.figures.votes}") in flat[start]
        # sections flow on (no forced page breaks): the workshop's last line may be overleaf
        assert "KeineMaßnahmenfestgehalten." in "".join(flat[start:start + 2])
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Agenda" in outline and "Anhang: alle Ideen" in outline
    assert all(w.title in outline for w in report.workshops)
    assert _squash("Anhang: alle Ideen") in "".join(flat)


def test_pdf_lists_ideas_with_authors_and_votes(outputs):
    flat = _squash(_text_of("pdf", outputs[("pdf", "de")]))
    assert _squash("Mentoring-Programme für Azubis in kleinen BetriebenAnna Müller7") in flat
    assert _squash("Größe der Betriebe berücksichtigenAnonym5") in flat
    text = _text_of("pdf", outputs[("pdf", "de")])
    assert "7 Stimmen" in text and "1 Stimme" in text
    assert not re.search(r"(?<!\d)1 Stimmen", text)


def test_pdf_of_a_facilitated_workshop_shows_clusters_and_actions(report):
    text = _squash(_text_of("pdf", render(facilitated(report), "pdf", "de")))
    assert _squash("Cluster 1: Schule & Betrieb") in text
    assert _squash("Ideen ohne Cluster") in text
    assert _squash("Mentoring-Pilot „Azubi+“ starten") in text
    assert _squash("Jürgen Weiß") in text and _squash("31.03.2027") in text
    assert _squash("Leitung Björn Schäfer") in text
    assert _squash("Ideen sammeln → Clustern → Abstimmen → Maßnahmen planen") in text


def test_html_escapes_user_text_and_loads_nothing(report):
    source = render_html(report, labels_for("en"))
    assert SCRIPT not in source
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    assert "Ausbildung &amp; Übergänge" in source
    assert not re.search(r"(src|href)=\"(https?:|file:|//)", source)
    assert 'style="' not in str(render_fragment(report, labels_for("en")))  # CSP: no inline


def test_pdf_fetches_nothing_external():
    fetcher = RefusingFetcher()
    for url in ("https://example.org/logo.png", "file:///etc/passwd", "data:text/plain,x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_chart_is_svg_with_escaped_labels(report):
    bars = report.workshops[0].chart
    hostile = (dataclasses.replace(bars[0], label='<b onload="x">&'),)
    svg = str(vote_chart(hostile, 'Titel "mit" <Zeichen>'))
    assert svg.startswith("<svg") and "<b " not in svg and "&lt;b onload" in svg
    assert "&quot;mit&quot;" in svg and "style=" not in svg
    assert shorten("kurz", 10) == "kurz"
    assert shorten("ein ziemlich langer Satz über nichts", 16) == "ein ziemlich…"


def _docx_tables(document):
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in document.tables]


def test_docx_has_headings_contents_and_idea_tables(outputs):
    document = docx.Document(io.BytesIO(outputs[("docx", "en")]))
    headings = {p.text: p.style.name for p in document.paragraphs
                if p.style.name.startswith(("Heading", "Title"))}
    assert headings["Fachkräfte-Forum"] == "Title"
    assert headings["Workshops"] == "Heading 1"
    assert headings["Contents"] == "Heading 1"
    assert headings["Appendix: every idea"] == "Heading 1"
    for number, (title, *_rest) in enumerate(WORKSHOPS, start=1):
        assert headings[f"{number}. {title}"] == "Heading 2"
    assert headings["Actions"] == "Heading 3"
    ranked = [row for table in _docx_tables(document)
              if table[0] == ["Rank", "Idea", "Author", "Votes"] for row in table[1:]]
    got = sorted((text.removesuffix(" (edited by the moderation)"), author, int(votes))
                 for _, text, author, votes in ranked)
    assert got == sorted((text, author or "Anonymous", votes)
                         for _, text, author, votes in _expected_ideas())
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Guiding question: Wie heißen wir neue Kolleg*innen willkommen?" in body
    assert "No actions recorded." in body
    contents = [p.text for p in document.paragraphs]
    start = contents.index("Contents")
    assert contents[start + 1:start + 4] == ["Agenda", "Workshops", f"1. {WORKSHOPS[0][0]}"]
    assert round(document.sections[0].page_width.mm) == 210  # A4


def test_docx_speaks_german_and_hides_authors_by_default(outputs):
    document = docx.Document(io.BytesIO(outputs[("docx", "plain")]))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Leitfrage:" in body and "Kennzahlen" in body and "Maßnahmen" in body
    cells = {cell for table in _docx_tables(document) for row in table for cell in row}
    assert {"Stimmen", "Teilnehmende", "Rang", "Idee"} <= cells
    assert "Autor/in" not in cells
    assert "Teilnehmende werden in diesem Bericht nicht namentlich genannt" in body


def test_docx_of_a_facilitated_workshop_lists_actions(report):
    document = docx.Document(io.BytesIO(render(facilitated(report), "docx", "de")))
    rows = [row for table in _docx_tables(document) if table[0][0] == "Maßnahme"
            for row in table[1:]]
    assert rows[0][1:] == ["Jürgen Weiß", "Zoë Çelik, IHK", "31.03.2027"]
    assert rows[0][0].startswith("Mentoring-Pilot „Azubi+“ starten")
    assert rows[1][0] == FORMULA  # Word does not evaluate text


def test_csv_has_one_inert_row_per_idea(outputs, report):
    body = outputs[("csv", "en")]
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0]) == ["event", "workshop_id", "workshop", "idea_id", "text", "author",
                             "votes", "rank", "category", "cluster", "redacted", "created_at",
                             "section"]
    assert {r["section"] for r in rows} == {"workshop"}  # nothing on the plenary here
    expected = [(title, "'" + text if text == FORMULA else text, author or "", str(votes))
                for title, text, author, votes in _expected_ideas()]
    assert [(r["workshop"], r["text"], r["author"], r["votes"]) for r in rows] == expected
    assert {r["event"] for r in rows} == {"Fachkräfte-Forum"}
    ids = {w.title: str(w.id) for w in report.workshops}
    assert all(r["workshop_id"] == ids[r["workshop"]] for r in rows)
    assert all(r["created_at"].endswith("Z") for r in rows)
    assert [r["redacted"] for r in rows].count("yes") == 1
    plain = list(csv.DictReader(io.StringIO(outputs[("csv", "plain")].decode("utf-8-sig"))))
    assert {r["author"] for r in plain} == {""}


def test_xlsx_sheets_hold_ideas_counts_and_actions(outputs, report):
    book = openpyxl.load_workbook(io.BytesIO(outputs[("xlsx", "de")]))
    assert book.sheetnames == ["Plenum", "Ideen", "Workshops", "Maßnahmen"]
    ideas = book["Ideen"]
    header = [cell.value for cell in ideas[1]]
    assert header[3:7] == ["Nr.", "Idee", "Autor/in", "Stimmen"]
    assert header[-1] == "Erstellt (Europe/Berlin)"
    assert all(cell.font.bold for cell in ideas[1])
    rows = [(r[1], r[4], r[5], r[6]) for r in ideas.iter_rows(min_row=2, values_only=True)]
    assert rows == [(title, "'" + text if text == FORMULA else text, author or "Anonym", votes)
                    for title, text, author, votes in _expected_ideas()]
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows()
               for cell in row)
    assert ideas.column_dimensions["E"].width > ideas.column_dimensions["C"].width
    counts = [r for r in book["Workshops"].iter_rows(min_row=2, values_only=True)]
    assert [(r[1], r[4], r[5], r[6]) for r in counts] == [
        (title, len(members), len(ideas), sum(i[3] for i in ideas))
        for title, _, members, ideas in WORKSHOPS]
    assert book["Maßnahmen"].max_row == 1  # the header: no actions recorded yet
    rich = openpyxl.load_workbook(io.BytesIO(render(facilitated(report), "xlsx", "en")))
    actions = list(rich["Actions"].iter_rows(min_row=2, values_only=True))
    assert actions[0][2:7] == ("Mentoring-Pilot „Azubi+“ starten",
                               "Fünf Betriebe, je ein:e Mentor:in", "Jürgen Weiß",
                               "Zoë Çelik, IHK", datetime(2027, 3, 31))
    assert actions[1][2] == "'" + FORMULA
    plain = openpyxl.load_workbook(io.BytesIO(outputs[("xlsx", "plain")]))
    assert "Autor/in" not in [cell.value for cell in plain["Ideen"][1]]


def test_markdown_escapes_user_text(outputs):
    text = outputs[("md", "en")].decode()
    assert SCRIPT not in text and "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Sprachkurse \\| berufsbegleitend" in text
    assert "\n# Überschrift" not in text and "| \\# Überschrift?" in text
    assert "### 1. Ausbildung &amp; Übergänge" in text
    assert "Kolleg\\*innen" in text
    ranked = [line for line in text.splitlines() if line.startswith("| 1. | Mentoring")]
    assert ranked and all(line.count(" | ") == 3 for line in ranked)


def test_markdown_lists_ranked_ideas_with_authors_and_votes(outputs):
    for lang, anonymous in (("en", "Anonymous"), ("de", "Anonym")):
        text = outputs[("md", lang)].decode()
        for _, idea_text, author, votes in _expected_ideas():
            first_line = idea_text.splitlines()[0]
            if first_line in (SCRIPT, FORMULA) or "|" in first_line or "#" in first_line:
                continue  # escaped forms are checked above
            assert re.search(rf"\| \d+\. \| {re.escape(first_line)}.* \| "
                             rf"{re.escape(author or anonymous)} \| {votes} \|", text), idea_text
    assert "Anerkennung ausländischer Abschlüsse beschleunigen<br>Zentrale" in text
    assert "Keine Maßnahmen festgehalten." in text


def test_markdown_marks_a_workshop_without_ideas(report):
    empty = dataclasses.replace(report.workshops[0], ideas=(), unclustered=(), top=(), chart=())
    text = render(dataclasses.replace(report, workshops=(empty,)), "md", "de").decode()
    assert "Es wurden keine Ideen gepostet." in text


def test_json_follows_the_contract_and_is_complete(outputs, report):
    data = json.loads(outputs[("json", "en")])
    assert data["format"] == "pinnwand-report" and data["version"] == 1
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
    first = data["workshops"][0]
    assert {"clusters", "unclustered", "actions", "host", "steps", "top"} <= set(first)
    assert {"id", "text", "author", "votes", "created_at", "category", "cluster_id",
            "redacted"} <= set(first["ideas"][0])
    assert data == report_to_json(report)
    assert "Fachkräfte" in outputs[("json", "en")].decode()  # not \u-escaped


def test_control_characters_do_not_break_any_format(report):
    idea = dataclasses.replace(report.workshops[0].ideas[0], text="Null\x00 Tab\t Vtab\x0b ok")
    workshop = dataclasses.replace(report.workshops[0], ideas=(idea,),
                                   unclustered=rank_ideas([idea]))
    broken = dataclasses.replace(report, workshops=(workshop,))
    for fmt in ("docx", "xlsx", "md", "csv", "json"):
        assert render(broken, fmt, "en")
    book = openpyxl.load_workbook(io.BytesIO(render(broken, "xlsx", "en")))
    assert book["Ideas"]["E2"].value == "Null Tab\t Vtab ok"


def test_unknown_format_or_language_is_refused(report):
    with pytest.raises(ValueError):
        render(report, "html")
    with pytest.raises(ValueError):
        render(report, "md", "fr")


def test_both_languages_have_the_same_labels():
    assert set(TEXTS["en"]) == set(TEXTS["de"])
    assert labels_for("de").count_votes(1) == "1 Stimme"
    assert labels_for("en").count_votes(2) == "2 votes"
    assert labels_for("de").step_names(("collect", "mystery")) == "Ideen sammeln → mystery"


# File names --------------------------------------------------------------------------------

def test_filename_starts_with_the_date_and_transliterates(report):
    assert report_filename(report, "pdf") == "2026-11-21-fachkraefte-forum.pdf"
    event = dataclasses.replace(report.event, title="Größe „zählt“: Übermorgen & ÄRA!",
                                date=None)
    renamed = dataclasses.replace(report, event=event)
    assert report_filename(renamed, "xlsx") == "groesse-zaehlt-uebermorgen-aera.xlsx"
    untitled = dataclasses.replace(report, event=dataclasses.replace(event, title="„“"))
    assert report_filename(untitled, "md") == "report.md"


def test_markdown_and_json_of_a_facilitated_workshop_list_actions(report):
    rich = facilitated(report)
    text = render(rich, "md", "de").decode()
    assert "#### Cluster 1: Schule &amp; Betrieb (8 Stimmen)" in text
    assert "| Mentoring-Pilot „Azubi+“ starten<br>Fünf Betriebe, je ein:e Mentor:in" in text
    assert "| Jürgen Weiß | Zoë Çelik, IHK | 31.03.2027 |" in text
    assert "=HYPERLINK(\"http://x\",\"y\")" in text  # Markdown does not evaluate it
    archive = json.loads(render(rich, "json", "de"))
    actions = archive["workshops"][0]["actions"]
    assert [(a["title"], a["owner"], a["due"]) for a in actions] == [
        ("Mentoring-Pilot „Azubi+“ starten", "Jürgen Weiß", "2027-03-31"), (FORMULA, None, None)]
    assert archive["figures"]["actions"] == 2
    assert [c["title"] for c in archive["workshops"][0]["clusters"]] == [
        "Schule & Betrieb", "Begleitung"]
