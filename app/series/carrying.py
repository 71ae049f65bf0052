"""Carrying a series' open action forward, or dropping it, at the act step of a later forum.

The moderator of a workshop of a later event of the same series decides about an action agreed
at an earlier forum: carried forward (the same register entry gets a new due date and maybe new
contributors) or dropped (status ``dropped``, the reason as a dated update in its log). The
decision is kept per action and workshop (:class:`ActionCarry`; deciding again replaces it),
numbered in that workshop as ``carried_action_saved {"workshop_id", "seq", "carried"}`` and
shown on its board (``carried`` in the snapshot) and in its report. No Flask.
"""

from __future__ import annotations

from pinnwand.actions.models import Action, Contributor
from pinnwand.actions.services import contributor_json
from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, numbered
from pinnwand.board.names import CARRIED_ACTION_SAVED
from pinnwand.board.operations import remember
from pinnwand.board.seq import claim_seq
from pinnwand.board.visibility import Audience, carried_view
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import Conflict, Locked, NotFound
from pinnwand.events.models import Event
from pinnwand.series.models import ActionCarry, ActionUpdate, series_events
from pinnwand.series.schemas import CarryAction, DropAction
from pinnwand.workshops.models import Workshop
from sqlalchemy import select
from sqlalchemy.orm import Session

OPEN = ("planned", "running")
CARRIED, DROPPED = "carried", "dropped"


def _series_of_event(session: Session, event_id: int) -> int | None:
    return session.scalar(select(series_events.c.series_id)
                          .where(series_events.c.event_id == event_id))


def _earlier_action(session: Session, workshop: Workshop, action_id: int) -> Action:
    """The action if it was agreed at another, not later forum of the workshop's series
    (``not_found`` otherwise: another series' actions are as unknown as missing ones)."""
    action = session.get(Action, action_id)
    series_id = _series_of_event(session, workshop.event_id)
    if action is None or action.deleted_at is not None or series_id is None:
        raise NotFound("There is no such action in this series.")
    origin = session.get(Workshop, action.workshop_id)
    if origin.event_id == workshop.event_id or \
            _series_of_event(session, origin.event_id) != series_id:
        raise NotFound("There is no such action of an earlier forum of this series.")
    here, there = session.get(Event, workshop.event_id), session.get(Event, origin.event_id)
    if here.date and there.date and there.date > here.date:
        raise Conflict("This action belongs to a later forum.")
    return action


def _in_act_step(state) -> None:
    """Carrying forward and dropping happen in the workshop's act step."""
    if state.step != "act":
        raise Locked(f"This workshop is in its {state.step} step: deciding about the series' "
                     "actions is possible in its act step.")


def _decision(session: Session, action_id: int, workshop_id: int) -> ActionCarry | None:
    return session.scalars(select(ActionCarry).where(ActionCarry.action_id == action_id,
                                                     ActionCarry.workshop_id == workshop_id)
                           ).first()


def carried_json(session: Session, carry: ActionCarry) -> dict:
    """A decision with the action as it stands now: ``{"action_id", "workshop_id", "kind",
    "due_before", "due", "reason", "at", "action": {"id", "title", "what", "owner",
    "owner_organisation", "due", "status", "contributors", "event"}}``."""
    action = session.get(Action, carry.action_id)
    origin = session.get(Workshop, action.workshop_id)
    event = session.get(Event, origin.event_id)
    contributors = session.scalars(select(Contributor).where(
        Contributor.action_id == action.id).order_by(Contributor.id))
    return {
        "action_id": action.id, "workshop_id": carry.workshop_id, "kind": carry.kind,
        "due_before": carry.due_before.isoformat() if carry.due_before else None,
        "due": carry.due.isoformat() if carry.due else None,
        "reason": carry.reason, "at": isoformat(carry.at),
        "action": {"id": action.id, "title": action.title, "what": action.what,
                   "owner": action.owner, "owner_organisation": action.owner_organisation,
                   "due": action.due.isoformat() if action.due else None,
                   "status": action.status,
                   "contributors": [contributor_json(c) for c in contributors],
                   "event": {"id": event.id, "title": event.title,
                             "date": event.date.isoformat() if event.date else None}},
    }


