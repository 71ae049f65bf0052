"""A fresh database with one event of one workshop, for the benchmarks that call the services
directly (``micro_db``, ``snapshot_bench``)."""

from __future__ import annotations

from pathlib import Path


def one_workshop(folder: Path, name: str, url: str | None = None):
    """A migrated SQLite database in ``folder`` (or the empty database at ``url``) holding a
    moderator and one event with one workshop; ``(db, event id, join code, workshop id)``."""
    from pinnwand.auth.models import Moderator
    from pinnwand.db import Database
    from pinnwand.events.schemas import EventIn
    from pinnwand.events.services import create_event
    from pinnwand.migrate import upgrade_database
    from pinnwand.workshops.services import list_workshops

    url = url or f"sqlite:///{folder / f'{name.lower()}.db'}"
    upgrade_database(url)
    db = Database(url)
    with db.transaction() as session:
        moderator = Moderator(email="m@example.org", name="M", password_hash="x")
        session.add(moderator)
        session.flush()
        event = create_event(session, moderator.id, EventIn.model_validate(
            {"title": name, "workshops": [{"title": "W", "question": "Q?"}]}))
        event_id, code = event.id, event.join_code
        workshop_id = list_workshops(session, event_id)[0].id
    return db, event_id, code, workshop_id
