"""Concrete actions of a workshop and their contributors; no Flask.

Every write numbers one change of the workshop: ``action_saved {"workshop_id", "seq",
"action"}`` (created, edited, restored, a sign-up added, changed or withdrawn) or
``action_deleted {"workshop_id", "seq", "action_id"}``. A write that changes nothing is a
no-op: no ``seq``, no change, the current state is answered.
"""

from __future__ import annotations

from pinnwand.actions.models import Action, Contributor
from pinnwand.actions.schemas import ActionRef, SaveAction, SignUp, WithdrawSignUp
from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, numbered, shared
from pinnwand.board.names import ACTION_DELETED, ACTION_SAVED
from pinnwand.board.operations import remember
from pinnwand.board.rules import ACT, ensure_step, of_workshop
from pinnwand.board.seq import claim_seq, current_seq
from pinnwand.board.visibility import Audience, action_view, gone
from pinnwand.clusters.models import Cluster
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import Conflict, Forbidden, Invalid, NotFound
from pinnwand.ideas.models import Idea
from pinnwand.workshops.services import get_workshop
from sqlalchemy import func, select
from sqlalchemy.orm import Session

EDITABLE_FIELDS = ("title", "what", "owner", "owner_organisation", "due", "prospects",
                   "idea_ids", "cluster_ids")


def action_json(action: Action, contributors: list[Contributor]) -> dict:
    """An action with its contributors ("who brings what")."""
    return {
        "id": action.id,
        "workshop_id": action.workshop_id,
        "title": action.title,
        "what": action.what,
        "owner": action.owner,
        "owner_organisation": action.owner_organisation,
        "due": action.due.isoformat() if action.due else None,
        "prospects": action.prospects,
        "idea_ids": list(action.idea_ids or []),
        "cluster_ids": list(action.cluster_ids or []),
        "position": action.position,
        "created_at": isoformat(action.created_at),
        "deleted": action.deleted_at is not None,
        "contributors": [contributor_json(c) for c in contributors],
    }


def contributor_json(contributor: Contributor) -> dict:
    """Who brings what to an action."""
    return {"id": contributor.id, "participant_id": contributor.participant_id,
            "name": contributor.name, "organisation": contributor.organisation,
            "brings": contributor.brings,
            "name_in_results": contributor.name_in_results}


def actions_json(session: Session, workshop_id: int, audience: Audience) -> list[dict]:
    """A workshop's actions with their contributors, as this audience may see them (see
    :func:`pinnwand.board.visibility.action_view`)."""
    query = select(Action).where(Action.workshop_id == workshop_id)
    if not audience.staff:
        query = query.where(Action.deleted_at.is_(None))
    actions = list(session.scalars(query.order_by(Action.position, Action.id)))
    by_action: dict[int, list[Contributor]] = {a.id: [] for a in actions}
    if actions:
        rows = session.scalars(select(Contributor).where(Contributor.action_id.in_(by_action))
                               .order_by(Contributor.id))
        for contributor in rows:
            by_action[contributor.action_id].append(contributor)
    seen = (action_view(action_json(a, by_action[a.id]), audience) for a in actions)
    return [view for view in seen if view is not None]


def contributors_of(session: Session, action_id: int) -> list[Contributor]:
    """An action's contributors in the order they signed up."""
    query = select(Contributor).where(Contributor.action_id == action_id)
    return list(session.scalars(query.order_by(Contributor.id)))


def full_action_json(session: Session, action: Action) -> dict:
    """An action with its current contributors, read from the session."""
    session.flush()
    return action_json(action, contributors_of(session, action.id))


def get_action(session: Session, workshop_id: int, action_id: int,
               deleted_ok: bool = True) -> Action:
    """The action of this workshop, or :class:`NotFound` (also for another workshop's)."""
    action = of_workshop(session, Action, workshop_id, action_id, "action")
    if action.deleted_at is not None and not deleted_ok:
        raise NotFound("This action has been deleted.")
    return action


def _unique(ids: list[int] | None) -> list[int]:
    """The ids in their first order, each once."""
    return list(dict.fromkeys(ids or []))


def ensure_linked(session: Session, workshop_id: int, model, ids: list[int], field: str) -> None:
    """Refuse with :class:`NotFound` ids that are not ideas (clusters) of this workshop."""
    if not ids:
        return
    found = set(session.scalars(select(model.id).where(model.id.in_(ids),
                                                       model.workshop_id == workshop_id)))
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"These {field.removesuffix('_ids')}s are not in this workshop: "
                       f"{', '.join(map(str, missing))}.", {field: "not in this workshop"})


