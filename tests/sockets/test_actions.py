"""Actions: ``save_action``, ``delete_action``, ``restore_action``, ``sign_up`` and
``withdraw_sign_up``."""

from __future__ import annotations

import pytest
from pinnwand.actions.models import Action, Contributor
from sqlalchemy import func, select

from tests.conftest import op_id
from tests.sockets.helpers import (
    add_cluster,
    board_state,
    configure,
    data_of,
    error_code,
    join_board,
    payloads,
    post,
    row,
    send,
    viewer_of,
)


def save(tc, workshop_id: int, op: str | None = None, **fields):
    payload = {"workshop_id": workshop_id, "op_id": op or op_id(), "title": "Pendlerbus",
               **fields}
    return tc.emit("save_action", payload, callback=True)


def emit(tc, event: str, workshop_id: int, **fields):
    return send(tc, event, workshop_id=workshop_id, **fields)


def counts(app) -> tuple[int, int]:
    """How many actions and contributors exist."""
    with app.extensions["pinnwand"].db.read() as session:
        return (session.scalar(select(func.count(Action.id))),
                session.scalar(select(func.count(Contributor.id))))


@pytest.fixture
def acting(app, workshops):
    """The first workshop in its act step."""
    configure(app, workshops[0], step="act")
    return workshops[0]


@pytest.fixture
def action(mod, acting) -> dict:
    """An action of the acting workshop."""
    return data_of(save(mod, acting, title="Pendlerbus", owner="Stadtwerke"))["action"]


# --- save_action ----------------------------------------------------------------------------


