"""The plenary board over Socket.IO: who may read and change it, its numbering, what it
brings from the workshops, and its dot vote (docs/protocol.md, "Plenary (one per event)")."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from pinnwand.board.write import plenary_key
from pinnwand.db import utcnow
from pinnwand.events.models import Event
from pinnwand.ideas.models import Idea
from pinnwand.plenary import pages as _plenary_pages  # noqa: F401  (registers the page route)
from pinnwand.plenary import services
from pinnwand.plenary.models import PlenaryItem, PlenaryVote
from pinnwand.workshops.models import Workshop

from tests.sockets.helpers import (
    add_cluster,
    bearer,
    change_rows,
    data_of,
    error_code,
    payloads,
    row,
)

MODERATOR_COMMANDS = [
    ("plenary_add", lambda event_id, ids: {
        "event_id": event_id, "items": [{"workshop_id": ids["workshop"], "idea_id": ids["idea"]}]}),
    ("plenary_pull_top", lambda event_id, ids: {"event_id": event_id, "per_workshop": 3}),
    ("plenary_remove", lambda event_id, ids: {"event_id": event_id, "item_id": ids["item"]}),
    ("configure_plenary", lambda event_id, ids: {"event_id": event_id, "open": True}),
]


# ------------------------------------------------------------------------------ helpers


def add_idea(app, workshop_id: int, text: str, *, votes: int = 0, hidden: bool = False,
             cluster_id: int | None = None, deleted: bool = False,
             merged_into: int | None = None, position: float = 0.0) -> int:
    """Put an idea on a workshop's board directly in the database; its id."""
    with app.extensions["pinnwand"].db.transaction() as session:
        idea = Idea(workshop_id=workshop_id, text=text, votes=votes, hidden=hidden,
                    cluster_id=cluster_id, merged_into_id=merged_into, position=position,
                    author_name="Anna", deleted_at=utcnow() if deleted else None)
        session.add(idea)
        session.flush()
        return idea.id


def plenary_seq(app, event_id: int) -> int:
    """The event's ``plenary_seq`` as stored."""
    return row(app, Event, event_id)["plenary_seq"]


def stored_items(app, event_id: int) -> list[tuple[str, str | None, int]]:
    """The plenary's items as stored: ``(title, text, votes)`` in board order."""
    with app.extensions["pinnwand"].db.read() as session:
        items = session.query(PlenaryItem).filter_by(event_id=event_id).order_by(
            PlenaryItem.position)
        return [(item.title, item.text, item.votes) for item in items]


def ack(tc, name: str, payload) -> dict:
    """Send an event; the raw ack."""
    return tc.emit(name, payload, callback=True)


def ok(tc, name: str, payload) -> dict:
    """Send an event that must succeed; the ack's data."""
    return data_of(ack(tc, name, payload))


def changes(tc) -> list[dict]:
    """The ``plenary_changed`` payloads the socket received since the last call."""
    return payloads(tc, "plenary_changed")


def bring(mod, event_id: int, workshop_id: int, idea_id: int) -> dict:
    """Bring one idea to the plenary as the moderator; the item as answered (the last one)."""
    return ok(mod, "plenary_add", {"event_id": event_id, "items": [
        {"workshop_id": workshop_id, "idea_id": idea_id}]})["plenary"]["items"][-1]


@pytest.fixture
def event_id(event) -> int:
    return event["id"]


@pytest.fixture
def viewer(client, auth, connect, workshops):
    """A projector socket (viewer token) of the event's first workshop."""
    response = client.post(f"/api/v1/workshops/{workshops[0]}/viewer-link", headers=auth)
    assert response.status_code == 201, response.json
    tc = connect(response.json["token"])
    assert tc.is_connected()
    return tc


@pytest.fixture
def other_mod(connect, other_auth):
    """A socket of a moderator who runs none of the test's events."""
    tc = connect(bearer(other_auth))
    assert tc.is_connected()
    return tc


