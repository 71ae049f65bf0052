"""Socket handlers of actions and the sign-ups for them."""

from __future__ import annotations

from pinnwand.actions import services
from pinnwand.actions.schemas import ActionRef, SaveAction, SignUp, WithdrawSignUp
from pinnwand.board.operations import answer_once
from pinnwand.commands import sender_of, staff_only, staff_or_participants, workshop_write, write
from pinnwand.realtime import acked
from pinnwand.state import state


@acked
def on_save_action(payload):
    """Sent by the workshop's staff (the event's moderators, its host), in any step.

    Creates an action (idempotent per sender and ``op_id``: a repeat from the workshop's staff
    answers the first answer and creates nothing) or replaces the fields sent of
    ``action_id``. Broadcasts ``action_saved {"workshop_id", "seq", "action"}`` when something
    changed. Answers ``{"action", "seq"}``.
    """
    data, identity, _ = sender_of(SaveAction, payload, staff_only)

    def save() -> dict:
        return write(data.workshop_id, lambda session: services.save_action(
            session, identity, data))

    if data.action_id is not None:
        return save()
    return answer_once(state().db, identity.sender, data.op_id, save)


@acked
def on_delete_action(payload):
    """Sent by the workshop's staff. Soft-deletes the action and broadcasts ``action_deleted
    {"workshop_id", "seq", "action_id"}`` (nothing when it is deleted already). Answers
    ``{"action_id", "seq"}``."""
    data, _, _ = sender_of(ActionRef, payload, staff_only)
    return write(data.workshop_id, lambda session: services.delete_action(session, data))


@acked
def on_restore_action(payload):
    """Sent by the workshop's staff. Restores a deleted action and broadcasts ``action_saved
    {"workshop_id", "seq", "action"}`` (nothing when it is not deleted). Answers
    ``{"action", "seq"}``."""
    data, _, _ = sender_of(ActionRef, payload, staff_only)
    return write(data.workshop_id, lambda session: services.restore_action(session, data))


@acked
def on_sign_up(payload):
    """Sent by a participant who joined the workshop (in its act step, while unlocked), or by
    its staff for someone without a phone (``name``).

    Adds the contributor to the action, or replaces what they bring; broadcasts
    ``action_saved {"workshop_id", "seq", "action"}`` when something changed. Answers
    ``{"action", "seq"}``.
    """
    return workshop_write(SignUp, payload, services.sign_up, who=staff_or_participants)


@acked
def on_withdraw_sign_up(payload):
    """Sent by a participant withdrawing their own sign-up (in the act step, while unlocked),
    or by the staff removing any (``contributor_id``).

    Removes the contributor and broadcasts ``action_saved {"workshop_id", "seq", "action"}``
    (nothing when the participant was not signed up). Answers ``{"action", "seq"}``.
    """
    return workshop_write(WithdrawSignUp, payload, services.withdraw_sign_up,
                          who=staff_or_participants)


def register(socketio) -> None:
    """Bind the action handlers to ``socketio``."""
    socketio.on_event("save_action", on_save_action)
    socketio.on_event("delete_action", on_delete_action)
    socketio.on_event("restore_action", on_restore_action)
    socketio.on_event("sign_up", on_sign_up)
    socketio.on_event("withdraw_sign_up", on_withdraw_sign_up)
