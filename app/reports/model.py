"""The report model: everything a results report shows, and everything derived from it.

Every format renders from an :class:`EventReport` alone; figures, rankings, the top results
and the chart's bars are computed here, once, so all formats agree.

The model holds what facilitation records (clusters, categories, dot votes, hosts, the steps
run, concrete actions); :func:`pinnwand.reports.reader.build_report` says how each is read from
the database.

:func:`assemble_workshop` derives everything from a workshop's raw facts; both
:func:`~pinnwand.reports.reader.build_report` (from the database) and
:func:`pinnwand.reports.archive.report_from_json` (from an archived JSON report) go through it, so
a re-imported report is the same report. This module imports nothing of the database, so the
render worker process starts quickly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

TOP_RESULTS = 3  # per workshop, on the cover
CHART_BARS = 10  # per workshop, in the vote chart
DEFAULT_TIME_ZONE = "Europe/Berlin"
PAGE_SIZES = ("A4", "Letter")
DEFAULT_PAGE_SIZE = "A4"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Which names a report shows; both are off by default.

    ``authors`` ("names on") shows who posted each idea (never for ideas posted
    anonymously) and the workshops' hosts. ``contributors`` names the people who signed up
    for an action, but only those who agreed at sign-up that their name may appear; everyone
    else is only counted. The event's moderators are always named: they run the event.
    """

    authors: bool = False
    contributors: bool = False


@dataclass(frozen=True, slots=True)
class EventInfo:
    """The event's own details; ``organiser``, ``time_zone`` (an IANA name, the zone every
    time in the documents is shown in) and ``page_size`` (``A4`` or ``Letter``) from the
    report settings; ``moderators`` their display names (never e-mail addresses)."""

    id: int
    title: str
    date: date | None
    location: str | None
    description: str | None
    organiser: str | None
    moderators: tuple[str, ...]
    join_code: str
    join_url: str
    time_zone: str = DEFAULT_TIME_ZONE
    page_size: str = DEFAULT_PAGE_SIZE


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One keynote talk; ``starts_at`` is ``HH:MM`` or ``None``."""

    title: str
    speaker: str | None
    organisation: str | None
    starts_at: str | None


@dataclass(frozen=True, slots=True)
class IdeaRow:
    """One idea as the report shows it.

    ``text`` is the redacted text when the moderator redacted it (``redacted``); ``author`` is
    ``None`` when posted anonymously, when the report hides authors, or after personal data
    was deleted. ``category`` is the title of its category (``None`` without one);
    ``cluster_id`` and ``cluster`` follow the workshop's clusters. ``number`` counts the
    workshop's ideas 1…n in posting order (set when the workshop is assembled).
    """

    id: int
    workshop_id: int
    text: str
    author: str | None
    votes: int
    created_at: datetime
    category: str | None = None
    cluster_id: int | None = None
    cluster: str | None = None  # the cluster's title
    redacted: bool = False
    number: int = 0


@dataclass(frozen=True, slots=True)
class Ranked:
    """An idea at its place in a list ranked by votes (1, 2, 2, 4 … for ties)."""

    rank: int
    idea: IdeaRow


@dataclass(frozen=True, slots=True)
class ClusterReport:
    """A group of ideas with its votes and its ideas ranked by votes."""

    id: int
    title: str
    votes: int
    rank: int
    ideas: tuple[Ranked, ...]


@dataclass(frozen=True, slots=True)
class ActionRow:
    """A concrete next step agreed in a workshop. ``contributors`` are the people the report
    may name (``"Name (what they bring)"``); ``unnamed`` counts the others who signed up."""

    id: int
    workshop_id: int
    title: str
    description: str | None = None
    owner: str | None = None
    contributors: tuple[str, ...] = ()
    due: date | None = None
    prospects: str | None = None
    source: str | None = None  # the idea or cluster it grew from, as text
    unnamed: int = 0

    @property
    def people(self) -> int:
        """Everyone who signed up, named or not."""
        return len(self.contributors) + self.unnamed


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One bar of a workshop's vote chart: a cluster (when there are clusters) or an idea;
    ``fraction`` is its votes relative to the largest bar (0..1)."""

    kind: str  # "cluster" or "idea"
    id: int
    rank: int
    label: str
    votes: int
    fraction: float


@dataclass(frozen=True, slots=True)
class WorkshopFigures:
    """A workshop's counts: participants who joined it, ideas, votes, clusters, actions."""

    participants: int
    ideas: int
    votes: int
    clusters: int = 0
    actions: int = 0


