"""Data protection after facilitation: what the purge removes from actions' sign-ups, change
logs, remembered answers and the published page, what it keeps (names the staff typed in,
hosts' names), and that deleting an event leaves no row and no room behind – on SQLite (with
foreign keys on) and on PostgreSQL."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest
from pinnwand import models  # noqa: F401  (every table in Base.metadata)
from pinnwand.actions.models import Action, Contributor
from pinnwand.auth.models import Moderator, Token
from pinnwand.board.models import Operation, WorkshopChange
from pinnwand.board.rooms import rooms_of_event
from pinnwand.config import load_settings
from pinnwand.db import Base
from pinnwand.events.models import Event, Participant, event_moderators
from pinnwand.migrate import upgrade_database
from pinnwand.privacy import services
from pinnwand.reports.archive import strip_authors
from pinnwand.workshops.models import Workshop
from sqlalchemy import JSON, String, Text, func, or_, select

from tests.conftest import op_id
from tests.http.helpers import assert_error, headers_of, page_text
from tests.sockets.helpers import bearer, data_of, join_board, post
from tests.support.services import fresh_postgres_database, need_postgres

ANNA = "Anna Bäcker"  # a participant: her name must go with the personal data
TYPED = "Herr Maier ohne Handy"  # signed up by the moderator: stays
HOST = "Tina Tischmoderation"  # a host (staff): stays until the event is deleted
EMAIL = "anna.baecker@example.org"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def settings(request, tmp_path, migrated_template):
    """The app's settings on a fresh SQLite copy or a fresh PostgreSQL database."""
    instance = tmp_path / "instance"
    instance.mkdir()
    env = {"PINNWAND_INSTANCE_PATH": str(instance), "PINNWAND_IDEA_RATE_LIMIT": "0"}
    if request.param == "sqlite":
        shutil.copy(migrated_template, instance / "pinnwand.db")
        yield load_settings(env)
        return
    with fresh_postgres_database(need_postgres()) as url:
        upgrade_database(url)
        yield load_settings({**env, "PINNWAND_DATABASE_URL": url})


@pytest.fixture
def app(app):
    """The app; cockpit figures still due when the test ends are not sent (a PostgreSQL test
    database is dropped right after the test, and their query would only log a failure)."""
    yield app
    app.extensions["pinnwand"].stats.send = lambda workshop_id: None


def _ack(tc, name: str, payload: dict) -> dict:
    return data_of(tc.emit(name, payload, callback=True))


@pytest.fixture
def facilitated(client, auth, event, join, connect):
    """An event run through every facilitation step in its first workshop: a private idea,
    categories, a cluster, dots, actions with a participant's sign-up and a name the moderator
    typed in, a host who posts a message and an action, the plenary with a dot, an address
    with consent and a page published with names. Sockets stay open."""
    workshop = event["workshops"][0]["id"]
    event_id = event["id"]
    moderator = connect(bearer(auth))
    join_board(moderator, workshop)
    anna = join(ANNA)
    phone = connect(anna["token"])
    join_board(phone, workshop)
    _ack(moderator, "configure_workshop", {"workshop_id": workshop, "private_writing": True})
    hidden = data_of(post(phone, workshop, "Geheime Idee"))["idea"]
    _ack(moderator, "reveal_ideas", {"workshop_id": workshop})
    named = data_of(post(phone, workshop, "Mentoring"))["idea"]
    data_of(post(phone, workshop, "Anonym gemeint", anonymous=True))
    _ack(moderator, "set_categories", {"workshop_id": workshop,
                                       "categories": [{"title": "Kurzfristig"}]})
    _ack(moderator, "set_step", {"workshop_id": workshop, "step": "cluster"})
    cluster = _ack(moderator, "group_ideas", {"workshop_id": workshop,
                                              "idea_ids": [hidden["id"], named["id"]],
                                              "title": "Begleitung"})["cluster"]
    _ack(moderator, "set_step", {"workshop_id": workshop, "step": "vote"})
    _ack(phone, "vote", {"workshop_id": workshop, "target_type": "cluster",
                         "target_id": cluster["id"], "count": 2})
    _ack(moderator, "reveal_votes", {"workshop_id": workshop})
    _ack(moderator, "set_step", {"workshop_id": workshop, "step": "act"})
    action = _ack(moderator, "save_action", {"workshop_id": workshop, "op_id": op_id(),
                                             "title": "Mentoring-Programm",
                                             "cluster_ids": [cluster["id"]]})["action"]
    _ack(phone, "sign_up", {"workshop_id": workshop, "action_id": action["id"],
                            "brings": "Kuchen", "name_in_results": True})
    _ack(moderator, "sign_up", {"workshop_id": workshop, "action_id": action["id"],
                                "name": TYPED, "brings": "Beamer", "name_in_results": True})
    host_link = client.post(f"/api/v1/workshops/{workshop}/host-link", headers=auth,
                            json={"name": HOST})
    assert host_link.status_code == 201, host_link.json
    host = connect(host_link.json["token"])
    join_board(host, workshop)
    _ack(host, "send_message", {"workshop_id": workshop, "text": "Noch 5 Minuten"})
    _ack(host, "save_action", {"workshop_id": workshop, "op_id": op_id(),
                               "title": "Patenschaften"})
    _ack(moderator, "plenary_add", {"event_id": event_id,
                                    "items": [{"workshop_id": workshop,
                                               "cluster_id": cluster["id"]}]})
    plenary = _ack(moderator, "configure_plenary", {"event_id": event_id, "voting": True})
    _ack(moderator, "join_plenary", {"event_id": event_id})
    _ack(phone, "join_plenary", {"event_id": event_id})
    _ack(host, "join_plenary", {"event_id": event_id})
    item = plenary["plenary"]["items"][0]["id"]
    _ack(phone, "plenary_vote", {"event_id": event_id, "item_id": item, "count": 1})
    contact = client.put("/api/v1/contact", headers=headers_of(anna["token"]),
                         json={"email": EMAIL, "send_results": True})
    assert contact.status_code == 200, contact.json
    published = client.put(f"/api/v1/events/{event_id}/publication", headers=auth,
                           json={"authors": True, "contributors": True, "lang": "de"})
    assert published.status_code in (200, 201), published.json
    return {"workshop": workshop, "action": action["id"], "anna": anna, "phone": phone,
            "host": host, "moderator": moderator}


