"""The names of every change the server numbers and publishes: the one registry.

A workshop's board receives the :data:`BOARD_CHANGES`, each with the workshop's next ``seq``
(the browser lists the same names as ``CHANGE_EVENTS`` in ``static/js/board-state.js``; a test
holds the two lists equal). The plenary has its own numbering and one change,
:data:`PLENARY_CHANGED`. The cockpit's figures carry no ``seq``: they are telemetry, not changes.
"""

from __future__ import annotations

# Ideas
IDEA_CREATED = "idea_created"
IDEA_UPDATED = "idea_updated"
IDEA_DELETED = "idea_deleted"
IDEA_RESTORED = "idea_restored"
IDEAS_MERGED = "ideas_merged"
IDEA_MOVED = "idea_moved"
IDEAS_REVEALED = "ideas_revealed"
# Clusters
IDEAS_GROUPED = "ideas_grouped"
IDEA_UNGROUPED = "idea_ungrouped"
CLUSTER_UPDATED = "cluster_updated"
# Dot voting
VOTES_CHANGED = "votes_changed"
VOTES_REVEALED = "votes_revealed"
# Review verdicts (the review step)
REVIEW_CHANGED = "review_changed"
REVIEWS_REVEALED = "reviews_revealed"
# Actions
ACTION_SAVED = "action_saved"
ACTION_DELETED = "action_deleted"
# A later forum's decision about an open action of its series (carried forward or dropped)
CARRIED_ACTION_SAVED = "carried_action_saved"
# The workshop itself
STEP_CHANGED = "step_changed"
WORKSHOP_UPDATED = "workshop_updated"
WORKSHOP_LOCKED = "workshop_locked"
TIMER_CHANGED = "timer_changed"
MESSAGE_POSTED = "message_posted"
MESSAGE_WITHDRAWN = "message_withdrawn"

BOARD_CHANGES = (
    IDEA_CREATED, IDEA_UPDATED, IDEA_DELETED, IDEA_RESTORED, IDEAS_MERGED, IDEA_MOVED,
    IDEAS_GROUPED, IDEA_UNGROUPED, CLUSTER_UPDATED, IDEAS_REVEALED,
    VOTES_CHANGED, VOTES_REVEALED, ACTION_SAVED, ACTION_DELETED, CARRIED_ACTION_SAVED,
    STEP_CHANGED, WORKSHOP_UPDATED, WORKSHOP_LOCKED, TIMER_CHANGED, MESSAGE_POSTED,
    MESSAGE_WITHDRAWN, REVIEW_CHANGED, REVIEWS_REVEALED,
)
"""Every numbered change of a workshop's board."""

PLENARY_CHANGED = "plenary_changed"
"""The one numbered change of an event's plenary (``Event.plenary_seq``)."""

# Telemetry for the moderators' cockpit and the staff's presence list (no ``seq``).
WORKSHOP_STATS = "workshop_stats"
PRESENCE = "presence"
