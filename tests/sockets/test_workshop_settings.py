"""``configure_workshop``, ``set_categories`` and ``reveal_ideas``: what changes, who hears what
(private writing withholds texts from the room until the reveal), who may send them."""

from __future__ import annotations

import pytest
from pinnwand.clusters.models import Cluster
from pinnwand.db import utcnow
from pinnwand.ideas.models import Idea
from pinnwand.workshops.models import Category, Workshop
from sqlalchemy import select

from tests.sockets.helpers import (
    add_cluster,
    bearer,
    board_state,
    broadcasts,
    change_rows,
    data_of,
    drain,
    error_code,
    join_board,
    payloads,
    post,
    row,
    viewer_of,
)

DEFAULT_SETTINGS = {"private_writing": False, "cluster_by": "staff", "vote_budget": 3,
                    "vote_max_per_target": 3, "votes_secret": True, "votes_revealed": False,
                    "reviews_revealed": False}


def configure(tc, workshop_id: int, **settings):
    """Send ``configure_workshop``; the raw ack."""
    return tc.emit("configure_workshop", {"workshop_id": workshop_id, **settings},
                   callback=True)


def set_categories(tc, workshop_id: int, categories):
    """Send ``set_categories``; the raw ack."""
    return tc.emit("set_categories", {"workshop_id": workshop_id, "categories": categories},
                   callback=True)


def reveal(tc, workshop_id: int):
    """Send ``reveal_ideas``; the raw ack."""
    return tc.emit("reveal_ideas", {"workshop_id": workshop_id}, callback=True)


def settings_of(app, workshop_id: int) -> dict:
    """The workshop's settings, from the database."""
    columns = row(app, Workshop, workshop_id)
    return {name: columns[name] for name in DEFAULT_SETTINGS}


def categories_in_db(app, workshop_id: int) -> list[tuple[int, str]]:
    with app.extensions["pinnwand"].db.read() as session:
        query = (select(Category).where(Category.workshop_id == workshop_id)
                 .order_by(Category.position))
        return [(c.id, c.title) for c in session.scalars(query)]


# configure_workshop --------------------------------------------------------------------------

