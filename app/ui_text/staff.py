"""Strings of the staff facilitation scripts: the moderator's and the host's board, the cockpit
and the event editor's workshop methods."""

from __future__ import annotations

from flask_babel import gettext as _
from pinnwand.ui_text.phone import review_texts


def _steps() -> dict[str, str]:
    return {
        "step_collect": _("Collect"),
        "step_cluster": _("Cluster"),
        "step_vote": _("Vote"),
        "step_act": _("Act"),
        "step_closed": _("Closed"),
        "step_review": _("Review"),
        "step_badge": _("Step {n}: {step}"),
        "step_now": _("Step now: {step}"),
        "step_set_for": _("{title}: step now {step}"),
        "step_set_all": _("Every workshop ({n}) is now in the step {step}."),
        "next_step": _("Next: {step}"),
        "last_step": _("Last step reached"),
        "back_title_one": _("Move a workshop back?"),
        "back_title_other": _("Move {n} workshops back?"),
        "back_text": _("The step “{step}” moves these workshops back:"),
        "back_item": _("{title}: {from} → {to}"),
        "back_confirm": _("Move back"),
        "nothing_changed": _("Nothing changed."),
    }


def _timer() -> dict[str, str]:
    return {
        "timer_idle": _("No timer running"),
        "timer_running": _("Running"),
        "timer_paused": _("Timer paused"),
        "timer_ended": _("Time is up"),
        "timer_pause": _("Pause timer"),
        "timer_resume": _("Resume timer"),
        "timer_spoken": _("{m} minutes {s} seconds"),
        "timer_started_live": _("Timer started: {time}"),
        "timer_minutes_invalid": _("Please enter the minutes (up to 120)."),
        "timer_started_all": _("Timer started in every workshop: {time}"),
        "timer_paused_all": _("Timer paused in every workshop."),
        "timer_resumed_all": _("Timer running again in every workshop."),
        "timer_reset_all": _("Timer reset in every workshop."),
    }


def _board() -> dict[str, str]:
    return {
        "board_label": _("Board"),
        "board_hint": _("Drag an idea onto another idea or a cluster to group them, onto the "
                        "line between two cards to change the order. Click cards to select "
                        "several: group them, or drag them together onto a cluster. Without a "
                        "mouse: the checkboxes and each card's ⋯ menu."),
        "board_hint_newest": _("Newest ideas first. Switch to board order to change the order; "
                               "dragging an idea onto another groups them."),
        "board_hint_votes": _("Most dots first. Switch to board order to rearrange the "
                              "board."),
        "no_column": _("Without column"),
        "column_empty": _("Drop ideas here"),
        "drop_loose": _("Drop an idea here to take it out of its cluster"),
        "to_column": _("To the column “{title}”"),
        "loose_ideas": _("Not in a cluster yet"),
        "idea_actions": _("Actions for “{text}”"),
        "menu_up": _("Move up"),
        "menu_down": _("Move down"),
        "drop_to_group": _("Group"),
        "drop_to_cluster": _("Add to cluster"),
        "drop_to_column": _("Move to this column"),
        "moved_to_column": _("Idea moved to another column."),
        "select_idea": _("Select: {text}"),
        "selected_one": _("{n} idea selected"),
        "selected_other": _("{n} ideas selected"),
        "merge_two": _("Merge (select two)"),
        "merge_into": _("Merge into “{text}”"),
        "ideas_merged": _("Ideas merged."),
        "private_idea": _("Not revealed yet"),
        "edit_idea_label": _("Text of the idea"),
        "idea_deleted": _("Idea deleted: {text}"),
        "idea_restored": _("Idea restored."),
        "undo": _("Undo"),
        "close": _("Close"),
        "restore": _("Restore"),
        "trash_deleted": _("Deleted"),
        "trash_merged": _("Merged into “{text}”"),
        "moved": _("Idea moved."),
        "moved_up": _("Moved up."),
        "moved_down": _("Moved down."),
        "grouped": _("Ideas grouped."),
        "ungroup": _("Ungroup"),
        "ungrouped": _("Idea taken out of the cluster."),
        "cluster_untitled": _("Untitled cluster"),
        "cluster_title_label": _("Title of the cluster"),
        "cluster_renamed": _("Cluster renamed."),
        "cluster_ideas_one": _("{n} idea"),
        "cluster_ideas_other": _("{n} ideas"),
        "dissolve": _("Dissolve"),
        "cluster_dissolved": _("Cluster dissolved."),
        "dots_one": _("{n} dot"),
        "dots_other": _("{n} dots"),
    }