def carried_of(session: Session, workshop_id: int, audience: Audience) -> list[dict]:
    """The decisions taken in this workshop about the series' actions, oldest first, as this
    audience may see them (the ``carried`` part of the snapshot)."""
    rows = session.scalars(select(ActionCarry).where(ActionCarry.workshop_id == workshop_id)
                           .order_by(ActionCarry.id))
    return [carried_view(carried_json(session, row), audience) for row in rows]


def _numbered(session: Session, workshop_id: int, seq: int,
              carry: ActionCarry) -> tuple[dict, Change]:
    session.flush()
    shown = carried_json(session, carry)

    def view(audience: Audience) -> dict:
        return {"workshop_id": workshop_id, "seq": seq,
                "carried": carried_view(shown, audience)}

    return ({"carried": shown, "seq": seq},
            numbered(session, workshop_id, seq, CARRIED_ACTION_SAVED, view))


def _add_contributors(session: Session, action: Action, data: CarryAction) -> None:
    """The new contributors named at the carry; a name already among them is updated."""
    known = {c.name: c for c in session.scalars(select(Contributor).where(
        Contributor.action_id == action.id, Contributor.participant_id.is_(None)))}
    for new in data.contributors or []:
        row = known.get(new.name)
        if row is None:
            row = Contributor(action_id=action.id, name=new.name, participant_id=None,
                              name_in_results=False)
            session.add(row)
            known[new.name] = row
        row.organisation = new.organisation or row.organisation
        row.brings = new.brings or row.brings


def _decide(session: Session, action: Action, workshop_id: int, kind: str) -> ActionCarry:
    """This workshop's decision row about the action (a new one, or the one to replace)."""
    carry = _decision(session, action.id, workshop_id)
    if carry is None:
        carry = ActionCarry(action_id=action.id, workshop_id=workshop_id, kind=kind,
                            due_before=action.due)
        session.add(carry)
    carry.kind, carry.at = kind, utcnow()
    return carry


def carry_action(session: Session, identity: Identity, data: CarryAction,
                 staff: bool) -> tuple[dict, Change]:
    """Carry an open action of an earlier forum of the series forward (the workshop's staff,
    in its act step): the same register entry gets the new ``due`` (when sent) and the new
    contributors; the decision is kept for this workshop. Numbers
    ``carried_action_saved``; the answer is remembered under the sender's ``op_id``. Returns
    ``({"carried", "seq"}, change)``."""
    workshop = session.get(Workshop, data.workshop_id)
    _in_act_step(workshop)
    action = _earlier_action(session, workshop, data.action_id)
    if action.status not in OPEN:
        raise Conflict(f"This action is {action.status}: only open actions can be carried "
                       "forward.")
    state = claim_seq(session, data.workshop_id)
    _in_act_step(state)
    carry = _decide(session, action, data.workshop_id, CARRIED)
    carry.reason = None
    if "due" in data.model_fields_set:
        action.due = data.due
    carry.due = action.due
    _add_contributors(session, action, data)
    answer, change = _numbered(session, data.workshop_id, state.seq, carry)
    remember(session, identity.sender, data.op_id, answer)
    return answer, change


def drop_action(session: Session, identity: Identity, data: DropAction,
                staff: bool) -> tuple[dict, Change]:
    """Drop an open action of an earlier forum of the series (the workshop's staff, in its act
    step): its status becomes ``dropped`` and the ``reason`` a dated update in its log (by
    the moderator's display name). Numbers ``carried_action_saved``; the answer is remembered
    under the sender's ``op_id``. Returns ``({"carried", "seq"}, change)``."""
    workshop = session.get(Workshop, data.workshop_id)
    _in_act_step(workshop)
    action = _earlier_action(session, workshop, data.action_id)
    if action.status not in OPEN:
        raise Conflict(f"This action is {action.status} already.")
    state = claim_seq(session, data.workshop_id)
    _in_act_step(state)
    carry = _decide(session, action, data.workshop_id, DROPPED)
    carry.reason, carry.due = data.reason, action.due
    action.status = DROPPED
    session.add(ActionUpdate(action_id=action.id, status=DROPPED, note=data.reason,
                             by=identity.name[:80] if identity.name else None, at=utcnow()))
    answer, change = _numbered(session, data.workshop_id, state.seq, carry)
    remember(session, identity.sender, data.op_id, answer)
    return answer, change
