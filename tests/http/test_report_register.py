"""The report's "Action register" section: a forum of a series shows the register as it stood
at the end of the forum (status, owner and organisation, due date, latest update, what this
forum decided) in every format. Every moment is set explicitly (forums in 2020), so the
outcome does not depend on today's date."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import docx
import openpyxl
import pytest
from pinnwand.actions.models import Action
from pinnwand.series.models import ActionCarry, ActionUpdate

from tests.conftest import op_id
from tests.sockets.helpers import bearer, change_rows, configure, data_of, save_action, series_forum


def _at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def _update(client, auth, action_id, status, note, at) -> None:
    response = client.post(f"/api/v1/actions/{action_id}/updates", headers=auth,
                           json={"status": status, "note": note})
    assert response.status_code == 201, response.json
    change_rows(_update.app, ActionUpdate, ActionUpdate.id == response.json["id"],
                at=at)


@pytest.fixture
def series(app, client, auth, connect):
    """Spring forum (2020-04-01): bus and fair; autumn forum (2020-10-01): the bus carried
    forward, the fair dropped, a new Rufbus; the bus is updated before and after autumn."""
    _update.app = app
    created = client.post("/api/v1/series", headers=auth, json={"title": "Seenplatte"}).json
    spring = series_forum(client, auth, created["id"], "Frühjahrsforum", "2020-04-01")
    autumn = series_forum(client, auth, created["id"], "Herbstforum", "2020-10-01")
    mod = connect(bearer(auth))
    spring_ws, autumn_ws = spring["workshops"][0]["id"], autumn["workshops"][0]["id"]
    bus = save_action(mod, spring_ws, title="Pendlerbus", owner="Stadtwerke",
                      owner_organisation="Stadtwerke Waren", due="2020-09-30")
    fair = save_action(mod, spring_ws, title="Ausbildungsmesse", owner="IHK", due="2020-06-15")
    change_rows(app, Action, Action.id.in_([bus["id"], fair["id"]]),
                created_at=_at("2020-04-01"))
    _update(client, auth, bus["id"], "running", "Fahrplan steht", _at("2020-06-01"))
    configure(app, autumn_ws, step="act")
    data_of(mod.emit("carry_action", {"workshop_id": autumn_ws, "op_id": op_id(),
                                      "action_id": bus["id"], "due": "2021-03-31"},
                     callback=True))
    data_of(mod.emit("drop_action", {"workshop_id": autumn_ws, "op_id": op_id(),
                                     "action_id": fair["id"],
                                     "reason": "Messe entfällt"}, callback=True))
    change_rows(app, ActionCarry, ActionCarry.workshop_id == autumn_ws,
                at=_at("2020-10-01", 15))
    change_rows(app, ActionUpdate, ActionUpdate.action_id == fair["id"],
                at=_at("2020-10-01", 15))
    rufbus = save_action(mod, autumn_ws, title="Rufbus", owner="Landkreis")
    change_rows(app, Action, Action.id == rufbus["id"], created_at=_at("2020-10-01", 16))
    _update(client, auth, bus["id"], "done", "Bus fährt", _at("2020-11-01"))
    return {"spring": spring, "autumn": autumn, "bus": bus, "fair": fair, "rufbus": rufbus}


def _get(client, auth, event, fmt) -> bytes:
    response = client.get(f"/api/v1/events/{event['id']}/report.{fmt}?lang=de", headers=auth)
    assert response.status_code == 200, response.data[:300]
    return response.data


def test_the_json_report_holds_the_register_at_the_end_of_the_forum(client, auth, series):
    register = json.loads(_get(client, auth, series["autumn"], "json"))["register"]
    assert [(r["title"], r["event"], r["status"], r["due"], r["decision"]) for r in register] \
        == [("Pendlerbus", "Frühjahrsforum", "running", "2021-03-31", "carried"),
            ("Ausbildungsmesse", "Frühjahrsforum", "dropped", "2020-06-15", "dropped"),
            ("Rufbus", "Herbstforum", "planned", None, None)]
    bus = register[0]
    assert (bus["owner"], bus["organisation"], bus["latest_note"]) == (
        "Stadtwerke", "Stadtwerke Waren", "Fahrplan steht")
    assert register[1]["latest_note"] == "Messe entfällt"


def test_an_earlier_forum_shows_the_register_as_it_was_then(client, auth, series):
    register = json.loads(_get(client, auth, series["spring"], "json"))["register"]
    assert [(r["title"], r["status"], r["due"], r["decision"], r["latest_note"])
            for r in register] == [
        ("Pendlerbus", "planned", "2020-09-30", None, None),
        ("Ausbildungsmesse", "planned", "2020-06-15", None, None)]


def test_every_format_has_the_section(client, auth, series):
    autumn = series["autumn"]
    markdown = _get(client, auth, autumn, "md").decode()
    section = markdown[markdown.index("## Maßnahmenregister"):]
    assert "Pendlerbus" in section and "läuft" in section and "fortgeführt" in section
    assert "Messe entfällt" in section and "31\\.03.2021" in section  # escaped

    rows = list(csv.DictReader(io.StringIO(_get(client, auth, autumn, "csv").decode(
        "utf-8-sig"))))
    register = [r for r in rows if r["section"] == "register"]
    assert [(r["text"], r["status"], r["decision"]) for r in register] == [
        ("Pendlerbus", "running", "carried"), ("Ausbildungsmesse", "dropped", "dropped"),
        ("Rufbus", "planned", "")]

    book = openpyxl.load_workbook(io.BytesIO(_get(client, auth, autumn, "xlsx")))
    sheet = list(book["Maßnahmenregister"].values)
    assert sheet[1][1:4] == ("Pendlerbus", "Frühjahrsforum", "läuft")

    document = docx.Document(io.BytesIO(_get(client, auth, autumn, "docx")))
    assert any(p.text == "Maßnahmenregister" for p in document.paragraphs)
    cells = {cell.text for table in document.tables for r in table.rows for cell in r.cells}
    assert any("Stadtwerke Waren" in text for text in cells)

    preview = client.get(f"/api/v1/events/{autumn['id']}/report/preview?lang=de",
                         headers=auth).json["html"]
    assert 'id="register"' in preview and "Messe entfällt" in preview
    # Column headings are the labels' texts (a method of the same name once took their place).
    assert '<th>Stand</th>' in preview and "<em>Letzte Meldung:</em>" in preview
    assert _get(client, auth, autumn, "pdf").startswith(b"%PDF")


def test_an_event_in_no_series_has_no_register_section(client, auth, event):
    assert json.loads(_get(client, auth, event, "json"))["register"] == []
    assert "Maßnahmenregister" not in _get(client, auth, event, "md").decode()
    header = _get(client, auth, event, "csv").decode("utf-8-sig").splitlines()[0]
    assert header.endswith(",section")