@pytest.fixture
def voting_plenary(app, mod, event_id, workshops):
    """An open plenary with its vote running (budget 3) and two items; their ids."""
    first = add_idea(app, workshops[0], "Mentoring für Neue")
    second = add_idea(app, workshops[1], "Ausbildung in Teilzeit")
    items = ok(mod, "plenary_add", {"event_id": event_id, "items": [
        {"workshop_id": workshops[0], "idea_id": first},
        {"workshop_id": workshops[1], "idea_id": second},
    ]})["plenary"]["items"]
    ok(mod, "configure_plenary", {"event_id": event_id, "voting": True, "vote_budget": 3})
    mod.get_received()
    return [item["id"] for item in items]


# ------------------------------------------------------------------------------ join_plenary


def test_moderator_joins_and_sees_the_whole_plenary(mod, event_id):
    answer = ok(mod, "join_plenary", {"event_id": event_id})
    assert answer == {
        "plenary": {"event_id": event_id, "seq": 0, "open": False, "voting": False,
                    "vote_budget": 3, "items": []},
        "me": {"votes": [], "remaining": None},
    }


def test_participant_and_host_join_read_only(app, mod, participant, host_of, event_id,
                                             workshops):
    idea = add_idea(app, workshops[0], "Jobticket")
    ok(mod, "plenary_add", {"event_id": event_id,
                            "items": [{"workshop_id": workshops[0], "idea_id": idea}]})
    phone, _ = participant("Anna")
    host = host_of(workshops[1])

    for reader, remaining in ((phone, 3), (host, None)):
        answer = ok(reader, "join_plenary", {"event_id": event_id})
        assert answer["plenary"]["seq"] == 1
        assert answer["plenary"]["open"] is False
        assert answer["plenary"]["items"] == []  # closed: only the moderators see items
        assert answer["me"] == {"votes": [], "remaining": remaining}
    assert ok(mod, "join_plenary", {"event_id": event_id})["plenary"]["items"][0]["title"] == (
        "Jobticket")

    ok(mod, "configure_plenary", {"event_id": event_id, "open": True})
    for reader in (phone, host):
        assert ok(reader, "join_plenary", {"event_id": event_id})["plenary"]["items"][0][
            "title"] == "Jobticket"
        assert ack(reader, "plenary_pull_top", {"event_id": event_id, "per_workshop": 1})[
            "error"]["code"] == "forbidden"


def test_outsiders_may_not_join(viewer, outsider, other_mod, host_of, other_event, event_id):
    foreign_host = host_of(other_event["workshops"][0]["id"])
    for tc in (viewer, outsider[0], other_mod, foreign_host):
        assert error_code(ack(tc, "join_plenary", {"event_id": event_id})) == "forbidden"


def test_join_refuses_bad_input_and_unknown_events(mod):
    assert error_code(ack(mod, "join_plenary", {"event_id": 999999})) == "not_found"
    for payload in (None, [], "x", {}, {"event_id": "1"}, {"event_id": 0},
                    {"event_id": 1, "extra": True}):
        assert error_code(ack(mod, "join_plenary", payload)) == "invalid"


def test_outsiders_receive_nothing(app, mod, outsider, other_mod, event_id, workshops):
    for tc in (outsider[0], other_mod):
        ack(tc, "join_plenary", {"event_id": event_id})
        tc.get_received()
    ok(mod, "configure_plenary", {"event_id": event_id, "open": True})
    assert changes(outsider[0]) == []
    assert changes(other_mod) == []


# ------------------------------------------------------------------------------ permissions


@pytest.mark.parametrize("command,payload", MODERATOR_COMMANDS,
                         ids=[c[0] for c in MODERATOR_COMMANDS])
def test_moderator_commands_are_refused_to_everyone_else(app, mod, participant, host_of, viewer,
                                                         outsider, other_mod, event_id,
                                                         workshops, command, payload):
    idea = add_idea(app, workshops[0], "Kita am Werk")
    item = bring(mod, event_id, workshops[0], idea)["id"]
    before = (plenary_seq(app, event_id), stored_items(app, event_id))
    phone, _ = participant("Anna")
    body = payload(event_id, {"workshop": workshops[0], "idea": idea, "item": item})
    for tc in (phone, host_of(workshops[0]), viewer, outsider[0], other_mod):
        assert error_code(ack(tc, command, body)) == "forbidden"
    assert (plenary_seq(app, event_id), stored_items(app, event_id)) == before


