""""What is already running": a workshop with the template ``running`` collects the running
activities of the members' organisations as ideas; its staff take one into the series'
register as an action with status ``running`` and the organisation as its owner. No Flask."""

from __future__ import annotations

from pinnwand.actions.models import Action
from pinnwand.actions.schemas import SaveAction
from pinnwand.actions.services import save_action
from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change
from pinnwand.errors import Conflict
from pinnwand.ideas.models import Idea
from pinnwand.series.models import series_events
from pinnwand.series.schemas import TakeRunning
from pinnwand.workshops.services import get_workshop
from sqlalchemy import select
from sqlalchemy.orm import Session

RUNNING = "running"


def take_running(session: Session, identity: Identity, data: TakeRunning,
                 staff: bool) -> tuple[dict, Change | None]:
    """Take an idea of a ``running`` board into the register (the workshop's staff, any
    step): a new action of this workshop titled like the idea (or ``title``), linked to it,
    owned by ``organisation`` (as owner and owner organisation), with status ``running``.
    ``conflict`` on another template or outside a series. Numbers ``action_saved``; the
    answer is remembered under the sender's ``op_id``. Returns ``({"action", "seq"},
    change)``."""
    workshop = get_workshop(session, data.workshop_id)
    if workshop.template != RUNNING:
        raise Conflict("Only a “What is already running” board takes activities into the "
                       "register.")
    if session.scalar(select(series_events.c.series_id)
                      .where(series_events.c.event_id == workshop.event_id)) is None:
        raise Conflict("This event belongs to no series: there is no register to take it "
                       "into.")
    idea = session.get(Idea, data.idea_id)
    title = data.title or (idea.text[:200] if idea is not None and idea.workshop_id ==
                           workshop.id and idea.text else "")
    answer, change = save_action(session, identity, SaveAction.model_construct(
        workshop_id=data.workshop_id, op_id=data.op_id, action_id=None, title=title or "?",
        what=None, owner=data.organisation, owner_organisation=data.organisation, due=None,
        prospects=None, idea_ids=[data.idea_id], cluster_ids=[]))
    session.get(Action, answer["action"]["id"]).status = RUNNING
    return answer, change