def test_staff_creates_an_action_and_the_room_hears_it(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    idea = data_of(post(mod, workshop, "Bus"))["idea"]["id"]
    anna.get_received()

    data = data_of(save(mod, workshop, title="  Pendlerbus  ", what="Ein Bus ab 6 Uhr",
                        owner="Stadtwerke", due="2026-12-01", prospects="Weniger Autos",
                        idea_ids=[idea, idea], cluster_ids=[]))
    action = data["action"]
    assert action == {
        "id": action["id"], "workshop_id": workshop, "title": "Pendlerbus",
        "what": "Ein Bus ab 6 Uhr", "owner": "Stadtwerke", "owner_organisation": None,
        "due": "2026-12-01",
        "prospects": "Weniger Autos", "idea_ids": [idea], "cluster_ids": [], "position": 0,
        "created_at": action["created_at"], "deleted": False, "contributors": []}
    assert payloads(anna, "action_saved") == [
        {"workshop_id": workshop, "seq": data["seq"], "action": action}]
    assert join_board(anna, workshop)["actions"] == [action]


def test_new_actions_go_last(mod, workshops):
    first = data_of(save(mod, workshops[0], title="Eins"))["action"]
    second = data_of(save(mod, workshops[0], title="Zwei"))["action"]
    assert (first["position"], second["position"]) == (0, 1)


def test_host_may_save_in_any_step(app, host_of, workshops):
    host = host_of(workshops[0])
    for step in ("collect", "closed"):
        configure(app, workshops[0], step=step, locked=True)
        assert data_of(save(host, workshops[0], title=step))["action"]["title"] == step


def test_creation_is_idempotent_per_sender_and_op_id(app, mod, participant, workshops):
    workshop = workshops[0]
    anna, _ = participant("Anna", workshop)
    op = op_id()
    first = data_of(save(mod, workshop, op=op, title="Pendlerbus"))
    anna.get_received()

    again = data_of(save(mod, workshop, op=op, title="Anderer Titel"))
    assert again == first
    assert counts(app) == (1, 0)
    assert anna.get_received() == []
    assert board_state(app, workshop)[0] == first["seq"]


def test_the_same_op_id_from_another_sender_creates_its_own(app, mod, host_of, workshops):
    op = op_id()
    data_of(save(mod, workshops[0], op=op))
    data_of(save(host_of(workshops[0]), workshops[0], op=op))
    assert counts(app) == (2, 0)


def test_editing_replaces_the_fields_sent(app, mod, participant, action, acting):
    anna, _ = participant("Anna", acting)
    data = data_of(save(mod, acting, action_id=action["id"], title="Pendlerbus 2",
                        due="2027-01-31", owner=None))
    edited = data["action"]
    assert (edited["id"], edited["title"], edited["due"], edited["owner"]) == (
        action["id"], "Pendlerbus 2", "2027-01-31", None)
    assert edited["created_at"] == action["created_at"]
    assert payloads(anna, "action_saved") == [
        {"workshop_id": acting, "seq": data["seq"], "action": edited}]
    assert counts(app) == (1, 0)


def test_an_edit_that_changes_nothing_is_a_no_op(app, mod, participant, action, acting):
    anna, _ = participant("Anna", acting)
    seq = board_state(app, acting)[0]
    data = data_of(save(mod, acting, action_id=action["id"], title="Pendlerbus",
                        owner="Stadtwerke"))
    assert data == {"action": action, "seq": seq}
    assert anna.get_received() == []
    assert board_state(app, acting)[0] == seq


def test_linked_ideas_and_clusters_must_belong_to_the_workshop(app, mod, workshops):
    workshop = workshops[0]
    elsewhere = data_of(post(mod, workshops[1], "Anderswo"))["idea"]["id"]
    other_cluster = add_cluster(app, workshops[1], "Anderswo")
    seq = board_state(app, workshop)[0]
    ack = save(mod, workshop, idea_ids=[elsewhere])
    assert error_code(ack) == "not_found"
    assert str(elsewhere) in ack["error"]["message"]
    assert error_code(save(mod, workshop, cluster_ids=[other_cluster])) == "not_found"
    assert error_code(save(mod, workshop, idea_ids=[999_999])) == "not_found"
    assert counts(app) == (0, 0)
    assert board_state(app, workshop)[0] == seq


@pytest.mark.parametrize("fields", [
    {"title": ""},
    {"title": "x" * 201},
    {"what": "x" * 2001},
    {"owner": "x" * 201},
    {"prospects": "x" * 2001},
    {"due": "2026-02-30"},
    {"due": "1.12.2026"},
    {"due": "2026-12-1"},
    {"idea_ids": list(range(1, 52))},
    {"idea_ids": [0]},
    {"cluster_ids": "1"},
    {"op_id": "short"},
    {"colour": "red"},
])
def test_bad_actions_are_invalid(app, mod, workshops, fields):
    assert error_code(save(mod, workshops[0], **fields)) == "invalid"
    assert counts(app) == (0, 0)


def test_unknown_or_foreign_action_is_not_found(app, mod, workshops, action):
    ack = save(mod, workshops[1], action_id=action["id"], title="Gekapert")
    assert error_code(ack) == "not_found"
    assert error_code(save(mod, workshops[0], action_id=999_999)) == "not_found"


def test_participants_projectors_and_outsiders_may_not_save(app, participant, outsider,
                                                            host_of, workshops):
    anna, _ = participant("Anna", workshops[0])
    olga, _ = outsider
    other_host = host_of(workshops[1])
    for tc in (anna, olga, other_host):
        assert error_code(save(tc, workshops[0])) == "forbidden"
    assert counts(app) == (0, 0)


# --- delete and restore ---------------------------------------------------------------------


def test_delete_and_restore(app, mod, participant, action, acting):
    anna, _ = participant("Anna", acting)
    deleted = data_of(emit(mod, "delete_action", acting, action_id=action["id"]))
    assert deleted["action_id"] == action["id"]
    assert payloads(anna, "action_deleted") == [
        {"workshop_id": acting, "seq": deleted["seq"], "action_id": action["id"]}]
    assert join_board(anna, acting)["actions"] == []
    assert join_board(mod, acting)["actions"][0]["deleted"] is True

    restored = data_of(emit(mod, "restore_action", acting, action_id=action["id"]))
    assert restored["seq"] == deleted["seq"] + 1
    assert restored["action"] == {**action, "deleted": False}
    assert payloads(anna, "action_saved") == [
        {"workshop_id": acting, "seq": restored["seq"], "action": restored["action"]}]
    assert join_board(anna, acting)["actions"] == [restored["action"]]


def test_deleting_twice_and_restoring_a_live_action_are_no_ops(app, mod, participant, action,
                                                               acting):
    anna, _ = participant("Anna", acting)
    seq = board_state(app, acting)[0]
    assert data_of(emit(mod, "restore_action", acting, action_id=action["id"])) == {
        "action": action, "seq": seq}
    first = data_of(emit(mod, "delete_action", acting, action_id=action["id"]))
    anna.get_received()
    assert data_of(emit(mod, "delete_action", acting, action_id=action["id"])) == first
    assert anna.get_received() == []
    assert board_state(app, acting)[0] == first["seq"]


def test_a_deleted_action_cannot_be_edited_or_signed_up_for(app, mod, participant, action,
                                                            acting):
    anna, _ = participant("Anna", acting)
    data_of(emit(mod, "delete_action", acting, action_id=action["id"]))
    seq = board_state(app, acting)[0]
    assert error_code(save(mod, acting, action_id=action["id"])) == "conflict"
    assert error_code(emit(anna, "sign_up", acting, action_id=action["id"])) == "not_found"
    assert board_state(app, acting)[0] == seq


def test_only_staff_delete_and_restore(app, participant, action, acting):
    anna, _ = participant("Anna", acting)
    for name in ("delete_action", "restore_action"):
        assert error_code(emit(anna, name, acting, action_id=action["id"])) == "forbidden"
    assert row(app, Action, action["id"])["deleted_at"] is None


# --- sign_up --------------------------------------------------------------------------------


def test_participant_signs_up_and_again_replaces_brings(app, mod, participant, action, acting):
    anna, answer = participant("Anna", acting)
    ben, _ = participant("Ben", acting)
    first = data_of(emit(anna, "sign_up", acting, action_id=action["id"], brings="Kontakte"))
    contributors = first["action"]["contributors"]
    assert contributors == [{"id": contributors[0]["id"],
                             "participant_id": answer["participant_id"], "name": "Anna",
                             "organisation": None, "brings": "Kontakte", "name_in_results": False}]
    assert payloads(ben, "action_saved") == [
        {"workshop_id": acting, "seq": first["seq"], "action": first["action"]}]

    second = data_of(emit(anna, "sign_up", acting, action_id=action["id"], brings="Zeit"))
    assert second["seq"] == first["seq"] + 1
    assert [(c["id"], c["brings"]) for c in second["action"]["contributors"]] == [
        (contributors[0]["id"], "Zeit")]
    assert counts(app) == (1, 1)


def test_consent_to_be_named_is_given_and_taken_back_by_signing_up(app, participant, action,
                                                                    acting):
    anna, _ = participant("Anna", acting)
    first = data_of(emit(anna, "sign_up", acting, action_id=action["id"], brings="Räume",
                         name_in_results=True))
    assert [c["name_in_results"] for c in first["action"]["contributors"]] == [True]
    kept = data_of(emit(anna, "sign_up", acting, action_id=action["id"], brings="Räume"))
    assert kept == first  # left out: the answer stays, nothing changes
    taken_back = data_of(emit(anna, "sign_up", acting, action_id=action["id"], brings="Räume",
                              name_in_results=False))
    assert taken_back["seq"] == first["seq"] + 1
    assert [c["name_in_results"] for c in taken_back["action"]["contributors"]] == [False]
    assert error_code(emit(anna, "sign_up", acting, action_id=action["id"],
                           name_in_results="yes")) == "invalid"


def test_signing_up_again_with_the_same_brings_is_a_no_op(app, participant, action, acting):
    anna, _ = participant("Anna", acting)
    ben, _ = participant("Ben", acting)
    first = data_of(emit(anna, "sign_up", acting, action_id=action["id"]))
    ben.get_received()
    assert data_of(emit(anna, "sign_up", acting, action_id=action["id"])) == first
    assert ben.get_received() == []
    assert board_state(app, acting)[0] == first["seq"]


@pytest.mark.parametrize("step", ["collect", "cluster", "vote", "closed"])
def test_sign_up_only_in_the_act_step(app, participant, action, acting, step):
    configure(app, acting, step=step)
    anna, _ = participant("Anna", acting)
    seq = board_state(app, acting)[0]
    assert error_code(emit(anna, "sign_up", acting, action_id=action["id"])) == "locked"
    assert counts(app) == (1, 0)
    assert board_state(app, acting)[0] == seq


def test_sign_up_refused_while_locked(app, participant, action, acting):
    configure(app, acting, locked=True)
    anna, _ = participant("Anna", acting)
    assert error_code(emit(anna, "sign_up", acting, action_id=action["id"])) == "locked"
    assert counts(app) == (1, 0)


def test_staff_sign_up_someone_by_name_in_any_step(app, mod, participant, action, acting):
    configure(app, acting, step="collect", locked=True)
    data = data_of(emit(mod, "sign_up", acting, action_id=action["id"], name="Frau Ölmann",
                        brings="Räume"))
    assert [(c["participant_id"], c["name"], c["brings"])
            for c in data["action"]["contributors"]] == [(None, "Frau Ölmann", "Räume")]
    again = data_of(emit(mod, "sign_up", acting, action_id=action["id"], name="Frau Ölmann",
                         brings="Räume und Kaffee"))
    assert [c["brings"] for c in again["action"]["contributors"]] == ["Räume und Kaffee"]
    assert error_code(emit(mod, "sign_up", acting, action_id=action["id"])) == "invalid"
    assert error_code(emit(mod, "sign_up", acting, action_id=action["id"],
                           name="x" * 81)) == "invalid"
    assert counts(app) == (1, 1)


def test_participant_may_not_sign_up_someone_else(app, participant, action, acting):
    anna, _ = participant("Anna", acting)
    ack = emit(anna, "sign_up", acting, action_id=action["id"], name="Ben")
    assert error_code(ack) == "forbidden"
    assert counts(app) == (1, 0)


def test_sign_up_needs_a_joined_participant(app, participant, outsider, client, auth, connect,
                                            action, acting):
    anna, _ = participant("Anna")
    olga, _ = outsider
    projector = viewer_of(client, auth, connect, acting)
    for tc in (anna, olga, projector):
        assert error_code(emit(tc, "sign_up", acting, action_id=action["id"])) == "forbidden"
    assert counts(app) == (1, 0)


def test_sign_up_for_an_unknown_or_foreign_action(app, mod, participant, workshops, acting):
    other = data_of(save(mod, workshops[1]))["action"]
    anna, _ = participant("Anna", acting)
    assert error_code(emit(anna, "sign_up", acting, action_id=other["id"])) == "not_found"
    assert error_code(emit(anna, "sign_up", acting, action_id=999_999)) == "not_found"
    assert error_code(emit(anna, "sign_up", acting, action_id=other["id"],
                           brings="x" * 201)) == "invalid"
    assert counts(app) == (1, 0)


# --- withdraw_sign_up -----------------------------------------------------------------------


def test_participant_withdraws_their_own_sign_up(app, participant, action, acting):
    anna, _ = participant("Anna", acting)
    ben, _ = participant("Ben", acting)
    data_of(emit(anna, "sign_up", acting, action_id=action["id"]))
    ben_row = data_of(emit(ben, "sign_up", acting, action_id=action["id"]))["action"]
    ben_id = ben_row["contributors"][1]["id"]
    ben.get_received()

    assert error_code(emit(anna, "withdraw_sign_up", acting, action_id=action["id"],
                           contributor_id=ben_id)) == "forbidden"
    data = data_of(emit(anna, "withdraw_sign_up", acting, action_id=action["id"]))
    assert [c["name"] for c in data["action"]["contributors"]] == ["Ben"]
    assert payloads(ben, "action_saved") == [
        {"workshop_id": acting, "seq": data["seq"], "action": data["action"]}]

    again = data_of(emit(anna, "withdraw_sign_up", acting, action_id=action["id"]))
    assert again == data
    assert ben.get_received() == []


def test_participant_withdraws_only_in_the_act_step(app, participant, action, acting):
    anna, _ = participant("Anna", acting)
    data_of(emit(anna, "sign_up", acting, action_id=action["id"]))
    configure(app, acting, step="closed")
    ack = emit(anna, "withdraw_sign_up", acting, action_id=action["id"])
    assert error_code(ack) == "locked"
    assert counts(app) == (1, 1)


def test_staff_withdraw_any_sign_up_by_id(app, mod, host_of, participant, action, acting):
    anna, _ = participant("Anna", acting)
    signed = data_of(emit(anna, "sign_up", acting, action_id=action["id"]))["action"]
    anna.get_received()
    configure(app, acting, step="closed")
    host = host_of(acting)
    assert error_code(emit(host, "withdraw_sign_up", acting,
                           action_id=action["id"])) == "invalid"
    assert error_code(emit(host, "withdraw_sign_up", acting, action_id=action["id"],
                           contributor_id=999_999)) == "not_found"
    data = data_of(emit(host, "withdraw_sign_up", acting, action_id=action["id"],
                        contributor_id=signed["contributors"][0]["id"]))
    assert data["action"]["contributors"] == []
    assert payloads(anna, "action_saved") == [
        {"workshop_id": acting, "seq": data["seq"], "action": data["action"]}]
    assert counts(app) == (1, 0)


def test_contributors_of_another_action_are_not_found(app, mod, participant, action, acting):
    other = data_of(save(mod, acting, title="Zweites"))["action"]
    anna, _ = participant("Anna", acting)
    signed = data_of(emit(anna, "sign_up", acting, action_id=action["id"]))["action"]
    ack = emit(mod, "withdraw_sign_up", acting, action_id=other["id"],
               contributor_id=signed["contributors"][0]["id"])
    assert error_code(ack) == "not_found"
    assert counts(app) == (2, 1)
