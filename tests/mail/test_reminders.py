"""Reminder mails about open actions of a series, through the outbox to a real SMTP server:
to the address of a personal link, ``days`` before the due date and before the next forum,
each once per action and occasion, each with a fresh personal link that works. The day is
always given explicitly."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from pinnwand.mail.models import OutboxMessage
from pinnwand.series.models import ActionReminder
from pinnwand.series.reminders import ROUND_SECONDS, ReminderRound
from sqlalchemy import func, select

from tests.conftest import op_id
from tests.sockets.helpers import bearer, data_of


def _event(client, auth, series_id, title, date) -> dict:
    response = client.post("/api/v1/events", headers=auth, json={
        "title": title, "series_id": series_id, "date": date,
        "workshops": [{"title": "Halten", "question": "Wie?"}]})
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def register(client, auth, connect):
    """Spring forum 2030-04-01 with the bus (due 2030-06-15, a link with an address) and the
    fair (done); the autumn forum on 2030-10-01."""
    series = client.post("/api/v1/series", headers=auth, json={"title": "Seenplatte"}).json
    spring = _event(client, auth, series["id"], "Frühjahrsforum", "2030-04-01")
    _event(client, auth, series["id"], "Herbstforum", "2030-10-01")
    mod = connect(bearer(auth))
    ws = spring["workshops"][0]["id"]
    actions = {}
    for title, due in (("Pendlerbus", "2030-06-15"), ("Ausbildungsmesse", "2030-06-10")):
        actions[title] = data_of(mod.emit("save_action", {
            "workshop_id": ws, "op_id": op_id(), "title": title, "due": due},
            callback=True))["action"]["id"]
    link = client.post(f"/api/v1/actions/{actions['Pendlerbus']}/update-link", headers=auth,
                       json={"name": "Herr Kern", "email": "kern@example.org"})
    assert link.status_code == 201 and link.json["email"] == "kern@example.org"
    fair = client.post(f"/api/v1/actions/{actions['Ausbildungsmesse']}/update-link",
                       headers=auth, json={"email": "roth@example.org"}).json
    done = client.post(f"/api/v1/actions/{actions['Ausbildungsmesse']}/updates",
                       headers={"Authorization": f"Bearer {fair['token']}"},
                       json={"status": "done"})
    assert done.status_code == 201
    return {"series": series["id"], "bus": actions["Pendlerbus"]}


def _remind(client, auth, series_id, today, **body) -> int:
    response = client.post(f"/api/v1/series/{series_id}/reminders", headers=auth,
                           json={"today": today, **body})
    assert response.status_code == 200, response.json
    return response.json["queued"]


def _queued(app) -> int:
    with app.extensions["pinnwand"].db.read() as session:
        return session.scalar(select(func.count(OutboxMessage.id))
                              .where(OutboxMessage.kind == "reminder"))


def test_a_reminder_before_the_due_date_once_with_a_working_link(app, client, auth, register,
                                                                 mail_server):
    series = register["series"]
    assert _remind(client, auth, series, "2030-06-01") == 0  # 14 days ahead: not yet
    assert _remind(client, auth, series, "2030-06-08") == 1
    [mail] = mail_server.wait_for(1)
    assert mail.recipients == ["kern@example.org"]
    text = mail.text()
    assert "Pendlerbus" in text and "2030-06-15" in text
    url = re.search(r"http://localhost(/actions/\d+/update#token=(\S+))", text)
    token = url.group(2)
    assert url.group(1).startswith(f"/actions/{register['bus']}/update")
    # The link in the mail opens and updates exactly that action.
    update = client.post(f"/api/v1/actions/{register['bus']}/updates",
                         headers={"Authorization": f"Bearer {token}"},
                         json={"status": "running", "note": "Läuft"})
    assert update.status_code == 201 and update.json["by"] == "Herr Kern"
    # Once per occasion: again (also on a later day) queues nothing; the done fair never.
    assert _remind(client, auth, series, "2030-06-08") == 0
    assert _remind(client, auth, series, "2030-06-14") == 0
    assert _queued(app) == 1


def test_a_reminder_before_the_next_forum(app, client, auth, register, mail_server):
    series = register["series"]
    assert _remind(client, auth, series, "2030-09-20", days=14, lang="en") == 1
    [mail] = mail_server.wait_for(1)
    assert "Herbstforum" in mail.text() and "2030-10-01" in mail.text()
    with app.extensions["pinnwand"].db.read() as session:
        assert [r.occasion for r in session.scalars(select(ActionReminder))] == [
            f"forum:{_forum_id(client, auth, series)}"]


def _forum_id(client, auth, series_id) -> int:
    events = client.get(f"/api/v1/series/{series_id}", headers=auth).json["events"]
    return events[-1]["id"]


def test_a_revoked_link_gets_no_reminder_and_bad_input_is_refused(client, auth, register):
    series, bus = register["series"], register["bus"]
    [link] = client.get(f"/api/v1/actions/{bus}/update-links", headers=auth).json["links"]
    assert link["email"] == "kern@example.org"
    client.delete(f"/api/v1/actions/{bus}/update-links/{link['id']}", headers=auth)
    assert _remind(client, auth, series, "2030-06-08") == 0
    for body in ({"today": "2030-02-30"}, {"days": 0}, {"lang": "fr"}, {"extra": 1}):
        answer = client.post(f"/api/v1/series/{series}/reminders", headers=auth, json=body)
        assert answer.status_code == 400, body
    bad = client.post(f"/api/v1/actions/{bus}/update-link", headers=auth,
                      json={"email": "kein-mail"})
    assert bad.status_code == 400 and "email" in bad.json["error"]["fields"]


def test_the_background_round_queues_due_reminders_once_an_hour(app, register, mail_server):
    app_state = app.extensions["pinnwand"]
    settings = replace(app_state.settings, public_url="https://pinnwand.example.org")
    moments = iter([0.0, 10.0, ROUND_SECONDS + 1.0])
    days = iter([date(2030, 6, 1), date(2030, 6, 9)])
    reminding = ReminderRound(app_state.db, settings, clock=lambda: next(moments),
                              today=lambda: next(days))
    assert reminding() == 0  # 2030-06-01: the due date is 14 days ahead
    assert reminding() == 0  # within the hour: not looked at again
    assert reminding() == 1  # 2030-06-09
    [mail] = mail_server.wait_for(1)
    assert "https://pinnwand.example.org/actions/" in mail.text()
