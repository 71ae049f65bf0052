"""Helpers shared by the socket tests (and the error-code catalogue in tests/http)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.ideas.models import Idea
from app.workshops.models import Workshop
from tests.conftest import op_id


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


def join_board(tc, workshop_id: int, **extra) -> dict:
    """Enter a workshop's board; the ack's data."""
    return data_of(tc.emit("join_workshop", {"workshop_id": workshop_id, **extra}, callback=True))


def post(tc, workshop_id: int, text: str = "Mehr Homeoffice", op: str | None = None,
         **extra):
    """Send ``create_idea``; the raw ack."""
    payload = {"workshop_id": workshop_id, "op_id": op_id() if op is None else op,
               "text": text, **extra}
    return tc.emit("create_idea", payload, callback=True)


def lock(tc, workshop_id: int, locked: bool = True):
    """Send ``lock_workshop``; the raw ack."""
    return tc.emit("lock_workshop", {"workshop_id": workshop_id, "locked": locked},
                   callback=True)


def broadcasts(tc, name: str | None = None) -> list[dict]:
    """What the socket received since the last call: ``[{"name", "args"}]``, optionally only
    the events called ``name``."""
    received = tc.get_received()
    return [r for r in received if name is None or r["name"] == name]


def board_state(app, workshop_id: int) -> tuple[int, int, bool]:
    """The workshop's ``seq``, its number of ideas and whether it is locked, from the database."""
    with app.extensions["pinnwand"].db.read() as session:
        workshop = session.get(Workshop, workshop_id)
        ideas = session.scalar(
            select(func.count(Idea.id)).where(Idea.workshop_id == workshop_id)
        )
        return workshop.seq, ideas, workshop.locked