def _text_columns(app) -> str:
    """Every text and JSON value in the database, one table after the other."""
    parts = []
    with app.extensions["pinnwand"].db.read() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.c if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in session.execute(select(*columns)):
                parts.append(json.dumps(list(row), ensure_ascii=False, default=str))
    return "\n".join(parts)


def _published_page(client, auth, event) -> str:
    url = client.get(f"/api/v1/events/{event['id']}/publication", headers=auth).json["url"]
    return page_text(client.get(url.replace("http://localhost", "")))


def _contributors(app) -> list[tuple[str, int | None]]:
    with app.extensions["pinnwand"].db.read() as session:
        return [(c.name, c.participant_id) for c in session.scalars(
            select(Contributor).order_by(Contributor.id))]


# Purge -----------------------------------------------------------------------------------------

def test_purge_leaves_no_participant_name_in_the_database(app, client, auth, event,
                                                          facilitated):
    before = _text_columns(app)
    assert ANNA in before and EMAIL in before
    assert f"{ANNA} (Kuchen)" in _published_page(client, auth, event)
    response = client.post(f"/api/v1/events/{event['id']}/privacy/purge", headers=auth)
    assert response.status_code == 200, response.json
    after = _text_columns(app)
    assert ANNA not in after and EMAIL not in after
    # the results and what the staff wrote stay
    for kept in ("Mentoring", "Geheime Idee", "Begleitung", "Mentoring-Programm",
                 "Patenschaften", "Noch 5 Minuten", TYPED, HOST):
        assert kept in after, kept


def test_purge_deletes_sign_ups_and_keeps_names_the_staff_typed_in(app, client, auth, event,
                                                                   facilitated):
    anna_id = _participant_id(app, event["id"])
    assert _contributors(app) == [(ANNA, anna_id), (TYPED, None)]
    client.post(f"/api/v1/events/{event['id']}/privacy/purge", headers=auth)
    assert _contributors(app) == [(TYPED, None)]
    # the board, the catch-up from the log and the published page agree
    moderator = facilitated["moderator"]
    board = join_board(moderator, facilitated["workshop"])
    action = next(a for a in board["actions"] if a["id"] == facilitated["action"])
    assert [(c["name"], c["brings"]) for c in action["contributors"]] == [(TYPED, "Beamer")]
    logged = join_board(moderator, facilitated["workshop"], since_seq=0)
    assert ANNA not in json.dumps(logged, ensure_ascii=False)
    assert TYPED in json.dumps(logged, ensure_ascii=False)
    page = _published_page(client, auth, event)
    assert f"{TYPED} (Beamer)" in page and ANNA not in page and "Kuchen" not in page
    report = client.get(f"/api/v1/events/{event['id']}/report.json?authors=1&contributors=1",
                        headers=auth).json
    actions = [a for w in report["workshops"] for a in w["actions"]]
    assert [a["contributors"] for a in actions if a["id"] == facilitated["action"]] == [
        [f"{TYPED} (Beamer)"]]


