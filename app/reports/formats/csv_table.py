"""The report as CSV: one row per plenary item, then one row per idea, for further processing
in other tools."""

from __future__ import annotations

import csv
import io

from pinnwand.db import isoformat
from pinnwand.reports.formats.cells import inert
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport

COLUMNS = ("event", "workshop_id", "workshop", "idea_id", "text", "author", "votes", "rank",
           "category", "cluster", "redacted", "created_at", "section")
# Only a forum of a series has these (after the others, so scripts keep their columns).
REGISTER_COLUMNS = ("action_id", "status", "owner", "organisation", "due", "latest_note",
                    "decision")
PLENARY, WORKSHOP, REGISTER = "plenary", "workshop", "register"


def render(report: EventReport, labels: Labels) -> bytes:
    """One row per item of the plenary (``section`` is ``plenary``; ``votes`` and ``rank``
    are the shared vote's, ``cluster`` the cluster's title when the item is one), one per
    idea (``section`` is ``workshop``) and, for a forum of a series, one per action of the
    register as it stood at the end of the forum (``section`` is ``register``: ``text`` the
    action's title, ``workshop`` the forum that agreed it, ``created_at`` the latest
    update's time, and the :data:`REGISTER_COLUMNS`, only then). Fixed English column
    names, UTF-8 with a byte order mark so spreadsheet programs detect the encoding.
    ``author`` is empty for anonymous ideas and when the report hides authors; times are
    ISO 8601 in UTC; formula-like text is made inert. Column names stay fixed (scripts read
    them), so ``labels`` is unused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS + (REGISTER_COLUMNS if report.register else ()))
    for row in rows(report):
        writer.writerow([inert(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def rows(report: EventReport):
    """The plenary's rows, the idea rows, then the register's, in :data:`COLUMNS` order (and
    :data:`REGISTER_COLUMNS` for a forum of a series), values as they are (not yet made
    inert)."""
    empty = ("",) * len(REGISTER_COLUMNS) if report.register else ()
    for item in report.plenary.items if report.plenary else ():
        yield (report.event.title, item.workshop_id, item.workshop, "", item.heading, "",
               item.votes,
               item.rank, "", item.title if item.kind == "cluster" else "", "no", "", PLENARY,
               *empty)
    for workshop in report.workshops:
        ranks = workshop.ranks()
        for idea in workshop.ideas:
            yield (report.event.title, workshop.id, workshop.title, idea.id, idea.text,
                   idea.author or "", idea.votes, ranks.get(idea.id, ""), idea.category or "",
                   idea.cluster or "", "yes" if idea.redacted else "no",
                   isoformat(idea.created_at), WORKSHOP, *empty)
    for row in report.register:
        yield (report.event.title, "", row.event, "", row.title, "", "", "", "", "", "no",
               isoformat(row.latest_at) or "", REGISTER, row.id, row.status, row.owner or "",
               row.organisation or "", row.due.isoformat() if row.due else "",
               row.latest_note or "", row.decision or "")
