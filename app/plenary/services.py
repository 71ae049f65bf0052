"""The plenary board of an event: the best of every workshop on one screen, and a shared dot
vote; no Flask.

The plenary has its own numbering, ``Event.plenary_seq``: every change takes the next number
in the same transaction (``UPDATE events SET plenary_seq = plenary_seq + 1 … RETURNING``), so
it is gapless and survives restarts. Every broadcast carries the whole plenary, so a client
simply keeps the one with the highest ``seq``; there is no change log to catch up from.

Who sees what (:func:`pinnwand.board.visibility.plenary_items_visible`): the event's
moderators always see the items; everyone else (participants, hosts) sees them only while the
plenary is ``open``; until then their variant has ``"items": []``. Each service validates
first and claims a number only when something changes: a no-op answers the current state,
consumes no ``seq`` and broadcasts nothing. Writes go through the one write path under
:func:`pinnwand.board.write.plenary_key`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pinnwand.board.changes import PlenaryChange
from pinnwand.board.visibility import plenary_items_visible, totals_hidden
from pinnwand.clusters.models import Cluster
from pinnwand.errors import Conflict, Invalid, Locked, NotFound
from pinnwand.events.models import Event
from pinnwand.ideas.lookups import idea_on_board
from pinnwand.ideas.models import Idea
from pinnwand.plenary.models import PlenaryItem, PlenaryVote
from pinnwand.plenary.schemas import ConfigurePlenary, PlenaryItemRef
from pinnwand.workshops.models import Workshop
from pinnwand.workshops.services import event_workshop_ids
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.orm import Session

TITLE_LENGTH = 80
MAX_ITEMS = 500
STATE_COLUMNS = (Event.id, Event.plenary_seq, Event.plenary_open, Event.plenary_voting,
                 Event.plenary_vote_budget)


# ------------------------------------------------------------------------------ reading


def plenary_state(session: Session, event_id: int, *, for_update: bool = False):
    """The event's plenary settings and ``seq`` (a row of :data:`STATE_COLUMNS`), or
    :class:`NotFound`. ``for_update`` locks the event's row until the transaction ends, so
    writers of other processes queue behind this one (databases with row locks)."""
    query = select(*STATE_COLUMNS).where(Event.id == event_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).one_or_none()
    if row is None:
        raise NotFound("There is no such event.")
    return row


def item_json(item: PlenaryItem, workshop_title: str) -> dict:
    """A plenary item as clients show it."""
    return {
        "id": item.id,
        "workshop_id": item.workshop_id,
        "workshop": workshop_title,
        "kind": "cluster" if item.cluster_id is not None else "idea",
        "title": item.title,
        "text": item.text,
        "votes": item.votes,
    }


def items_json(session: Session, event_id: int) -> list[dict]:
    """Every item of the event's plenary in the order they were brought."""
    query = (
        select(PlenaryItem, Workshop.title)
        .join(Workshop, Workshop.id == PlenaryItem.workshop_id)
        .where(PlenaryItem.event_id == event_id)
        .order_by(PlenaryItem.position, PlenaryItem.id)
    )
    return [item_json(item, title) for item, title in session.execute(query)]


def plenary_json(session: Session, state, staff: bool) -> dict:
    """The plenary as the event's moderators (``staff``) or everyone else may see it:
    ``{"event_id", "seq", "open", "voting", "vote_budget", "items"}``."""
    shows_items = plenary_items_visible(staff, state.plenary_open)
    return {
        "event_id": state.id,
        "seq": state.plenary_seq,
        "open": state.plenary_open,
        "voting": state.plenary_voting,
        "vote_budget": state.plenary_vote_budget,
        "items": items_json(session, state.id) if shows_items else [],
    }


def my_plenary_votes(session: Session, state, participant_id: int | None) -> dict:
    """A participant's dots on the plenary and how many of the budget remain:
    ``{"votes": [{"item_id", "count"}], "remaining"}`` (``remaining`` is ``None`` for anyone
    who does not vote)."""
    if participant_id is None:
        return {"votes": [], "remaining": None}
    query = (
        select(PlenaryVote.item_id, PlenaryVote.count)
        .join(PlenaryItem, PlenaryItem.id == PlenaryVote.item_id)
        .where(PlenaryItem.event_id == state.id, PlenaryVote.participant_id == participant_id,
               PlenaryVote.count > 0)
        .order_by(PlenaryVote.item_id)
    )
    votes = [{"item_id": item_id, "count": count} for item_id, count in session.execute(query)]
    used = sum(vote["count"] for vote in votes)
    return {"votes": votes, "remaining": max(0, state.plenary_vote_budget - used)}


