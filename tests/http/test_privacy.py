"""Data protection: contact addresses with explicit consent, deleting personal data after the
event (by hand and automatically), deleting an event with everything in it."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pinnwand.models  # noqa: F401
import pytest
from pinnwand.db import Base
from pinnwand.events.models import Event
from pinnwand.privacy.retention import run_pass, start_retention
from pinnwand.privacy.services import consent_text
from sqlalchemy import func, or_, select, text

from tests.conftest import op_id
from tests.http.helpers import assert_error, headers_of
from tests.sockets.helpers import bearer, data_of, join_board, post

EMAIL = "anna.baecker@example.org"


@pytest.fixture
def anna(join):
    return join("Anna Bäcker")


def _contact(client, token, method="get", **body):
    call = getattr(client, method)
    return call("/api/v1/contact", headers=headers_of(token), **({"json": body} if body else {}))


def _contacts(client, event, auth):
    return client.get(f"/api/v1/events/{event['id']}/contacts", headers=auth).json["contacts"]


# Contact addresses ----------------------------------------------------------------------------

def test_without_consent_nothing_is_stored(client, auth, event, anna):
    assert _contact(client, anna["token"]).json == {"contact": None}
    refused = _contact(client, anna["token"], "put", email=EMAIL, lang="de")
    fields = assert_error(refused, "invalid")
    assert {"send_results", "follow_up"} <= set(fields)
    refused = _contact(client, anna["token"], "put", email=EMAIL, send_results=False,
                       follow_up=False)
    assert_error(refused, "invalid")
    assert _contact(client, anna["token"]).json == {"contact": None}
    assert _contacts(client, event, auth) == []


@pytest.mark.parametrize("email", ["anna", "anna@", "@example.org", "an na@example.org",
                                   "anna@example", "a" * 250 + "@example.org"])
def test_a_bad_address_is_refused(client, anna, email):
    response = _contact(client, anna["token"], "put", email=email, send_results=True)
    assert "email" in assert_error(response, "invalid")


def test_consent_text_and_time_are_stored_and_withdrawn(client, auth, event, anna):
    stored = _contact(client, anna["token"], "put", email=f"  {EMAIL} ", send_results=True,
                      follow_up=True, lang="de").json["contact"]
    assert stored["email"] == EMAIL
    assert (stored["send_results"], stored["follow_up"], stored["consent_lang"]) == (
        True, True, "de")
    assert stored["consent_text"] == consent_text("de", event["title"], True, True)
    assert "„Fachkräfte-Forum Südwest“" in stored["consent_text"]
    assert "mir die Ergebnisse zu schicken und mich zu Folgetreffen einzuladen" in \
        stored["consent_text"]
    assert stored["consented_at"].endswith("Z")
    assert _contact(client, anna["token"]).json["contact"] == stored
    listed = _contacts(client, event, auth)
    assert [(c["email"], c["name"]) for c in listed] == [(EMAIL, "Anna Bäcker")]
    changed = _contact(client, anna["token"], "put", email=EMAIL, follow_up=True,
                       lang="en").json["contact"]
    assert changed["send_results"] is False and "invite me to follow-up meetings" in \
        changed["consent_text"]
    assert len(_contacts(client, event, auth)) == 1
    assert _contact(client, anna["token"], "delete").status_code == 204
    assert _contact(client, anna["token"]).json == {"contact": None}
    assert _contacts(client, event, auth) == []


def test_contact_routes_are_for_participants(client, auth, event, other_auth, anna):
    assert_error(client.get("/api/v1/contact"), "unauthorized")
    assert_error(client.put("/api/v1/contact", headers=auth, json={"email": EMAIL}),
                 "forbidden")
    assert_error(client.get(f"/api/v1/events/{event['id']}/contacts", headers=other_auth),
                 "forbidden")
    assert_error(client.get(f"/api/v1/events/{event['id']}/contacts",
                            headers=headers_of(anna["token"])), "forbidden")
    assert_error(client.get(f"/exports/events/{event['id']}/contacts.csv",
                            headers=other_auth), "forbidden")
    assert_error(client.get(f"/exports/events/{event['id']}/contacts.csv"), "unauthorized")


def test_contact_list_exports_as_inert_csv(client, auth, event, join):
    people = [("Anna Bäcker", EMAIL), ("Jürgen „Jo“ Weiß", "=1+1@example.org")]
    for name, email in people:
        token = join(name)["token"]
        _contact(client, token, "put", email=email, send_results=True, lang="de")
    response = client.get(f"/exports/events/{event['id']}/contacts.csv", headers=auth)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="2026-11-21-fachkraefte-forum-suedwest-contacts.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [(r["name"], r["email"]) for r in rows] == [
        ("Anna Bäcker", EMAIL), ("Jürgen „Jo“ Weiß", "'=1+1@example.org")]
    assert {r["send_results"] for r in rows} == {"yes"} and {r["follow_up"] for r in rows} == \
        {"no"}
    assert all(r["consent_text"].startswith("Ich willige ein") for r in rows)


def test_contact_page_shows_the_consent_it_stores(client, event):
    page = client.get(f"/join/{event['join_code']}/contact?lang=en")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Stay in touch" in body and "/assets/js/contact.js" in body
    data = json.loads(body.split('id="contact-data">')[1].split("</script>")[0])
    assert data["lang"] == "en"
    assert data["consent"]["both"] == consent_text("en", event["title"], True, True)
    assert client.get(f"/join/{event['join_code'].lower()}/contact").status_code == 302
    assert client.get("/join/ZZZZZZ/contact").status_code == 404


# Retention -------------------------------------------------------------------------------------

def _privacy(client, event, auth, method="get", **body):
    call = getattr(client, method)
    return call(f"/api/v1/events/{event['id']}/privacy", headers=auth,
                **({"json": body} if method == "patch" else {}))


def test_retention_setting(client, auth, event, other_auth):
    assert _privacy(client, event, auth).json == {
        "retention_days": None, "purge_due_on": None, "personal_data_purged_at": None,
        "contacts": 0}
    answer = _privacy(client, event, auth, "patch", retention_days=30).json
    assert answer["retention_days"] == 30
    assert answer["purge_due_on"] == (date(2026, 11, 21) + timedelta(days=31)).isoformat()
    for bad in (-1, 3651, "30", 1.5):
        assert "retention_days" in assert_error(
            _privacy(client, event, auth, "patch", retention_days=bad), "invalid")
    assert _privacy(client, event, auth, "patch", retention_days=None).json[
        "purge_due_on"] is None
    assert_error(_privacy(client, event, other_auth), "forbidden")
    assert_error(client.post(f"/api/v1/events/{event['id']}/privacy/purge",
                             headers=other_auth), "forbidden")


@pytest.fixture
def lived(app, client, auth, event, join, connect):
    """A finished event: ideas by named and anonymous participants and the moderator, an
    address with consent, a page published with names."""
    workshop = event["workshops"][0]["id"]
    anna = join("Anna Bäcker")
    socket = connect(anna["token"])
    join_board(socket, workshop)
    anna_op = op_id()
    named = data_of(post(socket, workshop, "Mentoring", op=anna_op))
    data_of(post(socket, workshop, "Anonym gemeint", anonymous=True))
    data_of(post(connect(bearer(auth)), workshop, "Vom Moderator"))
    _contact(client, anna["token"], "put", email=EMAIL, send_results=True)
    client.put(f"/api/v1/events/{event['id']}/publication", headers=auth,
               json={"authors": True, "lang": "de"})
    return {"workshop": workshop, "anna": anna, "op": anna_op, "named": named,
            "socket": socket}


def _everything_about(app, client, auth, event, lived, connect) -> str:
    """Every place a name could hide, as one text: the archive with authors, the board's
    snapshot and change log, the remembered answer, the published page, the database."""
    parts = [client.get(f"/api/v1/events/{event['id']}/report.json?authors=1",
                        headers=auth).get_data(as_text=True)]
    moderator = connect(bearer(auth))
    parts.append(json.dumps(join_board(moderator, lived["workshop"])))
    parts.append(json.dumps(join_board(moderator, lived["workshop"], since_seq=0)))
    url = client.get(f"/api/v1/events/{event['id']}/publication", headers=auth).json["url"]
    parts.append(client.get(url.replace("http://localhost", "")).get_data(as_text=True))
    with app.extensions["pinnwand"].db.read() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table)).all()
            parts.append(json.dumps([list(map(str, row)) for row in rows], ensure_ascii=False))
    return "\n".join(parts)


def test_purge_removes_names_and_addresses_and_keeps_results(app, client, auth, event, lived,
                                                             connect):
    before = _everything_about(app, client, auth, event, lived, connect)
    assert "Anna Bäcker" in before and EMAIL in before
    answer = client.post(f"/api/v1/events/{event['id']}/privacy/purge", headers=auth)
    assert answer.status_code == 200
    assert answer.json["personal_data_purged_at"].endswith("Z")
    assert answer.json["contacts"] == 0
    after = _everything_about(app, client, auth, event, lived, connect)
    assert "Anna Bäcker" not in after and EMAIL not in after
    assert "Mentoring" in after and "Anonym gemeint" in after  # the results stay
    report = client.get(f"/api/v1/events/{event['id']}/report.json?authors=1",
                        headers=auth).json
    assert report["figures"]["ideas"] == 3 and report["figures"]["participants"] == 1
    assert report["personal_data_removed_at"] == answer.json["personal_data_purged_at"]
    assert "Die Namen der Teilnehmenden wurden am" in client.get(
        f"/api/v1/events/{event['id']}/report.md?lang=de", headers=auth).get_data(as_text=True)
    # the participant's session ends, and their open socket is closed at once: it cannot post
    # under the deleted name (the remembered answer, without the name, is in ``after``)
    assert_error(client.get("/api/v1/auth/me", headers=headers_of(lived["anna"]["token"])),
                 "unauthorized")
    assert not lived["socket"].is_connected()


def test_purge_asks_the_screens_on_the_boards_to_load_them_again(app, client, auth, event,
                                                                   lived, connect):
    staff = connect(bearer(auth))
    join_board(staff, lived["workshop"])
    viewer = client.post(f"/api/v1/workshops/{lived['workshop']}/viewer-link",
                         headers=auth).json["token"]
    projector = connect(viewer)
    join_board(projector, lived["workshop"])
    for tc in (staff, projector):
        tc.get_received()
    assert client.post(f"/api/v1/events/{event['id']}/privacy/purge",
                       headers=auth).status_code == 200
    for tc in (staff, projector):
        assert tc.is_connected()
        assert [(m["name"], m["args"]) for m in tc.get_received()] == [
            ("resync", [{"workshop_id": lived["workshop"]}])]
    board = join_board(projector, lived["workshop"])
    assert "Anna" not in json.dumps(board, ensure_ascii=False)
    assert not lived["socket"].is_connected()


def test_retention_purges_when_due_at_start_and_periodically(app, client, auth, event, lived,
                                                            settings):
    app_state = app.extensions["pinnwand"]
    _privacy(client, event, auth, "patch", retention_days=0)
    event_day = date.fromisoformat(event["date"])
    assert run_pass(app_state, today=event_day) == []  # the event day is not over yet
    assert run_pass(app_state, today=event_day + timedelta(days=1)) == [event["id"]]
    assert _privacy(client, event, auth).json["personal_data_purged_at"]
    assert run_pass(app_state, today=event_day + timedelta(days=2)) == []  # once
    assert _contacts(client, event, auth) == []


def test_purge_runs_when_the_server_starts(app, client, auth, event, lived, settings):
    app_state = app.extensions["pinnwand"]
    _privacy(client, event, auth, "patch", retention_days=3)
    with app_state.db.transaction() as session:
        session.get(Event, event["id"]).date = date.today() - timedelta(days=10)
    start_retention(app)  # what create_app does when the server starts
    assert _privacy(client, event, auth).json["personal_data_purged_at"]
    assert "Anna Bäcker" not in client.get(f"/api/v1/events/{event['id']}/report.json",
                                           headers=auth).get_data(as_text=True)


# Deleting an event -----------------------------------------------------------------------------

def _rows_of_event(app, event_id: int) -> dict[str, int]:
    """How many rows of every table still belong to the event (directly or through its
    workshops, participants or ideas)."""
    counts = {}
    with app.extensions["pinnwand"].db.read() as session:
        for table in Base.metadata.sorted_tables:
            columns = set(table.c.keys())
            conditions = []
            if "event_id" in columns:
                conditions.append(table.c.event_id == event_id)
            if "workshop_id" in columns:
                conditions.append(table.c.workshop_id.in_(text(
                    f"SELECT id FROM workshops WHERE event_id = {event_id}")))
            if "participant_id" in columns:
                conditions.append(table.c.participant_id.in_(text(
                    f"SELECT id FROM participants WHERE event_id = {event_id}")))
            if "idea_id" in columns:
                conditions.append(table.c.idea_id.in_(text(
                    "SELECT ideas.id FROM ideas JOIN workshops ON workshops.id = "
                    f"ideas.workshop_id WHERE workshops.event_id = {event_id}")))
            if table.name == "events":
                conditions.append(table.c.id == event_id)
            if conditions:
                counts[table.name] = session.scalar(
                    select(func.count()).select_from(table).where(or_(*conditions)))
        counts["operations"] = session.scalar(text("SELECT count(*) FROM operations"))
    return counts


def test_deleting_an_event_removes_everything_in_it(app, client, auth, event, lived, join,
                                                    other_auth):
    idea = lived["named"]["idea"]["id"]
    client.put(f"/api/v1/ideas/{idea}/redaction", headers=auth, json={"text": "Geschwärzt"})
    _privacy(client, event, auth, "patch", retention_days=30)
    client.patch(f"/api/v1/events/{event['id']}/report-settings", headers=auth,
                 json={"organiser": "IHK"})
    other = client.post("/api/v1/events", headers=auth, json={
        "title": "Bleibt", "workshops": [{"title": "W", "question": "?"}]}).json
    url = client.get(f"/api/v1/events/{event['id']}/publication", headers=auth).json["url"]
    before = _rows_of_event(app, event["id"])
    assert all(before[name] for name in ("events", "workshops", "ideas", "participants",
                                         "contacts", "publications", "idea_redactions",
                                         "event_privacy", "report_settings", "tokens",
                                         "workshop_changes", "workshop_members",
                                         "agenda_items", "event_moderators"))
    assert_error(client.delete(f"/api/v1/events/{event['id']}", headers=other_auth),
                 "forbidden")
    assert_error(client.delete(f"/api/v1/events/{event['id']}",
                               headers=headers_of(lived["anna"]["token"])), "forbidden")
    assert client.delete(f"/api/v1/events/{event['id']}", headers=auth).status_code == 204
    after = _rows_of_event(app, event["id"])
    assert {name: n for name, n in after.items() if n} == {}
    assert_error(client.get(f"/api/v1/events/{event['id']}", headers=auth), "not_found")
    assert_error(client.delete(f"/api/v1/events/{event['id']}", headers=auth), "not_found")
    assert client.get(url.replace("http://localhost", "")).status_code == 404
    assert_error(client.get("/api/v1/auth/me", headers=headers_of(lived["anna"]["token"])),
                 "unauthorized")
    assert not lived["socket"].is_connected()  # the participant's open socket is closed
    assert client.get(f"/api/v1/events/{other['id']}", headers=auth).status_code == 200


def test_a_new_event_inherits_nothing_from_a_deleted_one(app, client, auth, event, lived,
                                                         connect, other_auth):
    """SQLite may hand a deleted event's ids to a new event: no cached permission survives."""
    assert client.delete(f"/api/v1/events/{event['id']}", headers=auth).status_code == 204
    created = client.post("/api/v1/events", headers=other_auth, json={
        "title": "Neu", "workshops": [{"title": "W", "question": "?"}]}).json
    workshop = created["workshops"][0]["id"]
    moderator = connect(bearer(auth))
    ack = moderator.emit("join_workshop", {"workshop_id": workshop}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"


def test_phone_page_links_to_stay_in_touch(client, event):
    body = client.get(f"/join/{event['join_code']}?lang=de").get_data(as_text=True)
    assert f'href="/join/{event["join_code"]}/contact"' in body and "In Kontakt bleiben" in body
