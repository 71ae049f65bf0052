"""The review step (contract §5): a later forum's workshop reviews the open actions of the
series' earlier forums — ``set_step`` to ``review``, the board's ``review`` part,
``review_action`` (set, not added), verdicts secret until ``reveal_reviews``, and the
register's ``review`` counts."""

from __future__ import annotations

import pytest
from pinnwand.reviews.models import ReviewVerdict
from sqlalchemy import select

from tests.sockets.helpers import (
    bearer,
    data_of,
    drain,
    error_code,
    events_of,
    join_board,
    new_series,
    payloads,
    save_action,
    seq_of,
    series_forum,
    viewer_of,
)

EMPTY = {"worked": 0, "partly": 0, "not": 0, "unsure": 0}


def review(tc, workshop_id, action_id, verdict="worked", **extra):
    return tc.emit("review_action", {"workshop_id": workshop_id, "action_id": action_id,
                                     "verdict": verdict, **extra}, callback=True)


def set_step(tc, workshop_id, step):
    return tc.emit("set_step", {"workshop_id": workshop_id, "step": step}, callback=True)


@pytest.fixture
def forums(app, client, auth, connect):
    """A series with a spring forum (four actions: two open, one done, one deleted) and an
    autumn forum whose workshop is in its review step; another series with its own action."""
    series = new_series(client, auth)
    spring = series_forum(client, auth, series["id"], "Frühjahrsforum", "2026-04-01")
    autumn = series_forum(client, auth, series["id"], "Herbstforum", "2026-10-01")
    mod = connect(bearer(auth))
    spring_ws = spring["workshops"][0]["id"]
    autumn_ws = autumn["workshops"][0]["id"]
    bus = save_action(mod, spring_ws, title="Pendlerbus", owner="Stadtwerke", due="2026-09-30")
    fair = save_action(mod, spring_ws, title="Ausbildungsmesse", owner="IHK")
    done = save_action(mod, spring_ws, title="Willkommensmappe")
    gone = save_action(mod, spring_ws, title="Gestrichen")
    own = save_action(mod, autumn_ws, title="Neu im Herbst")
    data_of(mod.emit("delete_action", {"workshop_id": spring_ws, "action_id": gone["id"]},
                     callback=True))
    for status, note in (("running", "Fahrplan steht"), ("running", "Erste Fahrt im Mai")):
        client.post(f"/api/v1/actions/{bus['id']}/updates", headers=auth,
                    json={"status": status, "note": note})
    client.post(f"/api/v1/actions/{done['id']}/updates", headers=auth, json={"status": "done"})
    other = new_series(client, auth, "Andere Reihe")
    elsewhere = series_forum(client, auth, other["id"], "Woanders", "2026-03-01")
    foreign = save_action(mod, elsewhere["workshops"][0]["id"], title="Fremde Maßnahme")
    data_of(set_step(mod, autumn_ws, "review"))
    drain(mod)
    return {"series": series, "spring": spring, "autumn": autumn, "mod": mod,
            "spring_ws": spring_ws, "ws": autumn_ws, "bus": bus["id"], "fair": fair["id"],
            "done": done["id"], "gone": gone["id"], "own": own["id"], "foreign": foreign["id"],
            "other_series": other}


@pytest.fixture
def phone(client, connect, forums):
    """A participant of the autumn forum on its board: ``phone("Anna")`` → socket."""

    def opener(name: str):
        answer = client.post("/api/v1/join", json={"code": forums["autumn"]["join_code"],
                                                   "name": name}).json
        tc = connect(answer["token"])
        join_board(tc, forums["ws"])
        drain(tc)
        return tc

    return opener


def verdict_rows(app, workshop_id):
    with app.extensions["pinnwand"].db.read() as session:
        query = (select(ReviewVerdict.action_id, ReviewVerdict.verdict, ReviewVerdict.comment)
                 .where(ReviewVerdict.workshop_id == workshop_id).order_by(ReviewVerdict.id))
        return [tuple(found) for found in session.execute(query)]


# --- the step ---------------------------------------------------------------------------------


def test_a_new_workshop_still_starts_in_collect(client, auth, forums):
    later = series_forum(client, auth, forums["series"]["id"], "Winterforum", "2026-12-01")
    answer = client.get(f"/api/v1/events/{later['id']}", headers=auth).json
    assert [w["step"] for w in answer["workshops"]] == ["collect"]