def _new_values(data: SaveAction, creating: bool) -> dict:
    """The field values ``save_action`` sets: every field when creating, else those sent.
    Empty texts are stored as ``None``."""
    sent = set(EDITABLE_FIELDS) if creating else data.model_fields_set & set(EDITABLE_FIELDS)
    values = {}
    for name in sent:
        value = getattr(data, name)
        if name in ("idea_ids", "cluster_ids"):
            value = _unique(value)
        elif isinstance(value, str) and not value:
            value = None
        values[name] = value
    return values


def _saved(session: Session, workshop_id: int, seq: int, action: Action) -> tuple[dict, Change]:
    """Log ``action_saved`` with the action and its contributors, as each audience may see it
    (a deleted action reaches everyone but the staff as :func:`~pinnwand.board.visibility.gone`);
    the staff's ack ``{"action", "seq"}`` and the change."""
    shown = full_action_json(session, action)

    def view(audience: Audience) -> dict:
        return {"workshop_id": workshop_id, "seq": seq,
                "action": action_view(shown, audience) or gone(shown)}

    return {"action": shown, "seq": seq}, numbered(session, workshop_id, seq, ACTION_SAVED, view)


def _as_is(session: Session, action: Action, seq: int) -> tuple[dict, None]:
    """The ack of a write that changed nothing: the action as it is and the current ``seq``."""
    return {"action": full_action_json(session, action), "seq": seq}, None


def save_action(session: Session, identity: Identity,
                data: SaveAction) -> tuple[dict, Change | None]:
    """Create an action, or replace the fields sent of ``action_id`` (the workshop's staff, in
    any step; the caller has checked that).

    Linked ideas and clusters must belong to the workshop. A new action goes last and its
    answer is remembered under the sender's ``op_id``; an edit that changes nothing (or of a
    deleted action: ``conflict``) numbers nothing. Numbers ``action_saved``. Returns
    ``({"action", "seq"}, change or None)``.
    """
    creating = data.action_id is None
    action = None if creating else get_action(session, data.workshop_id, data.action_id)
    if action is not None and action.deleted_at is not None:
        raise Conflict("This action is deleted: restore it before editing it.")
    values = _new_values(data, creating)
    ensure_linked(session, data.workshop_id, Idea, values.get("idea_ids"), "idea_ids")
    ensure_linked(session, data.workshop_id, Cluster, values.get("cluster_ids"), "cluster_ids")
    if action is not None:
        values = {k: v for k, v in values.items() if getattr(action, k) != v}
        if not values:
            return _as_is(session, action, current_seq(session, data.workshop_id))
    state = claim_seq(session, data.workshop_id)
    if action is None:
        action = Action(workshop_id=data.workshop_id, position=_next_position(session, data))
        session.add(action)
    for name, value in values.items():
        setattr(action, name, value)
    answer, change = _saved(session, data.workshop_id, state.seq, action)
    if creating:
        remember(session, identity.sender, data.op_id, answer)
    return answer, change


def _next_position(session: Session, data: SaveAction) -> int:
    """The position after the workshop's last action."""
    query = select(func.max(Action.position)).where(Action.workshop_id == data.workshop_id)
    last = session.scalar(query)
    return 0 if last is None else last + 1


def delete_action(session: Session, data: ActionRef) -> tuple[dict, Change | None]:
    """Soft-delete an action (the workshop's staff): it leaves the room's board, the staff
    keep it flagged ``deleted`` to restore it. Numbers ``action_deleted {"workshop_id", "seq",
    "action_id"}``; already deleted, a no-op. Returns ``({"action_id", "seq"}, change)``."""
    action = get_action(session, data.workshop_id, data.action_id)
    if action.deleted_at is not None:
        return {"action_id": action.id, "seq": current_seq(session, data.workshop_id)}, None
    state = claim_seq(session, data.workshop_id)
    action.deleted_at = utcnow()
    session.flush()
    payload = {"workshop_id": data.workshop_id, "seq": state.seq, "action_id": action.id}
    change = shared(session, data.workshop_id, state.seq, ACTION_DELETED, payload)
    return {"action_id": action.id, "seq": state.seq}, change


def restore_action(session: Session, data: ActionRef) -> tuple[dict, Change | None]:
    """Bring a deleted action back (the workshop's staff). Numbers ``action_saved``; an action
    that is not deleted is a no-op. Returns ``({"action", "seq"}, change or None)``."""
    action = get_action(session, data.workshop_id, data.action_id)
    if action.deleted_at is None:
        return _as_is(session, action, current_seq(session, data.workshop_id))
    state = claim_seq(session, data.workshop_id)
    action.deleted_at = None
    return _saved(session, data.workshop_id, state.seq, action)


