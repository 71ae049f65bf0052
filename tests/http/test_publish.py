"""Publishing the results: the anonymity review, redactions, the read-only results page with
its own link and QR code, withdrawing it."""

from __future__ import annotations

import json
import re

import pytest

from tests.http.helpers import assert_error, headers_of, page_text
from tests.sockets.helpers import bearer, data_of, join_board, post

SECRET_TEXT = "Herr Maier aus der Personalabteilung blockiert alles"


@pytest.fixture
def board(event, join, connect, auth):
    """Ideas in two workshops: Anna's, an anonymous one by Bernd, and the moderator's."""
    first, second = event["workshops"][0]["id"], event["workshops"][1]["id"]
    anna = connect(join("Anna Bäcker")["token"])
    join_board(anna, first)
    bernd = connect(join("Bernd Geheim")["token"])
    join_board(bernd, second)
    ideas = [
        data_of(post(anna, first, "Mentoring für „Azubis“ <b>jetzt</b>"))["idea"],
        data_of(post(anna, first, SECRET_TEXT))["idea"],
        data_of(post(bernd, second, "Anonymer Vorschlag: Gleitzeit", anonymous=True))["idea"],
    ]
    moderator = connect(bearer(auth))
    ideas.append(data_of(post(moderator, second, "=SUMME(A1:A9)"))["idea"])
    return {"ideas": ideas, "anna": anna, "first": first, "second": second}


def _url(event, tail: str) -> str:
    return f"/api/v1/events/{event['id']}/{tail}"


def _publish(client, event, auth, **body):
    response = client.put(_url(event, "publication"), headers=auth, json=body)
    assert response.status_code == 200, response.json
    return response.json


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# The anonymity review ---------------------------------------------------------------------

def test_review_lists_every_idea_with_its_author_and_the_names(client, auth, event, board):
    review = client.get(_url(event, "review"), headers=auth).json
    by_id = {idea["id"]: idea for idea in review["ideas"]}
    assert set(by_id) == {idea["id"] for idea in board["ideas"]}
    anonymous = by_id[board["ideas"][2]["id"]]
    assert anonymous["author"] is None and anonymous["text"] == "Anonymer Vorschlag: Gleitzeit"
    assert by_id[board["ideas"][1]["id"]]["author"] == "Anna Bäcker"
    assert review["authors"] == ["Anna Bäcker", "Maria Moderatorin"]
    assert "Bernd Geheim" not in json.dumps(review)
    assert review["publication"] == {"published": False, "withdrawn_at": None}
    assert all(idea["redaction"] is None for idea in review["ideas"])


def test_review_is_for_the_events_moderators(client, event, other_auth, join):
    assert_error(client.get(_url(event, "review")), "unauthorized")
    assert_error(client.get(_url(event, "review"), headers=other_auth), "forbidden")
    participant = headers_of(join("Anna")["token"])
    assert_error(client.get(_url(event, "review"), headers=participant), "forbidden")


# Redactions -------------------------------------------------------------------------------

def test_redaction_changes_reports_but_not_the_board(client, auth, event, board, connect):
    idea = board["ideas"][1]
    answer = client.put(f"/api/v1/ideas/{idea['id']}/redaction", headers=auth,
                        json={"text": "  Die Personalabteilung früher einbinden  "})
    assert answer.status_code == 200, answer.json
    assert answer.json["text"] == "Die Personalabteilung früher einbinden"
    assert answer.json["original_text"] == SECRET_TEXT
    for fmt in ("md", "csv", "json"):
        text = client.get(_url(event, f"report.{fmt}"), headers=auth).data.decode("utf-8-sig")
        assert SECRET_TEXT not in text and "Die Personalabteilung früher einbinden" in text, fmt
    archive = client.get(_url(event, "report.json"), headers=auth).json
    shown = [i for w in archive["workshops"] for i in w["ideas"] if i["id"] == idea["id"]]
    assert shown[0]["redacted"] is True
    snapshot = join_board(connect(bearer(auth)), board["first"])  # the board keeps the original
    assert SECRET_TEXT in [i["text"] for i in snapshot["ideas"]]
    review = client.get(_url(event, "review"), headers=auth).json
    entry = next(i for i in review["ideas"] if i["id"] == idea["id"])
    assert (entry["text"], entry["redaction"]) == (SECRET_TEXT,
                                                   "Die Personalabteilung früher einbinden")
    assert client.delete(f"/api/v1/ideas/{idea['id']}/redaction",
                         headers=auth).status_code == 204
    assert SECRET_TEXT in client.get(_url(event, "report.md"), headers=auth).data.decode()
    assert client.delete(f"/api/v1/ideas/{idea['id']}/redaction",
                         headers=auth).status_code == 204  # idempotent