def join_answer(session: Session, event_id: int, staff: bool,
                participant_id: int | None) -> dict:
    """What ``join_plenary`` answers: ``{"plenary", "me": {"votes", "remaining"}}``, the
    plenary as this reader may see it."""
    state = plenary_state(session, event_id)
    return {"plenary": plenary_json(session, state, staff),
            "me": my_plenary_votes(session, state, participant_id)}


# ------------------------------------------------------------------------------ numbering


def claim_plenary_seq(session: Session, event_id: int, **settings):
    """Take the plenary's next ``seq`` atomically in the database, applying ``settings``
    (``open``, ``voting``, ``vote_budget``) in the same statement; returns the new state row.
    A rolled-back transaction gives the number back."""
    values = {f"plenary_{name}": value for name, value in settings.items()}
    statement = (
        update(Event).where(Event.id == event_id)
        .values(plenary_seq=Event.plenary_seq + 1, **values)
        .returning(*STATE_COLUMNS)
    )
    return session.execute(statement).one()


def numbered_change(session: Session, event_id: int, **settings) -> tuple[dict, PlenaryChange]:
    """Claim the next ``seq`` (see :func:`claim_plenary_seq`) after the caller's rows are in
    place, and build the ``plenary_changed {"event_id", "seq", "plenary"}`` change.
    Returns ``(the moderators' plenary, change)``."""
    session.flush()
    state = claim_plenary_seq(session, event_id, **settings)
    full = plenary_json(session, state, staff=True)
    public = full if state.plenary_open else plenary_json(session, state, staff=False)
    payload = {"event_id": event_id, "seq": state.plenary_seq, "plenary": full}
    public_payload = payload if public is full else {**payload, "plenary": public}
    return full, PlenaryChange(event_id, state.plenary_seq, payload, public_payload)


def unchanged(session: Session, state) -> tuple[dict, None]:
    """The answer of a moderator's command that changes nothing: the current plenary."""
    return {"plenary": plenary_json(session, state, staff=True)}, None


# ------------------------------------------------------------------------------ copies


@dataclass(frozen=True)
class Candidate:
    """Something about to be brought to the plenary, with its text copied as of now."""

    workshop_id: int
    kind: str
    target_id: int
    title: str
    text: str | None

    @property
    def key(self) -> tuple[str, int]:
        """``("idea"|"cluster", id)``: what it is a copy of."""
        return (self.kind, self.target_id)


def short_title(text: str) -> str:
    """The first :data:`TITLE_LENGTH` characters of a text, as an item's title."""
    return text[:TITLE_LENGTH].strip()


def bringable_idea():
    """The condition that an idea may be brought: on the board, not written privately."""
    return and_(idea_on_board(), Idea.hidden.is_(False))


def idea_candidate(idea: Idea) -> Candidate:
    """An idea as a plenary item: its text, titled by its first 80 characters."""
    return Candidate(idea.workshop_id, "idea", idea.id, short_title(idea.text), idea.text)


def cluster_candidate(session: Session, cluster: Cluster) -> Candidate:
    """A cluster as a plenary item: its title, and the texts of its ideas (those on the board,
    never hidden ones) one per line. An untitled cluster is titled by its text."""
    query = (
        select(Idea.text)
        .where(Idea.cluster_id == cluster.id, bringable_idea())
        .order_by(Idea.position, Idea.id)
    )
    text = "\n".join(session.scalars(query)) or None
    title = cluster.title.strip() or short_title(text or "")
    return Candidate(cluster.workshop_id, "cluster", cluster.id, title, text)


def candidate_of(session: Session, ref: PlenaryItemRef, index: int) -> Candidate:
    """The idea or cluster a moderator named, copied; :class:`NotFound` when it is not on that
    workshop's board, :class:`Invalid` when it is deleted, merged or hidden."""
    field = f"items.{index}"
    kind, target_id = ref.key
    model = Idea if kind == "idea" else Cluster
    target = session.get(model, target_id)
    if target is None or target.workshop_id != ref.workshop_id:
        raise NotFound(f"There is no such {kind} in that workshop.",
                       {f"{field}.{kind}_id": "not found"})
    if target.deleted_at is not None:
        raise Invalid(f"This {kind} is deleted.", {f"{field}.{kind}_id": "deleted"})
    if kind == "cluster":
        return cluster_candidate(session, target)
    if target.merged_into_id is not None:
        raise Invalid("This idea was merged into another one.", {f"{field}.idea_id": "merged"})
    if target.hidden:
        raise Invalid("This idea is still written privately; reveal it first.",
                      {f"{field}.idea_id": "hidden"})
    return idea_candidate(target)