def test_purge_scrubs_every_variant_of_logged_changes_and_remembered_actions(database):
    """Names hide in the log's room and owner variants and in remembered answers with an
    action (of a moderator, of a host); the staff's own entries stay."""
    with database.transaction() as session:
        event = Event(title="Forum", join_code="PRIV01")
        session.add(event)
        session.flush()
        workshop = Workshop(event_id=event.id, title="W", question="?")
        person = Participant(event_id=event.id, name=ANNA)
        session.add_all([workshop, person])
        session.flush()
        host = Token(kind="host", digest="d" * 64, workshop_id=workshop.id, name=HOST,
                     expires_at=event.created_at)
        action = Action(workshop_id=workshop.id, title="Aktion")
        moderator = Moderator(email="mo@example.org", name="Mo", password_hash="x")
        session.add_all([host, action, moderator])
        session.flush()
        session.execute(event_moderators.insert().values(event_id=event.id,
                                                         moderator_id=moderator.id))
        session.add_all([Contributor(action_id=action.id, participant_id=person.id, name=ANNA,
                                     brings="Kuchen"),
                         Contributor(action_id=action.id, name=TYPED)])
        contributors = [{"id": 1, "participant_id": person.id, "name": ANNA, "brings": None},
                        {"id": 2, "participant_id": None, "name": TYPED, "brings": None}]
        shown = {"id": action.id, "workshop_id": workshop.id, "contributors": contributors}
        idea = {"id": 9, "workshop_id": workshop.id, "text": "Idee", "author": ANNA}
        session.add_all([
            WorkshopChange(workshop_id=workshop.id, seq=1, name="action_saved",
                           payload={"workshop_id": workshop.id, "seq": 1, "action": shown}),
            WorkshopChange(workshop_id=workshop.id, seq=2, name="idea_updated",
                           payload={"idea": idea}, withheld={"idea": idea},
                           owner_participant_id=person.id, owner_payload={"idea": idea}),
            Operation(sender=f"h:{host.id}", op_id="host-op", response={"action": shown}),
            Operation(sender=f"m:{moderator.id}", op_id="mod-op",
                      response={"action": shown, "seq": 1}),
        ])
        session.flush()
        counts = services.purge_personal_data(session, event.id)
        assert counts["contributors"] == 1
        assert counts["log_entries"] == 2 and counts["answers"] == 2
    with database.read() as session:
        dump = json.dumps([[c.payload, c.withheld, c.owner_payload]
                           for c in session.scalars(select(WorkshopChange))]
                          + [o.response for o in session.scalars(select(Operation))],
                          ensure_ascii=False)
        assert ANNA not in dump and dump.count(TYPED) == 3
        assert [c.name for c in session.scalars(select(Contributor))] == [TYPED]
        assert session.scalar(select(Token.name).where(Token.kind == "host")) == HOST


def test_strip_authors_keeps_only_the_contributors_the_staff_typed_in():
    snapshot = {"options": {"authors": True}, "workshops": [{
        "ideas": [{"id": 1, "author": ANNA}],
        "actions": [{"id": 7, "contributors": ["Anna", f"{TYPED} (Beamer)", "Anna"]},
                    {"id": 8, "contributors": ["Anna (Kuchen)"]}]}]}
    stripped = strip_authors(snapshot, {7: Counter({"Anna": 1, f"{TYPED} (Beamer)": 1})})
    assert stripped["options"]["authors"] is False
    assert stripped["workshops"][0]["ideas"][0]["author"] is None
    assert [a["contributors"] for a in stripped["workshops"][0]["actions"]] == [
        ["Anna", f"{TYPED} (Beamer)"], []]
    assert strip_authors(snapshot)["workshops"][0]["actions"][0]["contributors"] == []
    assert snapshot["workshops"][0]["ideas"][0]["author"] == ANNA  # a copy


# Deleting an event ---------------------------------------------------------------------------

def _owned_keys(app, event_id: int) -> dict[str, set[tuple]]:
    """Per table, the primary keys of the rows that belong to the event: the event and,
    transitively, every row referring by a foreign key to a row that belongs to it."""
    owned: dict[str, set[tuple]] = {"events": {(event_id,)}}
    with app.extensions["pinnwand"].db.read() as session:
        grown = True
        while grown:
            grown = False
            for table in Base.metadata.sorted_tables:
                refers = _refers_to(table, owned)
                if refers is None:
                    continue
                keys = {tuple(row) for row in session.execute(
                    select(*table.primary_key.columns).where(refers))}
                if not keys <= owned.setdefault(table.name, set()):
                    owned[table.name] |= keys
                    grown = True
    return owned