def test_only_participants_of_the_event_vote(mod, host_of, viewer, outsider, other_mod,
                                             event_id, workshops, voting_plenary):
    body = {"event_id": event_id, "item_id": voting_plenary[0], "count": 1}
    for tc in (mod, host_of(workshops[0]), viewer, outsider[0], other_mod):
        assert error_code(ack(tc, "plenary_vote", body)) == "forbidden"


def test_commands_on_unknown_events_are_not_found(mod, participant):
    phone, _ = participant("Anna")
    assert error_code(ack(mod, "configure_plenary", {"event_id": 999999, "open": True})) == (
        "not_found")
    assert error_code(ack(phone, "plenary_vote", {"event_id": 999999, "item_id": 1,
                                                  "count": 1})) == "not_found"


# ------------------------------------------------------------------------------ numbering


def test_every_change_takes_the_next_seq_and_no_op_takes_none(app, mod, participant, event_id,
                                                              workshops):
    idea = add_idea(app, workshops[0], "Wohnraum für Azubis", votes=4)
    phone, _ = participant("Anna")
    ok(mod, "join_plenary", {"event_id": event_id})
    ok(phone, "join_plenary", {"event_id": event_id})

    answers = [
        ok(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 1}),
        ok(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 1}),  # no-op
        ok(mod, "configure_plenary", {"event_id": event_id, "open": True}),
        ok(mod, "configure_plenary", {"event_id": event_id, "open": True}),  # no-op
        ok(mod, "plenary_add", {"event_id": event_id, "items": [
            {"workshop_id": workshops[0], "idea_id": idea}]}),  # there already: no-op
        ok(mod, "configure_plenary", {"event_id": event_id, "voting": True}),
    ]
    assert [a["plenary"]["seq"] for a in answers] == [1, 1, 2, 2, 2, 3]
    item_id = answers[-1]["plenary"]["items"][0]["id"]
    assert ok(phone, "plenary_vote", {"event_id": event_id, "item_id": item_id, "count": 2})
    ok(phone, "plenary_vote", {"event_id": event_id, "item_id": item_id, "count": 2})  # retry
    ok(mod, "plenary_remove", {"event_id": event_id, "item_id": item_id})

    assert [c["seq"] for c in changes(mod)] == [1, 2, 3, 4, 5]
    assert [c["seq"] for c in changes(phone)] == [1, 2, 3, 4, 5]
    assert plenary_seq(app, event_id) == 5


def test_a_refused_command_consumes_no_seq(app, mod, event_id, workshops):
    hidden = add_idea(app, workshops[0], "Geheim", hidden=True)
    ok(mod, "join_plenary", {"event_id": event_id})
    refused = [
        ack(mod, "plenary_add", {"event_id": event_id, "items": [
            {"workshop_id": workshops[0], "idea_id": hidden}]}),
        ack(mod, "configure_plenary", {"event_id": event_id, "open": False, "voting": True}),
        ack(mod, "plenary_remove", {"event_id": event_id, "item_id": 999999}),
        ack(mod, "configure_plenary", {"event_id": event_id, "vote_budget": 21}),
        ack(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 11}),
    ]
    assert [error_code(a) for a in refused] == ["invalid", "invalid", "not_found", "invalid",
                                                "invalid"]
    assert plenary_seq(app, event_id) == 0
    assert changes(mod) == []


def test_closed_plenary_sends_participants_the_seq_without_items(app, mod, participant,
                                                                 event_id, workshops):
    idea = add_idea(app, workshops[0], "Sprachkurse im Betrieb")
    phone, _ = participant("Anna")
    ok(mod, "join_plenary", {"event_id": event_id})
    ok(phone, "join_plenary", {"event_id": event_id})

    ok(mod, "plenary_add", {"event_id": event_id, "items": [
        {"workshop_id": workshops[0], "idea_id": idea}]})
    assert [c["plenary"]["items"] for c in changes(phone)] == [[]]
    assert [c["plenary"]["items"][0]["text"] for c in changes(mod)] == ["Sprachkurse im Betrieb"]

    ok(mod, "configure_plenary", {"event_id": event_id, "open": True})
    [opened] = changes(phone)
    assert opened["seq"] == 2 and opened["plenary"]["open"] is True
    assert opened["plenary"]["items"][0]["text"] == "Sprachkurse im Betrieb"
    assert changes(mod) == [opened]


