"""The results report shows what facilitation records: categories, clusters with their own
dots, concrete actions with who brings what, the workshop's hosts, the steps it ran and the
plenary; deleted, merged and never revealed ideas are left out."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from pinnwand.actions.models import Action, Contributor
from pinnwand.auth.models import Token
from pinnwand.auth.services import issue_token
from pinnwand.board.models import WorkshopChange
from pinnwand.clusters.models import Cluster
from pinnwand.db import utcnow
from pinnwand.events.models import Event, Participant
from pinnwand.ideas.models import Idea
from pinnwand.plenary.models import PlenaryItem, PlenaryVote
from pinnwand.privacy.services import purge_personal_data
from pinnwand.reports.archive import report_from_json, report_to_json
from pinnwand.reports.model import ReportOptions
from pinnwand.reports.reader import build_report, contributor_label, steps_run
from pinnwand.reports.render import render
from pinnwand.workshops.models import Category, Workshop, WorkshopMember
from sqlalchemy import event as sa_event

BASE_URL = "https://pinnwand.example.org"
START = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


class Board:
    """Adds rows to one workshop, each idea a minute after the last."""

    def __init__(self, session, workshop: Workshop):
        self.session, self.workshop, self.ideas = session, workshop, 0

    def add(self, row):
        self.session.add(row)
        self.session.flush()
        return row

    def idea(self, text: str, votes: int = 0, **columns) -> Idea:
        self.ideas += 1
        return self.add(Idea(workshop_id=self.workshop.id, text=text, votes=votes,
                             created_at=START + timedelta(minutes=self.ideas), **columns))

    def cluster(self, title: str, votes: int = 0, **columns) -> Cluster:
        return self.add(Cluster(workshop_id=self.workshop.id, title=title, votes=votes,
                                **columns))

    def log(self, seq: int, name: str, **payload) -> None:
        self.add(WorkshopChange(workshop_id=self.workshop.id, seq=seq, name=name,
                                payload={"workshop_id": self.workshop.id, "seq": seq,
                                         **payload}))


def _seed(session) -> dict:
    """An event with a facilitated workshop ("Mobilität") and a plain one ("Wohnen")."""
    event = Event(title="Zukunftsforum", date=date(2026, 11, 21), join_code="MOB234")
    session.add(event)
    session.flush()
    anna, ben = (Participant(event_id=event.id, name=name) for name in ("Anna Rad", "Ben Bus"))
    mobility = Workshop(event_id=event.id, position=0, title="Mobilität",
                        question="Wie kommen alle gut ans Ziel?", step="closed",
                        template="categories")
    housing = Workshop(event_id=event.id, position=1, title="Wohnen",
                       question="Wo wohnen wir morgen?", step="vote")
    session.add_all([anna, ben, mobility, housing])
    session.flush()
    session.add_all(WorkshopMember(workshop_id=mobility.id, participant_id=p.id)
                    for p in (anna, ben))
    board = Board(session, mobility)
    transit = board.add(Category(workshop_id=mobility.id, position=0, title="Bus & Bahn"))
    cycling = board.add(Category(workshop_id=mobility.id, position=1, title="Rad"))
    public = board.cluster("ÖPNV", votes=1, category_id=transit.id, position=1.0)
    bikes = board.cluster("Radverkehr", votes=5, position=2.0)
    gone = board.cluster("Verworfen", votes=9, position=3.0, deleted_at=utcnow())
    night = board.idea("Nachtbus am Wochenende", 4, category_id=transit.id,
                       cluster_id=public.id, participant_id=anna.id, author_name="Anna Rad")
    takt = board.idea("Takt alle\n15 Minuten", 2, cluster_id=public.id)
    lanes = board.idea("Radwege sichern", 3, category_id=cycling.id, cluster_id=bikes.id)
    hidden = board.idea("Leihräder am Bahnhof", 1, hidden=True, participant_id=ben.id,
                        author_name="Ben Bus")
    orphan = board.idea("Parkhaus abreißen", 0, cluster_id=gone.id)
    deleted = board.idea("Gelöschte Idee", 5, deleted_at=utcnow())
    merged = board.idea("Nachtbus samstags", 0, merged_into_id=night.id,
                        cluster_id=public.id)
    pilot = board.add(Action(
        workshop_id=mobility.id, title="Nachtbus-Pilot beantragen",
        what="Antrag beim Verkehrsverbund", owner="Stadtverwaltung", due=date(2027, 2, 1),
        prospects="Förderung durch das Land", idea_ids=[merged.id, takt.id],
        cluster_ids=[bikes.id], position=0))
    board.add(Contributor(action_id=pilot.id, participant_id=anna.id, name="Anna Rad",
                          brings="Fahrgastzahlen", name_in_results=True))
    board.add(Contributor(action_id=pilot.id, name="Verkehrsclub", name_in_results=True))
    board.add(Contributor(action_id=pilot.id, participant_id=ben.id, name="Ben Bus",
                          brings="Zeit"))  # did not agree to be named
    board.add(Action(workshop_id=mobility.id, title="Verworfene Aktion", position=1,
                     deleted_at=utcnow()))
    walk = board.add(Action(workshop_id=mobility.id, title="Radweg-Begehung", position=2,
                            idea_ids=[deleted.id, "x"], cluster_ids=[gone.id]))
    for name in ("Björn Schäfer", "Rita Revoked", "Clara Gast", "Björn Schäfer"):
        issue_token(session, days=30, workshop_id=mobility.id, host_name=name)
    revoked = session.query(Token).filter_by(name="Rita Revoked").one()
    revoked.revoked_at = utcnow()
    for seq, name, payload in [(1, "step_changed", {"step": "cluster"}),
                               (2, "idea_moved", {"step": "act"}),
                               (3, "step_changed", {"step": "vote"}),
                               (4, "step_changed", {"step": "cluster"}),
                               (5, "step_changed", {"step": "act"}),
                               (6, "step_changed", {"step": "closed"})]:
        board.log(seq, name, **payload)
    Board(session, housing).idea("Mehr Genossenschaften", 2)
    on_bikes = board.add(PlenaryItem(event_id=event.id, workshop_id=mobility.id,
                                     cluster_id=bikes.id, title="Radverkehr",
                                     text="Radwege sichern", votes=4, position=0))
    on_night = board.add(PlenaryItem(event_id=event.id, workshop_id=mobility.id,
                                     idea_id=night.id, title="Nachtbus am Wochenende",
                                     text="Nachtbus am Wochenende", votes=6, position=1))
    session.add_all([PlenaryVote(item_id=on_night.id, participant_id=anna.id, count=3),
                     PlenaryVote(item_id=on_night.id, participant_id=ben.id, count=3),
                     PlenaryVote(item_id=on_bikes.id, participant_id=ben.id, count=0)])
    return {"event": event.id, "mobility": mobility.id, "housing": housing.id,
            "ideas": {"night": night.id, "takt": takt.id, "lanes": lanes.id,
                      "hidden": hidden.id, "orphan": orphan.id, "deleted": deleted.id,
                      "merged": merged.id},
            "clusters": {"public": public.id, "bikes": bikes.id, "gone": gone.id},
            "actions": {"pilot": pilot.id, "walk": walk.id}}


@pytest.fixture
def seeded(database):
    with database.transaction() as session:
        ids = _seed(session)
    return database, ids


def _report(database, event_id, authors=False, contributors=False):
    with database.read() as session:
        return build_report(session, event_id, base_url=BASE_URL,
                            options=ReportOptions(authors=authors, contributors=contributors))


@pytest.fixture
def report(seeded):
    """The report with every name it may show."""
    database, ids = seeded
    return _report(database, ids["event"], authors=True, contributors=True)


def _mobility(report):
    return report.workshops[0]


# The model ---------------------------------------------------------------------------------

def test_deleted_merged_and_never_revealed_ideas_are_left_out(report, seeded):
    ideas = seeded[1]["ideas"]
    workshop = _mobility(report)
    assert [idea.id for idea in workshop.ideas] == [
        ideas["night"], ideas["takt"], ideas["lanes"], ideas["orphan"]]
    assert [idea.number for idea in workshop.ideas] == [1, 2, 3, 4]
    assert workshop.figures.ideas == 4
    assert report.figures.ideas == 5  # and the other workshop's one idea
    for fmt in ("md", "json", "csv"):
        assert "Leihräder am Bahnhof" not in render(report, fmt, "de").decode("utf-8-sig")


def test_ideas_carry_their_category_or_their_clusters(report, seeded):
    ideas = seeded[1]["ideas"]
    categories = {idea.id: idea.category for idea in _mobility(report).ideas}
    assert categories == {ideas["night"]: "Bus & Bahn",
                          ideas["takt"]: "Bus & Bahn",  # from its cluster
                          ideas["lanes"]: "Rad", ideas["orphan"]: None}


def test_clusters_rank_by_their_own_dots_plus_their_ideas(report, seeded):
    ids = seeded[1]
    workshop = _mobility(report)
    # Radverkehr: 5 on the cluster + 3; ÖPNV: 1 on the cluster + 4 + 2 (the merged idea and
    # the deleted cluster do not count).
    assert [(c.id, c.title, c.votes, c.rank) for c in workshop.clusters] == [
        (ids["clusters"]["bikes"], "Radverkehr", 8, 1),
        (ids["clusters"]["public"], "ÖPNV", 7, 2)]
    assert [(r.rank, r.idea.id) for r in workshop.clusters[1].ideas] == [
        (1, ids["ideas"]["night"]), (2, ids["ideas"]["takt"])]
    # an idea in a deleted cluster is unclustered
    assert [r.idea.id for r in workshop.unclustered] == [ids["ideas"]["orphan"]]
    orphan = next(i for i in workshop.ideas if i.id == ids["ideas"]["orphan"])
    assert (orphan.cluster_id, orphan.cluster) == (None, None)
    assert [(bar.kind, bar.label, bar.votes) for bar in workshop.chart] == [
        ("cluster", "Radverkehr", 8), ("cluster", "ÖPNV", 7)]
    assert (workshop.figures.clusters, workshop.figures.votes) == (2, 15)
    assert report.figures.votes == 17


def test_actions_with_contributors_and_source(report):
    workshop = _mobility(report)
    assert workshop.figures.actions == 2 and report.figures.actions == 2
    pilot, walk = workshop.actions
    assert (pilot.title, pilot.description, pilot.owner, pilot.due, pilot.prospects) == (
        "Nachtbus-Pilot beantragen", "Antrag beim Verkehrsverbund", "Stadtverwaltung",
        date(2027, 2, 1), "Förderung durch das Land")
    # named only with their consent; Ben Bus did not give it and is only counted
    assert pilot.contributors == ("Anna Rad (Fahrgastzahlen)", "Verkehrsclub")
    assert (pilot.unnamed, pilot.people) == (1, 3)
    # the merged idea is named by the idea it was merged into
    assert pilot.source == "Nachtbus am Wochenende; Takt alle 15 Minuten; Radverkehr"
    assert (walk.title, walk.contributors, walk.source) == ("Radweg-Begehung", (), None)


def test_contributors_are_named_only_when_the_report_names_them(seeded):
    database, ids = seeded
    for authors in (False, True):
        pilot = _mobility(_report(database, ids["event"], authors=authors)).actions[0]
        assert (pilot.contributors, pilot.unnamed) == ((), 3)


def test_without_names_no_host_and_no_author(seeded):
    database, ids = seeded
    plain = _report(database, ids["event"], contributors=True)
    assert all(w.host is None for w in plain.workshops)
    assert all(idea.author is None for idea in plain.ideas)


def test_the_plenary_ranks_its_items_by_the_shared_vote(report, seeded):
    ids = seeded[1]
    plenary = report.plenary
    assert [(item.rank, item.kind, item.title, item.workshop, item.votes)
            for item in plenary.items] == [
        (1, "idea", "Nachtbus am Wochenende", "Mobilität", 6),
        (2, "cluster", "Radverkehr", "Mobilität", 4)]
    assert (plenary.votes, plenary.voters, plenary.vote_budget) == (10, 2, 3)
    assert plenary.items[0].workshop_id == ids["mobility"]


def test_hosts_and_steps_run(report):
    mobility, housing = report.workshops
    assert mobility.host == "Björn Schäfer, Clara Gast"
    assert mobility.steps == ("collect", "cluster", "vote", "act")
    assert mobility.step == "closed"
    assert housing.host is None
    assert housing.steps == ("collect", "vote")  # nothing logged: the current step


def test_a_workshop_without_facilitation_stays_plain(report):
    housing = report.workshops[1]
    assert (housing.clusters, housing.actions) == ((), ())
    assert [(r.idea.text, r.idea.category, r.idea.cluster) for r in housing.unclustered] == [
        ("Mehr Genossenschaften", None, None)]


def test_steps_run_and_contributor_labels():
    assert steps_run([], "collect") == ("collect",)
    assert steps_run(["vote", "cluster", "vote", "closed", "bogus"], "closed") == (
        "collect", "vote", "cluster")
    assert steps_run(["cluster"], "act") == ("collect", "cluster", "act")
    assert contributor_label(" Anna  Rad ", " Kaffee\n und Kuchen ") == (
        "Anna Rad (Kaffee und Kuchen)")
    assert contributor_label("Ben", "") == "Ben"
    assert contributor_label("  ", "Kaffee") is None


def test_after_the_purge_participants_are_not_named_as_contributors(seeded):
    database, ids = seeded
    with database.transaction() as session:
        purge_personal_data(session, ids["event"])
    report = _report(database, ids["event"], authors=True)
    assert report.personal_data_removed_at.tzinfo is not None
    pilot = _mobility(report).actions[0]
    assert pilot.contributors == ()  # without contributors' names
    named = _mobility(_report(database, ids["event"], authors=True, contributors=True))
    assert (named.actions[0].contributors, named.actions[0].unnamed) == (("Verkehrsclub",), 0)
    assert all(idea.author is None for idea in report.ideas)
    assert "Anna Rad" not in render(report, "md", "en").decode()
    assert "Anna Rad" not in render(report, "json", "en").decode()


def test_reading_takes_a_fixed_number_of_queries(seeded):
    database, ids = seeded
    statements = []

    def count(*_args):
        statements.append(1)

    sa_event.listen(database.engine, "before_cursor_execute", count)
    try:
        _report(database, ids["event"])
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", count)
    # 13 for the event, one to find it in no series, one to find no verdicts given here.
    assert 0 < len(statements) <= 15


# The outputs -------------------------------------------------------------------------------

def test_json_holds_clusters_categories_actions_host_and_steps(report, seeded):
    ids = seeded[1]
    data = json.loads(render(report, "json", "en"))
    mobility = data["workshops"][0]
    assert (mobility["host"], mobility["steps"], mobility["step"]) == (
        "Björn Schäfer, Clara Gast", ["collect", "cluster", "vote", "act"], "closed")
    assert mobility["figures"] == {"participants": 2, "ideas": 4, "votes": 15,
                                   "clusters": 2, "actions": 2}
    assert [(c["title"], c["votes"], c["rank"], c["idea_ids"]) for c in mobility["clusters"]] == [
        ("Radverkehr", 8, 1, [ids["ideas"]["lanes"]]),
        ("ÖPNV", 7, 2, [ids["ideas"]["night"], ids["ideas"]["takt"]])]
    shown = {idea["id"]: (idea["category"], idea["cluster_id"]) for idea in mobility["ideas"]}
    assert shown[ids["ideas"]["lanes"]] == ("Rad", ids["clusters"]["bikes"])
    assert ids["ideas"]["deleted"] not in shown and ids["ideas"]["merged"] not in shown
    pilot = mobility["actions"][0]
    assert pilot == {
        "id": ids["actions"]["pilot"], "workshop_id": ids["mobility"],
        "title": "Nachtbus-Pilot beantragen", "description": "Antrag beim Verkehrsverbund",
        "owner": "Stadtverwaltung", "contributors": ["Anna Rad (Fahrgastzahlen)",
                                                     "Verkehrsclub"], "unnamed": 1,
        "due": "2027-02-01", "prospects": "Förderung durch das Land",
        "source": "Nachtbus am Wochenende; Takt alle 15 Minuten; Radverkehr"}
    assert [a["title"] for a in mobility["actions"]] == [
        "Nachtbus-Pilot beantragen", "Radweg-Begehung"]
    assert [(item["rank"], item["title"], item["votes"]) for item in data["plenary"]["items"]] == [
        (1, "Nachtbus am Wochenende", 6), (2, "Radverkehr", 4)]
    assert (data["plenary"]["voters"], data["plenary"]["votes"]) == (2, 10)
    text = json.dumps(data, ensure_ascii=False)
    for left_out in ("Gelöschte Idee", "Nachtbus samstags", "Verworfen", "Rita Revoked",
                     "Ben Bus"):
        assert left_out not in text


def test_json_archive_of_a_facilitated_report_round_trips(report):
    assert report_from_json(json.loads(json.dumps(report_to_json(report)))) == report


def test_markdown_shows_host_steps_clusters_actions_and_categories(report, seeded):
    ids = seeded[1]
    text = render(report, "md", "en").decode()
    assert "**Host:** Björn Schäfer, Clara Gast  " in text
    assert "Steps run: Collect ideas → Cluster → Vote → Plan actions" in text
    assert "#### Cluster 1: Radverkehr (8 votes)" in text
    assert "#### Cluster 2: ÖPNV (7 votes)" in text
    assert "#### Ideas without a cluster" in text
    assert ("| Nachtbus-Pilot beantragen<br>Antrag beim Verkehrsverbund"
            "<br>Prospects: Förderung durch das Land"
            "<br>From: Nachtbus am Wochenende; Takt alle 15 Minuten; Radverkehr"
            " | Stadtverwaltung | Anna Rad (Fahrgastzahlen), Verkehrsclub and 1 more"
            " | 2027-02-01 |") in text
    assert "| Radweg-Begehung |   |   |   |" in text
    assert "| 3 | Radwege sichern | Anonymous | Rad | Radverkehr | 3 |" in text
    # the plenary comes first among the results
    assert text.index("## Plenary") < text.index("## Agenda") < text.index("## Workshops")
    assert "| 1. | Nachtbus am Wochenende<br>*Idea* | Mobilität | 6 |" in text
    assert ids["mobility"]
    for left_out in ("Gelöschte Idee", "Nachtbus samstags", "Verworfen", "Rita Revoked"):
        assert left_out not in text
