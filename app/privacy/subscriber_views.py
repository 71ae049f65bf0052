"""The moderators' list of people who asked on the published page to hear about the next
forums: JSON under ``/api/v1``, a CSV export of the confirmed ones, deleting one."""

from __future__ import annotations

import csv
import io

from flask import Response
from pinnwand.api import api
from pinnwand.api.helpers import moderator
from pinnwand.errors import NotFound
from pinnwand.events.services import moderated_event
from pinnwand.privacy import subscribers
from pinnwand.privacy.models import Subscriber
from pinnwand.reports.formats.cells import inert
from pinnwand.reports.pages import results
from pinnwand.reports.render import slugify
from pinnwand.state import state

CSV_COLUMNS = ("name", "email", "organisation", "confirmed_at", "lang", "consent_text")


@api.get("/events/<int:event_id>/subscribers")
def list_subscribers(event_id: int):
    """Who asked to hear about the next forums: ``{"subscribers": [{"id", "name", "email",
    "organisation", "lang", "consent_text", "requested_at", "confirmed_at", "confirmed"}]}``
    (requests still waiting for confirmation included, ``confirmed: false``)."""
    identity = moderator()
    with state().db.read() as session:
        moderated_event(session, identity, event_id)
        return {"subscribers": [subscribers.subscriber_json(row) for row
                                in subscribers.subscribers_of_event(session, event_id)]}


@api.delete("/subscribers/<int:subscriber_id>")
def delete_subscriber(subscriber_id: int):
    """Delete a request or contact (``204``), e.g. when someone asks by phone."""
    identity = moderator()
    with state().db.transaction() as session:
        row = session.get(Subscriber, subscriber_id)
        if row is None:
            raise NotFound("There is no such entry.")
        moderated_event(session, identity, row.event_id)
        subscribers.withdraw(session, row)
    return "", 204


@results.get("/exports/events/<int:event_id>/subscribers.csv")
def subscribers_csv(event_id: int):
    """The confirmed contacts as CSV (UTF-8 with BOM, formula-like text inert), for the
    event's moderators (``Authorization: Bearer``)."""
    identity = moderator()
    with state().db.read() as session:
        event = moderated_event(session, identity, event_id)
        rows = [subscribers.subscriber_json(row) for row
                in subscribers.subscribers_of_event(session, event_id) if row.confirmed_at]
        stem = "-".join(part for part in (event.date.isoformat() if event.date else "",
                                          slugify(event.title) or "event", "next-forums")
                        if part)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([inert(row[column] or "") for column in CSV_COLUMNS] for row in rows)
    return Response(buffer.getvalue().encode("utf-8-sig"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{stem}.csv"',
        "Cache-Control": "no-store",
    })