def _refers_to(table, owned: dict[str, set[tuple]]):
    """The condition "refers by a foreign key to an owned row" (``None``: it cannot)."""
    conditions = []
    for column in table.c:
        for key in column.foreign_keys:
            ids = [k[0] for k in owned.get(key.column.table.name, ())]
            if ids:
                conditions.append(column.in_(ids))
    return or_(*conditions) if conditions else None


def _rows_left(app, owned: dict[str, set[tuple]], event_id: int,
               workshop_ids: list[int]) -> dict[str, int]:
    """How many rows of each table are, or refer to, what the event owned (tables with
    none left out)."""
    left = {}
    with app.extensions["pinnwand"].db.read() as session:
        for table in Base.metadata.sorted_tables:
            conditions = [c for c in [_refers_to(table, owned)] if c is not None]
            if table.name == "events":
                conditions.append(table.c.id == event_id)
            if "workshop_id" in table.c:  # also columns without a foreign key
                conditions.append(table.c.workshop_id.in_(workshop_ids))
            if conditions:
                left[table.name] = session.scalar(
                    select(func.count()).select_from(table).where(or_(*conditions)))
    return {name: n for name, n in left.items() if n}


def _senders(app) -> Counter:
    """Remembered socket answers per kind of sender (``p``, ``m``, ``h``, ``v``)."""
    with app.extensions["pinnwand"].db.read() as session:
        return Counter(sender.split(":")[0] for sender in session.scalars(
            select(Operation.sender)))


def _rooms(app) -> set[str]:
    manager = app.extensions["socketio"].server.manager
    return {room for room in manager.rooms.get("/", {}) if isinstance(room, str)}


def test_deleting_an_event_leaves_no_row_of_its_workshops(app, client, auth, event,
                                                          facilitated):
    workshop_ids = [w["id"] for w in event["workshops"]]
    other = client.post("/api/v1/events", headers=auth, json={
        "title": "Bleibt", "workshops": [{"title": "W", "question": "?"}]}).json
    owned = _owned_keys(app, event["id"])
    for table in ("workshops", "participants", "categories", "messages", "clusters", "votes",
                  "actions", "action_contributors", "plenary_items", "plenary_votes", "ideas",
                  "workshop_changes", "workshop_members", "tokens", "contacts",
                  "publications", "event_moderators"):
        assert owned.get(table), table
    assert _senders(app) == {"p": 3, "m": 1, "h": 1}  # ideas, the actions of moderator, host
    assert client.delete(f"/api/v1/events/{event['id']}", headers=auth).status_code == 204
    assert _rows_left(app, owned, event["id"], workshop_ids) == {}
    assert _senders(app) == {}
    assert client.get(f"/api/v1/events/{other['id']}", headers=auth).status_code == 200


def test_deleting_an_event_closes_its_sockets_and_rooms(app, client, auth, event, facilitated):
    workshop = facilitated["workshop"]
    anna_id = _participant_id(app, event["id"])
    rooms = set(rooms_of_event(event["id"], [workshop], [(workshop, anna_id)]))
    assert {f"plenary:{event['id']}", f"plenary:{event['id']}:staff",
            f"plenary:{event['id']}:public", f"workshop:{workshop}",
            f"workshop:{workshop}:staff", f"workshop:{workshop}:p:{anna_id}"} <= _rooms(app)
    assert client.delete(f"/api/v1/events/{event['id']}", headers=auth).status_code == 204
    assert not facilitated["phone"].is_connected()
    assert not facilitated["host"].is_connected()  # a host link of the event
    assert facilitated["moderator"].is_connected()  # moderators may run other events
    assert not rooms & _rooms(app)
    assert_error(client.get("/api/v1/auth/me",
                            headers=headers_of(facilitated["anna"]["token"])), "unauthorized")


def test_rooms_of_an_event_name_every_room():
    assert rooms_of_event(4, [11, 12], [(11, 7)]) == [
        "event:4", "plenary:4", "plenary:4:staff", "plenary:4:public",
        "workshop:11", "workshop:11:staff", "workshop:11:public", "workshop:11:viewers",
        "workshop:12", "workshop:12:staff", "workshop:12:public", "workshop:12:viewers",
        "workshop:11:p:7"]


def _participant_id(app, event_id: int) -> int:
    with app.extensions["pinnwand"].db.read() as session:
        return session.scalar(select(Participant.id).where(Participant.event_id == event_id,
                                                           Participant.name == ANNA))
