"""The plenary's projector page for the moderator's laptop."""

from __future__ import annotations

from pinnwand.pages.blueprint import pages
from pinnwand.pages.views import page


@pages.get("/moderator/events/<int:event_id>/plenary")
def plenary_board(event_id: int):
    """The event's plenary, projector-sized: the items brought from every workshop as large
    cards (by votes while voting), and the moderator's controls. Signs in like the other
    moderator pages; the plenary itself comes over Socket.IO (``join_plenary``)."""
    return page("plenary.html", "moderator", "plenary", event_id=event_id)