# ------------------------------------------------------------------------------ bringing items


def test_add_copies_ideas_and_clusters_as_they_are_now(app, mod, event_id, workshops):
    long_text = "Wir brauchen " + "sehr " * 30 + "viel mehr Wohnraum."
    idea = add_idea(app, workshops[0], long_text)
    cluster = add_cluster(app, workshops[1], "Wohnen")
    add_idea(app, workshops[1], "Zweites Zimmer", cluster_id=cluster, position=2)
    add_idea(app, workshops[1], "Wohnheim", cluster_id=cluster, position=1)
    add_idea(app, workshops[1], "Geheimtipp", cluster_id=cluster, hidden=True, position=3)
    add_idea(app, workshops[1], "Gelöscht", cluster_id=cluster, deleted=True, position=4)

    plenary = ok(mod, "plenary_add", {"event_id": event_id, "items": [
        {"workshop_id": workshops[0], "idea_id": idea},
        {"workshop_id": workshops[1], "cluster_id": cluster},
        {"workshop_id": workshops[0], "idea_id": idea},  # twice in one request: once
    ]})["plenary"]
    first, second = plenary["items"]
    assert first["kind"] == "idea" and first["workshop"] == "Talente halten"
    assert first["title"] == long_text[:80].strip() and first["text"] == long_text
    assert second == {"id": second["id"], "workshop_id": workshops[1],
                      "workshop": "Talente ausbilden", "kind": "cluster", "title": "Wohnen",
                      "text": "Wohnheim\nZweites Zimmer", "votes": 0}

    change_rows(app, Idea, Idea.id == idea, text="Später geändert")
    assert ok(mod, "join_plenary", {"event_id": event_id})["plenary"]["items"][0]["text"] == (
        long_text)


def test_add_refuses_what_may_not_be_brought(app, mod, other_event, event_id, workshops):
    hidden = add_idea(app, workshops[0], "Noch privat", hidden=True)
    deleted = add_idea(app, workshops[0], "Zurückgezogen", deleted=True)
    kept = add_idea(app, workshops[0], "Behalten")
    merged = add_idea(app, workshops[0], "Doppelt", merged_into=kept)
    deleted_cluster = add_cluster(app, workshops[0], "Weg", deleted_at=utcnow())
    foreign_workshop = other_event["workshops"][0]["id"]
    foreign_idea = add_idea(app, foreign_workshop, "Anderswo")

    def add(*items):
        return ack(mod, "plenary_add", {"event_id": event_id, "items": list(items)})

    assert error_code(add({"workshop_id": workshops[0], "idea_id": hidden})) == "invalid"
    assert error_code(add({"workshop_id": workshops[0], "idea_id": deleted})) == "invalid"
    assert error_code(add({"workshop_id": workshops[0], "idea_id": merged})) == "invalid"
    assert error_code(add({"workshop_id": workshops[0], "cluster_id": deleted_cluster})) == (
        "invalid")
    assert error_code(add({"workshop_id": workshops[1], "idea_id": kept})) == "not_found"
    assert error_code(add({"workshop_id": foreign_workshop, "idea_id": foreign_idea})) == (
        "not_found")
    assert error_code(add({"workshop_id": workshops[0], "idea_id": 999999})) == "not_found"
    both = add({"workshop_id": workshops[0], "idea_id": kept, "cluster_id": deleted_cluster})
    assert error_code(both) == "invalid" and "items.0" in both["error"]["fields"]
    assert error_code(add({"workshop_id": workshops[0]})) == "invalid"
    assert error_code(add()) == "invalid"
    # One bad item refuses the whole request.
    mixed = add({"workshop_id": workshops[0], "idea_id": kept},
                {"workshop_id": workshops[0], "idea_id": hidden})
    assert mixed["error"]["fields"] == {"items.1.idea_id": "hidden"}
    assert stored_items(app, event_id) == []