def _own_contributor(session: Session, action_id: int, identity: Identity,
                     name: str | None) -> Contributor | None:
    """The sign-up this request replaces: the participant's own row, or (for a name the staff
    typed in) a row of that name without a participant."""
    query = select(Contributor).where(Contributor.action_id == action_id)
    if name is None:
        query = query.where(Contributor.participant_id == identity.participant_id)
    else:
        query = query.where(Contributor.participant_id.is_(None), Contributor.name == name)
    return session.scalars(query.order_by(Contributor.id)).first()


def ensure_sign_up_allowed(workshop, identity: Identity, data: SignUp, staff: bool) -> None:
    """Participants sign themselves up, in the act step, while unlocked; the staff sign up
    someone by ``name`` (required from them, refused from participants)."""
    if staff:
        if data.name is None:
            raise Invalid("Say whom you sign up: a name is needed.", {"name": "required"})
        return
    if data.name is not None:
        raise Forbidden("Only the workshop's moderators may sign up someone else.")
    ensure_step(workshop, False, ACT, "signing up for actions")


def sign_up(session: Session, identity: Identity, data: SignUp,
            staff: bool) -> tuple[dict, Change | None]:
    """Sign up for an action with what one brings (participants who joined, in the act step,
    while unlocked; the staff for someone by ``name``, in any step). Signing up again replaces
    ``brings`` (and ``name_in_results`` when sent); the same again is a no-op. Numbers
    ``action_saved``. Returns ``({"action", "seq"}, change or None)``."""
    workshop = get_workshop(session, data.workshop_id)
    ensure_sign_up_allowed(workshop, identity, data, staff)
    action = get_action(session, data.workshop_id, data.action_id, deleted_ok=False)
    brings = data.brings or None
    contributor = _own_contributor(session, action.id, identity, data.name if staff else None)
    organisation = contributor.organisation if (
        contributor is not None and data.organisation is None) else (data.organisation or None)
    if contributor is not None and contributor.brings == brings and (
            contributor.organisation == organisation) and (
            data.name_in_results in (None, contributor.name_in_results)):
        return _as_is(session, action, workshop.seq)
    state = claim_seq(session, data.workshop_id)
    ensure_sign_up_allowed(state, identity, data, staff)
    if contributor is None:
        contributor = Contributor(action_id=action.id, name=data.name if staff else identity.name,
                                  participant_id=None if staff else identity.participant_id)
        session.add(contributor)
    contributor.brings = brings
    contributor.organisation = organisation
    if data.name_in_results is not None or contributor.name_in_results is None:
        contributor.name_in_results = bool(data.name_in_results)
    return _saved(session, data.workshop_id, state.seq, action)


def _withdrawn_row(session: Session, action: Action, identity: Identity,
                   data: WithdrawSignUp, staff: bool) -> Contributor | None:
    """The contributor row to remove: any named row for the staff, the sender's own for a
    participant (``None`` when they are not signed up)."""
    if staff:
        if data.contributor_id is None:
            raise Invalid("Say whose sign-up to withdraw.", {"contributor_id": "required"})
        contributor = session.get(Contributor, data.contributor_id)
        if contributor is None or contributor.action_id != action.id:
            raise NotFound("There is no such sign-up for this action.")
        return contributor
    own = _own_contributor(session, action.id, identity, None)
    if data.contributor_id is not None and (own is None or own.id != data.contributor_id):
        raise Forbidden("You may only withdraw your own sign-up.")
    return own


def withdraw_sign_up(session: Session, identity: Identity, data: WithdrawSignUp,
                     staff: bool) -> tuple[dict, Change | None]:
    """Remove a sign-up: a participant their own (in the act step, while unlocked; not signed
    up is a no-op), the staff any (``contributor_id`` required). Numbers ``action_saved``.
    Returns ``({"action", "seq"}, change or None)``."""
    workshop = get_workshop(session, data.workshop_id)
    action = get_action(session, data.workshop_id, data.action_id, deleted_ok=staff)
    contributor = _withdrawn_row(session, action, identity, data, staff)
    ensure_step(workshop, staff, ACT, "withdrawing a sign-up")
    if contributor is None:
        return _as_is(session, action, workshop.seq)
    state = claim_seq(session, data.workshop_id)
    ensure_step(state, staff, ACT, "withdrawing a sign-up")
    session.delete(contributor)
    return _saved(session, data.workshop_id, state.seq, action)