@dataclass(frozen=True, slots=True)
class WorkshopReport:
    """One workshop: its facts, its ideas (in posting order and ranked), clusters, actions.

    ``top`` holds its best results for the cover (clusters if it has any, else ideas; only
    those with votes); ``chart`` the bars of its vote chart.
    """

    id: int
    number: int
    position: int
    title: str
    question: str
    host: str | None
    locked: bool
    step: str
    steps: tuple[str, ...]
    figures: WorkshopFigures
    ideas: tuple[IdeaRow, ...]
    clusters: tuple[ClusterReport, ...]
    unclustered: tuple[Ranked, ...]
    actions: tuple[ActionRow, ...]
    top: tuple[ChartBar, ...]
    chart: tuple[ChartBar, ...]

    @property
    def participants(self) -> int:
        """Distinct participants who joined this workshop."""
        return self.figures.participants

    def ranks(self) -> dict[int, int]:
        """Each idea's rank within its cluster (or among the unclustered ideas)."""
        ranked = [entry for cluster in self.clusters for entry in cluster.ideas]
        return {entry.idea.id: entry.rank for entry in (*ranked, *self.unclustered)}


@dataclass(frozen=True, slots=True)
class PlenaryRow:
    """An item of the plenary board at its place in the shared vote (1, 2, 2, 4 … for ties):
    an idea or a cluster (``kind``) brought from the workshop ``workshop``."""

    id: int
    rank: int
    workshop_id: int
    workshop: str
    kind: str  # "idea" or "cluster"
    title: str
    text: str | None
    votes: int

    @property
    def heading(self) -> str:
        """What the item says: an idea's whole text (its title is only the start of it), a
        cluster's title."""
        return self.text if self.kind == "idea" and self.text else self.title

    @property
    def details(self) -> str | None:
        """What a cluster holds (its ideas' texts); nothing for an idea."""
        return self.text if self.kind == "cluster" and self.text != self.title else None


@dataclass(frozen=True, slots=True)
class PlenaryReport:
    """The plenary: its items ranked by the shared vote, the dots placed (``votes``), by how
    many participants (``voters``), and each participant's budget (``vote_budget``)."""

    items: tuple[PlenaryRow, ...]
    vote_budget: int
    voters: int
    votes: int

    @property
    def voted(self) -> bool:
        """Whether the shared vote placed any dot."""
        return self.votes > 0

    @property
    def top(self) -> tuple[PlenaryRow, ...]:
        """The items with the most votes, for the cover (only those with votes)."""
        return tuple(item for item in self.items[:TOP_RESULTS] if item.votes > 0)

    @property
    def chart(self) -> tuple[ChartBar, ...]:
        """The bars of the shared vote's chart: the items that received votes."""
        voted = [item for item in self.items if item.votes > 0][:CHART_BARS]
        most = max((item.votes for item in voted), default=0)
        return tuple(ChartBar(kind=item.kind, id=item.id, rank=item.rank,
                              label=" ".join(item.heading.split()), votes=item.votes,
                              fraction=item.votes / most if most else 0.0)
                     for item in voted)


@dataclass(frozen=True, slots=True)
class PlenaryFacts:
    """A plenary item as stored, before it is ranked."""

    id: int
    position: int
    workshop_id: int
    workshop: str
    kind: str
    title: str
    text: str | None
    votes: int


@dataclass(frozen=True, slots=True)
class ReviewComment:
    """A comment given with a review verdict; never who wrote it."""

    verdict: str
    text: str


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """An earlier forum's action reviewed at this event: its status now, the verdicts given
    on it here (``worked``/``partly``/``not``/``unsure``) and their comments."""

    action_id: int
    title: str
    status: str
    forum: str | None
    worked: int = 0
    partly: int = 0
    not_: int = 0
    unsure: int = 0
    comments: tuple[ReviewComment, ...] = ()

    @property
    def verdicts(self) -> int:
        """How many verdicts were given."""
        return self.worked + self.partly + self.not_ + self.unsure


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """The event's headline numbers."""

    participants: int
    workshops: int
    ideas: int
    votes: int
    actions: int


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """An action of the event's series as the register stood at the end of the forum: its
    ``status`` then, owner (as the staff typed it) and organisation, due date, the latest
    update's note and day, and what this forum decided about it (``decision``: ``carried``,
    ``dropped`` or ``None``). ``event`` is the title of the forum that agreed it."""

    id: int
    title: str
    event: str
    status: str
    owner: str | None
    organisation: str | None
    due: date | None
    latest_note: str | None = None
    latest_at: datetime | None = None
    decision: str | None = None


