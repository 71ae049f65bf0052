"""Helpers shared by the socket tests (and the error-code catalogue in tests/http)."""

from __future__ import annotations

from pinnwand.board.rules import VOTING_ONWARDS
from pinnwand.clusters.models import Cluster
from pinnwand.ideas.models import Idea
from pinnwand.workshops.models import Category, Workshop
from sqlalchemy import func, select, update

from tests.conftest import op_id

# A text that must reach only the staff and its author while the board writes privately.
SECRET = "Nur für die Moderation"


def bearer(headers: dict) -> str:
    """The raw token inside ``{"Authorization": "Bearer <token>"}``."""
    scheme, _, token = headers["Authorization"].partition(" ")
    assert scheme == "Bearer"
    return token


def data_of(ack) -> dict:
    """The ``data`` of a successful ack (fails the test on anything else)."""
    assert isinstance(ack, dict), f"expected an ack, got {ack!r}"
    assert ack.get("ok") is True, ack
    assert set(ack) == {"ok", "data"}, ack
    return ack["data"]


def error_code(ack) -> str:
    """The ``code`` of an error ack, after checking the ack's contract shape."""
    assert isinstance(ack, dict), f"expected an ack, got {ack!r}"
    assert ack.get("ok") is False, ack
    error = ack["error"]
    assert isinstance(error, dict), ack
    assert isinstance(error.get("code"), str), ack
    assert isinstance(error.get("message"), str) and error["message"], ack
    return error["code"]


def send(tc, name: str, /, **payload):
    """Emit the client event ``name`` with ``payload`` (which may have a field ``name``);
    the raw ack."""
    return tc.emit(name, payload, callback=True)


def one_or_all(workshop_id: int | None = None, event_id: int | None = None) -> dict:
    """The target of a one-or-all command: ``{"workshop_id"}``, ``{"event_id"}`` (both or
    neither, to test refusals)."""
    target = {"workshop_id": workshop_id, "event_id": event_id}
    return {key: value for key, value in target.items() if value is not None}


def join_board(tc, workshop_id: int, **extra) -> dict:
    """Enter a workshop's board; the ack's data."""
    return data_of(tc.emit("join_workshop", {"workshop_id": workshop_id, **extra}, callback=True))


def post(tc, workshop_id: int, text: str = "Mehr Homeoffice", op: str | None = None,
         **extra):
    """Send ``create_idea``; the raw ack."""
    payload = {"workshop_id": workshop_id, "op_id": op_id() if op is None else op,
               "text": text, **extra}
    return tc.emit("create_idea", payload, callback=True)


def idea_of(tc, workshop_id: int, text: str = "Mehr Homeoffice", **extra) -> dict:
    """Post an idea that must be accepted; the idea as acknowledged."""
    return data_of(post(tc, workshop_id, text, **extra))["idea"]


def lock(tc, workshop_id: int, locked: bool = True):
    """Send ``lock_workshop``; the raw ack."""
    return tc.emit("lock_workshop", {"workshop_id": workshop_id, "locked": locked},
                   callback=True)


def broadcasts(tc, name: str | None = None) -> list[dict]:
    """What the socket received since the last call: ``[{"name", "args"}]``, optionally only
    the events called ``name``."""
    received = tc.get_received()
    return [r for r in received if name is None or r["name"] == name]


def payloads(tc, name: str) -> list[dict]:
    """The payloads of the ``name`` events the socket received since the last look."""
    return [r["args"][0] for r in broadcasts(tc, name)]


def events_of(tc) -> list[tuple[str, dict]]:
    """What the socket received since the last call: ``[(name, payload)]``."""
    return [(r["name"], r["args"][0]) for r in broadcasts(tc)]


def drain(*sockets) -> None:
    """Forget what the sockets received so far."""
    for tc in sockets:
        tc.get_received()


