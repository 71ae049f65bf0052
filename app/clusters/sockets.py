"""Socket handlers for clustering a workshop's ideas: group, ungroup, rename.

Who: the workshop's staff; participants who joined it when it lets everyone cluster, in its
cluster step while unlocked (``forbidden`` when only the staff cluster, ``locked`` otherwise).
"""

from __future__ import annotations

from pinnwand.clusters import services
from pinnwand.clusters.schemas import GroupIdeas, RenameCluster, UngroupIdea
from pinnwand.commands import workshop_write
from pinnwand.realtime import acked


@acked
def on_group_ideas(payload):
    """Sent by the staff (or participants, see the module) to put 1–50 ideas into the cluster
    ``cluster_id``, or into a new cluster (``title`` optional) without it.

    Broadcasts ``ideas_grouped {"workshop_id", "seq", "cluster", "idea_ids",
    "removed_cluster_ids"}`` (clusters left empty are removed; the cluster's total withheld
    from the room while votes are secret). Answers ``{"cluster", "seq"}``.
    """
    return workshop_write(GroupIdeas, payload, services.group_ideas)


@acked
def on_ungroup_idea(payload):
    """Sent by the staff (or participants, see the module) to take an idea out of its cluster.

    Broadcasts ``idea_ungrouped {"workshop_id", "seq", "idea_id", "removed_cluster_ids"}``.
    Answers ``{"idea", "seq"}``.
    """
    return workshop_write(UngroupIdea, payload, services.ungroup_idea)


@acked
def on_rename_cluster(payload):
    """Sent by the staff (or participants, see the module) to retitle a cluster (0–120
    characters).

    Broadcasts ``cluster_updated {"workshop_id", "seq", "cluster"}`` (total withheld from the
    room while votes are secret). Answers ``{"cluster", "seq"}``.
    """
    return workshop_write(RenameCluster, payload, services.rename_cluster)


def register(socketio) -> None:
    """Bind the cluster handlers to ``socketio``."""
    socketio.on_event("group_ideas", on_group_ideas)
    socketio.on_event("ungroup_idea", on_ungroup_idea)
    socketio.on_event("rename_cluster", on_rename_cluster)