def test_pull_top_picks_by_votes_and_skips_hidden_ideas(app, mod, event_id, workshops):
    first, second, third = workshops
    # Workshop 1 has no clusters: its ideas count; hidden, deleted and merged ones never do.
    add_idea(app, first, "Drei Stimmen", votes=3)
    add_idea(app, first, "Geheim, aber viele Stimmen", votes=9, hidden=True)
    gone = add_idea(app, first, "Gelöscht", votes=8, deleted=True)
    add_idea(app, first, "Zusammengelegt", votes=7, merged_into=gone)
    add_idea(app, first, "Fünf Stimmen", votes=5)
    add_idea(app, first, "Eine Stimme", votes=1)
    # Workshop 2 has clusters: only clusters count, deleted ones not.
    add_idea(app, second, "Ungruppiert mit vielen Stimmen", votes=20)
    low = add_cluster(app, second, "Wenig", votes=1)
    add_cluster(app, second, "Gelöschter Cluster", votes=50, deleted_at=utcnow())
    high = add_cluster(app, second, "Viel", votes=6)
    add_idea(app, second, "Idee im Cluster", cluster_id=high)
    add_idea(app, second, "Idee im schwachen Cluster", cluster_id=low)
    add_cluster(app, second, "Mittel", votes=2)
    # Workshop 3 is empty.

    plenary = ok(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 2})["plenary"]
    assert [(i["workshop_id"], i["kind"], i["title"], i["text"]) for i in plenary["items"]] == [
        (first, "idea", "Fünf Stimmen", "Fünf Stimmen"),
        (first, "idea", "Drei Stimmen", "Drei Stimmen"),
        (second, "cluster", "Viel", "Idee im Cluster"),
        (second, "cluster", "Mittel", None),
    ]
    assert all(i["votes"] == 0 for i in plenary["items"])  # the plenary counts its own dots
    assert not any(i["workshop_id"] == third for i in plenary["items"])

    # Pulling the top 3 adds only what is new.
    more = ok(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 3})["plenary"]
    assert [i["title"] for i in more["items"]][4:] == ["Eine Stimme", "Wenig"]
    assert more["seq"] == 2


def test_pull_top_is_refused_while_a_workshops_totals_are_secret(app, mod, event_id, workshops):
    first, second, _ = workshops
    add_idea(app, first, "Viele Stimmen", votes=9)
    add_idea(app, second, "Wenige Stimmen", votes=1)
    with app.extensions["pinnwand"].db.transaction() as session:  # voting began, secretly
        session.get(Workshop, second).voting_started = True
    before = plenary_seq(app, event_id)
    refused = ack(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 2})
    assert error_code(refused) == "conflict"
    assert "Talente ausbilden" in refused["error"]["message"]
    assert "Talente halten" not in refused["error"]["message"]
    assert stored_items(app, event_id) == [] and plenary_seq(app, event_id) == before
    assert changes(mod) == []
    # Revealed (or not secret), the ranking may be shown.
    data_of(mod.emit("reveal_votes", {"workshop_id": second}, callback=True))
    plenary = ok(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 1})["plenary"]
    assert [item["title"] for item in plenary["items"]] == ["Viele Stimmen", "Wenige Stimmen"]


def test_pull_top_keeps_a_tie_at_the_cut_and_brings_nothing_without_votes(app, mod, event_id,
                                                                          workshops):
    first, second, third = workshops
    for workshop in workshops:  # the totals are public: the ranking may be shown
        change_rows(app, Workshop, Workshop.id == workshop, votes_secret=False)
    # Workshop 1: a tie for second place at a cut of 2 — both come.
    add_idea(app, first, "Vier", votes=4, position=1)
    add_idea(app, first, "Zwei a", votes=2, position=2)
    add_idea(app, first, "Zwei b", votes=2, position=3)
    add_idea(app, first, "Eins", votes=1, position=4)
    # Workshop 2: one idea with a vote, the others without — only that one comes.
    add_idea(app, second, "Gewählt", votes=1, position=1)
    add_idea(app, second, "Ohne Stimme", votes=0, position=2)
    # Workshop 3: nothing voted — nothing comes while others have votes.
    add_idea(app, third, "Nie gewählt", votes=0)

    plenary = ok(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 2})["plenary"]
    assert [(i["workshop_id"], i["title"]) for i in plenary["items"]] == [
        (first, "Vier"), (first, "Zwei a"), (first, "Zwei b"), (second, "Gewählt")]


