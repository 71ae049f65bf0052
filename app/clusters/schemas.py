"""Socket payload schemas for clustering a workshop's ideas."""

from __future__ import annotations

from typing import Annotated

from pinnwand.validation import Id, Payload, text
from pinnwand.workshops.schemas import WorkshopId
from pydantic import Field

MAX_CLUSTER_TITLE = 120
MAX_GROUPED_IDEAS = 50
ClusterTitle = text(0, MAX_CLUSTER_TITLE)


class GroupIdeas(Payload):
    """``group_ideas``: 1–50 ideas join the cluster ``cluster_id``, or a new one without it
    (``title`` names the new cluster, or renames the existing one)."""

    workshop_id: WorkshopId
    idea_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_GROUPED_IDEAS)]
    cluster_id: Id | None = None
    title: ClusterTitle = None


class UngroupIdea(Payload):
    """``ungroup_idea``: an idea leaves its cluster."""

    workshop_id: WorkshopId
    idea_id: Id


class RenameCluster(Payload):
    """``rename_cluster``: a cluster's new title (may be empty)."""

    workshop_id: WorkshopId
    cluster_id: Id
    title: ClusterTitle