def viewer_of(client, auth, connect, workshop_id: int):
    """A projector's socket (viewer link) on the workshop's board, its frames cleared."""
    response = client.post(f"/api/v1/workshops/{workshop_id}/viewer-link", headers=auth)
    assert response.status_code == 201, response.json
    tc = connect(response.json["token"])
    assert tc.is_connected()
    join_board(tc, workshop_id)
    tc.get_received()
    return tc


def board_state(app, workshop_id: int) -> tuple[int, int, bool]:
    """The workshop's ``seq``, its number of ideas and whether it is locked, from the database."""
    with app.extensions["pinnwand"].db.read() as session:
        workshop = session.get(Workshop, workshop_id)
        ideas = session.scalar(
            select(func.count(Idea.id)).where(Idea.workshop_id == workshop_id)
        )
        return workshop.seq, ideas, workshop.locked


def seq_of(app, workshop_id: int) -> int:
    """The workshop's current ``seq`` in the database."""
    return board_state(app, workshop_id)[0]


def row(app, model, key) -> dict:
    """A database row as a dict of its columns."""
    with app.extensions["pinnwand"].db.read() as session:
        found = session.get(model, key)
        return {c.key: getattr(found, c.key) for c in model.__table__.columns}


def change_rows(app, model, *where, **values) -> None:
    """Change rows directly in the database (state other commands would produce), without a
    numbered change."""
    with app.extensions["pinnwand"].db.transaction() as session:
        session.execute(update(model).where(*where).values(**values))


def configure(app, workshop_id: int, **columns) -> None:
    """Set workshop columns (step, lock, settings, timer) directly, without a numbered
    change. A step from voting on also marks voting as started, as ``set_step`` does."""
    if columns.get("step") in VOTING_ONWARDS:
        columns.setdefault("voting_started", True)
    change_rows(app, Workshop, Workshop.id == workshop_id, **columns)


def add_cluster(app, workshop_id: int, title: str = "Arbeitszeit", **columns) -> int:
    """Put a cluster on a workshop's board directly in the database; its id."""
    with app.extensions["pinnwand"].db.transaction() as session:
        cluster = Cluster(workshop_id=workshop_id, title=title, **columns)
        session.add(cluster)
        session.flush()
        return cluster.id


def add_category(app, workshop_id: int, title: str = "Spalte") -> int:
    """A new category (column) of the workshop, directly in the database; its id."""
    with app.extensions["pinnwand"].db.transaction() as session:
        category = Category(workshop_id=workshop_id, title=title)
        session.add(category)
        session.flush()
        return category.id


def enter_private_board(app, mod, participant, workshop_id: int) -> tuple:
    """Make the workshop write privately (directly in the database), then put Anna, Ben and
    the moderator on its board: ``(anna, ben)``."""
    configure(app, workshop_id, private_writing=True)
    anna, _ = participant("Anna", workshop_id)
    ben, _ = participant("Ben", workshop_id)
    join_board(mod, workshop_id)
    return anna, ben


def new_series(client, auth, title: str = "Dialogforen Seenplatte") -> dict:
    """A series created over HTTP by the moderator of ``auth``."""
    response = client.post("/api/v1/series", headers=auth, json={"title": title})
    assert response.status_code == 201, response.json
    return response.json


def series_forum(client, auth, series_id: int, title: str, date: str | None = None) -> dict:
    """A forum (event) of the series ``series_id`` with one workshop, created over HTTP."""
    body = {"title": title, "series_id": series_id,
            "workshops": [{"title": "Halten", "question": "Wie halten wir Talente?"}]}
    if date:
        body["date"] = date
    response = client.post("/api/v1/events", headers=auth, json=body)
    assert response.status_code == 201, response.json
    return response.json


def save_action(tc, workshop_id: int, **fields) -> dict:
    """``save_action`` by the staff socket ``tc`` with a fresh ``op_id``: the saved action."""
    from tests.conftest import op_id

    ack = tc.emit("save_action", {"workshop_id": workshop_id, "op_id": op_id(), **fields},
                  callback=True)
    return data_of(ack)["action"]