def test_pull_top_in_board_order_while_nothing_has_votes(app, mod, event_id, workshops):
    first = workshops[0]
    for number in range(4):
        add_idea(app, first, f"Idee {number}", position=number)
    plenary = ok(mod, "plenary_pull_top", {"event_id": event_id, "per_workshop": 2})["plenary"]
    # All tied at 0: the cut keeps no tie of zeros — the first two on the board.
    assert [i["title"] for i in plenary["items"]] == ["Idee 0", "Idee 1"]


def test_remove_takes_an_item_off_and_returns_its_dots(app, mod, participant, event_id,
                                                       voting_plenary):
    phone, _ = participant("Anna")
    first, second = voting_plenary
    ok(phone, "plenary_vote", {"event_id": event_id, "item_id": first, "count": 2})
    plenary = ok(mod, "plenary_remove", {"event_id": event_id, "item_id": first})["plenary"]
    assert [i["id"] for i in plenary["items"]] == [second]
    assert ok(phone, "join_plenary", {"event_id": event_id})["me"] == {"votes": [],
                                                                       "remaining": 3}
    assert error_code(ack(mod, "plenary_remove", {"event_id": event_id, "item_id": first})) == (
        "not_found")


def test_items_of_another_event_are_not_found(app, client, auth, connect, mod, other_event,
                                              event_id, workshops):
    foreign_idea = add_idea(app, other_event["workshops"][0]["id"], "Anderswo")
    ok(mod, "plenary_add", {"event_id": other_event["id"], "items": [
        {"workshop_id": other_event["workshops"][0]["id"], "idea_id": foreign_idea}]})
    foreign_item = ok(mod, "join_plenary", {"event_id": other_event["id"]})["plenary"][
        "items"][0]["id"]
    assert error_code(ack(mod, "plenary_remove", {"event_id": event_id,
                                                  "item_id": foreign_item})) == "not_found"
    assert stored_items(app, other_event["id"]) == [("Anderswo", "Anderswo", 0)]


# ------------------------------------------------------------------------------ configure


def test_configure_opens_votes_and_closes(mod, event_id):
    def configure(**fields):
        return ok(mod, "configure_plenary", {"event_id": event_id, **fields})["plenary"]

    voting = configure(voting=True)
    assert (voting["open"], voting["voting"], voting["seq"]) == (True, True, 1)
    budget = configure(vote_budget=5)
    assert (budget["vote_budget"], budget["seq"]) == (5, 2)
    closed = configure(open=False)
    assert (closed["open"], closed["voting"], closed["seq"]) == (False, False, 3)
    assert configure()["seq"] == 3
    assert configure(open=None, voting=None)["seq"] == 3
    assert error_code(ack(mod, "configure_plenary", {"event_id": event_id, "open": "yes"})) == (
        "invalid")
    assert error_code(ack(mod, "configure_plenary", {"event_id": event_id,
                                                     "vote_budget": 0})) == "invalid"


# ------------------------------------------------------------------------------ voting


