"""Reading an event's report from the database: the one place that knows the tables.

What facilitation records goes into the report as follows (everything per workshop):

- **Ideas**: deleted ideas and ideas merged into another are left out (a merge moves the dots
  to its target, so nothing is lost), and so are ideas written privately and never revealed
  (``hidden``): what was never shown in the room never leaves it. An idea's ``category`` is
  its category's title, or, when it has none, the title of its cluster's category.
- **Clusters**: those not deleted, with the ideas placed in them. A cluster is ranked by its
  total: the dots placed on the cluster itself (``Cluster.votes``) plus its ideas' dots.
- **Actions**: those not deleted, with owner, due date, prospects, contributors
  (``"Name (what they bring)"``, in sign-up order) and their source (the linked ideas' texts,
  then the linked clusters' titles, joined by ``"; "``). A contributor is named only when the
  report names contributors (``ReportOptions.contributors``) *and* that person agreed at
  sign-up (``name_in_results``); everyone else is counted (``unnamed``). Once the event's
  personal data was deleted, participants who signed up are gone altogether.
- **Host**: with names on (``ReportOptions.authors``), the names of the workshop's host links
  that were not revoked, joined by ``", "``; else none.
- **Plenary**: the items brought to the event's plenary, ranked by the shared vote, with the
  number of participants who placed dots.
- **Settings**: organiser, time zone and page size from the report settings.
- **Steps**: the distinct steps the workshop ran, in order, from its change log
  (``step_changed``), starting with ``collect``; ``closed`` ends a workshop and is not a step
  that was run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from pinnwand.actions.models import Action, Contributor
from pinnwand.auth.identity import HOST
from pinnwand.auth.models import Moderator, Token
from pinnwand.board.models import WorkshopChange
from pinnwand.board.names import STEP_CHANGED
from pinnwand.clusters.models import Cluster
from pinnwand.db import utcnow
from pinnwand.errors import NotFound
from pinnwand.events.models import AgendaItem, Event, Participant, event_moderators
from pinnwand.events.services import join_url
from pinnwand.ideas.models import Idea
from pinnwand.plenary.models import PlenaryItem, PlenaryVote
from pinnwand.privacy.models import EventPrivacy
from pinnwand.reports.model import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_TIME_ZONE,
    ActionRow,
    AgendaRow,
    ClusterFacts,
    EventInfo,
    EventReport,
    IdeaRow,
    PlenaryFacts,
    PlenaryReport,
    ReportOptions,
    WorkshopFacts,
    assemble_plenary,
    assemble_report,
    to_millis,
)
from pinnwand.reports.models import IdeaRedaction, ReportSettings
from pinnwand.reports.register import register_at_end
from pinnwand.reviews.report import review_rows
from pinnwand.workshops.models import (
    FIRST_STEP,
    REVIEW_STEP,
    STEPS,
    Category,
    Workshop,
    WorkshopMember,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

RUN_STEPS = tuple(step for step in STEPS if step != "closed")  # steps a workshop runs through
SOURCE_SEPARATOR = "; "


@dataclass(slots=True)
class _Ideas:
    """The report's ideas per workshop, and where each merged idea went (for actions that
    link an idea which was merged later)."""

    by_workshop: dict[int, list[IdeaRow]] = field(default_factory=dict)
    merged_into: dict[int, int] = field(default_factory=dict)

    def shown(self, idea_id: int) -> int | None:
        """The id of the idea the report shows for ``idea_id`` (its merge target, when it
        was merged), or ``None`` when it is not in the report."""
        seen: set[int] = set()
        while idea_id in self.merged_into and idea_id not in seen:
            seen.add(idea_id)
            idea_id = self.merged_into[idea_id]
        return idea_id if idea_id not in self.merged_into else None


def build_report(session: Session, event_id: int, *, base_url: str,
                 options: ReportOptions | None = None) -> EventReport:
    """Read an event's report from the database in a fixed handful of queries.

    Raises :class:`pinnwand.errors.NotFound` when the event does not exist.
    """
    options = options or ReportOptions()
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("There is no such event.")
    participants, purged_at = _participants_and_purge(session, event_id)
    ideas = _ideas_of(session, event_id, options)
    clusters = _clusters_of(session, event_id, ideas)
    actions = _actions_of(session, event_id, ideas, clusters, options)
    hosts = _hosts_of(session, event_id) if options.authors else {}
    steps = _logged_steps(session, event_id)
    facts = [
        WorkshopFacts(
            id=w.id, position=w.position, title=w.title, question=w.question, locked=w.locked,
            step=w.step, steps=steps_run(steps.get(w.id, ()), w.step),
            participants=members or 0, host=", ".join(hosts.get(w.id, ())) or None,
            ideas=ideas.by_workshop.get(w.id, []), clusters=clusters.get(w.id, []),
            actions=actions.get(w.id, []),
        )
        for w, members in _workshops(session, event_id)
    ]
    info = _event_info(session, event, base_url)
    return assemble_report(
        event=info,
        agenda=_agenda(session, event_id),
        workshops=facts,
        participants=participants,
        options=options,
        generated_at=utcnow(),
        personal_data_removed_at=purged_at,
        plenary=_plenary_of(session, event),
        register=register_at_end(session, event, info.time_zone),
        review=review_rows(session, event_id),
    )


def steps_run(logged: Iterable[str], current: str) -> tuple[str, ...]:
    """The distinct steps a workshop ran, in the order it first reached them: ``collect``,
    then the logged steps, then the current one (should the log not hold it); a ``review``
    step comes first, where it belongs (before ``collect``)."""
    steps = [FIRST_STEP]
    for step in (*logged, current):
        if step in RUN_STEPS and step not in steps:
            steps.append(step)
    if REVIEW_STEP in steps:
        steps.remove(REVIEW_STEP)
        steps.insert(0, REVIEW_STEP)
    return tuple(steps)


def _participants_and_purge(session: Session, event_id: int) -> tuple[int, datetime | None]:
    """How many participants joined the event, and when their personal data was deleted."""
    count = (select(func.count(Participant.id)).where(Participant.event_id == event_id)
             .scalar_subquery())
    purged = (select(EventPrivacy.purged_at).where(EventPrivacy.event_id == event_id)
              .scalar_subquery())
    row = session.execute(select(count, purged)).one()
    return row[0] or 0, row[1]


def _workshops(session: Session, event_id: int):
    """The event's workshops in order, each with how many participants joined it."""
    members = (select(func.count()).select_from(WorkshopMember)
               .where(WorkshopMember.workshop_id == Workshop.id)
               .correlate(Workshop).scalar_subquery())
    return session.execute(select(Workshop, members).where(Workshop.event_id == event_id)
                           .order_by(Workshop.position, Workshop.id)).all()