@dataclass(frozen=True, slots=True)
class EventReport:
    """Everything one results report shows, as of ``generated_at``.

    ``plenary`` is ``None`` when nothing was brought to the plenary.
    ``personal_data_removed_at`` is set once participants' names were deleted (retention).
    """

    event: EventInfo
    agenda: tuple[AgendaRow, ...]
    workshops: tuple[WorkshopReport, ...]
    figures: KeyFigures
    options: ReportOptions
    generated_at: datetime
    personal_data_removed_at: datetime | None = None
    plenary: PlenaryReport | None = None
    # The action register of the event's series at the end of the forum (empty: no series).
    register: tuple[RegisterRow, ...] = ()
    review: tuple[ReviewRow, ...] = ()  # the earlier forums' actions reviewed here

    @property
    def ideas(self) -> Iterable[IdeaRow]:
        """Every idea of the event, workshop by workshop, in posting order."""
        for workshop in self.workshops:
            yield from workshop.ideas


@dataclass(slots=True)
class ClusterFacts:
    """A cluster as stored: its title, its ideas' ids and (optionally) its total votes, the
    dots on the cluster itself plus its ideas' dots, by which it is ranked."""

    id: int
    title: str
    idea_ids: Sequence[int]
    votes: int | None = None  # None: just the sum of its ideas' votes


@dataclass(slots=True)
class WorkshopFacts:
    """A workshop's raw facts, before anything is derived from them."""

    id: int
    position: int
    title: str
    question: str
    locked: bool
    step: str
    participants: int
    host: str | None = None
    steps: tuple[str, ...] = ()
    ideas: list[IdeaRow] = field(default_factory=list)
    clusters: list[ClusterFacts] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)


def to_millis(moment: datetime) -> datetime:
    """``moment`` in UTC cut to whole milliseconds, the precision the JSON report keeps."""
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# -------------------------------------------------------------------- deriving the rest

def assemble_report(*, event: EventInfo, agenda: Sequence[AgendaRow],
                    workshops: Sequence[WorkshopFacts], participants: int,
                    options: ReportOptions, generated_at: datetime,
                    personal_data_removed_at: datetime | None = None,
                    plenary: PlenaryReport | None = None,
                    register: Sequence[RegisterRow] = (),
                    review: Sequence[ReviewRow] = ()) -> EventReport:
    """The report from its raw facts: every workshop assembled, the key figures summed."""
    reports = tuple(assemble_workshop(facts, number)
                    for number, facts in enumerate(workshops, start=1))
    return EventReport(
        event=event,
        agenda=tuple(agenda),
        workshops=reports,
        figures=KeyFigures(
            participants=participants,
            workshops=len(reports),
            ideas=sum(w.figures.ideas for w in reports),
            votes=sum(w.figures.votes for w in reports),
            actions=sum(w.figures.actions for w in reports),
        ),
        options=options,
        generated_at=to_millis(generated_at),
        personal_data_removed_at=(to_millis(personal_data_removed_at)
                                  if personal_data_removed_at else None),
        plenary=plenary if plenary and plenary.items else None,
        register=tuple(register),
        review=tuple(review),
    )


def assemble_plenary(items: Iterable[PlenaryFacts], *, vote_budget: int,
                     voters: int) -> PlenaryReport | None:
    """The plenary ranked by the shared vote (most dots first; ties in board order), or
    ``None`` when nothing was brought to it."""
    ordered = sorted(items, key=lambda item: (-item.votes, item.position, item.id))
    if not ordered:
        return None
    ranks = _ranks([item.votes for item in ordered])
    rows = tuple(PlenaryRow(id=item.id, rank=rank, workshop_id=item.workshop_id,
                            workshop=item.workshop, kind=item.kind, title=item.title,
                            text=item.text, votes=item.votes)
                 for rank, item in zip(ranks, ordered, strict=True))
    return PlenaryReport(items=rows, vote_budget=vote_budget, voters=voters,
                         votes=sum(row.votes for row in rows))