def _panels() -> dict[str, str]:
    return {
        "message_invalid": _("Please write a message of 1 to 200 characters."),
        "message_sent": _("Message sent."),
        "message_withdraw": _("Withdraw"),
        "message_withdrawn": _("Withdrawn – no longer shown."),
        "message_withdrawn_done": _("Message withdrawn: phones and projector no longer show it."),
        "message_posted_live": _("Message: {text}"),
        "message_sent_all": _("Message sent to every workshop: {text}"),
        "setting_number_invalid": _("Please enter a number from 1 to 20."),
        "reveal_ideas_one": _("Reveal {n} hidden idea"),
        "reveal_ideas_other": _("Reveal {n} hidden ideas"),
        "reveal_ideas_none": _("No hidden ideas"),
        "ideas_revealed_one": _("{n} idea revealed."),
        "ideas_revealed_other": _("{n} ideas revealed."),
        "category_label": _("Column {n}"),
        "category_up": _("Move column {n} up"),
        "category_down": _("Move column {n} down"),
        "category_remove": _("Remove column {n}"),
        "category_invalid": _("Every column needs a title of 1 to 120 characters."),
        "columns_on_board": _("The columns are edited on the workshop's board."),
        "nobody_here": _("Nobody connected"),
        "votes_secret_note": _("Secret: only moderators and hosts see these totals until "
                               "you reveal them."),
        "votes_revealed_note": _("Revealed: everyone sees the results."),
        "votes_open_note": _("Open voting: everyone sees the totals."),
        "votes_revealed": _("Votes revealed."),
        "action_new_heading": _("New action"),
        "action_edit_heading": _("Edit action"),
        "action_owner": _("Owner"),
        "action_due": _("Due"),
        "action_prospects": _("Prospects"),
        "action_links": _("Based on:"),
        "action_saved": _("Action saved."),
        "action_deleted": _("Action deleted."),
        "contributors_one": _("{n} person joins in"),
        "contributors_other": _("{n} people join in"),
        **_series(),
    }


def _series() -> dict[str, str]:
    """The series panel of the act step: carrying an open action forward or dropping it."""
    return {
        "series_from": _("From {event}"),
        "series_carry": _("Carry forward"),
        "series_drop": _("Drop"),
        "series_new_due": _("New due date"),
        "series_new_contributor": _("New contributor (name)"),
        "series_new_organisation": _("Their organisation"),
        "series_reason": _("Why is it dropped?"),
        "series_reason_missing": _("Please say why the action is dropped."),
        "series_carried": _("Carried forward"),
        "series_carried_due": _("Carried forward, due {date}"),
        "series_dropped": _("Dropped: {reason}"),
        "series_none_open": _("The series has no open actions from earlier forums."),
        "series_load_failed": _("The series' actions could not be loaded."),
    }


def _access() -> dict[str, str]:
    return {
        "staff_error_locked": _("Not possible in this step or while the board is paused."),
        "staff_error_forbidden": _("You may not do this here."),
        "staff_error_conflict": _("Someone changed this at the same time. Please try again."),
        "host_link_incomplete": _("This host link is incomplete. Please ask the moderator "
                                  "for a new one."),
        "host_link_invalid": _("This host link is no longer valid. Please ask the moderator "
                               "for a new one."),
        "host_link_other": _("This host link belongs to another workshop."),
        "host_name_invalid": _("Please enter the host's name (1 to 80 characters)."),
        "host_link_for": _("Host link for {name}"),
        "host_link_ready": _("Host link for {name} (valid 30 days) – send it to them only:"),
        "open_host_board": _("Open host board"),
        "template_free": _("Free board"),
        "template_categories": _("Columns"),
        "template_how_might_we": _("How might we …?"),
        "template_running": _("What is already running"),
    }


def messages() -> dict[str, str]:
    """The staff scripts' strings, translated into the current language."""
    return {**_steps(), **_timer(), **_board(), **_panels(), **_access(), **review_texts(),
            **_review()}


def _review() -> dict[str, str]:
    return {
        "reviews_secret_note": _("Secret: only moderators and hosts see the verdicts until "
                                 "you reveal them."),
        "reviews_open_note": _("Everyone sees the verdicts as they come in."),
        "reviews_revealed_note": _("Revealed: everyone sees the verdicts."),
        "reviews_revealed": _("Verdicts revealed."),
        "review_not_available": _("Nothing to review: this event has no earlier forum in a "
                                  "series."),
    }