def test_review_is_refused_without_an_earlier_forum(app, client, auth, forums, event):
    mod = forums["mod"]
    alone = event["workshops"][0]["id"]
    before = seq_of(app, alone)
    assert error_code(set_step(mod, alone, "review")) == "conflict"
    assert error_code(set_step(mod, forums["spring_ws"], "review")) == "conflict"
    ack = mod.emit("set_step", {"event_id": event["id"], "step": "review"}, callback=True)
    assert error_code(ack) == "conflict"
    assert seq_of(app, alone) == before
    assert [w["step"] for w in client.get(f"/api/v1/events/{event['id']}",
                                          headers=auth).json["workshops"]] == ["collect"] * 3


def test_moving_back_to_collect_and_forward_to_review_again(forums):
    mod, ws = forums["mod"], forums["ws"]
    assert data_of(set_step(mod, ws, "collect"))["step"] == "collect"
    assert data_of(set_step(mod, ws, "review"))["step"] == "review"


# --- the board --------------------------------------------------------------------------------


def test_the_board_shows_the_open_actions_of_earlier_forums(forums, phone):
    anna = phone("Anna")
    snapshot = join_board(anna, forums["ws"])
    part = snapshot["review"]
    assert part["available"] is True and part["hidden"] is True and part["revealed"] is False
    assert [a["title"] for a in part["actions"]] == ["Pendlerbus", "Ausbildungsmesse"]
    bus = part["actions"][0]
    assert bus["status"] == "running" and bus["owner"] == "Stadtwerke"
    assert [u["note"] for u in bus["updates"]] == ["Erste Fahrt im Mai", "Fahrplan steht"]
    assert bus["event"]["title"] == "Frühjahrsforum"
    assert bus["given"] == 0 and bus["review"] is None and bus["comments"] is None
    assert "contributors" not in bus
    assert snapshot["me"]["reviews"] == []
    staff = join_board(forums["mod"], forums["ws"])["review"]["actions"][0]
    assert staff["review"] == EMPTY and staff["comments"] == []


def test_an_event_outside_a_series_has_no_review_part(forums, event):
    part = join_board(forums["mod"], event["workshops"][0]["id"])["review"]
    assert part["available"] is False and part["actions"] == []


# --- verdicts ---------------------------------------------------------------------------------


def test_a_verdict_is_set_not_added_and_numbered(app, forums, phone):
    anna, ws, bus = phone("Anna"), forums["ws"], forums["bus"]
    seq = seq_of(app, ws)
    data = data_of(review(anna, ws, bus, "partly", comment="  Fährt, aber selten  "))
    assert data == {"action_id": bus, "verdict": "partly", "comment": "Fährt, aber selten",
                    "seq": seq + 1}
    again = data_of(review(anna, ws, bus, "partly", comment="Fährt, aber selten"))
    assert again["seq"] == seq + 1 and seq_of(app, ws) == seq + 1
    assert data_of(review(anna, ws, bus, "worked"))["comment"] == "Fährt, aber selten"
    assert data_of(review(anna, ws, bus, "worked", comment=""))["comment"] is None
    assert verdict_rows(app, ws) == [(bus, "worked", None)]
    assert seq_of(app, ws) == seq + 3


def test_verdicts_stay_secret_until_revealed(app, client, auth, connect, forums, phone):
    mod, ws, bus = forums["mod"], forums["ws"], forums["bus"]
    join_board(mod, ws)
    anna, ben = phone("Anna"), phone("Ben")
    projector = viewer_of(client, auth, connect, ws)
    drain(mod)
    data_of(review(anna, ws, bus, "worked", comment="Läuft gut"))
    staff_seen = payloads(mod, "review_changed")[-1]
    assert staff_seen["review"] == {**EMPTY, "worked": 1}
    assert [c["comment"] for c in staff_seen["comments"]] == ["Läuft gut"]
    for other in (ben, projector):
        seen = payloads(other, "review_changed")[-1]
        assert seen["hidden"] is True and seen["review"] is None and seen["comments"] is None
        assert seen["given"] == 1 and "mine" not in seen and "Läuft gut" not in str(seen)
    own = payloads(anna, "review_changed")[-1]
    assert own["review"] is None and own["mine"] == {"verdict": "worked", "comment": "Läuft gut"}
    assert join_board(ben, ws)["review"]["actions"][0]["review"] is None
    assert join_board(anna, ws)["me"]["reviews"] == [
        {"action_id": bus, "verdict": "worked", "comment": "Läuft gut"}]
    since = seq_of(app, ws) - 1
    caught = join_board(ben, ws, since_seq=since)["events"]
    assert caught[0]["event"] == "review_changed" and caught[0]["review"] is None

    drain(anna, ben, projector)
    assert error_code(ben.emit("reveal_reviews", {"workshop_id": ws}, callback=True)) \
        == "forbidden"
    seq = data_of(mod.emit("reveal_reviews", {"workshop_id": ws}, callback=True))["seq"]
    for tc in (anna, ben, projector):
        revealed = payloads(tc, "reviews_revealed")[-1]
        assert revealed["seq"] == seq
        shown = {a["action_id"]: a for a in revealed["actions"]}
        assert shown[bus]["review"]["worked"] == 1
        assert shown[bus]["comments"][0]["comment"] == "Läuft gut"
    again = data_of(mod.emit("reveal_reviews", {"workshop_id": ws}, callback=True))
    assert again["seq"] == seq
    data_of(review(ben, ws, bus, "not"))
    assert payloads(anna, "review_changed")[-1]["review"] == {**EMPTY, "worked": 1, "not": 1}


