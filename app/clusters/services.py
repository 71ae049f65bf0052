"""Clusters of a workshop's ideas; no Flask."""

from __future__ import annotations

from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, numbered, shared
from pinnwand.board.names import CLUSTER_UPDATED, IDEA_UNGROUPED, IDEAS_GROUPED
from pinnwand.board.rules import ensure_arranging, of_workshop
from pinnwand.board.seq import claim_seq
from pinnwand.board.visibility import Audience, cluster_view
from pinnwand.clusters.models import Cluster
from pinnwand.clusters.schemas import GroupIdeas, RenameCluster, UngroupIdea
from pinnwand.db import utcnow
from pinnwand.errors import Invalid
from pinnwand.ideas.editing import idea_for
from pinnwand.ideas.lookups import ensure_on_board, get_idea, idea_on_board
from pinnwand.ideas.models import Idea
from pinnwand.workshops.services import get_workshop
from sqlalchemy import func, select
from sqlalchemy.orm import Session


def cluster_json(cluster: Cluster) -> dict:
    """A cluster as its workshop's staff see it."""
    return {
        "id": cluster.id,
        "workshop_id": cluster.workshop_id,
        "title": cluster.title,
        "position": cluster.position,
        "category_id": cluster.category_id,
        "votes": cluster.votes,
        "deleted": cluster.deleted_at is not None,
    }


def clusters_json(session: Session, workshop, audience: Audience) -> list[dict]:
    """A workshop's clusters as this audience may see them (see
    :func:`pinnwand.board.visibility.cluster_view`)."""
    query = select(Cluster).where(Cluster.workshop_id == workshop.id)
    clusters = session.scalars(query.order_by(Cluster.position, Cluster.id))
    seen = (cluster_view(cluster_json(c), audience, workshop) for c in clusters)
    return [view for view in seen if view is not None]


# --- Grouping ideas ---------------------------------------------------------------------------
# Who: the staff; participants when the workshop lets everyone cluster (``cluster_by``
# "everyone"), in its cluster step while unlocked (see :func:`ensure_arranging`). Payloads name
# ideas by id only, so an idea written privately never shows its text through clustering; a
# cluster's total is withheld from the room while votes are secret.

CLUSTERING = "clustering ideas"


def get_cluster(session: Session, workshop_id: int, cluster_id: int) -> Cluster:
    """The cluster ``cluster_id`` of this workshop, or :class:`NotFound`."""
    return of_workshop(session, Cluster, workshop_id, cluster_id, "cluster")


def ensure_cluster_on_board(cluster: Cluster) -> None:
    """Refuse with :class:`Invalid` a cluster that was removed."""
    if cluster.deleted_at is not None:
        raise Invalid("This cluster was removed.", {"cluster_id": "removed"})


def cluster_for(cluster: Cluster, state, identity: Identity, staff: bool) -> dict:
    """The cluster as the sender may see it (answers that change nothing)."""
    return cluster_view(cluster_json(cluster), Audience.of(identity, staff), state)


def record_cluster_change(session: Session, seq: int, name: str, cluster: Cluster, state,
                          extra: dict | None = None) -> Change:
    """Log ``{"workshop_id", "seq", "cluster", **extra}``, the cluster as each audience may see
    it (its total withheld from the room while votes are secret)."""
    shown = cluster_json(cluster)

    def view(audience: Audience) -> dict:
        return {"workshop_id": cluster.workshop_id, "seq": seq,
                "cluster": cluster_view(shown, audience, state), **(extra or {})}

    return numbered(session, cluster.workshop_id, seq, name, view)


def cluster_answer(change: Change, identity: Identity, staff: bool) -> dict:
    """The ack ``{"cluster", "seq"}``: the sender's variant of the change."""
    seen = change.for_audience(Audience.of(identity, staff))
    return {"cluster": seen["cluster"], "seq": change.seq}


def ideas_to_group(session: Session, workshop_id: int, idea_ids: list[int]) -> list[Idea]:
    """The ideas named (each once, in the order first named): all of this workshop
    (``not_found``) and on the board (``invalid``)."""
    ideas = [get_idea(session, workshop_id, idea_id) for idea_id in dict.fromkeys(idea_ids)]
    for idea in ideas:
        ensure_on_board(idea, "idea_ids")
    return ideas


