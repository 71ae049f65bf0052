"""Languages of the browser pages: which locale a request gets, and the strings the scripts need.

The locale comes from ``?lang=de|en`` (then remembered in the ``lang`` cookie), else that
cookie, else the best match of ``Accept-Language``, else German. Templates translate with
``_()``; the scripts get their strings as one JSON data block (see :func:`js_messages`), so
every word on screen comes from the catalogues in ``app/translations``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask, request
from flask_babel import Babel, get_locale
from flask_babel import gettext as _

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    """The language of this request: ``?lang``, the ``lang`` cookie, Accept-Language, German."""
    asked = request.args.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language code (``de`` or ``en``) the current request is rendered in."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def remember_language(response):
    """After a page asked with ``?lang=``, keep that choice in the ``lang`` cookie."""
    asked = request.args.get("lang", "").strip().lower()
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            secure=request.is_secure, httponly=True)
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    return response


def init_babel(app: Flask) -> Babel:
    """Bind Flask-Babel to ``app`` with German as the default language and the catalogues
    in ``app/translations``."""
    return Babel(app, locale_selector=select_locale, default_locale=DEFAULT_LANGUAGE,
                 default_translation_directories=str(TRANSLATIONS))


def _common() -> dict[str, str]:
    return {
        "connecting": _("Connecting …"),
        "offline": _("No connection. Reconnecting …"),
        "reconnected": _("Connected again."),
        "server_error": _("Something went wrong on the server. Please try again."),
        "network_error": _("The server cannot be reached. Check the Wi-Fi and try again."),
        "timeout": _("No answer from the server. Please try again."),
        "just_now": _("just now"),
        "never": _("no activity yet"),
        "anonymous": _("Anonymous"),
        "hidden_idea": _("Hidden for now"),
        "copied": _("Copied"),
        "copy_failed": _("Select the text and copy it."),
        "ideas_one": _("{n} idea"),
        "ideas_other": _("{n} ideas"),
        "board_empty": _("No ideas yet – write the first one!"),
        "board_empty_locked": _("No ideas yet."),
        "new_idea_by": _("New idea from {author}: {text}"),
        "new_idea": _("New idea: {text}"),
        "chars_left": _("{n} characters left"),
        "chars_over": _("{n} characters too many"),
        "idea_sent": _("Sent. Everyone in the workshop sees your idea now."),
        "idea_offline": _("You are offline. Your idea stays in the field – send it again "
                          "once the connection is back."),
        "idea_locked": _("The workshop is paused right now. Your idea stays in the field."),
        "idea_too_fast": _("You are posting very fast. Wait a moment and send again."),
        "idea_invalid": _("Please write between 1 and 500 characters."),
        "idea_failed": _("Your idea was not sent. It stays in the field – try again."),
        "idea_empty": _("Write your idea first."),
        "you": _("You"),
        "qr_alt": _("QR code that opens {url}"),
    }


def _participant() -> dict[str, str]:
    return {
        "name_invalid": _("Please enter a name with 1 to 40 characters."),
        "code_unknown": _("There is no event with this code (any more). "
                          "Check the code on the screen."),
        "session_expired": _("Your session has ended. Please enter your name again."),
        "pick_failed": _("This workshop cannot be opened right now. Try again."),
        "signed_in_as": _("You post as {name}"),
    }


def _moderator() -> dict[str, str]:
    return {
        "login_failed": _("E-mail or password is not correct."),
        "login_limited": _("Too many attempts. Please wait a few minutes."),
        "login_busy": _("Many sign-ins at this moment. Try again in a few seconds."),
        "session_expired": _("Please sign in again."),
        "saved": _("Saved."),
        "saving": _("Saving …"),
        "save_failed": _("Not saved: {message}"),
        "field_required": _("Please fill in this field."),
        "field_invalid": _("Please check this field."),
        "no_events": _("No events yet. Create your first one with the form “New event”."),
        "no_agenda": _("No talks yet."),
        "no_workshops": _("No workshops yet. Add the first one below."),
        "open_editor": _("Edit"),
        "open_cockpit": _("Cockpit"),
        "edit": _("Edit"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "delete": _("Delete"),
        "delete_talk_confirm": _("Delete the talk “{title}”?"),
        "talk_title": _("Title of the talk"),
        "speaker": _("Speaker"),
        "organisation": _("Organisation"),
        "starts_at": _("Start time"),
        "workshop_title": _("Title"),
        "workshop_question": _("Guiding question"),
        "open_board": _("Open board"),
        "projector_link": _("Projector link"),
        "projector_link_ready": _("Projector link (valid 30 days) – open it on the venue PC:"),
        "open_projector": _("Open projector"),
        "copy": _("Copy"),
        "participants_one": _("{n} participant"),
        "participants_other": _("{n} participants"),
        "lock": _("Pause"),
        "unlock": _("Open again"),
        "locked": _("Paused"),
        "open": _("Open"),
        "lock_failed": _("Could not change the state: {message}"),
        "no_date": _("No date yet"),
        "code": _("Code"),
        "workshop_count_one": _("{n} workshop"),
        "workshop_count_other": _("{n} workshops"),
        "forum_count_one": _("{n} forum"),
        "forum_count_other": _("{n} forums"),
        "report_failed": _("The report could not be created: {message}"),
        "report_loading": _("Creating the report …"),
        "not_found": _("Not found or not yours."),
        "joining_open_until": _("Open for new participants until {date}."),
        "joining_closed": _("Closed: the code and the link take no new participants."),
        "joining_expired": _("Closed since {date}. Open it again to let people join."),
        "joining_close": _("Close joining"),
        "joining_reopen": _("Open joining again"),
        "joining_failed": _("Not changed: {message}"),
    }


def _projector() -> dict[str, str]:
    return {
        "link_incomplete": _("This projector link is incomplete. Please create a new one "
                             "in the moderator area."),
        "link_invalid": _("This projector link is no longer valid. Please create a new one "
                          "in the moderator area."),
        "projector_empty": _("No ideas yet – scan the code and write the first one!"),
        "wall_page": _("Page {n} of {total}"),
        "cluster_continued": _("continued"),
    }


def _group(module_name: str):
    def messages() -> dict[str, str]:
        module = importlib.import_module(f"pinnwand.ui_text.{module_name}")
        return module.messages()
    return messages


_GROUPS = {
    "common": _common,
    "participant": _participant,
    "moderator": _moderator,
    "projector": _projector,
    "phone_steps": _group("phone"),
    "staff_steps": _group("staff"),
    "plenary": _group("plenary"),
}


def js_messages(*groups: str) -> dict[str, str]:
    """The translated strings the scripts of a page need (``common`` plus ``groups``)."""
    messages: dict[str, str] = {}
    for group in ("common", *groups):
        messages.update(_GROUPS[group]())
    return messages
