"""The report as JSON data and back: complete, versioned, for archiving and re-import.

:func:`report_to_json` writes every fact the report holds (the contract's ``event`` and
``workshops[].ideas[]`` fields plus agenda, figures, clusters, actions, options …);
:func:`report_from_json` reads such a document back into the very same
:class:`~pinnwand.reports.model.EventReport`. Derived values in the document (figures, ranks, top
results) are written for readers' convenience and recomputed on import, so an edited archive
cannot contradict itself.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from pinnwand.db import isoformat
from pinnwand.errors import Invalid
from pinnwand.reports.model import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIME_ZONE,
    ActionRow,
    AgendaRow,
    ChartBar,
    ClusterFacts,
    EventInfo,
    EventReport,
    IdeaRow,
    PlenaryFacts,
    PlenaryReport,
    RegisterRow,
    ReportOptions,
    ReviewComment,
    ReviewRow,
    WorkshopFacts,
    WorkshopReport,
    assemble_plenary,
    assemble_report,
)

FORMAT = "pinnwand-report"
VERSION = 1


def report_to_json(report: EventReport) -> dict:
    """The whole report as plain JSON data."""
    event = report.event
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": isoformat(report.generated_at),
        "options": {"authors": report.options.authors,
                    "contributors": report.options.contributors},
        "personal_data_removed_at": isoformat(report.personal_data_removed_at),
        "event": {
            "id": event.id,
            "title": event.title,
            "date": _day(event.date),
            "location": event.location,
            "description": event.description,
            "organiser": event.organiser,
            "moderators": list(event.moderators),
            "join_code": event.join_code,
            "join_url": event.join_url,
            "time_zone": event.time_zone,
            "page_size": event.page_size,
        },
        "agenda": [{"title": item.title, "speaker": item.speaker,
                    "organisation": item.organisation, "starts_at": item.starts_at}
                   for item in report.agenda],
        "figures": {"participants": report.figures.participants,
                    "workshops": report.figures.workshops, "ideas": report.figures.ideas,
                    "votes": report.figures.votes, "actions": report.figures.actions},
        "plenary": _plenary_json(report.plenary),
        "register": [_register_json(row) for row in report.register],
        "workshops": [_workshop_json(workshop) for workshop in report.workshops],
        "review": [_review_json(row) for row in report.review],
    }


def _register_json(row: RegisterRow) -> dict:
    return {"action_id": row.id, "title": row.title, "event": row.event, "status": row.status,
            "owner": row.owner, "organisation": row.organisation, "due": _day(row.due),
            "latest_note": row.latest_note, "latest_at": isoformat(row.latest_at),
            "decision": row.decision}


def _read_register(rows: list[dict]) -> list[RegisterRow]:
    return [RegisterRow(id=row["action_id"], title=row["title"], event=row["event"],
                        status=row["status"], owner=row.get("owner"),
                        organisation=row.get("organisation"), due=_read_day(row.get("due")),
                        latest_note=row.get("latest_note"),
                        latest_at=(_read_moment(row["latest_at"]) if row.get("latest_at")
                                   else None),
                        decision=row.get("decision")) for row in rows]
def _review_json(row: ReviewRow) -> dict:
    """An action reviewed at the event: contract §5's fields, its forum and the comments."""
    return {"action_id": row.action_id, "title": row.title, "status": row.status,
            "worked": row.worked, "partly": row.partly, "not": row.not_,
            "unsure": row.unsure, "forum": row.forum,
            "comments": [{"verdict": c.verdict, "comment": c.text} for c in row.comments]}


def _read_review(rows: list) -> list[ReviewRow]:
    return [ReviewRow(action_id=row["action_id"], title=row["title"], status=row["status"],
                      forum=row.get("forum"), worked=row["worked"], partly=row["partly"],
                      not_=row["not"], unsure=row["unsure"],
                      comments=tuple(ReviewComment(c["verdict"], c["comment"])
                                     for c in row.get("comments", ())))
            for row in rows]