def group_ideas(session: Session, identity: Identity, data: GroupIdeas,
                staff: bool) -> tuple[dict, Change | None]:
    """Put ideas into the cluster ``cluster_id``, or into a new cluster without it.

    A new cluster takes ``title`` (default empty), the smallest ``position`` of its ideas and
    the column of the first idea named; with ``cluster_id``, a ``title`` renames the cluster.
    Ideas leave the clusters they were in; a cluster left without ideas on the board is
    removed (soft-deleted). Logs ``ideas_grouped {"workshop_id", "seq", "cluster", "idea_ids",
    "removed_cluster_ids"}``. Answers ``{"cluster", "seq"}``; when every idea is in the
    cluster already and the title stays, nothing changes.
    """
    workshop = get_workshop(session, data.workshop_id)
    ensure_arranging(workshop, staff, CLUSTERING)
    ideas = ideas_to_group(session, data.workshop_id, data.idea_ids)
    cluster = None
    if data.cluster_id is not None:
        cluster = get_cluster(session, data.workshop_id, data.cluster_id)
        ensure_cluster_on_board(cluster)
        if already_grouped(cluster, ideas, data.title):
            return ({"cluster": cluster_for(cluster, workshop, identity, staff),
                     "seq": workshop.seq}, None)
    state = claim_seq(session, data.workshop_id)
    ensure_arranging(state, staff, CLUSTERING)
    if cluster is None:
        cluster = new_cluster(session, ideas, data.title or "")
    elif data.title is not None:
        cluster.title = data.title
    left = {idea.cluster_id for idea in ideas} - {None, cluster.id}
    for idea in ideas:
        idea.cluster_id = cluster.id
    session.flush()
    extra = {"idea_ids": [idea.id for idea in ideas],
             "removed_cluster_ids": remove_emptied(session, left)}
    change = record_cluster_change(session, state.seq, IDEAS_GROUPED, cluster, state, extra)
    return cluster_answer(change, identity, staff), change


def already_grouped(cluster: Cluster, ideas: list[Idea], title: str | None) -> bool:
    """Whether grouping ``ideas`` into ``cluster`` (and renaming it) would change nothing."""
    same_title = title is None or title == cluster.title
    return same_title and all(idea.cluster_id == cluster.id for idea in ideas)


def new_cluster(session: Session, ideas: list[Idea], title: str) -> Cluster:
    """A new cluster where its ideas are: their first position, the first idea's column."""
    first = ideas[0]
    cluster = Cluster(workshop_id=first.workshop_id, title=title,
                      position=min(idea.position for idea in ideas),
                      category_id=first.category_id, votes=0)
    session.add(cluster)
    session.flush()
    return cluster


def remove_emptied(session: Session, cluster_ids: set[int]) -> list[int]:
    """Soft-delete those of the clusters that no idea on the board belongs to any more; their
    ids, ascending."""
    removed = []
    for cluster_id in sorted(cluster_ids):
        members = session.scalar(select(func.count(Idea.id)).where(
            Idea.cluster_id == cluster_id, idea_on_board()))
        cluster = session.get(Cluster, cluster_id)
        if members == 0 and cluster is not None and cluster.deleted_at is None:
            cluster.deleted_at = utcnow()
            removed.append(cluster_id)
    session.flush()
    return removed


def ungroup_idea(session: Session, identity: Identity, data: UngroupIdea,
                 staff: bool) -> tuple[dict, Change | None]:
    """Take an idea out of its cluster; the cluster is removed when no idea on the board is
    left in it. Logs ``idea_ungrouped {"workshop_id", "seq", "idea_id",
    "removed_cluster_ids"}``. Answers ``{"idea", "seq"}`` (the idea as the sender may see
    it); an idea in no cluster changes nothing.
    """
    workshop = get_workshop(session, data.workshop_id)
    ensure_arranging(workshop, staff, CLUSTERING)
    idea = get_idea(session, data.workshop_id, data.idea_id)
    ensure_on_board(idea)
    if idea.cluster_id is None:
        return {"idea": idea_for(idea, workshop, identity, staff), "seq": workshop.seq}, None
    state = claim_seq(session, data.workshop_id)
    ensure_arranging(state, staff, CLUSTERING)
    left = idea.cluster_id
    idea.cluster_id = None
    session.flush()
    payload = {"workshop_id": data.workshop_id, "seq": state.seq, "idea_id": idea.id,
               "removed_cluster_ids": remove_emptied(session, {left})}
    change = shared(session, data.workshop_id, state.seq, IDEA_UNGROUPED, payload)
    return {"idea": idea_for(idea, state, identity, staff), "seq": state.seq}, change


def rename_cluster(session: Session, identity: Identity, data: RenameCluster,
                   staff: bool) -> tuple[dict, Change | None]:
    """Give a cluster a new title (may be empty). Logs ``cluster_updated {"workshop_id",
    "seq", "cluster"}``. Answers ``{"cluster", "seq"}``; the same title changes nothing.
    """
    workshop = get_workshop(session, data.workshop_id)
    ensure_arranging(workshop, staff, CLUSTERING)
    cluster = get_cluster(session, data.workshop_id, data.cluster_id)
    ensure_cluster_on_board(cluster)
    if cluster.title == data.title:
        return ({"cluster": cluster_for(cluster, workshop, identity, staff),
                 "seq": workshop.seq}, None)
    state = claim_seq(session, data.workshop_id)
    ensure_arranging(state, staff, CLUSTERING)
    cluster.title = data.title
    session.flush()
    change = record_cluster_change(session, state.seq, CLUSTER_UPDATED, cluster, state)
    return cluster_answer(change, identity, staff), change
