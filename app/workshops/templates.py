"""The board a new workshop starts with: its template and first columns. No Flask, except the
translated example columns of a new categories board."""

from __future__ import annotations

from flask_babel import gettext as _
from pinnwand.workshops.models import Category, Workshop
from pinnwand.workshops.schemas import WorkshopIn
from sqlalchemy.orm import Session


def example_categories() -> list[str]:
    """The three example columns of a new categories board, in the request's language."""
    return [
        _("Keep talent in the region"),
        _("Train new talent"),
        _("Attract talent from outside"),
    ]


def board_template(data: WorkshopIn) -> tuple[str, list[str]]:
    """The template and first columns a new workshop gets: columns given with the ``free``
    template make it a ``categories`` board; a ``categories`` board without columns starts
    with the three examples."""
    titles = list(data.categories or [])
    template = data.template
    if titles and template == "free":
        template = "categories"
    if template == "categories" and not titles:
        titles = example_categories()
    return template, titles


def apply_template(session: Session, workshop: Workshop, data: WorkshopIn) -> None:
    """Give a workshop being created (flushed, not yet numbered) its template and columns."""
    template, titles = board_template(data)
    workshop.template = template
    for position, title in enumerate(titles):
        session.add(Category(workshop_id=workshop.id, position=position, title=title))
    session.flush()
