"""Socket handlers of a later forum's decisions about its series' open actions."""

from __future__ import annotations

from pinnwand.board.operations import answer_once
from pinnwand.commands import sender_of, staff_only, write
from pinnwand.realtime import acked
from pinnwand.series import carrying, running
from pinnwand.series.schemas import CarryAction, DropAction, TakeRunning
from pinnwand.state import state


def _once(schema, payload, service) -> dict:
    """Check the staff sender, then run ``service`` once per sender and ``op_id``."""
    data, identity, staff = sender_of(schema, payload, staff_only)
    return answer_once(state().db, identity.sender, data.op_id, lambda: write(
        data.workshop_id, lambda session: service(session, identity, data, staff)))


@acked
def on_carry_action(payload):
    """Sent by the workshop's staff in its act step, about an open action of an earlier forum
    of the same series. Sets the action's new due date, adds the new contributors, keeps the
    decision for this workshop and broadcasts ``carried_action_saved {"workshop_id", "seq",
    "carried"}``. Idempotent per sender and ``op_id``. Answers ``{"carried", "seq"}``."""
    return _once(CarryAction, payload, carrying.carry_action)


@acked
def on_drop_action(payload):
    """Sent by the workshop's staff in its act step, about an open action of an earlier forum
    of the same series. Sets its status to ``dropped``, logs the reason as a dated update and
    broadcasts ``carried_action_saved {"workshop_id", "seq", "carried"}``. Idempotent per
    sender and ``op_id``. Answers ``{"carried", "seq"}``."""
    return _once(DropAction, payload, carrying.drop_action)


@acked
def on_take_running(payload):
    """Sent by the workshop's staff on a "What is already running" board (template
    ``running``) of a forum of a series. Creates an action from the idea with status
    ``running``, the organisation as its owner, and broadcasts ``action_saved
    {"workshop_id", "seq", "action"}``. Idempotent per sender and ``op_id``. Answers
    ``{"action", "seq"}``."""
    return _once(TakeRunning, payload, running.take_running)


def register(socketio) -> None:
    """Bind the handlers to ``socketio``."""
    socketio.on_event("carry_action", on_carry_action)
    socketio.on_event("drop_action", on_drop_action)
    socketio.on_event("take_running", on_take_running)