def within_cut(ranked: list, limit: int) -> list:
    """The first ``limit`` of ``ranked`` (by votes, most first) and every one tied with the
    last of them: a tie at the cut is kept whole (a "tie" of no votes at all is no ranking:
    then the first ``limit`` in board order)."""
    if len(ranked) <= limit:
        return ranked
    last = ranked[limit - 1].votes
    if last == 0:
        return ranked[:limit]
    return [row for row in ranked if row.votes >= last]


def top_candidates(session: Session, workshop_id: int, limit: int,
                   voted_only: bool = False) -> list[Candidate]:
    """A workshop's top ``limit`` results by votes, ties at the cut included (see
    :func:`within_cut`): its clusters (not deleted), or its ideas (on the board, not hidden)
    when it has no clusters; in board order among equals. ``voted_only`` leaves out those
    without a vote."""
    clusters = list(session.scalars(
        select(Cluster)
        .where(Cluster.workshop_id == workshop_id, Cluster.deleted_at.is_(None))
        .order_by(Cluster.votes.desc(), Cluster.position, Cluster.id)
    ))
    if clusters:
        ranked = [cluster for cluster in clusters if cluster.votes > 0 or not voted_only]
        return [cluster_candidate(session, cluster) for cluster in within_cut(ranked, limit)]
    query = (select(Idea).where(Idea.workshop_id == workshop_id, bringable_idea())
             .order_by(Idea.votes.desc(), Idea.position, Idea.id))
    if voted_only:
        query = query.where(Idea.votes > 0)
    return [idea_candidate(idea) for idea in within_cut(list(session.scalars(query)), limit)]


def event_has_votes(session: Session, workshop_ids: list[int]) -> bool:
    """Whether any cluster or idea (on the board) of these workshops has a vote."""
    voted_cluster = select(Cluster.id).where(
        Cluster.workshop_id.in_(workshop_ids), Cluster.deleted_at.is_(None), Cluster.votes > 0)
    voted_idea = select(Idea.id).where(
        Idea.workshop_id.in_(workshop_ids), bringable_idea(), Idea.votes > 0)
    return (session.scalar(voted_cluster.limit(1)) is not None
            or session.scalar(voted_idea.limit(1)) is not None)


def ranked_candidates(session: Session, event_id: int, per_workshop: int) -> list[Candidate]:
    """What ``plenary_pull_top`` brings: every workshop's top ``per_workshop`` (ties at the cut
    kept); once anything of the event has votes, nothing without a vote."""
    workshop_ids = list(event_workshop_ids(session, event_id))
    voted_only = event_has_votes(session, workshop_ids)
    return [candidate for workshop_id in workshop_ids
            for candidate in top_candidates(session, workshop_id, per_workshop, voted_only)]


# ------------------------------------------------------------------------------ bringing


def keys_on_plenary(session: Session, event_id: int) -> set[tuple[str, int]]:
    """What is on the plenary already, as ``("idea"|"cluster", id)``."""
    query = select(PlenaryItem.idea_id, PlenaryItem.cluster_id).where(
        PlenaryItem.event_id == event_id)
    keys = set()
    for idea_id, cluster_id in session.execute(query):
        if cluster_id is not None:
            keys.add(("cluster", cluster_id))
        elif idea_id is not None:
            keys.add(("idea", idea_id))
    return keys


