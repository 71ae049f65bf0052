"""Strings of the register page and the personal link's phone page (their ``page-i18n``
blocks, read with ``msg()``)."""

from __future__ import annotations

from flask_babel import gettext as _


def statuses() -> dict[str, str]:
    """The register's statuses in words."""
    return {
        "status_planned": _("planned"),
        "status_running": _("running"),
        "status_done": _("done"),
        "status_dropped": _("dropped"),
    }


def register_messages() -> dict[str, str]:
    """What ``static/js/register.js`` shows."""
    return {
        **statuses(),
        "no_actions": _("No actions match."),
        "no_events": _("No event belongs to this series yet."),
        "owner": _("Owner: {owner}"),
        "due": _("Due {date}"),
        "contributors": _("With: {names}"),
        "from_event": _("{event} · {workshop}"),
        "latest": _("Latest update {date}: {note}"),
        "no_updates": _("No update yet."),
        "review_counts": _("Review at later forums: worked {worked}, partly {partly}, did not "
                           "work {not}, too early {unsure}"),
        "verdict_worked": _("Worked"),
        "verdict_partly": _("Partly"),
        "verdict_not": _("Did not work"),
        "verdict_unsure": _("Too early"),
        "update": _("Update"),
        "save_update": _("Save update"),
        "note": _("Note"),
        "saved": _("Saved."),
        "save_failed": _("Not saved: {message}"),
        "personal_link": _("Personal link"),
        "link_for": _("For whom (owner or contributor)"),
        "create_link": _("Create link"),
        "link_ready": _("Hand this link or QR code to {name}. It opens this one action on a "
                        "phone."),
        "link_ready_nameless": _("Hand this link or QR code on. It opens this one action on "
                                 "a phone."),
        "links": _("Links given out"),
        "revoke": _("Revoke"),
        "revoked": _("revoked"),
        "copy": _("Copy"),
        "count_one": _("{n} action"),
        "count_other": _("{n} actions"),
        "load_failed": _("The register could not be loaded: {message}"),
        "export_failed": _("The export failed: {message}"),
        "owner_of": _("Owner: {owner} ({organisation})"),
        "link_email": _("E-mail for reminders (optional)"),
        "organisations_empty": _("No organisation is named yet: add one to an action's owner "
                                 "or to a sign-up."),
        "organisation": _("Organisation"),
        "owns": _("Owns"),
        "contributes": _("Contributes to"),
        "role_owner": _("owns"),
        "role_contributor": _("contributes"),
    }


def update_messages() -> dict[str, str]:
    """What ``static/js/action-update.js`` shows."""
    return {
        **statuses(),
        "link_incomplete": _("This link is incomplete. Ask the moderators for a new one."),
        "link_invalid": _("This link is no longer valid. Ask the moderators for a new one."),
        "due": _("Due {date}"),
        "owner": _("Owner: {owner}"),
        "no_updates": _("No update yet."),
        "sending": _("Sending …"),
        "sent": _("Thank you! Your update is saved."),
        "send_failed": _("Not saved: {message}"),
        "note_too_long": _("Please keep the note under 1,000 characters."),
    }