def assemble_workshop(facts: WorkshopFacts, number: int) -> WorkshopReport:
    """A workshop's report from its facts: clusters and the rest ranked by votes, figures,
    the top results and the chart's bars."""
    membership = {idea_id: cluster for cluster in reversed(facts.clusters)
                  for idea_id in cluster.idea_ids}
    ideas = _numbered(sorted((_placed(idea, membership.get(idea.id)) for idea in facts.ideas),
                             key=lambda idea: idea.id))
    by_id = {idea.id: idea for idea in ideas}
    clusters = _ranked_clusters(facts.clusters, by_id)
    in_cluster = {entry.idea.id for cluster in clusters for entry in cluster.ideas}
    unclustered = rank_ideas(idea for idea in ideas if idea.id not in in_cluster)
    chart = _chart(clusters, unclustered)
    return WorkshopReport(
        id=facts.id, number=number, position=facts.position, title=facts.title,
        question=facts.question, host=facts.host, locked=facts.locked, step=facts.step,
        steps=facts.steps or (facts.step,),
        figures=WorkshopFigures(
            participants=facts.participants, ideas=len(ideas),
            votes=_total_votes(clusters, unclustered), clusters=len(clusters),
            actions=len(facts.actions),
        ),
        ideas=ideas, clusters=clusters, unclustered=unclustered,
        actions=tuple(facts.actions),
        top=tuple(bar for bar in chart[:TOP_RESULTS] if bar.votes > 0),
        chart=chart,
    )


def _total_votes(clusters: tuple[ClusterReport, ...], unclustered: tuple[Ranked, ...]) -> int:
    """Every dot placed in a workshop: the clusters' totals (dots on a cluster and on its
    ideas) and the dots on the ideas in no cluster."""
    return (sum(cluster.votes for cluster in clusters)
            + sum(entry.idea.votes for entry in unclustered))


def _numbered(ideas: Sequence[IdeaRow]) -> tuple[IdeaRow, ...]:
    """The ideas (in posting order) numbered 1…n."""
    return tuple(idea if idea.number == number else replace(idea, number=number)
                 for number, idea in enumerate(ideas, start=1))


def _placed(idea: IdeaRow, cluster: ClusterFacts | None) -> IdeaRow:
    """The idea with the cluster it belongs to (an idea belongs to at most one)."""
    cluster_id, title = (cluster.id, cluster.title) if cluster else (None, None)
    if (idea.cluster_id, idea.cluster) == (cluster_id, title):
        return idea
    return replace(idea, cluster_id=cluster_id, cluster=title)


def rank_ideas(ideas: Iterable[IdeaRow]) -> tuple[Ranked, ...]:
    """Ideas by votes (most first; ties in posting order) with competition ranks."""
    ordered = sorted(ideas, key=lambda idea: (-idea.votes, idea.created_at, idea.id))
    return tuple(Ranked(rank, idea) for rank, idea in
                 zip(_ranks([idea.votes for idea in ordered]), ordered, strict=True))


def _ranks(votes: Sequence[int]) -> list[int]:
    ranks: list[int] = []
    for index, value in enumerate(votes):
        same = index and votes[index - 1] == value
        ranks.append(ranks[-1] if same else index + 1)
    return ranks


def _ranked_clusters(clusters: Sequence[ClusterFacts],
                     ideas: dict[int, IdeaRow]) -> tuple[ClusterReport, ...]:
    built = []
    for cluster in clusters:
        members = rank_ideas(ideas[i] for i in dict.fromkeys(cluster.idea_ids)
                             if i in ideas and ideas[i].cluster_id == cluster.id)
        votes = cluster.votes if cluster.votes is not None else sum(
            entry.idea.votes for entry in members)
        built.append((cluster, members, votes))
    built.sort(key=lambda item: (-item[2], item[0].id))
    ranks = _ranks([votes for _, _, votes in built])
    return tuple(ClusterReport(id=cluster.id, title=cluster.title, votes=votes, rank=rank,
                               ideas=members)
                 for rank, (cluster, members, votes) in zip(ranks, built, strict=True))


def _chart(clusters: tuple[ClusterReport, ...],
           unclustered: tuple[Ranked, ...]) -> tuple[ChartBar, ...]:
    """The bars of the vote chart: the clusters when there are any, else the ideas; only
    what received votes, at most :data:`CHART_BARS`."""
    if clusters:
        items = [("cluster", c.id, c.rank, c.title, c.votes) for c in clusters]
    else:
        items = [("idea", r.idea.id, r.rank, r.idea.text, r.idea.votes) for r in unclustered]
    items = [item for item in items if item[4] > 0][:CHART_BARS]
    most = max((item[4] for item in items), default=0)
    return tuple(ChartBar(kind=kind, id=ident, rank=rank, label=" ".join(label.split()),
                          votes=votes, fraction=votes / most if most else 0.0)
                 for kind, ident, rank, label, votes in items)