def new_candidates(session: Session, event_id: int,
                   candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates not on the plenary yet, each once."""
    seen = keys_on_plenary(session, event_id)
    fresh = []
    for candidate in candidates:
        if candidate.key not in seen:
            seen.add(candidate.key)
            fresh.append(candidate)
    return fresh


def place_items(session: Session, event_id: int, candidates: list[Candidate]) -> None:
    """Append the candidates to the plenary, after everything on it (at most
    :data:`MAX_ITEMS` items in all)."""
    count, last = session.execute(
        select(func.count(PlenaryItem.id), func.max(PlenaryItem.position))
        .where(PlenaryItem.event_id == event_id)
    ).one()
    if count + len(candidates) > MAX_ITEMS:
        raise Invalid(f"A plenary holds at most {MAX_ITEMS} items.",
                      {"items": f"at most {MAX_ITEMS} in all"})
    position = last if last is not None else -1
    for candidate in candidates:
        position += 1
        session.add(PlenaryItem(
            event_id=event_id, workshop_id=candidate.workshop_id,
            idea_id=candidate.target_id if candidate.kind == "idea" else None,
            cluster_id=candidate.target_id if candidate.kind == "cluster" else None,
            title=candidate.title, text=candidate.text, position=position,
        ))


def bring(session: Session, state, candidates: Iterable[Candidate]):
    """Put the candidates not yet on the plenary onto it: one numbered change, or a no-op
    (nothing new) answering the current plenary."""
    fresh = new_candidates(session, state.id, candidates)
    if not fresh:
        return unchanged(session, state)
    place_items(session, state.id, fresh)
    full, change = numbered_change(session, state.id)
    return {"plenary": full}, change


def add_items(session: Session, event_id: int, refs: list[PlenaryItemRef]):
    """``plenary_add`` (the event's moderators): copy the named ideas and clusters onto the
    plenary, each with its title and text as of now. Refuses the whole request when one is
    not found (another event's workshop, another workshop's idea) or is deleted, merged or
    hidden; skips those already on the plenary. Returns ``({"plenary"}, change or None)``;
    the change is ``plenary_changed``."""
    state = plenary_state(session, event_id, for_update=True)
    workshops = set(event_workshop_ids(session, event_id))
    candidates = []
    for index, ref in enumerate(refs):
        if ref.workshop_id not in workshops:
            raise NotFound("There is no such workshop in this event.",
                           {f"items.{index}.workshop_id": "not found"})
        candidates.append(candidate_of(session, ref, index))
    return bring(session, state, candidates)


def ensure_no_secret_totals(session: Session, event_id: int) -> None:
    """Refuse to rank by votes while a workshop's totals are secret (:func:`totals_hidden`):
    which items come to the plenary, in which order, would tell them. :class:`Conflict`
    naming those workshops; revealing their votes (or voting not secretly) lifts it."""
    secret = [workshop.title for workshop in session.scalars(
        select(Workshop).where(Workshop.event_id == event_id).order_by(Workshop.position,
                                                                      Workshop.id))
              if totals_hidden(workshop)]
    if secret:
        raise Conflict("The votes of these workshops are secret until revealed, and the top "
                       f"results would tell them: {', '.join(secret)}. Reveal them first.",
                       {"event_id": "votes still secret in: " + ", ".join(secret)})


def pull_top(session: Session, event_id: int, per_workshop: int):
    """``plenary_pull_top`` (the event's moderators): bring every workshop's top
    ``per_workshop`` clusters by votes (its top ideas when it has no clusters; never hidden,
    deleted or merged ones), with every one tied at the cut, and — once anything of the event
    has votes — none without a vote (:func:`ranked_candidates`); skipping those already on the
    plenary, so pulling again changes nothing. Refused with ``conflict`` while a workshop's
    totals are secret (:func:`ensure_no_secret_totals`). Returns ``({"plenary"}, change or
    None)``."""
    state = plenary_state(session, event_id, for_update=True)
    ensure_no_secret_totals(session, event_id)
    return bring(session, state, ranked_candidates(session, event_id, per_workshop))


# ------------------------------------------------------------------------------ removing


def get_item(session: Session, event_id: int, item_id: int) -> PlenaryItem:
    """The item ``item_id`` of this event's plenary, or :class:`NotFound` (also for another
    event's item)."""
    item = session.get(PlenaryItem, item_id)
    if item is None or item.event_id != event_id:
        raise NotFound("There is no such item on this plenary.", {"item_id": "not found"})
    return item


def remove_item(session: Session, event_id: int, item_id: int):
    """``plenary_remove`` (the event's moderators): take an item off the plenary; its dots go
    back to the voters. :class:`NotFound` for an item of another event. Returns
    ``({"plenary"}, change)``."""
    state = plenary_state(session, event_id, for_update=True)
    item = get_item(session, event_id, item_id)
    session.execute(delete(PlenaryVote).where(PlenaryVote.item_id == item_id))
    session.delete(item)
    full, change = numbered_change(session, state.id)
    return {"plenary": full}, change


# ------------------------------------------------------------------------------ settings


def new_settings(state, data: ConfigurePlenary) -> dict:
    """The settings ``configure_plenary`` asks for, as changes of the current state.

    Starting the vote also opens the plenary, closing it also stops the vote, unless the
    request says otherwise; a vote on a closed plenary (``open: false, voting: true``) is
    :class:`Invalid`.
    """
    is_open = state.plenary_open if data.open is None else data.open
    voting = state.plenary_voting if data.voting is None else data.voting
    if data.voting is True and data.open is None:
        is_open = True
    if data.open is False and data.voting is None:
        voting = False
    if voting and not is_open:
        raise Invalid("The plenary must be open to vote.", {"voting": "needs open"})
    budget = state.plenary_vote_budget if data.vote_budget is None else data.vote_budget
    wanted = {"open": is_open, "voting": voting, "vote_budget": budget}
    return {name: value for name, value in wanted.items()
            if getattr(state, f"plenary_{name}") != value}


def configure(session: Session, event_id: int, data: ConfigurePlenary):
    """``configure_plenary`` (the event's moderators): open or close the plenary, start or
    stop its vote, set the dots per participant (1–20; dots already placed stay). Returns
    ``({"plenary"}, change)``, or ``(current, None)`` when nothing changes."""
    state = plenary_state(session, event_id, for_update=True)
    changes = new_settings(state, data)
    if not changes:
        return unchanged(session, state)
    full, change = numbered_change(session, event_id, **changes)
    return {"plenary": full}, change


# ------------------------------------------------------------------------------ voting


def ensure_voting(state) -> None:
    """Refuse with :class:`Locked` unless the plenary is open and its vote running."""
    if not (state.plenary_open and state.plenary_voting):
        raise Locked("The plenary vote is not running right now.")


def dots_elsewhere(session: Session, event_id: int, participant_id: int, item_id: int) -> int:
    """The participant's dots on the plenary's other items."""
    query = (
        select(func.coalesce(func.sum(PlenaryVote.count), 0))
        .join(PlenaryItem, PlenaryItem.id == PlenaryVote.item_id)
        .where(PlenaryItem.event_id == event_id, PlenaryVote.participant_id == participant_id,
               PlenaryVote.item_id != item_id)
    )
    return int(session.scalar(query))


def set_dots(session: Session, item: PlenaryItem, participant_id: int,
             before: PlenaryVote | None, count: int) -> None:
    """Store the participant's ``count`` dots on an item and move its total by the
    difference (the event's row lock keeps concurrent voters apart)."""
    item.votes += count - (before.count if before is not None else 0)
    if count == 0:
        session.delete(before)
    elif before is None:
        session.add(PlenaryVote(item_id=item.id, participant_id=participant_id, count=count))
    else:
        before.count = count


def ensure_within_budget(state, elsewhere: int, had: int, count: int) -> None:
    """Refuse with :class:`Invalid` more dots than the budget allows; taking dots back is
    always possible (also after the budget was lowered)."""
    budget = state.plenary_vote_budget
    if count <= had:
        return
    if count > budget:
        raise Invalid(f"At most {budget} dots per person.", {"count": f"at most {budget}"})
    if elsewhere + count > budget:
        raise Invalid(f"That is more than your {budget} dots: take some back elsewhere first.",
                      {"count": f"at most {max(0, budget - elsewhere)}"})


def vote(session: Session, event_id: int, participant_id: int, item_id: int, count: int):
    """``plenary_vote`` (the event's participants, while the plenary is open and voting): set
    the participant's dots on one item — setting, not adding, so a retry changes nothing.
    ``count`` is 0…``vote_budget`` and all the participant's dots together stay within the
    budget (else :class:`Invalid`); ``locked`` while the vote is not running. Returns
    ``({"item_id", "count", "remaining"}, change or None)``; the change is
    ``plenary_changed`` with the new totals."""
    state = plenary_state(session, event_id, for_update=True)
    item = get_item(session, event_id, item_id)
    ensure_voting(state)
    before = session.get(PlenaryVote, (item_id, participant_id))
    had = before.count if before is not None else 0
    elsewhere = dots_elsewhere(session, event_id, participant_id, item_id)
    ensure_within_budget(state, elsewhere, had, count)
    remaining = max(0, state.plenary_vote_budget - elsewhere - count)
    answer = {"item_id": item_id, "count": count, "remaining": remaining}
    if had == count:
        return answer, None
    set_dots(session, item, participant_id, before, count)
    _, change = numbered_change(session, event_id)
    return answer, change