def test_redaction_is_checked(client, auth, other_auth, event, board, join):
    idea = board["ideas"][0]["id"]
    url = f"/api/v1/ideas/{idea}/redaction"
    assert "text" in assert_error(client.put(url, headers=auth, json={"text": "  "}), "invalid")
    assert "text" in assert_error(client.put(url, headers=auth, json={"text": "x" * 501}),
                                  "invalid")
    assert_error(client.put(url, headers=auth, json={"text": 5}), "invalid")
    assert_error(client.put(url, headers=other_auth, json={"text": "x"}), "forbidden")
    assert_error(client.delete(url, headers=other_auth), "forbidden")
    participant = headers_of(join("Zoë")["token"])
    assert_error(client.put(url, headers=participant, json={"text": "x"}), "forbidden")
    assert_error(client.put("/api/v1/ideas/987654/redaction", headers=auth, json={"text": "x"}),
                 "not_found")


# Publishing ---------------------------------------------------------------------------------

def test_publish_serves_a_read_only_page_without_names(client, auth, event, board):
    assert client.get(_url(event, "publication"), headers=auth).json["published"] is False
    published = _publish(client, event, auth)
    assert published["published"] is True
    assert (published["lang"], published["authors"]) == ("de", False)
    assert re.fullmatch(r"http://localhost/results/[A-Za-z0-9_-]{43}", published["url"])
    assert published["qr_url"] == published["url"] + "/qr.svg"
    page = client.get(_path(published["url"]))  # no token: anyone with the link
    assert page.status_code == 200 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert "Veröffentlichte Ergebnisse" in body and "Leitfrage" in body
    assert "Mentoring für „Azubis“ &lt;b&gt;jetzt&lt;/b&gt;" in body
    assert "=SUMME(A1:A9)" in body
    for name in ("Anna Bäcker", "Bernd Geheim"):
        assert name not in body
    # the moderation is named on the cover, but not as the author of its idea
    assert body.count("Maria Moderatorin") == 1 and "Autor/in" not in body
    assert "moderatorin@example.org" not in body and event["join_code"] not in body
    scripts = re.findall(r"<script[^>]*>", body)
    assert scripts == ['<script type="application/json" id="i18n">']  # data only, no code
    assert 'style="' not in body
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    qr = client.get(_path(published["qr_url"]))
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert b"<svg" in qr.data


def test_published_page_matches_the_preview(client, auth, event, board):
    published = _publish(client, event, auth, lang="en", authors=True)
    body = client.get(_path(published["url"])).get_data(as_text=True)
    preview = client.get(_url(event, "report/preview?lang=en&authors=1"), headers=auth).json
    generated = re.compile(r"Generated: [^<]+")
    article = generated.sub("", re.search(r"<article.*</article>", body, re.S).group(0))
    assert article.strip() == generated.sub("", preview["html"]).strip()
    assert "Anna Bäcker" in body and "Maria Moderatorin" in body
    assert "Bernd Geheim" not in body  # anonymous stays anonymous
    assert "Published results" in body and "Guiding question" in body
    german = client.get(_path(published["url"]) + "?lang=de").get_data(as_text=True)
    assert "Leitfrage" in german and "Veröffentlichte Ergebnisse" in german


