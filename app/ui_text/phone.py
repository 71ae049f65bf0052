"""Strings of the phone facilitation scripts (the phone page and the projector)."""

from __future__ import annotations

from flask_babel import gettext as _


def messages() -> dict[str, str]:
    """The phone scripts' strings, translated into the current language."""
    return {**_steps(), **_timer_and_messages(), **_collect(), **_cluster(), **_vote(),
            **_act(), **review_texts(), **_plenary(), **_projector(), **_errors()}


def _steps() -> dict[str, str]:
    return {
        "step_collect": _("Collect"),
        "step_cluster": _("Cluster"),
        "step_vote": _("Vote"),
        "step_act": _("Act"),
        "step_closed": _("Finished"),
        "step_review": _("Review"),
        "step_of": _("Step {n} of {total}"),
        "hint_collect": _("Write your ideas"),
        "hint_collect_hmw": _("Write your ideas as “How might we …?”"),
        "hint_collect_running": _("What does your organisation already do? One activity per "
                                  "note, with the name of your organisation."),
        "hint_cluster_everyone": _("Group the ideas that belong together"),
        "hint_cluster_staff": _("The moderator groups the ideas – watch along"),
        "hint_vote": _("Give your dots to what matters most"),
        "hint_act": _("Sign up for an action"),
        "hint_closed": _("Workshop finished – thank you!"),
        "hint_review": _("Did the actions of the last forum work?"),
        "hint_paused": _("Paused – you can read along"),
    }


def review_texts() -> dict[str, str]:
    """The review step's strings, shared by the phone, the projector and the staff board."""
    return {
        "verdict_worked": _("Worked"),
        "verdict_partly": _("Partly"),
        "verdict_not": _("Did not work"),
        "verdict_unsure": _("Too early"),
        "status_planned": _("Planned"),
        "status_running": _("Running"),
        "status_done": _("Done"),
        "status_dropped": _("Dropped"),
        "review_help": _("Give each action your verdict – you can change it until the step "
                         "ends."),
        "review_watch": _("The actions of the last forum and how they went."),
        "review_secret": _("Everyone's verdicts stay hidden until the moderator shows them."),
        "review_nothing": _("There are no open actions from earlier forums."),
        "review_agreed_at": _("Agreed at: {forum}"),
        "review_owner": _("Owner: {owner}"),
        "review_latest": _("Latest update ({date}):"),
        "review_no_update": _("No update yet."),
        "review_mine": _("Your verdict: {verdict}"),
        "review_comment_label": _("Comment (optional, without names)"),
        "review_comment_placeholder": _("What worked, what did not?"),
        "review_comment_save": _("Save comment"),
        "review_comment_saved": _("Comment saved"),
        "verdicts_given_one": _("{n} verdict so far"),
        "verdicts_given_other": _("{n} verdicts so far"),
    }


def _timer_and_messages() -> dict[str, str]:
    return {
        "timer_left": _("Time left"),
        "timer_paused": _("Timer paused"),
        "timer_ended_short": _("Time is up"),
        "timer_ended": _("Time is up!"),
        "message_from": _("{name} · {time}"),
        "message_from_moderation": _("Moderation · {time}"),
        "message_announce": _("Message from the moderation: {text}"),
        "undo": _("Undo"),
    }


def _collect() -> dict[str, str]:
    return {
        "composer_hmw": _("How might we …?"),
        "composer_running": _("Activity – organisation"),
        "idea_sent_private": _("Sent. Only you see it until the moderator reveals the ideas."),
        "category_label": _("Category"),
        "category_none": _("No category"),
        "idea_hidden_placeholder": _("Hidden idea"),
        "idea_hidden_meta": _("Shown when the moderator reveals the ideas"),
        "idea_only_you": _("Only you see this"),
        "idea_edit": _("Edit"),
        "idea_edit_field": _("Your idea"),
        "idea_save": _("Save"),
        "idea_saved": _("Your idea has been changed."),
        "idea_withdraw": _("Withdraw"),
        "idea_withdrawn": _("Your idea has been withdrawn."),
        "idea_restored": _("Your idea is back on the board."),
        "cancel_edit": _("Cancel"),
    }


def _cluster() -> dict[str, str]:
    return {
        "cluster_help_everyone": _("Tap the ideas that belong together, then group them."),
        "cluster_help_staff": _("The moderator is grouping the ideas. You can watch along."),
        "cluster_untitled": _("Group without a title"),
        "cluster_loose": _("Not grouped yet"),
        "cluster_pick": _("Tap ideas"),
        "cluster_group": _("Group"),
        "cluster_clear": _("Clear selection"),
        "cluster_add_selected": _("Add the selected ideas here"),
        "cluster_take_out": _("Take out"),
        "cluster_grouped": _("Grouped."),
        "picked_one": _("{n} selected"),
        "picked_other": _("{n} selected"),
    }


def _vote() -> dict[str, str]:
    return {
        "dots_left_one": _("You have {n} dot left"),
        "dots_left_other": _("You have {n} dots left"),
        "my_dots_one": _("{n} dot from you"),
        "my_dots_other": _("{n} dots from you"),
        "votes_total_one": _("{n} dot"),
        "votes_total_other": _("{n} dots"),
        "more_in_cluster_one": _("and {n} more idea"),
        "more_in_cluster_other": _("and {n} more ideas"),
        "vote_help": _("Tap + to give a dot, − to take it back. At most {max} dots per item."),
        "vote_secret": _("The totals stay hidden until the moderator reveals them."),
        "vote_results": _("Results"),
        "vote_nothing": _("Nothing to vote on yet."),
        "vote_add": _("Give a dot to “{title}”"),
        "vote_remove": _("Take a dot back from “{title}”"),
    }


def _act() -> dict[str, str]:
    return {
        "action_owner": _("Lead"),
        "action_due": _("Due"),
        "people_in_one": _("{n} person is in"),
        "people_in_other": _("{n} people are in"),
        "nobody_in_yet": _("Nobody has signed up yet"),
        "brings": _("brings: {what}"),
        "action_join": _("I'm in"),
        "action_brings_label": _("What I bring (optional)"),
        "action_brings_hint": _("For example time, contacts, a room or know-how."),
        "action_name_consent": _("My name may appear in the published results"),
        "action_name_consent_hint": _("Without a tick you are only counted, not named."),
        "action_confirm": _("Count me in"),
        "action_save": _("Save"),
        "action_signed_up": _("You are in. Thank you!"),
        "action_you_are_in": _("You are in"),
        "action_change": _("Change"),
        "action_leave": _("Withdraw my sign-up"),
        "action_withdrawn": _("You are no longer signed up."),
    }


def _plenary() -> dict[str, str]:
    return {
        "plenary_help": _("The results of all workshops."),
        "plenary_help_voting": _("Give your dots to the results of all workshops."),
        "plenary_empty": _("Nothing in the plenary yet."),
        "plenary_opened": _("The plenary is open."),
    }


def _projector() -> dict[str, str]:
    return {
        "hidden_count_one": _("{n} idea written privately"),
        "hidden_count_other": _("{n} ideas written privately"),
        "clusters_empty": _("No groups yet – the moderator is sorting the ideas."),
        "actions_empty": _("No actions yet."),
    }


def _errors() -> dict[str, str]:
    return {
        "steps_error_locked": _("Not possible right now – the workshop has moved on or is "
                                "paused."),
        "steps_error_offline": _("No connection. Please try again in a moment."),
        "steps_error_forbidden": _("You cannot do that here."),
        "steps_error_gone": _("This is no longer on the board."),
        "steps_error_failed": _("That did not work. Please try again."),
    }