def test_vote_sets_dots_within_the_budget(app, mod, participant, event_id, voting_plenary):
    phone, _ = participant("Anna")
    first, second = voting_plenary
    ok(phone, "join_plenary", {"event_id": event_id})
    ok(mod, "join_plenary", {"event_id": event_id})

    def vote(item_id, count):
        return ack(phone, "plenary_vote", {"event_id": event_id, "item_id": item_id,
                                           "count": count})

    assert data_of(vote(first, 2)) == {"item_id": first, "count": 2, "remaining": 1}
    assert data_of(vote(first, 2)) == {"item_id": first, "count": 2, "remaining": 1}  # retry
    assert error_code(vote(second, 2)) == "invalid"  # 2 + 2 > 3
    assert error_code(vote(second, 4)) == "invalid"  # above the budget by itself
    assert error_code(vote(second, 21)) == "invalid"
    assert error_code(vote(second, -1)) == "invalid"
    assert error_code(vote(second, True)) == "invalid"
    assert data_of(vote(second, 1)) == {"item_id": second, "count": 1, "remaining": 0}
    assert data_of(vote(first, 0)) == {"item_id": first, "count": 0, "remaining": 2}

    received = changes(mod)
    assert [c["seq"] for c in received] == [3, 4, 5]
    assert [[i["votes"] for i in c["plenary"]["items"]] for c in received] == [
        [2, 0], [2, 1], [0, 1]]
    assert changes(phone) == received
    assert stored_items(app, event_id)[1][2] == 1
    assert ok(phone, "join_plenary", {"event_id": event_id})["me"] == {
        "votes": [{"item_id": second, "count": 1}], "remaining": 2}


def test_votes_of_several_participants_add_up(app, participant, event_id, voting_plenary):
    first, _ = voting_plenary
    for name in ("Anna", "Ben", "Cem"):
        phone, _ = participant(name)
        ok(phone, "plenary_vote", {"event_id": event_id, "item_id": first, "count": 3})
    assert stored_items(app, event_id)[0][2] == 9
    with app.extensions["pinnwand"].db.read() as session:
        assert session.query(PlenaryVote).count() == 3


def test_vote_is_locked_unless_open_and_voting(app, mod, participant, event_id, workshops):
    idea = add_idea(app, workshops[0], "Shuttlebus")
    item = bring(mod, event_id, workshops[0], idea)["id"]
    phone, _ = participant("Anna")
    body = {"event_id": event_id, "item_id": item, "count": 1}
    assert error_code(ack(phone, "plenary_vote", body)) == "locked"  # closed
    assert error_code(ack(phone, "plenary_vote", {**body, "item_id": 999999})) == "not_found"
    ok(mod, "configure_plenary", {"event_id": event_id, "open": True})
    assert error_code(ack(phone, "plenary_vote", body)) == "locked"  # open, not voting
    ok(mod, "configure_plenary", {"event_id": event_id, "voting": True})
    assert data_of(ack(phone, "plenary_vote", body))["remaining"] == 2
    ok(mod, "configure_plenary", {"event_id": event_id, "voting": False})
    assert error_code(ack(phone, "plenary_vote", {**body, "count": 0})) == "locked"
    assert stored_items(app, event_id)[0][2] == 1
    assert plenary_seq(app, event_id) == 5


def test_lowered_budget_still_lets_voters_take_dots_back(mod, participant, event_id,
                                                         voting_plenary):
    phone, _ = participant("Anna")
    first, second = voting_plenary
    ok(phone, "plenary_vote", {"event_id": event_id, "item_id": first, "count": 2})
    ok(phone, "plenary_vote", {"event_id": event_id, "item_id": second, "count": 1})
    ok(mod, "configure_plenary", {"event_id": event_id, "vote_budget": 1})

    assert error_code(ack(phone, "plenary_vote", {"event_id": event_id, "item_id": second,
                                                  "count": 2})) == "invalid"
    assert ok(phone, "plenary_vote", {"event_id": event_id, "item_id": first, "count": 1}) == {
        "item_id": first, "count": 1, "remaining": 0}


def test_vote_on_an_unknown_item_is_not_found(participant, event_id, voting_plenary):
    phone, _ = participant("Anna")
    assert error_code(ack(phone, "plenary_vote", {"event_id": event_id, "item_id": 999999,
                                                  "count": 1})) == "not_found"


# ------------------------------------------------------------------------------ the page