def _plenary_json(plenary: PlenaryReport | None) -> dict:
    if plenary is None:
        return {"vote_budget": None, "voters": 0, "votes": 0, "items": []}
    return {
        "vote_budget": plenary.vote_budget, "voters": plenary.voters, "votes": plenary.votes,
        "items": [{"id": item.id, "rank": item.rank, "workshop_id": item.workshop_id,
                   "workshop": item.workshop, "kind": item.kind, "title": item.title,
                   "text": item.text, "votes": item.votes} for item in plenary.items],
    }


def _workshop_json(workshop: WorkshopReport) -> dict:
    figures = workshop.figures
    return {
        "id": workshop.id,
        "number": workshop.number,
        "position": workshop.position,
        "title": workshop.title,
        "question": workshop.question,
        "host": workshop.host,
        "locked": workshop.locked,
        "step": workshop.step,
        "steps": list(workshop.steps),
        "participants": figures.participants,
        "figures": {"participants": figures.participants, "ideas": figures.ideas,
                    "votes": figures.votes, "clusters": figures.clusters,
                    "actions": figures.actions},
        "ideas": [_idea_json(idea) for idea in workshop.ideas],
        "clusters": [{"id": c.id, "title": c.title, "votes": c.votes, "rank": c.rank,
                      "idea_ids": [entry.idea.id for entry in c.ideas]}
                     for c in workshop.clusters],
        "unclustered": [{"rank": entry.rank, "idea_id": entry.idea.id}
                        for entry in workshop.unclustered],
        "actions": [_action_json(action) for action in workshop.actions],
        "top": [_bar_json(bar) for bar in workshop.top],
    }


def _idea_json(idea: IdeaRow) -> dict:
    return {
        "id": idea.id,
        "number": idea.number,
        "workshop_id": idea.workshop_id,
        "text": idea.text,
        "author": idea.author,
        "votes": idea.votes,
        "created_at": isoformat(idea.created_at),
        "category": idea.category,
        "cluster_id": idea.cluster_id,
        "redacted": idea.redacted,
    }


def _action_json(action: ActionRow) -> dict:
    return {
        "id": action.id, "workshop_id": action.workshop_id, "title": action.title,
        "description": action.description, "owner": action.owner,
        "contributors": list(action.contributors), "unnamed": action.unnamed,
        "due": _day(action.due), "prospects": action.prospects, "source": action.source,
    }


def _bar_json(bar: ChartBar) -> dict:
    return {"kind": bar.kind, "id": bar.id, "rank": bar.rank, "label": bar.label,
            "votes": bar.votes}


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


# -------------------------------------------------------------------- reading it back

