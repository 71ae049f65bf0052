"""Socket handlers for curating ideas: edit, withdraw, restore, merge and move.

Each handler is a :func:`pinnwand.commands.workshop_write`: anyone who may post to the
workshop (``merge_ideas``: its staff only) sends it, the service decides what they may do; the
change is published after the commit and the cockpit's figures follow. A refused or idle
command changes nothing and broadcasts nothing.
"""

from __future__ import annotations

from pinnwand.commands import staff_only, workshop_write
from pinnwand.ideas import editing
from pinnwand.ideas.edit_schemas import IdeaRef, MergeIdeas, MoveIdea, UpdateIdea
from pinnwand.realtime import acked


@acked
def on_update_idea(payload):
    """Sent by an idea's author (a participant, in the collect step while unlocked) or the
    workshop's staff (any time) to change its ``text``, ``category_id`` or ``anonymous``.

    Broadcasts ``idea_updated {"workshop_id", "seq", "idea"}`` to the workshop's room (text and
    author withheld from the room while the idea is hidden, its total while votes are secret).
    Answers ``{"idea", "seq"}``.
    """
    return workshop_write(UpdateIdea, payload, editing.update_idea)


@acked
def on_delete_idea(payload):
    """Sent by an idea's author (withdraw, in the collect step while unlocked) or the
    workshop's staff (any time): soft-deletes the idea.

    Broadcasts ``idea_deleted {"workshop_id", "seq", "idea_id"}``. Answers
    ``{"idea_id", "seq"}``; deleting a deleted idea broadcasts nothing.
    """
    return workshop_write(IdeaRef, payload, editing.delete_idea)


@acked
def on_restore_idea(payload):
    """Sent by the workshop's staff, or by an author for their own withdrawn idea (collect
    step, unlocked): undoes a delete or a merge (dots moved by a merge stay where they are).

    Broadcasts ``idea_restored {"workshop_id", "seq", "idea"}`` (withheld like
    ``idea_updated``). Answers ``{"idea", "seq"}``.
    """
    return workshop_write(IdeaRef, payload, editing.restore_idea)


@acked
def on_merge_ideas(payload):
    """Sent by the workshop's staff: ``idea_id`` is merged into ``into_id`` and its dots move
    there.

    Broadcasts ``ideas_merged {"workshop_id", "seq", "idea_id", "into": idea}`` (``into``
    withheld like ``idea_updated``). Answers ``{"idea": <into>, "seq"}``.
    """
    return workshop_write(MergeIdeas, payload, editing.merge_ideas, who=staff_only)


@acked
def on_move_idea(payload):
    """Sent by the workshop's staff, or by participants when everyone clusters (cluster step,
    unlocked): reorders an idea (``after_id``, ``null`` = first) and/or changes its column
    (``category_id``); never changes its cluster.

    Broadcasts ``idea_moved {"workshop_id", "seq", "idea"}`` (withheld like
    ``idea_updated``). Answers ``{"idea", "seq"}``.
    """
    return workshop_write(MoveIdea, payload, editing.move_idea)


def register(socketio) -> None:
    """Bind the idea-curating handlers to ``socketio``."""
    socketio.on_event("update_idea", on_update_idea)
    socketio.on_event("delete_idea", on_delete_idea)
    socketio.on_event("restore_idea", on_restore_idea)
    socketio.on_event("merge_ideas", on_merge_ideas)
    socketio.on_event("move_idea", on_move_idea)