def test_open_verdicts_when_votes_are_not_secret(app, forums, phone):
    from tests.sockets.helpers import configure
    configure(app, forums["ws"], votes_secret=False)
    anna, ben = phone("Anna"), phone("Ben")
    data_of(review(anna, forums["ws"], forums["fair"], "unsure"))
    assert payloads(ben, "review_changed")[-1]["review"] == {**EMPTY, "unsure": 1}


def test_moderators_give_verdicts_too_and_hosts_may_not(forums, client, auth, connect):
    mod, ws = forums["mod"], forums["ws"]
    assert data_of(review(mod, ws, forums["fair"], "not"))["verdict"] == "not"
    host_link = client.post(f"/api/v1/workshops/{ws}/host-link", headers=auth,
                            json={"name": "Tisch 2"}).json
    host = connect(host_link["token"])
    assert error_code(review(host, ws, forums["fair"])) == "forbidden"


@pytest.mark.parametrize("key", ["done", "gone", "own", "foreign"])
def test_only_open_actions_of_earlier_forums_can_be_reviewed(app, forums, phone, key):
    anna = phone("Anna")
    before = seq_of(app, forums["ws"])
    assert error_code(review(anna, forums["ws"], forums[key])) == "not_found"
    assert seq_of(app, forums["ws"]) == before and verdict_rows(app, forums["ws"]) == []


@pytest.mark.parametrize("payload", [
    {"verdict": "great"}, {"verdict": None}, {"comment": "x" * 501}, {"extra": 1},
    {"action_id": "1"}, {"comment": 5},
])
def test_bad_payloads_are_invalid_and_change_nothing(app, forums, phone, payload):
    anna = phone("Anna")
    body = {"workshop_id": forums["ws"], "action_id": forums["bus"], "verdict": "worked",
            **payload}
    assert error_code(anna.emit("review_action", body, callback=True)) == "invalid"
    assert verdict_rows(app, forums["ws"]) == []
    assert events_of(anna) == []


def test_verdicts_only_in_the_review_step_and_while_unlocked(app, forums, phone):
    mod, ws = forums["mod"], forums["ws"]
    anna = phone("Anna")
    data_of(mod.emit("lock_workshop", {"workshop_id": ws, "locked": True}, callback=True))
    assert error_code(review(anna, ws, forums["bus"])) == "locked"
    data_of(mod.emit("lock_workshop", {"workshop_id": ws, "locked": False}, callback=True))
    data_of(set_step(mod, ws, "collect"))
    assert error_code(review(anna, ws, forums["bus"])) == "locked"
    assert error_code(review(mod, ws, forums["bus"])) == "locked"
    assert verdict_rows(app, ws) == []


def test_participants_of_another_event_cannot_review(forums, outsider):
    tc, _ = outsider
    assert error_code(review(tc, forums["ws"], forums["bus"])) == "forbidden"


# --- the register -----------------------------------------------------------------------------


def test_the_register_counts_verdicts_and_lists_comments_without_names(client, auth, forums,
                                                                       phone):
    ws = forums["ws"]
    data_of(review(phone("Anna"), ws, forums["bus"], "worked", comment="Super Bus"))
    data_of(review(phone("Ben"), ws, forums["bus"], "partly"))
    register = client.get(f"/api/v1/series/{forums['series']['id']}/actions",
                          headers=auth).json["actions"]
    bus = next(a for a in register if a["id"] == forums["bus"])
    assert bus["review"] == {**EMPTY, "worked": 1, "partly": 1}
    assert [(c["verdict"], c["comment"]) for c in bus["review_comments"]] == [
        ("worked", "Super Bus")]
    assert "Anna" not in str(bus["review_comments"])
    fair = next(a for a in register if a["id"] == forums["fair"])
    assert fair["review"] == EMPTY and fair["review_comments"] == []
