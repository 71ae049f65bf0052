"""The review step: participants of a later forum give verdicts on the open actions of the
series' earlier forums; no Flask.

A workshop may enter its ``review`` step only when its event has an earlier forum in its
series (:func:`ensure_review_possible`). Its board then shows those forums' open actions
(``planned`` or ``running``, not deleted) with their latest updates (:func:`review_board`).
A verdict is *set*, not added: one per reviewer, action and workshop, so a repeat changes
nothing. Counts and comments are shown through :mod:`pinnwand.board.visibility` (secret
with the workshop's ``votes_secret`` until :func:`reveal_reviews`); comments never carry a
name.
"""

from __future__ import annotations

from pinnwand.actions.models import Action
from pinnwand.auth.identity import Identity
from pinnwand.board.changes import Change, numbered, shared
from pinnwand.board.names import REVIEW_CHANGED, REVIEWS_REVEALED
from pinnwand.board.seq import claim_seq
from pinnwand.board.visibility import Audience, review_tally_view, review_view, reviews_hidden
from pinnwand.db import isoformat, utcnow
from pinnwand.errors import Conflict, Locked, NotFound
from pinnwand.reviews.models import ReviewVerdict
from pinnwand.reviews.schemas import RevealReviews, ReviewAction
from pinnwand.reviews.tallies import tallies
from pinnwand.series.models import series_events
from pinnwand.series.services import OPEN_STATUSES, earlier_events, open_entries
from pinnwand.workshops.models import REVIEW_STEP, Workshop
from pinnwand.workshops.services import get_workshop
from sqlalchemy import select, update
from sqlalchemy.orm import Session

LATEST_UPDATES = 3  # the updates a review card shows, newest first


# -- may this workshop review ----------------------------------------------------------------

def review_available(session: Session, event_id: int) -> bool:
    """Whether the event's workshops may run a review step: it belongs to a series with an
    earlier forum."""
    return bool(earlier_events(session, event_id)[1])


def ensure_review_possible(session: Session, workshop: Workshop) -> None:
    """Refuse with :class:`Conflict` to move a workshop to ``review`` when its event has no
    earlier forum in a series (nothing to review)."""
    if not review_available(session, workshop.event_id):
        raise Conflict("There is nothing to review: this event has no earlier forum in a "
                       "series.")


def ensure_reviewing(state, staff: bool) -> None:
    """Verdicts are given only in the review step (``locked`` otherwise, for everyone), and by
    participants only while the workshop is unlocked."""
    if state.step != REVIEW_STEP:
        raise Locked(f"This workshop is in its {state.step} step: verdicts are given in its "
                     "review step.")
    if state.locked and not staff:
        raise Locked("This workshop is locked right now.")


def ensure_open_action(session: Session, event_id: int, action_id: int) -> None:
    """Refuse with :class:`NotFound` unless the action is one of the open actions of the
    series' forums before this event (another series' action is as unknown as none)."""
    earlier = earlier_events(session, event_id)[1]
    query = (select(Action.id).join(Workshop, Workshop.id == Action.workshop_id)
             .where(Action.id == action_id, Action.deleted_at.is_(None),
                    Action.status.in_(OPEN_STATUSES), Workshop.event_id.in_(earlier)))
    if not earlier or session.scalar(query) is None:
        raise NotFound("There is no such open action of an earlier forum of this series.")


# -- reading ----------------------------------------------------------------------------------

def review_card(entry) -> dict:
    """An open action as a review card shows it: what was agreed, by whom it is owned, its
    status and its latest updates (newest first), the forum it came from. No contributor
    names."""
    action = entry.action
    latest = [{"status": u.status, "note": u.note, "at": isoformat(u.at)}
              for u in reversed(entry.updates[-LATEST_UPDATES:])]
    return {"id": action.id, "title": action.title, "what": action.what,
            "owner": action.owner, "due": action.due.isoformat() if action.due else None,
            "status": action.status, "updates": latest,
            "event": {"id": entry.event.id, "title": entry.event.title,
                      "date": entry.event.date.isoformat() if entry.event.date else None},
            "workshop": {"id": entry.workshop.id, "title": entry.workshop.title}}


def review_board(session: Session, workshop: Workshop, audience: Audience) -> dict:
    """The review part of a workshop's snapshot: ``{"available", "hidden", "revealed",
    "actions": [card + {"action_id", "given", "review", "comments"}]}`` — the open actions of
    the series' earlier forums with this workshop's verdicts as ``audience`` may see them."""
    entries = open_entries(session, earlier_events(session, workshop.event_id)[1])
    counted = tallies(session, [e.action.id for e in entries], workshop_id=workshop.id)
    actions = [{**review_card(e), **review_tally_view(counted[e.action.id], audience, workshop)}
               for e in entries]
    return {"available": in_series_with_past(session, workshop.event_id),
            "hidden": reviews_hidden(workshop) and not audience.staff,
            "revealed": workshop.reviews_revealed, "actions": actions}


def in_series_with_past(session: Session, event_id: int) -> bool:
    """:func:`review_available`, without a second look at the series when it has none."""
    in_series = session.scalar(select(series_events.c.series_id)
                               .where(series_events.c.event_id == event_id))
    return in_series is not None and review_available(session, event_id)


