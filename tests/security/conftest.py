"""A prepared world for the security tests, built once per session and copied for each test.

Two events run by two moderators; participants of each; a projector (viewer) and a host of one
workshop; on the boards of event 1 (both workshops in step collect, unlocked, votes secret,
private writing off) ideas, a withdrawn and a deleted idea, clusters, actions with sign-ups and
a deleted action, and one item on its plenary (see :func:`_prepare_boards`).
Building it takes a few dozen requests; copying its SQLite file and creating a fresh app takes
about 10 ms, so every test (and every cell of the authorisation matrix) starts from the same
state without sharing any.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask_socketio import SocketIOTestClient
from pinnwand.auth.services import create_moderator
from pinnwand.config import load_settings
from pinnwand.factory import create_app
from pinnwand.ideas.models import Idea
from pinnwand.models import Base
from pinnwand.workshops.models import Workshop
from socketio import packet
from sqlalchemy import func, select

GARBAGE_TOKEN = "not-a-token-but-long-enough-to-be-looked-up"
PASSWORD = "correct horse battery"

# Every kind of caller the matrix knows, from least to most privileged.
ROLES = (
    "anonymous",                # no token at all
    "garbage",                  # a token the server never issued
    "participant_other_event",  # joined event 2, entered its workshop X
    "participant_not_joined",   # joined event 1, entered no workshop
    "participant_joined",       # joined event 1, entered workshop A
    "viewer",                   # projector link of workshop A
    "host",                     # host link of workshop A (moderator rights there only)
    "moderator_other_event",    # runs event 2 only
    "moderator",                # runs event 1
)


@dataclass
class WorldTemplate:
    """The prepared database file and what is in it (raw tokens and ids)."""

    database: Path
    tokens: dict[str, str | None]
    ids: dict[str, int]
    join_codes: dict[str, str]
    emails: dict[str, str]


@dataclass
class World:
    """A running app on a private copy of the prepared database."""

    app: object
    client: object
    tokens: dict[str, str | None]
    ids: dict[str, int]
    join_codes: dict[str, str]
    emails: dict[str, str]
    sockets: list = field(default_factory=list)

    def close_sockets(self) -> None:
        """Disconnect every socket this world opened."""
        for tc in self.sockets:
            if tc.is_connected():
                tc.disconnect()
        self.sockets.clear()

    def headers(self, role: str) -> dict:
        """The ``Authorization`` header of a role (empty for the anonymous caller)."""
        token = self.tokens[role]
        return {"Authorization": f"Bearer {token}"} if token else {}

    def socket(self, role: str) -> RecordingTestClient:
        """A Socket.IO test client connected (or refused) with the role's token."""
        token = self.tokens[role]
        return self.socket_with(token)

    def socket_with(self, token: str | None) -> RecordingTestClient:
        socketio = self.app.extensions["socketio"]
        tc = RecordingTestClient(self.app, socketio, flask_test_client=self.client,
                                 auth={"token": token} if token else None)
        self.sockets.append(tc)
        return tc

    def board(self, workshop_id: int) -> tuple[int, int, bool]:
        """A workshop's ``(seq, idea count, locked)`` straight from the database."""
        with self.app.extensions["pinnwand"].db.read() as session:
            workshop = session.get(Workshop, workshop_id)
            ideas = session.scalar(select(func.count(Idea.id))
                                   .where(Idea.workshop_id == workshop_id))
            return workshop.seq, ideas, workshop.locked

    def dump(self) -> dict[str, list[tuple]]:
        """Every row of every table, in a stable order: "nothing changed" means equal dumps."""
        rows: dict[str, list[tuple]] = {}
        with self.app.extensions["pinnwand"].db.read() as session:
            for table in Base.metadata.sorted_tables:
                result = session.execute(select(table)).all()
                rows[table.name] = sorted((tuple(r) for r in result), key=repr)
        return rows


class RecordingTestClient(SocketIOTestClient):
    """Flask-SocketIO's test client, also keeping the message of a refused connection."""

    connect_error = None

    def connect(self, namespace=None, query_string=None, headers=None, auth=None):
        server = self.socketio.server
        original = server._send_packet

        def spy(eio_sid, pkt):
            if eio_sid == self.eio_sid and pkt.packet_type == packet.CONNECT_ERROR:
                self.connect_error = pkt.data
            return original(eio_sid, pkt)

        server._send_packet = spy
        try:
            super().connect(namespace=namespace, query_string=query_string, headers=headers,
                            auth=auth)
        finally:
            server._send_packet = original


def _settings(instance: Path):
    return load_settings({"PINNWAND_INSTANCE_PATH": str(instance),
                          "PINNWAND_IDEA_RATE_LIMIT": "0",
                          "PINNWAND_SNAPSHOT_LIMIT": "0"})


def _post(client, path: str, headers: dict | None = None, **body) -> dict:
    response = client.post(path, headers=headers or {}, json=body)
    assert response.status_code in (200, 201), (path, response.json)
    return response.json


