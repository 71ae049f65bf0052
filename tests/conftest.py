"""Fixtures shared by the unit, HTTP and socket tests: a real SQLite file per test."""

from __future__ import annotations

import shutil
import uuid

import pytest
from argon2 import PasswordHasher
from pinnwand.auth import passwords
from pinnwand.auth.services import create_moderator
from pinnwand.config import load_settings
from pinnwand.db import Database
from pinnwand.factory import create_app
from pinnwand.migrate import upgrade_database

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Real Argon2id, with the cheapest parameters: the suite hashes hundreds of passwords."""
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    passwords._hasher = original


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """One SQLite file migrated to head; every test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "pinnwand.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture
def settings(tmp_path, migrated_template):
    """Settings for a fresh instance folder holding a copy of the migrated database."""
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(migrated_template, instance / "pinnwand.db")
    return load_settings({
        "PINNWAND_INSTANCE_PATH": str(instance),
        "PINNWAND_IDEA_RATE_LIMIT": "0",
        "PINNWAND_SNAPSHOT_LIMIT": "0",
    })


@pytest.fixture
def database(settings):
    """The test's database, without Flask (for service tests)."""
    db = Database(settings.database_url)
    yield db
    db.dispose()


@pytest.fixture
def app(settings):
    """The app in threading mode, so Flask-SocketIO's test client can drive it."""
    application = create_app(settings, async_mode="threading")
    application.config["TESTING"] = True
    yield application
    application.extensions["pinnwand"].db.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def _make_moderator(app, email: str, name: str) -> dict:
    with app.extensions["pinnwand"].db.transaction() as session:
        moderator = create_moderator(session, email, PASSWORD, name)
        return {"id": moderator.id, "email": email, "password": PASSWORD, "name": name}


def _login(client, moderator: dict) -> dict:
    response = client.post(
        "/api/v1/auth/token", json={"email": moderator["email"], "password": PASSWORD}
    )
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


@pytest.fixture
def moderator(app):
    return _make_moderator(app, "moderatorin@example.org", "Maria Moderatorin")


@pytest.fixture
def auth(client, moderator):
    """Headers of the signed-in moderator."""
    return _login(client, moderator)


@pytest.fixture
def other_auth(app, client):
    """Headers of a moderator who runs none of the test's events."""
    return _login(client, _make_moderator(app, "other@example.org", "Otto Other"))


@pytest.fixture
def event(client, auth):
    """An event with an agenda talk and three parallel workshops."""
    response = client.post("/api/v1/events", headers=auth, json={
        "title": "Fachkräfte-Forum Südwest",
        "date": "2026-11-21",
        "location": "Rathaus, Großer Saal",
        "agenda": [{"title": "Ausbildung neu denken", "speaker": "Dr. Jörg Ölmann",
                    "organisation": "IHK"}],
        "workshops": [
            {"title": "Talente halten", "question": "Wie halten wir Fachkräfte in der Region?"},
            {"title": "Talente ausbilden", "question": "Wie bilden wir neue Fachkräfte aus?"},
            {"title": "Talente gewinnen", "question": "Wie gewinnen wir Fachkräfte von außen?"},
        ],
    })
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def join(client, event):
    """Join the event as a new participant: ``join("Anna")`` → the join answer."""

    def joiner(name: str = "Anna", code: str | None = None) -> dict:
        response = client.post("/api/v1/join", json={"code": code or event["join_code"],
                                                      "name": name})
        assert response.status_code == 200, response.json
        return response.json

    return joiner


@pytest.fixture
def connect(app, client):
    """Open a Socket.IO test client with a token: ``connect(token)``."""
    socketio = app.extensions["socketio"]
    opened = []

    def opener(token: str | None):
        test_client = socketio.test_client(app, flask_test_client=client,
                                           auth={"token": token} if token else None)
        opened.append(test_client)
        return test_client

    yield opener
    for test_client in opened:
        if test_client.is_connected():
            test_client.disconnect()


def op_id() -> str:
    """A fresh client operation id."""
    return uuid.uuid4().hex