def _event_info(session: Session, event: Event, base_url: str) -> EventInfo:
    settings = session.get(ReportSettings, event.id)
    names = session.scalars(
        select(Moderator.name)
        .join(event_moderators, event_moderators.c.moderator_id == Moderator.id)
        .where(event_moderators.c.event_id == event.id).order_by(Moderator.name)
    )
    return EventInfo(
        id=event.id, title=event.title, date=event.date, location=event.location,
        description=event.description, organiser=settings.organiser if settings else None,
        moderators=tuple(names), join_code=event.join_code,
        join_url=join_url(base_url, event.join_code),
        time_zone=(settings and settings.time_zone) or DEFAULT_TIME_ZONE,
        page_size=(settings and settings.page_size) or DEFAULT_PAGE_SIZE,
    )


def _agenda(session: Session, event_id: int) -> tuple[AgendaRow, ...]:
    query = (
        select(AgendaItem.title, AgendaItem.speaker, AgendaItem.organisation,
               AgendaItem.starts_at)
        .where(AgendaItem.event_id == event_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    return tuple(AgendaRow(*row) for row in session.execute(query))


def _ideas_of(session: Session, event_id: int, options: ReportOptions) -> _Ideas:
    """The ideas the report shows (neither deleted nor merged nor still hidden), with their
    category and the cluster they were placed in; merged ideas only remember their target."""
    own_category, cluster_category = aliased(Category), aliased(Category)
    query = (
        select(Idea.id, Idea.workshop_id, Idea.text, Idea.author_name, Idea.anonymous,
               Idea.votes, Idea.created_at, Idea.cluster_id, Idea.merged_into_id,
               Idea.deleted_at, Idea.hidden, IdeaRedaction.text.label("redaction"),
               func.coalesce(own_category.title, cluster_category.title).label("category"))
        .join(Workshop, Workshop.id == Idea.workshop_id)
        .outerjoin(IdeaRedaction, IdeaRedaction.idea_id == Idea.id)
        .outerjoin(own_category, own_category.id == Idea.category_id)
        .outerjoin(Cluster, Cluster.id == Idea.cluster_id)
        .outerjoin(cluster_category, cluster_category.id == Cluster.category_id)
        .where(Workshop.event_id == event_id)
        .order_by(Idea.id)
    )
    ideas = _Ideas()
    for row in session.execute(query):
        if row.merged_into_id is not None:
            ideas.merged_into[row.id] = row.merged_into_id
        if row.deleted_at is not None or row.merged_into_id is not None or row.hidden:
            continue
        shown = options.authors and not row.anonymous
        idea = IdeaRow(
            id=row.id, workshop_id=row.workshop_id,
            text=row.text if row.redaction is None else row.redaction,
            author=(row.author_name or None) if shown else None,
            votes=row.votes or 0, created_at=to_millis(row.created_at),
            category=row.category or None, cluster_id=row.cluster_id,
            redacted=row.redaction is not None,
        )
        ideas.by_workshop.setdefault(row.workshop_id, []).append(idea)
    return ideas


def _clusters_of(session: Session, event_id: int,
                 ideas: _Ideas) -> dict[int, list[ClusterFacts]]:
    """The clusters per workshop (not deleted), in board order, with the ideas placed in
    them. A cluster's ``votes`` is its total: the dots on the cluster itself plus its ideas'
    dots; the report ranks clusters by it."""
    query = (
        select(Cluster.id, Cluster.workshop_id, Cluster.title, Cluster.votes)
        .join(Workshop, Workshop.id == Cluster.workshop_id)
        .where(Workshop.event_id == event_id, Cluster.deleted_at.is_(None))
        .order_by(Cluster.position, Cluster.id)
    )
    clusters: dict[int, list[ClusterFacts]] = {}
    for row in session.execute(query):
        members = [idea for idea in ideas.by_workshop.get(row.workshop_id, ())
                   if idea.cluster_id == row.id]
        clusters.setdefault(row.workshop_id, []).append(ClusterFacts(
            id=row.id, title=row.title, idea_ids=[idea.id for idea in members],
            votes=(row.votes or 0) + sum(idea.votes for idea in members),
        ))
    return clusters


def _actions_of(session: Session, event_id: int, ideas: _Ideas,
                clusters: dict[int, list[ClusterFacts]],
                options: ReportOptions) -> dict[int, list[ActionRow]]:
    """The concrete actions per workshop (not deleted), in board order, with who brings what
    and what they grew from. A contributor is named only when the report names contributors
    and that person agreed at sign-up; the others are counted."""
    query = (
        select(Action, Contributor)
        .join(Workshop, Workshop.id == Action.workshop_id)
        .outerjoin(Contributor, Contributor.action_id == Action.id)
        .where(Workshop.event_id == event_id, Action.deleted_at.is_(None))
        .order_by(Action.position, Action.id, Contributor.id)
    )
    found: dict[int, tuple[Action, list[str], list[int]]] = {}
    for action, contributor in session.execute(query):
        _, names, unnamed = found.setdefault(action.id, (action, [], [0]))
        if contributor is None:
            continue
        label = contributor_label(contributor.name, contributor.brings)
        if label and options.contributors and contributor.name_in_results:
            names.append(label)
        else:
            unnamed[0] += 1
    actions: dict[int, list[ActionRow]] = {}
    for action, names, unnamed in found.values():
        source = _source_of(action, ideas, clusters.get(action.workshop_id, ()))
        actions.setdefault(action.workshop_id, []).append(ActionRow(
            id=action.id, workshop_id=action.workshop_id, title=action.title,
            description=action.what or None, owner=action.owner or None,
            contributors=tuple(names), due=action.due, prospects=action.prospects or None,
            source=source, unnamed=unnamed[0],
        ))
    return actions


def contributor_label(name: str | None, brings: str | None) -> str | None:
    """A contributor as the report lists them: ``"Name (what they bring)"``, or just the
    name; ``None`` without a name."""
    name = " ".join((name or "").split())
    if not name:
        return None
    brings = " ".join((brings or "").split())
    return f"{name} ({brings})" if brings else name


def _source_of(action: Action, ideas: _Ideas, clusters: Iterable[ClusterFacts]) -> str | None:
    """What an action grew from: the texts of its linked ideas (a merged idea by its
    target), then the titles of its linked clusters, each once; only those the report shows
    in the action's own workshop."""
    texts = {idea.id: idea.text for idea in ideas.by_workshop.get(action.workshop_id, ())}
    titles = {cluster.id: cluster.title for cluster in clusters}
    linked = [texts.get(ideas.shown(i)) for i in _ids(action.idea_ids)]
    linked += [titles.get(i) for i in _ids(action.cluster_ids)]
    parts = dict.fromkeys(" ".join(text.split()) for text in linked if text)
    return SOURCE_SEPARATOR.join(part for part in parts if part) or None


def _ids(values) -> list[int]:
    """The integer ids of a JSON list (anything else in it is ignored)."""
    return [value for value in values or () if isinstance(value, int)
            and not isinstance(value, bool)]


def _hosts_of(session: Session, event_id: int) -> dict[int, list[str]]:
    """The names of each workshop's hosts: its host links that were not revoked, in the
    order they were given out, each name once."""
    query = (
        select(Token.workshop_id, Token.name)
        .join(Workshop, Workshop.id == Token.workshop_id)
        .where(Workshop.event_id == event_id, Token.kind == HOST,
               Token.revoked_at.is_(None))
        .order_by(Token.created_at, Token.id)
    )
    hosts: dict[int, list[str]] = {}
    for workshop_id, name in session.execute(query):
        name = " ".join((name or "").split())
        names = hosts.setdefault(workshop_id, [])
        if name and name not in names:
            names.append(name)
    return hosts


def _plenary_of(session: Session, event: Event) -> PlenaryReport | None:
    """The event's plenary ranked by the shared vote (``None`` when it holds nothing)."""
    query = (
        select(PlenaryItem, Workshop.title)
        .join(Workshop, Workshop.id == PlenaryItem.workshop_id)
        .where(PlenaryItem.event_id == event.id)
    )
    items = [PlenaryFacts(id=item.id, position=item.position, workshop_id=item.workshop_id,
                          workshop=title,
                          kind="cluster" if item.cluster_id is not None else "idea",
                          title=item.title, text=item.text, votes=item.votes or 0)
             for item, title in session.execute(query)]
    voters = session.scalar(
        select(func.count(func.distinct(PlenaryVote.participant_id)))
        .join(PlenaryItem, PlenaryItem.id == PlenaryVote.item_id)
        .where(PlenaryItem.event_id == event.id, PlenaryVote.count > 0))
    return assemble_plenary(items, vote_budget=event.plenary_vote_budget, voters=voters or 0)


def _logged_steps(session: Session, event_id: int) -> dict[int, list[str]]:
    """The steps each workshop's change log says it moved to, in order."""
    query = (
        select(WorkshopChange.workshop_id, WorkshopChange.payload)
        .join(Workshop, Workshop.id == WorkshopChange.workshop_id)
        .where(Workshop.event_id == event_id, WorkshopChange.name == STEP_CHANGED)
        .order_by(WorkshopChange.workshop_id, WorkshopChange.seq)
    )
    steps: dict[int, list[str]] = {}
    for workshop_id, payload in session.execute(query):
        step = payload.get("step") if isinstance(payload, dict) else None
        if isinstance(step, str):
            steps.setdefault(workshop_id, []).append(step)
    return steps