def test_configure_changes_settings_and_the_room_hears_workshop_updated(app, mod, participant,
                                                                        workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    answer = data_of(configure(mod, workshop, private_writing=True, cluster_by="everyone",
                               vote_budget=5, vote_max_per_target=2, votes_secret=False))
    expected = {**DEFAULT_SETTINGS, "private_writing": True, "cluster_by": "everyone",
                "vote_budget": 5, "vote_max_per_target": 2, "votes_secret": False}
    assert answer["seq"] == 1
    assert answer["workshop"]["settings"] == expected
    assert answer["workshop"]["seq"] == 1
    assert payloads(anna, "workshop_updated") == [
        {"workshop_id": workshop, "seq": 1, "workshop": answer["workshop"]}]
    assert settings_of(app, workshop) == expected
    assert join_board(anna, workshop)["workshop"]["settings"] == expected


def test_configure_only_what_is_given(app, mod, workshops):
    answer = data_of(configure(mod, workshops[0], vote_budget=20))
    assert answer["workshop"]["settings"] == {**DEFAULT_SETTINGS, "vote_budget": 20}


def test_configure_with_current_values_is_a_no_op(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(post(anna, workshop))
    anna.get_received()
    for settings in ({}, {"vote_budget": 3, "cluster_by": "staff"}, {"votes_secret": True}):
        answer = data_of(configure(mod, workshop, **settings))
        assert answer["seq"] == 1
        assert answer["workshop"]["settings"] == DEFAULT_SETTINGS
    assert anna.get_received() == []
    assert board_state(app, workshop)[0] == 1


@pytest.mark.parametrize("fields, field", [
    ({"vote_budget": 0}, "vote_budget"),
    ({"vote_budget": 21}, "vote_budget"),
    ({"vote_budget": "5"}, "vote_budget"),
    ({"vote_budget": True}, "vote_budget"),
    ({"vote_budget": 2.5}, "vote_budget"),
    ({"vote_max_per_target": 0}, "vote_max_per_target"),
    ({"vote_max_per_target": 21}, "vote_max_per_target"),
    ({"cluster_by": "nobody"}, "cluster_by"),
    ({"cluster_by": None}, "cluster_by"),
    ({"private_writing": "yes"}, "private_writing"),
    ({"private_writing": 1}, "private_writing"),
    ({"private_writing": None}, "private_writing"),
    ({"votes_secret": None}, "votes_secret"),
    ({"votes_revealed": True}, "votes_revealed"),
    ({"locked": True}, "locked"),
    ({"vote_budget": 5, "template": "free"}, "template"),
])
def test_bad_settings_change_nothing(app, mod, participant, workshops, fields, field):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    ack = configure(mod, workshop, **fields)
    assert error_code(ack) == "invalid"
    assert field in ack["error"]["fields"]
    assert settings_of(app, workshop) == DEFAULT_SETTINGS
    assert board_state(app, workshop)[0] == 0
    assert anna.get_received() == []


def test_configure_without_workshop_is_invalid(mod):
    ack = mod.emit("configure_workshop", {"vote_budget": 4}, callback=True)
    assert error_code(ack) == "invalid"
    assert ack["error"]["fields"] == {"workshop_id": "required"}


def test_configure_unknown_workshop_is_not_found(mod):
    assert error_code(configure(mod, 999_999, vote_budget=4)) == "not_found"


def test_switching_secret_votes_on_hides_revealed_totals_again(app, mod, workshops):
    workshop = workshops[0]
    data_of(configure(mod, workshop, votes_secret=False))
    change_rows(app, Workshop, Workshop.id == workshop, votes_revealed=True)
    answer = data_of(configure(mod, workshop, votes_secret=True))
    assert answer["workshop"]["settings"]["votes_secret"] is True
    assert answer["workshop"]["settings"]["votes_revealed"] is False
    assert settings_of(app, workshop)["votes_revealed"] is False


def test_keeping_secret_votes_on_does_not_hide_revealed_totals(app, mod, workshops):
    """A settings form sending ``votes_secret: true`` again must not undo a reveal."""
    workshop = workshops[0]
    change_rows(app, Workshop, Workshop.id == workshop, votes_revealed=True)
    answer = data_of(configure(mod, workshop, votes_secret=True, vote_budget=4))
    assert answer["workshop"]["settings"]["votes_revealed"] is True
    assert answer["seq"] == 1


# Private writing and reveal_ideas --------------------------------------------------------------

@pytest.fixture
def private_board(app, client, auth, connect, mod, participant, workshops):
    """A board writing privately: the moderator, Anna (author), Ben and a projector on it."""
    workshop = workshops[0]
    join_board(mod, workshop)
    anna, _ = participant("Anna", workshop)
    ben, _ = participant("Ben", workshop)
    projector = viewer_of(client, auth, connect, workshop)
    data_of(configure(mod, workshop, private_writing=True))
    drain(mod, anna, ben, projector)
    return {"workshop": workshop, "mod": mod, "anna": anna, "ben": ben, "projector": projector}


def test_private_idea_reaches_the_room_without_text_or_author(private_board):
    workshop, mod, anna = private_board["workshop"], private_board["mod"], private_board["anna"]
    answer = data_of(post(anna, workshop, "Geheime Idee"))
    idea = answer["idea"]
    assert idea["hidden"] is True and idea["text"] == "Geheime Idee"

    assert payloads(mod, "idea_created") == [
        {"workshop_id": workshop, "seq": answer["seq"], "idea": idea}]
    assert payloads(anna, "idea_created") == [
        {"workshop_id": workshop, "seq": answer["seq"], "idea": idea}]
    assert idea["votes"] == 0  # voting has not started: a plain 0 for everyone
    for other in (private_board["ben"], private_board["projector"]):
        [seen] = payloads(other, "idea_created")
        assert seen["seq"] == answer["seq"]
        assert seen["idea"]["id"] == idea["id"]
        assert seen["idea"]["text"] is None
        assert seen["idea"]["author"] is None
        assert seen["idea"]["hidden"] is True
        assert "Geheime Idee" not in str(seen) and "Anna" not in str(seen)


def test_snapshot_before_reveal_withholds_the_text_except_for_author_and_staff(private_board):
    workshop, anna = private_board["workshop"], private_board["anna"]
    idea = data_of(post(anna, workshop, "Geheime Idee"))["idea"]

    [own] = join_board(anna, workshop)["ideas"]
    assert own == idea  # the author sees the text; no voting yet, so the 0 is plain
    [staff] = join_board(private_board["mod"], workshop)["ideas"]
    assert staff["text"] == "Geheime Idee" and staff["author"] == "Anna"
    for other in (private_board["ben"], private_board["projector"]):
        [withheld] = join_board(other, workshop)["ideas"]
        assert withheld["id"] == idea["id"]
        assert withheld["text"] is None and withheld["author"] is None
        assert withheld["hidden"] is True


def test_catch_up_of_another_participant_is_withheld(private_board):
    workshop, anna, ben = private_board["workshop"], private_board["anna"], private_board["ben"]
    seen = join_board(ben, workshop)["seq"]
    answer = data_of(post(anna, workshop, "Geheime Idee"))

    caught_up = join_board(ben, workshop, since_seq=seen)
    assert caught_up["seq"] == answer["seq"]
    [change] = caught_up["events"]
    assert change["event"] == "idea_created"
    assert change["idea"]["text"] is None and change["idea"]["author"] is None
    assert join_board(anna, workshop, since_seq=seen)["events"][0]["idea"] == answer["idea"]
    mod_view = join_board(private_board["mod"], workshop, since_seq=seen)
    assert mod_view["events"][0]["idea"]["text"] == "Geheime Idee"


def test_staff_ideas_are_not_hidden(private_board):
    workshop, mod, ben = private_board["workshop"], private_board["mod"], private_board["ben"]
    idea = data_of(post(mod, workshop, "Vom Podium"))["idea"]
    assert idea["hidden"] is False
    assert payloads(ben, "idea_created")[0]["idea"]["text"] == "Vom Podium"


def test_reveal_ideas_publishes_the_full_texts_to_everyone(app, private_board):
    workshop, mod = private_board["workshop"], private_board["mod"]
    anna, ben = private_board["anna"], private_board["ben"]
    first = data_of(post(anna, workshop, "Erste geheime Idee"))["idea"]
    second = data_of(post(ben, workshop, "Zweite geheime Idee", anonymous=True))["idea"]
    drain(mod, anna, ben, private_board["projector"])

    answer = data_of(reveal(mod, workshop))

    assert answer == {"revealed": 2, "seq": 4}
    [staff] = payloads(mod, "ideas_revealed")
    assert staff["workshop_id"] == workshop and staff["seq"] == 4
    assert [(i["id"], i["text"], i["author"], i["hidden"]) for i in staff["ideas"]] == [
        (first["id"], "Erste geheime Idee", "Anna", False),
        (second["id"], "Zweite geheime Idee", None, False),
    ]
    for other in (anna, ben, private_board["projector"]):
        [seen] = payloads(other, "ideas_revealed")
        assert seen["seq"] == 4
        assert [(i["id"], i["text"], i["author"], i["hidden"]) for i in seen["ideas"]] == [
            (first["id"], "Erste geheime Idee", "Anna", False),
            (second["id"], "Zweite geheime Idee", None, False),
        ]
        assert [i["votes"] for i in seen["ideas"]] == [0, 0]  # voting has not started
    assert board_state(app, workshop)[0] == 4
    assert [i["text"] for i in join_board(ben, workshop)["ideas"]] == [
        "Erste geheime Idee", "Zweite geheime Idee"]


def test_catch_up_replays_the_reveal(private_board):
    workshop, anna, ben = private_board["workshop"], private_board["anna"], private_board["ben"]
    seen = data_of(post(anna, workshop, "Geheime Idee"))["seq"]
    data_of(reveal(private_board["mod"], workshop))
    [change] = join_board(ben, workshop, since_seq=seen)["events"]
    assert change["event"] == "ideas_revealed"
    assert change["ideas"][0]["text"] == "Geheime Idee"


def test_ideas_written_after_the_reveal_are_hidden_again(private_board):
    workshop, anna, ben = private_board["workshop"], private_board["anna"], private_board["ben"]
    data_of(post(anna, workshop, "Erste"))
    data_of(reveal(private_board["mod"], workshop))
    ben.get_received()
    data_of(post(anna, workshop, "Zweite"))
    assert payloads(ben, "idea_created")[0]["idea"]["text"] is None


def test_reveal_with_nothing_hidden_changes_nothing(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(post(anna, workshop, "Offen"))
    anna.get_received()
    assert data_of(reveal(mod, workshop)) == {"revealed": 0, "seq": 1}
    assert anna.get_received() == []
    assert board_state(app, workshop)[0] == 1


def test_reveal_leaves_withdrawn_ideas_out_of_the_rooms_variant(app, private_board):
    workshop, mod = private_board["workshop"], private_board["mod"]
    anna, ben = private_board["anna"], private_board["ben"]
    kept = data_of(post(anna, workshop, "Bleibt"))["idea"]
    withdrawn = data_of(post(anna, workshop, "Zurückgezogen"))["idea"]
    change_rows(app, Idea, Idea.id == withdrawn["id"], deleted_at=utcnow())
    drain(mod, anna, ben)

    assert data_of(reveal(mod, workshop))["revealed"] == 2

    assert [i["id"] for i in payloads(mod, "ideas_revealed")[0]["ideas"]] == [
        kept["id"], withdrawn["id"]]
    for other in (anna, ben, private_board["projector"]):
        [seen] = payloads(other, "ideas_revealed")
        assert [i["id"] for i in seen["ideas"]] == [kept["id"]]
        assert "Zurückgezogen" not in str(seen)


def test_revealed_totals_reach_the_room_when_votes_are_open(app, private_board):
    workshop, mod, ben = private_board["workshop"], private_board["mod"], private_board["ben"]
    data_of(configure(mod, workshop, votes_secret=False))
    data_of(post(private_board["anna"], workshop, "Geheime Idee"))
    ben.get_received()
    data_of(reveal(mod, workshop))
    assert payloads(ben, "ideas_revealed")[0]["ideas"][0]["votes"] == 0


def test_switching_private_writing_off_reveals_as_a_second_change(app, private_board):
    workshop, mod = private_board["workshop"], private_board["mod"]
    anna, ben = private_board["anna"], private_board["ben"]
    seq = data_of(post(anna, workshop, "Geheime Idee"))["seq"]
    ben.get_received()

    answer = data_of(configure(mod, workshop, private_writing=False))

    assert answer["seq"] == seq + 2
    assert answer["workshop"]["settings"]["private_writing"] is False
    received = broadcasts(ben)
    assert [(r["name"], r["args"][0]["seq"]) for r in received] == [
        ("workshop_updated", seq + 1), ("ideas_revealed", seq + 2)]
    assert received[1]["args"][0]["ideas"][0]["text"] == "Geheime Idee"
    assert board_state(app, workshop)[0] == seq + 2
    data_of(post(anna, workshop, "Jetzt offen"))
    assert payloads(ben, "idea_created")[0]["idea"]["text"] == "Jetzt offen"


def test_switching_private_writing_off_with_nothing_hidden_is_one_change(private_board):
    workshop, ben = private_board["workshop"], private_board["ben"]
    answer = data_of(configure(private_board["mod"], workshop, private_writing=False))
    assert answer["seq"] == 2
    assert [r["name"] for r in broadcasts(ben)] == ["workshop_updated"]


def test_other_settings_leave_hidden_ideas_hidden(private_board):
    workshop, mod, ben = private_board["workshop"], private_board["mod"], private_board["ben"]
    data_of(post(private_board["anna"], workshop, "Geheime Idee"))
    ben.get_received()
    answer = data_of(configure(mod, workshop, private_writing=True, vote_budget=7))
    assert answer["seq"] == 3
    assert [r["name"] for r in broadcasts(ben)] == ["workshop_updated"]
    assert join_board(ben, workshop)["ideas"][0]["text"] is None


# set_categories ------------------------------------------------------------------------------

def test_set_categories_creates_columns_in_order(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    answer = data_of(set_categories(mod, workshop, [{"title": " Halten "}, {"title": "Gewinnen"}]))
    titles = [c["title"] for c in answer["workshop"]["categories"]]
    assert titles == ["Halten", "Gewinnen"]
    assert answer["seq"] == 1
    assert payloads(anna, "workshop_updated") == [
        {"workshop_id": workshop, "seq": 1, "workshop": answer["workshop"]}]
    assert [t for _, t in categories_in_db(app, workshop)] == titles


def test_set_categories_keeps_retitles_reorders_and_deletes(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    made = data_of(set_categories(mod, workshop, [
        {"title": "A"}, {"title": "B"}, {"title": "C"}]))["workshop"]["categories"]
    a, b, c = (column["id"] for column in made)
    idea_b = data_of(post(anna, workshop, "In B"))["idea"]
    idea_c = data_of(post(anna, workshop, "In C"))["idea"]
    change_rows(app, Idea, Idea.id == idea_b["id"], category_id=b)
    change_rows(app, Idea, Idea.id == idea_c["id"], category_id=c)
    cluster_id = add_cluster(app, workshop, "Gruppe", category_id=b)

    answer = data_of(set_categories(mod, workshop, [
        {"id": c, "title": "C neu"}, {"title": "D"}, {"id": a, "title": "A"}]))

    categories = answer["workshop"]["categories"]
    assert [(column["id"], column["title"]) for column in categories[::2]] == [
        (c, "C neu"), (a, "A")]
    assert categories[1]["title"] == "D" and categories[1]["id"] not in (a, b, c)
    assert categories_in_db(app, workshop) == [(col["id"], col["title"]) for col in categories]
    with app.extensions["pinnwand"].db.read() as session:
        assert session.get(Idea, idea_b["id"]).category_id is None
        assert session.get(Idea, idea_c["id"]).category_id == c
        assert session.get(Cluster, cluster_id).category_id is None
    assert answer["seq"] == 4


def test_set_categories_may_remove_every_column(app, mod, workshops):
    workshop = workshops[0]
    data_of(set_categories(mod, workshop, [{"title": "A"}]))
    assert data_of(set_categories(mod, workshop, []))["workshop"]["categories"] == []
    assert categories_in_db(app, workshop) == []


def test_set_categories_unchanged_is_a_no_op(app, mod, participant, workshops):
    workshop = workshops[0]
    columns = data_of(set_categories(mod, workshop, [{"title": "A"}, {"title": "B"}]))
    anna, _ = participant("Anna", workshop)
    same = [{"id": c["id"], "title": c["title"]} for c in columns["workshop"]["categories"]]
    assert data_of(set_categories(mod, workshop, same)) == columns
    assert anna.get_received() == []
    assert board_state(app, workshop)[0] == 1


def test_category_of_another_workshop_is_not_found(app, mod, workshops):
    other = data_of(set_categories(mod, workshops[1], [{"title": "Fremd"}]))
    foreign = other["workshop"]["categories"][0]["id"]
    data_of(set_categories(mod, workshops[0], [{"title": "Eigen"}]))
    before = categories_in_db(app, workshops[0])
    ack = set_categories(mod, workshops[0], [{"id": foreign, "title": "Geklaut"}])
    assert error_code(ack) == "not_found"
    assert categories_in_db(app, workshops[0]) == before
    assert categories_in_db(app, workshops[1]) == [(foreign, "Fremd")]
    assert board_state(app, workshops[0])[0] == 1


def test_unknown_category_is_not_found(app, mod, workshops):
    ack = set_categories(mod, workshops[0], [{"title": "Neu"}, {"id": 999_999, "title": "X"}])
    assert error_code(ack) == "not_found"
    assert categories_in_db(app, workshops[0]) == []
    assert board_state(app, workshops[0])[0] == 0


@pytest.mark.parametrize("categories, field", [
    ([{"title": f"Spalte {n}"} for n in range(13)], "categories"),
    ([{"title": ""}], "categories.0.title"),
    ([{"title": "   "}], "categories.0.title"),
    ([{"title": "x" * 121}], "categories.0.title"),
    ([{"title": "A"}, {"title": 5}], "categories.1.title"),
    ([{"id": 1, "title": "A"}, {"id": 1, "title": "B"}], "categories"),
    ([{"id": "1", "title": "A"}], "categories.0.id"),
    ([{"id": 0, "title": "A"}], "categories.0.id"),
    ([{"title": "A", "color": "red"}], "categories.0.color"),
    ([{}], "categories.0.title"),
    (["A"], "categories.0"),
    ("A", "categories"),
    (None, "categories"),
])
def test_bad_categories_change_nothing(app, mod, workshops, categories, field):
    workshop = workshops[0]
    ack = set_categories(mod, workshop, categories)
    assert error_code(ack) == "invalid"
    assert field in ack["error"]["fields"]
    assert categories_in_db(app, workshop) == []
    assert board_state(app, workshop)[0] == 0


def test_twelve_categories_are_fine(mod, workshops):
    columns = [{"title": f"Spalte {n}"} for n in range(12)]
    assert len(data_of(set_categories(mod, workshops[0], columns))["workshop"]["categories"]) == 12


# Who may -------------------------------------------------------------------------------------

COMMANDS = {
    "configure_workshop": {"vote_budget": 5},
    "set_categories": {"categories": [{"title": "Neu"}]},
    "reveal_ideas": {},
}


def send(tc, name: str, workshop_id: int):
    return tc.emit(name, {"workshop_id": workshop_id, **COMMANDS[name]}, callback=True)


def test_host_configures_categorises_and_reveals_their_workshop(app, host_of, participant,
                                                               workshops):
    workshop = workshops[1]
    host = host_of(workshop, "Tisch 2")
    ben, _ = participant("Ben", workshop)
    data_of(configure(host, workshop, private_writing=True))
    data_of(post(ben, workshop, "Geheim"))
    data_of(set_categories(host, workshop, [{"title": "Neu"}]))
    assert data_of(reveal(host, workshop)) == {"revealed": 1, "seq": 4}
    assert join_board(host, workshop)["ideas"][0]["text"] == "Geheim"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_host_may_not_command_another_workshop(app, host_of, workshops, name):
    host = host_of(workshops[1])
    assert error_code(send(host, name, workshops[0])) == "forbidden"
    assert board_state(app, workshops[0])[0] == 0


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_participants_viewers_and_outsiders_may_not(app, client, auth, connect, participant,
                                                     outsider, other_auth, workshops, name):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    data_of(post(anna, workshop))
    callers = [anna, viewer_of(client, auth, connect, workshop), outsider[0],
               connect(bearer(other_auth))]
    for tc in callers:
        assert error_code(send(tc, name, workshop)) == "forbidden"
    assert board_state(app, workshop)[0] == 1
    assert settings_of(app, workshop) == DEFAULT_SETTINGS
    assert categories_in_db(app, workshop) == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_unknown_workshop_is_not_found_for_every_command(mod, name):
    assert error_code(send(mod, name, 999_999)) == "not_found"
