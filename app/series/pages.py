"""Browser pages of the action register: the moderators' register of a series, and the small
phone page a personal link opens (``/actions/<id>/update#token=…``)."""

from __future__ import annotations

from flask import Response
from pinnwand.pages.blueprint import pages
from pinnwand.pages.views import page
from pinnwand.ui_text import series as texts


@pages.get("/moderator/series/<int:series_id>")
def register_page(series_id: int):
    """The register of a series: every action of its events, to filter, sort and search, with
    status updates, personal links and the exports. Signs in like the other moderator pages;
    the data comes from the API."""
    return page("register.html", "moderator", series_id=series_id,
                page_messages=texts.register_messages())


@pages.get("/actions/<int:action_id>/update")
def update_page(action_id: int):
    """The phone page of a personal link: one action, its status and notes. The token is in
    the URL fragment, so it never reaches a request line or a referrer."""
    response = Response(*page("action_update.html", action_id=action_id,
                              page_messages=texts.update_messages()))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