def my_reviews(session: Session, workshop_id: int, audience: Audience) -> list[dict]:
    """The reader's own verdicts in this workshop (a participant's): ``[{"action_id",
    "verdict", "comment"}]``."""
    if audience.participant_id is None:
        return []
    query = (select(ReviewVerdict).where(ReviewVerdict.workshop_id == workshop_id,
                                         ReviewVerdict.participant_id == audience.participant_id)
             .order_by(ReviewVerdict.action_id))
    return [{"action_id": r.action_id, "verdict": r.verdict, "comment": r.comment}
            for r in session.scalars(query)]


# -- writing ----------------------------------------------------------------------------------

def _reviewer(identity: Identity):
    """The condition selecting this reviewer's rows (a participant's or a moderator's)."""
    if identity.participant_id is not None:
        return ReviewVerdict.participant_id == identity.participant_id
    return ReviewVerdict.moderator_id == identity.moderator_id


def _own_verdict(session: Session, identity: Identity, data: ReviewAction) -> ReviewVerdict | None:
    query = select(ReviewVerdict).where(ReviewVerdict.workshop_id == data.workshop_id,
                                        ReviewVerdict.action_id == data.action_id,
                                        _reviewer(identity))
    return session.scalar(query)


def _wanted_comment(data: ReviewAction, current: ReviewVerdict | None) -> str | None:
    """The comment to keep: the one sent (``""``/``null`` none), or, left out, the one before."""
    if "comment" not in data.model_fields_set:
        return current.comment if current is not None else None
    return data.comment or None


def _answer(data: ReviewAction, comment: str | None, seq: int) -> dict:
    """The ``review_action`` ack."""
    return {"action_id": data.action_id, "verdict": data.verdict, "comment": comment,
            "seq": seq}


def review_action(session: Session, identity: Identity, data: ReviewAction,
                  staff: bool) -> tuple[dict, Change | None]:
    """Set the sender's verdict (and comment) on one open action of the series' earlier
    forums (a participant who joined the workshop, or one of the event's moderators; the
    caller has checked that).

    Only in the review step (``locked`` otherwise), only on those open actions
    (``not_found``). The same verdict and comment as before is a no-op (no ``seq``).
    Otherwise stores it and numbers ``review_changed {"workshop_id", "seq", "action_id",
    "given", "review", "comments"}`` — while verdicts are secret the room gets ``review``
    and ``comments`` as ``null`` with ``"hidden": true``, the reviewer also ``mine``.
    Returns ``({"action_id", "verdict", "comment", "seq"}, change or None)``.
    """
    workshop = get_workshop(session, data.workshop_id)
    ensure_reviewing(workshop, staff)
    ensure_open_action(session, workshop.event_id, data.action_id)
    current = _own_verdict(session, identity, data)
    comment = _wanted_comment(data, current)
    if current is not None and (current.verdict, current.comment) == (data.verdict, comment):
        return _answer(data, comment, workshop.seq), None
    state = claim_seq(session, data.workshop_id)
    ensure_reviewing(state, staff)
    _store(session, identity, data, comment)
    return (_answer(data, comment, state.seq),
            _review_changed(session, data, state, identity.participant_id,
                            {"verdict": data.verdict, "comment": comment}))


def _store(session: Session, identity: Identity, data: ReviewAction, comment: str | None) -> None:
    """Insert or update the reviewer's row (read again under the workshop's row lock)."""
    row = _own_verdict(session, identity, data)
    if row is None:
        row = ReviewVerdict(workshop_id=data.workshop_id, action_id=data.action_id,
                            participant_id=identity.participant_id,
                            moderator_id=None if identity.participant_id else identity.moderator_id)
        session.add(row)
    row.verdict, row.comment, row.at = data.verdict, comment, utcnow()
    session.flush()


def _review_changed(session: Session, data: ReviewAction, state, reviewer_id: int | None,
                    mine: dict) -> Change:
    """Log ``review_changed`` with the action's verdicts in this workshop, as each audience may
    see them (:func:`pinnwand.board.visibility.review_view`)."""
    tally = tallies(session, [data.action_id], workshop_id=data.workshop_id)[data.action_id]
    payload = {"workshop_id": data.workshop_id, "seq": state.seq, **tally}

    def view(audience: Audience) -> dict:
        return review_view(payload, reviewer_id, mine, audience, state)

    return numbered(session, data.workshop_id, state.seq, REVIEW_CHANGED, view,
                    owner_id=reviewer_id)


def reveal_reviews(session: Session, data: RevealReviews) -> tuple[dict, Change | None]:
    """Publish the verdicts of the review step (the workshop's staff; the caller has checked).

    Sets ``reviews_revealed`` and numbers ``reviews_revealed {"workshop_id", "seq",
    "actions": [{"action_id", "given", "review", "comments"}]}`` for every open action under
    review. Already revealed: a no-op answering the current ``seq``. Returns ``({"seq"},
    change or None)``.
    """
    workshop = get_workshop(session, data.workshop_id)
    if workshop.reviews_revealed:
        return {"seq": workshop.seq}, None
    state = claim_seq(session, data.workshop_id)
    session.execute(update(Workshop).where(Workshop.id == data.workshop_id)
                    .values(reviews_revealed=True))
    entries = open_entries(session, earlier_events(session, workshop.event_id)[1])
    counted = tallies(session, [e.action.id for e in entries], workshop_id=data.workshop_id)
    payload = {"workshop_id": data.workshop_id, "seq": state.seq,
               "actions": list(counted.values())}
    return {"seq": state.seq}, shared(session, data.workshop_id, state.seq, REVIEWS_REVEALED,
                                      payload)
