"""The heartbeat: every board open on this process hears its latest ``seq``.

``beat`` is what the server's background task runs every ``PINNWAND_HEARTBEAT_SECONDS``; here
it is called directly. A board's room hears ``heartbeat {"workshop_id", "seq"}`` with the seq in
the database (also when the change's broadcast never came); sockets on no board hear nothing.
"""

from __future__ import annotations

from datetime import timedelta

from pinnwand.auth.models import Token
from pinnwand.db import utcnow
from pinnwand.heartbeat import beat, close_invalid_sockets, open_boards
from pinnwand.workshops.models import Workshop
from sqlalchemy import update

from tests.sockets.helpers import bearer, idea_of, join_board


def heartbeats(tc) -> list[dict]:
    return [m["args"][0] for m in tc.get_received() if m["name"] == "heartbeat"]


def test_every_open_board_hears_its_latest_seq(app, connect, auth, participant, workshops):
    first, second, third = workshops
    anna, _ = participant("Anna", first)
    ben, _ = participant("Ben", second)
    idle, _ = participant("Carla")  # on no board
    mod = connect(bearer(auth))
    join_board(mod, first)
    idea_of(mod, first, "Eins")
    for tc in (anna, ben, idle, mod):
        tc.get_received()
    app_state = app.extensions["pinnwand"]
    # A change whose broadcast got lost: only the database knows it.
    with app_state.db.transaction() as session:
        session.execute(update(Workshop).where(Workshop.id == second).values(seq=Workshop.seq + 1))

    assert sorted(open_boards(app_state.realtime.socketio)) == [first, second]
    assert beat(app_state) == 2
    assert heartbeats(anna) == [{"workshop_id": first, "seq": 1}]
    assert heartbeats(mod) == [{"workshop_id": first, "seq": 1}]
    assert heartbeats(ben) == [{"workshop_id": second, "seq": 1}]
    assert idle.get_received() == []
    assert third not in open_boards(app_state.realtime.socketio)


def test_a_board_that_just_heard_a_change_is_left_out_until_it_falls_quiet(
        app, connect, auth, participant, workshops):
    busy, quiet = workshops[0], workshops[1]
    anna, _ = participant("Anna", busy)
    ben, _ = participant("Ben", quiet)
    mod = connect(bearer(auth))
    join_board(mod, busy)
    idea_of(mod, busy, "Eins")  # published just now, by this process
    app_state = app.extensions["pinnwand"]
    with app_state.db.transaction() as session:  # the quiet board's change got lost
        session.execute(update(Workshop).where(Workshop.id == quiet).values(seq=Workshop.seq + 1))
    for tc in (anna, ben, mod):
        tc.get_received()

    assert beat(app_state, quiet_for=60) == 1
    assert heartbeats(anna) == []
    assert heartbeats(ben) == [{"workshop_id": quiet, "seq": 1}]
    app_state.writer.last_published[busy] -= 61  # a beat later, nothing more was published
    assert beat(app_state, quiet_for=60) == 2
    assert heartbeats(anna) == [{"workshop_id": busy, "seq": 1}]


def test_with_no_board_open_nobody_is_told_anything(app, participant):
    anna, _ = participant("Anna")
    assert beat(app.extensions["pinnwand"]) == 0
    assert anna.get_received() == []


def test_sockets_of_tokens_revoked_or_expired_meanwhile_are_closed(app, participant):
    anna, anna_join = participant("Anna")
    ben, ben_join = participant("Ben")
    carla, _ = participant("Carla")
    app_state = app.extensions["pinnwand"]
    assert close_invalid_sockets(app_state) == 0
    # Revoked on another process whose message never arrived; expired while connected.
    with app_state.db.transaction() as session:
        session.execute(update(Token).where(Token.participant_id == anna_join["participant_id"])
                        .values(revoked_at=utcnow()))
        session.execute(update(Token).where(Token.participant_id == ben_join["participant_id"])
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert close_invalid_sockets(app_state) == 2
    assert not anna.is_connected() and not ben.is_connected()
    assert carla.is_connected()
