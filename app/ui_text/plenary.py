"""Strings of the plenary facilitation scripts."""

from __future__ import annotations

from flask_babel import gettext as _


def messages() -> dict[str, str]:
    """The plenary scripts' strings, translated into the current language."""
    return {
        "plenary_title": _("Plenary: {title}"),
        "plenary_state_closed": _("Closed – only you see these items. Show them on the "
                                  "phones when you are ready."),
        "plenary_state_open": _("Open – the participants see these items on their phones."),
        "plenary_state_voting_one": _("Voting – every participant has {n} dot."),
        "plenary_state_voting_other": _("Voting – every participant has {n} dots."),
        "plenary_open": _("Show on the phones"),
        "plenary_close": _("Hide from the phones"),
        "plenary_start_voting": _("Start voting"),
        "plenary_stop_voting": _("Stop voting"),
        "plenary_pull_top": _("Bring the top {n} of every workshop"),
        "plenary_added_none": _("Nothing new: these results are on the plenary already."),
        "plenary_added_one": _("{n} item added."),
        "plenary_added_other": _("{n} items added."),
        "plenary_remove": _("Remove"),
        "plenary_remove_confirm": _("Really remove?"),
        "plenary_empty": _("Nothing on the plenary yet. Bring the top results of every "
                           "workshop with the button above."),
        "plenary_empty_presenting": _("Nothing on the plenary yet."),
        "plenary_votes_one": _("{n} dot"),
        "plenary_votes_other": _("{n} dots"),
        "plenary_total_one": _("{n} dot placed"),
        "plenary_total_other": _("{n} dots placed"),
        "plenary_items_one": _("{n} item"),
        "plenary_items_other": _("{n} items"),
        "plenary_cluster": _("Cluster"),
        "plenary_rank": _("Place {n}"),
        "plenary_hide_controls": _("Hide controls"),
        "plenary_show_controls": _("Show controls"),
        "plenary_failed": _("That did not work: {message}"),
        "plenary_projector_link": _("Projector link"),
        "plenary_projector_hint": _("Open this link on the venue PC: it shows the plenary as "
                                    "the room sees it, with the join code, without controls."),
    }
