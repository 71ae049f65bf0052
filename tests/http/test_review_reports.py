"""The later forum's report has "Review: which actions worked" (contract §5: ``report.json``'s
``"review"`` list) in every document format — status, verdicts and comments — and never names
who gave a verdict, with names off or on. The CSV stays one row per idea (its fixed columns)
and has no review rows."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.conftest import op_id
from tests.http.test_names_in_every_output import _read, _squash
from tests.sockets.helpers import bearer, data_of, join_board

REVIEWERS = ("Qxbrt Qxklm", "Qxdfg Qxwrt")
COMMENT = "Der Bus fährt pünktlich"


def _ack(tc, name: str, payload: dict) -> dict:
    return data_of(tc.emit(name, payload, callback=True))


@pytest.fixture
def reviewed(client, auth, connect):
    """A spring forum with two actions (one with an update), an autumn forum that reviewed
    them: two verdicts and a comment on the bus, one verdict on the fair."""
    series = client.post("/api/v1/series", headers=auth, json={"title": "Reihe"}).json
    events = []
    for title, day in (("Frühjahrsforum", "2026-04-01"), ("Herbstforum", "2026-10-01")):
        events.append(client.post("/api/v1/events", headers=auth, json={
            "title": title, "date": day, "series_id": series["id"],
            "workshops": [{"title": "Halten", "question": "Wie?"}]}).json)
    spring, autumn = events
    mod = connect(bearer(auth))
    spring_ws, autumn_ws = spring["workshops"][0]["id"], autumn["workshops"][0]["id"]
    bus = _ack(mod, "save_action", {"workshop_id": spring_ws, "op_id": op_id(),
                                    "title": "Pendlerbus"})["action"]
    fair = _ack(mod, "save_action", {"workshop_id": spring_ws, "op_id": op_id(),
                                     "title": "Ausbildungsmesse"})["action"]
    client.post(f"/api/v1/actions/{bus['id']}/updates", headers=auth,
                json={"status": "running", "note": "Fahrplan steht"})
    _ack(mod, "set_step", {"workshop_id": autumn_ws, "step": "review"})
    phones = []
    for name in REVIEWERS:
        answer = client.post("/api/v1/join", json={"code": autumn["join_code"],
                                                   "name": name}).json
        tc = connect(answer["token"])
        join_board(tc, autumn_ws)
        phones.append(tc)
    _ack(phones[0], "review_action", {"workshop_id": autumn_ws, "action_id": bus["id"],
                                      "verdict": "worked", "comment": COMMENT})
    _ack(phones[1], "review_action", {"workshop_id": autumn_ws, "action_id": bus["id"],
                                      "verdict": "partly"})
    _ack(phones[1], "review_action", {"workshop_id": autumn_ws, "action_id": fair["id"],
                                      "verdict": "unsure"})
    return {"spring": spring, "autumn": autumn, "bus": bus["id"], "fair": fair["id"]}


def test_report_json_has_the_contract_review_list(client, auth, reviewed):
    report = client.get(f"/api/v1/events/{reviewed['autumn']['id']}/report.json",
                        headers=auth).json
    assert [{key: row[key] for key in ("action_id", "title", "status", "worked", "partly",
                                       "not", "unsure")} for row in report["review"]] == [
        {"action_id": reviewed["bus"], "title": "Pendlerbus", "status": "running",
         "worked": 1, "partly": 1, "not": 0, "unsure": 0},
        {"action_id": reviewed["fair"], "title": "Ausbildungsmesse", "status": "planned",
         "worked": 0, "partly": 0, "not": 0, "unsure": 1}]
    assert report["review"][0]["comments"] == [{"verdict": "worked", "comment": COMMENT}]
    assert report["review"][0]["forum"] == "Frühjahrsforum"
    earlier = client.get(f"/api/v1/events/{reviewed['spring']['id']}/report.json",
                         headers=auth).json
    assert earlier["review"] == []


@pytest.mark.parametrize("names", ["0", "1"])
@pytest.mark.parametrize("lang,title,verdict", [
    ("de", "Rückblick: Welche Maßnahmen haben gewirkt", "Hat gewirkt"),
    ("en", "Review: which actions worked", "Worked")])
def test_every_format_has_the_review_section_without_names(client, auth, reviewed, names,
                                                           lang, title, verdict):
    base = f"/api/v1/events/{reviewed['autumn']['id']}"
    flags = f"lang={lang}&authors={names}&contributors={names}"
    outputs = {}
    for fmt in ("pdf", "docx", "md", "xlsx", "json", "csv"):
        response = client.get(f"{base}/report.{fmt}?{flags}", headers=auth)
        assert response.status_code == 200, (fmt, response.data[:300])
        outputs[fmt] = _squash(_read(fmt, response.data))
    outputs["preview"] = _squash(client.get(f"{base}/report/preview?{flags}",
                                            headers=auth).json["html"])
    for fmt, text in outputs.items():
        for name in REVIEWERS:
            assert _squash(name) not in text, (fmt, name)
        if fmt in ("json", "csv"):
            continue
        if fmt != "xlsx":  # a workbook has it as its sheet's name (checked below)
            assert _squash(title) in text, fmt
        assert _squash(COMMENT) in text, fmt
        assert _squash(verdict) in text, fmt
        assert "Pendlerbus" in text and "Ausbildungsmesse" in text, fmt
    assert _squash(COMMENT) in outputs["json"]
    assert "Pendlerbus" not in outputs["csv"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/report.xlsx?{flags}",
                                                        headers=auth).data))
    assert {"de": "Rückblick", "en": "Review"}[lang] in book.sheetnames
    # Column headings are the labels' texts (a method of the same name once took their place).
    preview = client.get(f"{base}/report/preview?{flags}", headers=auth).json["html"]
    assert f'data-label="{ {"de": "Stand heute", "en": "Status now"}[lang] }"' in preview


def test_a_report_without_review_has_no_review_section(client, auth, reviewed):
    text = client.get(f"/api/v1/events/{reviewed['spring']['id']}/report.md?lang=en",
                      headers=auth).get_data(as_text=True)
    assert "Review: which actions worked" not in text


def test_the_archived_report_keeps_the_review(client, auth, reviewed):
    from pinnwand.reports.archive import report_from_json, report_to_json
    data = client.get(f"/api/v1/events/{reviewed['autumn']['id']}/report.json",
                      headers=auth).json
    assert report_to_json(report_from_json(data))["review"] == data["review"]