def report_from_json(data: dict) -> EventReport:
    """Rebuild the report from :func:`report_to_json`'s output; a document that is not such
    a report is :class:`pinnwand.errors.Invalid`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Invalid("This is not a Pinnwand report.", {"format": f"expected {FORMAT!r}"})
    if data.get("version") != VERSION:
        raise Invalid("This report version is not supported.", {"version": f"expected {VERSION}"})
    try:
        return _read(data)
    except (KeyError, TypeError, ValueError) as error:
        raise Invalid("The report document is incomplete or damaged.",
                      {"": str(error)[:200]}) from None


def _read(data: dict) -> EventReport:
    event = data["event"]
    return assemble_report(
        event=EventInfo(
            id=event["id"], title=event["title"], date=_read_day(event["date"]),
            location=event["location"], description=event["description"],
            organiser=event.get("organiser"), moderators=tuple(event.get("moderators", ())),
            join_code=event["join_code"], join_url=event["join_url"],
            time_zone=event.get("time_zone") or DEFAULT_TIME_ZONE,
            page_size=event.get("page_size") or DEFAULT_PAGE_SIZE,
        ),
        agenda=[AgendaRow(item["title"], item["speaker"], item["organisation"],
                          item["starts_at"]) for item in data["agenda"]],
        workshops=[_read_workshop(workshop) for workshop in data["workshops"]],
        participants=data["figures"]["participants"],
        options=ReportOptions(authors=bool(data["options"]["authors"]),
                              contributors=bool(data["options"].get("contributors"))),
        generated_at=_read_moment(data["generated_at"]),
        personal_data_removed_at=(_read_moment(data["personal_data_removed_at"])
                                  if data.get("personal_data_removed_at") else None),
        plenary=_read_plenary(data.get("plenary") or {}),
        register=_read_register(data.get("register") or []),
        review=_read_review(data.get("review") or []),
    )


def _read_plenary(data: dict) -> PlenaryReport | None:
    items = [PlenaryFacts(id=item["id"], position=index, workshop_id=item["workshop_id"],
                          workshop=item["workshop"], kind=item["kind"], title=item["title"],
                          text=item.get("text"), votes=item["votes"])
             for index, item in enumerate(data.get("items", ()))]
    return assemble_plenary(items, vote_budget=data.get("vote_budget") or 0,
                            voters=data.get("voters") or 0)


def _read_workshop(data: dict) -> WorkshopFacts:
    return WorkshopFacts(
        id=data["id"], position=data["position"], title=data["title"],
        question=data["question"], locked=data["locked"], step=data["step"],
        participants=data["participants"], host=data.get("host"),
        steps=tuple(data.get("steps", ())),
        ideas=[IdeaRow(
            id=idea["id"], workshop_id=idea["workshop_id"], text=idea["text"],
            author=idea["author"], votes=idea["votes"],
            created_at=_read_moment(idea["created_at"]), category=idea.get("category"),
            cluster_id=idea.get("cluster_id"), redacted=bool(idea.get("redacted")),
        ) for idea in data["ideas"]],
        clusters=[ClusterFacts(id=c["id"], title=c["title"], idea_ids=list(c["idea_ids"]),
                               votes=c.get("votes")) for c in data.get("clusters", ())],
        actions=[ActionRow(
            id=a["id"], workshop_id=a["workshop_id"], title=a["title"],
            description=a.get("description"), owner=a.get("owner"),
            contributors=tuple(a.get("contributors", ())), due=_read_day(a.get("due")),
            prospects=a.get("prospects"), source=a.get("source"),
            unnamed=a.get("unnamed") or 0,
        ) for a in data.get("actions", ())],
    )


def _read_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _read_moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def strip_authors(data: dict,
                  staff_contributors: Mapping[int, Iterable[str]] | None = None) -> dict:
    """A copy of an archived report without participants' names (used when personal data is
    deleted from a published snapshot); the copy says it shows no authors.

    Every idea's author becomes ``null``. An action's contributors are plain labels
    (``"Name (what they bring)"``) that do not say who entered them, so only those listed in
    ``staff_contributors`` for the action's id – the names the staff typed in – are kept, each
    at most as often as listed; every other contributor (a participant who signed up on their
    phone) is dropped from the names and counted in ``unnamed`` instead (a count names
    nobody). Without ``staff_contributors`` no contributor is kept.
    """
    data = copy.deepcopy(data)
    data.setdefault("options", {})["authors"] = False
    kept = staff_contributors or {}
    for workshop in data.get("workshops", ()):
        for idea in workshop.get("ideas", ()):
            idea["author"] = None
        for action in workshop.get("actions", ()):
            named = list(action.get("contributors", ()))
            action["contributors"] = _only_listed(named, kept.get(action.get("id"), ()))
            dropped = len(named) - len(action["contributors"])
            action["unnamed"] = (action.get("unnamed") or 0) + dropped
    return data


def _only_listed(labels: Iterable[str], listed: Iterable[str]) -> list[str]:
    """``labels`` in their order, each kept only while ``listed`` still has one like it."""
    remaining = Counter(listed)
    kept = []
    for label in labels:
        if remaining[label] > 0:
            remaining[label] -= 1
            kept.append(label)
    return kept