def test_published_page_is_a_snapshot_until_published_again(client, auth, event, board):
    published = _publish(client, event, auth)
    idea = board["ideas"][1]
    client.put(f"/api/v1/ideas/{idea['id']}/redaction", headers=auth,
               json={"text": "Die Personalabteilung früher einbinden"})
    assert SECRET_TEXT in page_text(client.get(_path(published["url"])))
    again = _publish(client, event, auth)
    assert again["url"] == published["url"]  # the same link, refreshed
    body = page_text(client.get(_path(published["url"])))
    assert SECRET_TEXT not in body and "Die Personalabteilung früher einbinden" in body


def test_published_pdf_is_the_snapshot(client, auth, event, board):
    published = _publish(client, event, auth)
    response = client.get(_path(published["pdf_url"]))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_withdrawn_page_is_gone_for_good(client, auth, event, board):
    published = _publish(client, event, auth)
    assert client.delete(_url(event, "publication"), headers=auth).status_code == 204
    for path in ("", "/qr.svg", "/report.pdf"):
        gone = client.get(_path(published["url"]) + path)
        assert gone.status_code == 410, path
        assert "zurückgezogen" in gone.get_data(as_text=True)
    state = client.get(_url(event, "publication"), headers=auth).json
    assert state["published"] is False and state["withdrawn_at"].endswith("Z")
    assert client.delete(_url(event, "publication"), headers=auth).status_code == 204
    again = _publish(client, event, auth)
    assert again["url"] != published["url"]
    assert client.get(_path(again["url"])).status_code == 200
    assert client.get(_path(published["url"])).status_code == 404  # never valid again


@pytest.mark.parametrize("secret", ["x", "A" * 43, "nope-" * 10])
def test_unknown_link_is_not_found(client, secret):
    response = client.get(f"/results/{secret}")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert client.get(f"/results/{secret}/qr.svg").status_code == 404


def test_link_secret_is_not_stored(app, client, auth, event, board):
    published = _publish(client, event, auth)
    secret = published["url"].rsplit("/", 1)[1]
    with app.extensions["pinnwand"].db.read() as session:
        from pinnwand.reports.models import Publication

        stored = session.query(Publication).one()
        assert secret not in (stored.digest, stored.nonce)


def test_publishing_is_for_the_events_moderators(client, event, other_auth, join, auth):
    url = _url(event, "publication")
    assert_error(client.put(url, json={}), "unauthorized")
    assert_error(client.put(url, headers=other_auth, json={}), "forbidden")
    assert_error(client.delete(url, headers=other_auth), "forbidden")
    assert_error(client.get(url, headers=other_auth), "forbidden")
    participant = headers_of(join("Anna")["token"])
    assert_error(client.put(url, headers=participant, json={}), "forbidden")
    assert "lang" in assert_error(client.put(url, headers=auth, json={"lang": "fr"}), "invalid")
    assert_error(client.put(url, headers=auth, json={"authors": "yes"}), "invalid")


def test_pages_link_the_pdfs_stylesheet(client, auth, event, board):
    published = _publish(client, event, auth)
    body = client.get(_path(published["url"])).get_data(as_text=True)
    link = re.search(r'href="(/reports/report\.css\?v=\w+)"', body).group(1)
    style = client.get(link)
    assert style.status_code == 200 and style.mimetype == "text/css"
    assert style.cache_control.max_age == 365 * 24 * 3600
    from pinnwand.reports.html import STYLESHEET

    assert style.data == STYLESHEET.read_bytes()  # the very stylesheet the PDF is typeset with
    assert client.get("/reports/report.css").cache_control.no_cache
    assert client.get("/reports/other.css").status_code == 404
