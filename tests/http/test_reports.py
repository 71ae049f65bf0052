"""Report downloads: every format, for the event's moderators only."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.http.helpers import assert_error, headers_of
from tests.sockets.helpers import bearer, data_of, join_board, post

MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04"}


@pytest.fixture
def results(event, join, connect, auth):
    """Ideas in the first workshop: one by Anna, one anonymous, one by the moderator."""
    workshop = event["workshops"][0]["id"]
    anna = connect(join("Anna Bäcker")["token"])
    join_board(anna, workshop)
    named = data_of(post(anna, workshop, "Mentoring für Azubis"))["idea"]
    hidden = data_of(post(anna, workshop, "Mehr Gehalt", anonymous=True))["idea"]
    moderator = connect(bearer(auth))
    by_moderator = data_of(post(moderator, workshop, "Wohnraum schaffen"))["idea"]
    return {"workshop": workshop, "ideas": [named, hidden, by_moderator]}


def _report(client, event, fmt, headers, query=""):
    return client.get(f"/api/v1/events/{event['id']}/report.{fmt}{query}", headers=headers)


@pytest.mark.parametrize("fmt", list(MIMETYPES))
@pytest.mark.parametrize("lang", ["", "?lang=de", "?lang=en"])
def test_every_format_downloads(client, auth, event, results, fmt, lang):
    response = _report(client, event, fmt, auth, lang)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == MIMETYPES[fmt]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f'.{fmt}"' in disposition or disposition.endswith(f".{fmt}")
    body = response.data
    assert body
    if fmt in MAGIC:
        assert body.startswith(MAGIC[fmt])


def test_json_report_holds_the_contract_structure(client, auth, event, results):
    report = json.loads(_report(client, event, "json", auth).data)
    assert report["event"]["title"] == event["title"]
    workshops = {w["id"]: w for w in report["workshops"]}
    assert set(workshops) == {w["id"] for w in event["workshops"]}
    first = workshops[results["workshop"]]
    assert (first["title"], first["question"]) == \
        (event["workshops"][0]["title"], event["workshops"][0]["question"])
    assert first["participants"] == 1
    ideas = {i["id"]: i for i in first["ideas"]}
    assert set(ideas) == {i["id"] for i in results["ideas"]}
    for idea in results["ideas"]:
        got = ideas[idea["id"]]
        assert (got["text"], got["author"], got["votes"]) == \
            (idea["text"], idea["author"], 0)  # the moderators' report has every total
    assert ideas[results["ideas"][1]["id"]]["author"] is None
    assert "Anna Bäcker" in [i["author"] for i in first["ideas"]]
    assert "moderatorin@example.org" not in json.dumps(report)


def test_text_reports_contain_the_ideas(client, auth, event, results):
    for fmt in ("md", "csv"):
        text = _report(client, event, fmt, auth).data.decode("utf-8-sig")
        for idea in results["ideas"]:
            assert idea["text"] in text, fmt
    rows = list(csv.reader(io.StringIO(_report(client, event, "csv", auth)
                                       .data.decode("utf-8-sig"))))
    assert len(rows) >= 1 + len(results["ideas"])


def test_anonymous_author_never_appears_in_any_format(client, auth, event, connect, join):
    workshop = event["workshops"][0]["id"]
    secret = connect(join("Geheimer Gustav")["token"])
    join_board(secret, workshop)
    data_of(post(secret, workshop, "Anonyme Idee", anonymous=True))
    for fmt in ("md", "csv", "json"):
        assert "Geheimer Gustav" not in _report(client, event, fmt, auth).data.decode("utf-8"), \
            fmt


def test_report_of_an_empty_event(client, auth):
    created = client.post("/api/v1/events", headers=auth, json={"title": "Leer"}).json
    for fmt in MIMETYPES:
        response = client.get(f"/api/v1/events/{created['id']}/report.{fmt}", headers=auth)
        assert response.status_code == 200, (fmt, response.data[:300])


def test_co_moderator_may_download(client, auth, other_auth, event):
    client.post(f"/api/v1/events/{event['id']}/moderators", headers=auth,
                json={"email": "other@example.org"})
    assert _report(client, event, "json", other_auth).status_code == 200


@pytest.mark.parametrize("fmt", list(MIMETYPES))
def test_participant_is_forbidden(client, event, join, fmt):
    assert_error(_report(client, event, fmt, headers_of(join("Anna")["token"])), "forbidden")


@pytest.mark.parametrize("fmt", list(MIMETYPES))
def test_other_moderator_is_forbidden(client, event, other_auth, fmt):
    assert_error(_report(client, event, fmt, other_auth), "forbidden")


@pytest.mark.parametrize("fmt", list(MIMETYPES))
def test_no_token_is_unauthorized(client, event, fmt):
    assert_error(_report(client, event, fmt, {}), "unauthorized")


@pytest.mark.parametrize("fmt", ["txt", "html", "PDF", "exe", "json5"])
def test_unknown_format_is_not_found(client, auth, event, fmt):
    assert_error(_report(client, event, fmt, auth), "not_found")


@pytest.mark.parametrize("lang", ["fr", "", "DE", "de-DE", "en,de"])
def test_bad_lang_is_invalid(client, auth, event, lang):
    assert "lang" in assert_error(_report(client, event, "md", auth, f"?lang={lang}"),
                                  "invalid")


def test_unknown_event_is_not_found(client, auth):
    assert_error(client.get("/api/v1/events/987654/report.pdf", headers=auth), "not_found")


# Options, preview and settings ------------------------------------------------------------

def test_documents_hide_authors_unless_asked(client, auth, event, results):
    for fmt in ("md", "csv"):
        hidden = _report(client, event, fmt, auth).data.decode("utf-8-sig")
        shown = _report(client, event, fmt, auth, "?authors=1").data.decode("utf-8-sig")
        assert "Anna Bäcker" not in hidden and "Anna Bäcker" in shown, fmt
        assert "Maria Moderatorin" in shown and "Mentoring für Azubis" in hidden
    archive = json.loads(_report(client, event, "json", auth, "?authors=0").data)
    assert {i["author"] for w in archive["workshops"] for i in w["ideas"]} == {None}
    assert archive["options"] == {"authors": False, "contributors": False}


@pytest.mark.parametrize("value", ["yes", "2", "", "TRUE"])
def test_bad_authors_flag_is_invalid(client, auth, event, value):
    assert "authors" in assert_error(_report(client, event, "md", auth, f"?authors={value}"),
                                     "invalid")


def test_download_name_has_date_and_title(client, auth, event):
    response = _report(client, event, "pdf", auth, "?lang=de")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="2026-11-21-fachkraefte-forum-suedwest.pdf"'
    assert response.headers["Cache-Control"] == "no-store"


def _preview(client, event, headers, query=""):
    return client.get(f"/api/v1/events/{event['id']}/report/preview{query}", headers=headers)


def test_preview_is_the_reports_html(client, auth, event, results, connect, join):
    workshop = event["workshops"][1]["id"]
    hacker = connect(join("<b>Hacker</b>")["token"])
    join_board(hacker, workshop)
    data_of(post(hacker, workshop, '<img src=x onerror="alert(1)"> & „Zitat“'))
    answer = _preview(client, event, auth, "?lang=de&authors=1").json
    assert answer["lang"] == "de" and answer["authors"] is True
    page = answer["html"]
    assert page.startswith('<article class="report report--web" lang="de">')
    for workshop in event["workshops"]:
        assert html_escape(workshop["title"]) in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; „Zitat“" in page
    assert "<img" not in page and "&lt;b&gt;Hacker&lt;/b&gt;" in page
    assert "Anna Bäcker" in page and "Leitfrage" in page
    assert "Anna Bäcker" not in _preview(client, event, auth).json["html"]


def test_preview_is_for_the_events_moderators(client, event, other_auth, join):
    assert_error(_preview(client, event, {}), "unauthorized")
    assert_error(_preview(client, event, other_auth), "forbidden")
    assert_error(_preview(client, event, headers_of(join("Anna")["token"])), "forbidden")


def test_report_settings_put_the_organiser_on_the_cover(client, auth, event):
    url = f"/api/v1/events/{event['id']}/report-settings"
    assert client.get(url, headers=auth).json == {"organiser": None,
                                                  "time_zone": "Europe/Berlin",
                                                  "page_size": "A4"}
    answer = client.patch(url, headers=auth, json={"organiser": "  IHK Siegen & Kreis  "})
    assert answer.json["organiser"] == "IHK Siegen & Kreis"
    assert "IHK Siegen &amp; Kreis" in _preview(client, event, auth).json["html"]
    text = _report(client, event, "md", auth).data.decode()
    assert "**Organiser:** IHK Siegen &amp; Kreis" in text
    assert client.patch(url, headers=auth, json={"organiser": None}).json["organiser"] is None
    assert "organiser" in assert_error(
        client.patch(url, headers=auth, json={"organiser": "x" * 201}), "invalid")
    assert_error(client.patch(url, headers=auth, json={"colour": "red"}), "invalid")


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