def _moderator(app, client, email: str, name: str) -> tuple[int, dict]:
    """Create a moderator account and sign in: ``(id, Authorization header)``."""
    with app.extensions["pinnwand"].db.transaction() as session:
        moderator_id = create_moderator(session, email, PASSWORD, name).id
    token = _post(client, "/api/v1/auth/token", email=email, password=PASSWORD)["token"]
    return moderator_id, {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def world_template(tmp_path_factory, migrated_template, cheap_password_hashing) -> WorldTemplate:
    """Build the world once: moderators, events, participants, memberships, a viewer link."""
    instance = tmp_path_factory.mktemp("security-world")
    shutil.copy(migrated_template, instance / "pinnwand.db")
    app = create_app(_settings(instance), async_mode="threading")
    client = app.test_client()
    state = app.extensions["pinnwand"]
    emails = {"moderator": "moderatorin@example.org", "moderator_other_event": "other@example.org"}
    mod_id, mod_headers = _moderator(app, client, emails["moderator"], "Maria Moderatorin")
    other_id, other_headers = _moderator(app, client, emails["moderator_other_event"],
                                         "Otto Other")

    event1 = _post(client, "/api/v1/events", mod_headers, title="Forum Eins", agenda=[
        {"title": "Keynote", "speaker": "Dr. Jörg Ölmann"}], workshops=[
        {"title": "Werkstatt A", "question": "Was hält uns?"},
        {"title": "Werkstatt B", "question": "Was bringt uns weiter?"}])
    event2 = _post(client, "/api/v1/events", other_headers, title="Forum Zwei", workshops=[
        {"title": "Werkstatt X", "question": "Was anderes?"}])
    a, b = (w["id"] for w in event1["workshops"])
    x = event2["workshops"][0]["id"]

    joined = _post(client, "/api/v1/join", code=event1["join_code"], name="Jana Joined")
    not_joined = _post(client, "/api/v1/join", code=event1["join_code"], name="Nils Nojoin")
    other_participant = _post(client, "/api/v1/join", code=event2["join_code"], name="Olga")
    state.access.admit(joined["participant_id"], a)
    state.access.admit(other_participant["participant_id"], x)
    viewer = _post(client, f"/api/v1/workshops/{a}/viewer-link", mod_headers)
    host = _post(client, f"/api/v1/workshops/{a}/host-link", mod_headers, name="Tisch A")

    tokens = {"moderator": mod_headers["Authorization"].split()[1],
              "moderator_other_event": other_headers["Authorization"].split()[1],
              "participant_joined": joined["token"]}
    board_ids = _prepare_boards(app, client, tokens, {
        "event": event1["id"], "A": a, "B": b, "X": x})

    state.db.dispose()
    return WorldTemplate(
        database=instance / "pinnwand.db",
        tokens={
            "anonymous": None,
            "garbage": GARBAGE_TOKEN,
            "participant_other_event": other_participant["token"],
            "participant_not_joined": not_joined["token"],
            "participant_joined": joined["token"],
            "viewer": viewer["token"],
            "host": host["token"],
            "moderator_other_event": other_headers["Authorization"].split()[1],
            "moderator": mod_headers["Authorization"].split()[1],
        },
        ids={
            "event": event1["id"], "other_event": event2["id"], "A": a, "B": b, "X": x,
            "agenda_item": event1["agenda"][0]["id"],
            "moderator": mod_id, "moderator_other_event": other_id,
            "participant_joined": joined["participant_id"],
            "participant_not_joined": not_joined["participant_id"],
            "participant_other_event": other_participant["participant_id"],
            **board_ids,
        },
        join_codes={"event": event1["join_code"], "other_event": event2["join_code"]},
        emails=emails,
    )


class _Sender:
    """A signed-in socket of the world's builder; every emit must succeed."""

    def __init__(self, app, client, token: str, label: str):
        self.tc = SocketIOTestClient(app, app.extensions["socketio"], flask_test_client=client,
                                     auth={"token": token})
        self.label, self.ops = label, 0

    def __call__(self, event: str, /, **payload) -> dict:
        ack = self.tc.emit(event, payload, callback=True)
        assert ack.get("ok"), (event, payload, ack)
        return ack["data"]

    def op_id(self) -> str:
        self.ops += 1
        return f"world-{self.label}-{self.ops:04}"

    def idea(self, workshop_id: int, text: str) -> int:
        data = self("create_idea", workshop_id=workshop_id, op_id=self.op_id(), text=text)
        return data["idea"]["id"]

    def action(self, workshop_id: int, title: str) -> int:
        data = self("save_action", workshop_id=workshop_id, op_id=self.op_id(), title=title)
        return data["action"]["id"]

    def close(self) -> None:
        self.tc.disconnect()


def _signed_up(action: dict, name: str) -> int:
    return next(c["id"] for c in action["contributors"] if c["name"] == name)


def _prepare_staff_objects(mod: _Sender, workshop_id: int, name: str) -> dict[str, int]:
    """The moderator's part of a board: an idea grouped into a cluster, an action with a
    sign-up by name, a deleted action, a broadcast message."""
    made = {f"idea_{name}_grouped": mod.idea(workshop_id, f"Gruppiert in {name}")}
    cluster = mod("group_ideas", workshop_id=workshop_id, idea_ids=[made[f"idea_{name}_grouped"]],
                  title=f"Cluster {name}")["cluster"]
    made[f"cluster_{name}"] = cluster["id"]
    made[f"action_{name}"] = mod.action(workshop_id, f"Aktion {name}")
    made[f"action_{name}_deleted"] = mod.action(workshop_id, f"Weg {name}")
    mod("delete_action", workshop_id=workshop_id, action_id=made[f"action_{name}_deleted"])
    action = mod("sign_up", workshop_id=workshop_id, action_id=made[f"action_{name}"],
                 name="Ohne Handy", brings="Raum")["action"]
    made[f"contributor_{name}"] = _signed_up(action, "Ohne Handy")
    made[f"message_{name}"] = mod("send_message", workshop_id=workshop_id,
                                  text=f"Nachricht an {name}")["message"]["id"]
    return made


def _prepare_boards(app, client, tokens: dict, ids: dict) -> dict[str, int]:
    """Put something on the boards of event 1 (and one idea on X), through the sockets as the
    moderator and Jana (the participant who entered A) would; the ids of what was made.

    Workshop A: Jana's idea (``idea_A``) and her withdrawn one (``idea_A_withdrawn``), the
    moderator's idea (``idea_A_staff``) and one grouped into ``cluster_A``
    (``idea_A_grouped``); ``action_A`` with a sign-up by name (``contributor_A``) and Jana's
    own (``contributor_A_jana``, made in step act, then back to collect), a deleted
    ``action_A_deleted``. Workshop B: the same by the moderator (``idea_B``,
    ``idea_B_grouped`` in ``cluster_B``, ``idea_B_deleted``, ``action_B`` with
    ``contributor_B``, ``action_B_deleted``); ``message_A`` and ``message_B`` from the
    moderator. The plenary of event 1 holds ``idea_A_staff``
    (``plenary_item``). Workshop X: ``idea_X`` by its moderator.
    """
    a, b = ids["A"], ids["B"]
    mod = _Sender(app, client, tokens["moderator"], "mod")
    jana = _Sender(app, client, tokens["participant_joined"], "jana")
    other = _Sender(app, client, tokens["moderator_other_event"], "other")
    try:
        made = {"idea_A": jana.idea(a, "Janas Idee"),
                "idea_A_withdrawn": jana.idea(a, "Janas zurückgezogene Idee")}
        jana("delete_idea", workshop_id=a, idea_id=made["idea_A_withdrawn"])
        made["idea_A_staff"] = mod.idea(a, "Idee der Moderation")
        made.update(_prepare_staff_objects(mod, a, "A"))
        mod("set_step", workshop_id=a, step="act")
        action = jana("sign_up", workshop_id=a, action_id=made["action_A"],
                      brings="Kaffee")["action"]
        made["contributor_A_jana"] = _signed_up(action, "Jana Joined")
        mod("set_step", workshop_id=a, step="collect")

        made["idea_B"] = mod.idea(b, "Idee in B")
        made["idea_B_deleted"] = mod.idea(b, "Gelöschte Idee in B")
        mod("delete_idea", workshop_id=b, idea_id=made["idea_B_deleted"])
        made.update(_prepare_staff_objects(mod, b, "B"))

        plenary = mod("plenary_add", event_id=ids["event"],
                      items=[{"workshop_id": a, "idea_id": made["idea_A_staff"]}])["plenary"]
        made["plenary_item"] = plenary["items"][0]["id"]
        made["idea_X"] = other.idea(ids["X"], "Idee in X")
    finally:
        for sender in (mod, jana, other):
            sender.close()
    return made


def open_world(template: WorldTemplate, instance: Path) -> World:
    """A fresh app on a private copy (in ``instance``) of the prepared world."""
    instance.mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = template.database.with_name(template.database.name + suffix)
        if source.exists():
            shutil.copy(source, instance / source.name)
    app = create_app(_settings(instance), async_mode="threading")
    app.config["TESTING"] = True
    return World(app=app, client=app.test_client(), tokens=dict(template.tokens),
                 ids=dict(template.ids), join_codes=dict(template.join_codes),
                 emails=dict(template.emails))


@pytest.fixture
def world(tmp_path, world_template):
    """A fresh app on a private copy of the prepared world."""
    built = open_world(world_template, tmp_path / "instance")
    yield built
    built.close_sockets()
    built.app.extensions["pinnwand"].db.dispose()


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory, world_template):
    """One world for the tests of a module that change nothing — each such test checks that
    itself (a full dump before and after), so sharing cannot hide a change."""
    built = open_world(world_template, tmp_path_factory.mktemp("shared") / "instance")
    yield built
    built.close_sockets()
    built.app.extensions["pinnwand"].db.dispose()
