"""Finding a workshop's ideas and whether they are on its board: shared by editing,
clustering, voting, actions and the plenary."""

from __future__ import annotations

from pinnwand.board.rules import of_workshop
from pinnwand.errors import Invalid
from pinnwand.ideas.models import Idea
from sqlalchemy import and_
from sqlalchemy.orm import Session


def get_idea(session: Session, workshop_id: int, idea_id: int) -> Idea:
    """The idea ``idea_id`` of this workshop, or :class:`~pinnwand.errors.NotFound`."""
    return of_workshop(session, Idea, workshop_id, idea_id, "idea")


def is_on_board(idea: Idea) -> bool:
    """Whether the idea is neither withdrawn (deleted) nor merged into another."""
    return idea.deleted_at is None and idea.merged_into_id is None


def idea_on_board():
    """:func:`is_on_board` as a query condition on :class:`Idea` rows."""
    return and_(Idea.deleted_at.is_(None), Idea.merged_into_id.is_(None))


def ensure_on_board(idea: Idea, field: str = "idea_id") -> None:
    """Refuse with :class:`Invalid` an idea that was withdrawn or merged."""
    if not is_on_board(idea):
        raise Invalid("This idea was withdrawn or merged: restore it first.",
                      {field: "withdrawn or merged"})