def test_plenary_page_is_served_with_its_script(client, event_id):
    response = client.get(f"/moderator/events/{event_id}/plenary?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'data-event-id="{event_id}"' in html
    assert "/assets/js/plenary.js" in html and "/assets/css/plenary.css" in html
    assert "<script>" not in html and "style=" not in html


def test_concurrent_votes_are_numbered_without_gaps(app, join, event_id, voting_plenary):
    """Many participants voting at once, each through the handler's lock and transaction:
    every change gets its own ``seq``, together exactly the next numbers."""
    app_state = app.extensions["pinnwand"]
    first, second = voting_plenary
    start = plenary_seq(app, event_id)
    voters = [join(f"Person {n}")["participant_id"] for n in range(12)]

    def vote(participant_id: int, item_id: int, count: int):
        with (app_state.db.ordered(plenary_key(event_id)),
              app_state.db.transaction() as session):
            return services.vote(session, event_id, participant_id, item_id, count)[1]

    with ThreadPoolExecutor(max_workers=6) as pool:
        jobs = [pool.submit(vote, voter, first if n % 2 else second, 1 + n % 3)
                for n, voter in enumerate(voters)]
        numbered = [job.result() for job in jobs]
    assert sorted(change.seq for change in numbered) == list(range(start + 1, start + 13))
    assert plenary_seq(app, event_id) == start + 12
    expected = {first: 0, second: 0}
    for n in range(12):
        expected[first if n % 2 else second] += 1 + n % 3
    assert [votes for _, _, votes in stored_items(app, event_id)] == [expected[first],
                                                                      expected[second]]
    newest = max(numbered, key=lambda change: change.seq).payload["plenary"]
    assert {i["id"]: i["votes"] for i in newest["items"]} == expected


# ------------------------------------------------------------------------------ its projector


def plenary_viewer(client, auth, connect, event_id: int):
    """A socket of the plenary's projector link, and the link."""
    response = client.post(f"/api/v1/events/{event_id}/plenary/viewer-link", headers=auth)
    assert response.status_code == 201, response.json
    link = response.json
    assert link["url"].endswith(f"/plenary/{event_id}#token={link['token']}")
    tc = connect(link["token"])
    assert tc.is_connected()
    return tc, link


def test_the_plenary_projector_sees_what_the_room_sees(app, client, auth, connect, mod,
                                                       event_id, workshops):
    projector, link = plenary_viewer(client, auth, connect, event_id)
    idea = add_idea(app, workshops[0], "Mentoring für Neue")
    ok(mod, "plenary_add", {"event_id": event_id, "items": [
        {"workshop_id": workshops[0], "idea_id": idea}]})
    closed = ok(projector, "join_plenary", {"event_id": event_id})
    assert closed["plenary"]["items"] == [] and closed["me"] == {"votes": [], "remaining": None}
    projector.get_received()
    ok(mod, "configure_plenary", {"event_id": event_id, "open": True})
    opened = payloads(projector, "plenary_changed")[-1]["plenary"]
    assert [i["title"] for i in opened["items"]] == ["Mentoring für Neue"]
    # Its info: the event's title and join code; read-only on every other route and board.
    info = client.get(f"/plenary/{event_id}/info",
                      headers={"Authorization": f"Bearer {link['token']}"})
    assert info.status_code == 200 and info.json["event"]["id"] == event_id
    item = opened["items"][0]["id"]
    for name, payload in [
        ("plenary_vote", {"event_id": event_id, "item_id": item, "count": 1}),
        ("plenary_remove", {"event_id": event_id, "item_id": item}),
        ("configure_plenary", {"event_id": event_id, "open": False}),
        ("join_workshop", {"workshop_id": workshops[0]}),
    ]:
        assert error_code(ack(projector, name, payload)) == "forbidden", name
    assert stored_items(app, event_id) == [("Mentoring für Neue", "Mentoring für Neue", 0)]


def test_a_plenary_projector_link_is_for_its_event_only(app, client, auth, connect, mod,
                                                        other_event, event_id):
    projector, link = plenary_viewer(client, auth, connect, event_id)
    assert error_code(ack(projector, "join_plenary", {"event_id": other_event["id"]})) == (
        "forbidden")
    info = client.get(f"/plenary/{other_event['id']}/info",
                      headers={"Authorization": f"Bearer {link['token']}"})
    assert info.status_code == 403
