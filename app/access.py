"""Who may read or write which workshop, answered from a per-process cache where possible.

Facts cached here never change once true (a workshop's event, a participant's membership, a
moderator's access to an event) while the event exists, so socket handlers avoid a database
round trip per event. Deleting an event makes them false: :meth:`Access.forget_event` drops
them (:mod:`pinnwand.privacy.cleanup`).
"""

from __future__ import annotations

import threading

from pinnwand.auth.identity import Identity
from pinnwand.db import Database
from pinnwand.errors import Forbidden, NotFound
from pinnwand.events.services import is_event_moderator
from pinnwand.workshops.models import Workshop
from pinnwand.workshops.services import add_member, is_member


class Access:
    """Authorisation checks for workshops, with positive answers cached in memory."""

    def __init__(self, db: Database):
        self.db = db
        self._event_of: dict[int, int] = {}
        self._moderates: set[tuple[int, int]] = set()
        self._members: set[tuple[int, int]] = set()
        self._guard = threading.Lock()

    def event_of(self, workshop_id: int) -> int:
        """The event a workshop belongs to, or :class:`NotFound`."""
        event_id = self._event_of.get(workshop_id)
        if event_id is None:
            with self.db.read() as session:
                workshop = session.get(Workshop, workshop_id)
                if workshop is None:
                    raise NotFound("There is no such workshop.")
                event_id = self._event_of[workshop_id] = workshop.event_id
        return event_id

    def moderates(self, identity: Identity, event_id: int) -> bool:
        """Whether ``identity`` is one of the event's moderators."""
        if not identity.is_moderator:
            return False
        key = (identity.moderator_id, event_id)
        if key in self._moderates:
            return True
        with self.db.read() as session:
            allowed = is_event_moderator(session, identity.moderator_id, event_id)
        if allowed:
            self._moderates.add(key)
        return allowed

    def is_staff(self, identity: Identity, workshop_id: int) -> bool:
        """Whether ``identity`` leads this workshop: one of its event's moderators, or its host."""
        if identity.is_host:
            return identity.workshop_id == workshop_id
        return identity.is_moderator and self.moderates(identity, self.event_of(workshop_id))

    def require_staff(self, identity: Identity, workshop_id: int) -> int:
        """The workshop's event if ``identity`` leads it (the event's moderators, its host)."""
        event_id = self.event_of(workshop_id)
        if not self.is_staff(identity, workshop_id):
            raise Forbidden("Only this workshop's moderators and host may do this.")
        return event_id

    def require_participant(self, identity: Identity, workshop_id: int) -> int:
        """The workshop's event if ``identity`` is a participant who joined it."""
        event_id = self.require_reader(identity, workshop_id)
        if not identity.is_participant:
            raise Forbidden("Only participants may do this.")
        if not self.is_member(identity.participant_id, workshop_id):
            raise Forbidden("Join this workshop first.")
        return event_id

    def require_reader(self, identity: Identity, workshop_id: int) -> int:
        """The workshop's event if ``identity`` may read it: a participant of its event, one of
        its moderators, or a viewer or host of exactly this workshop."""
        event_id = self.event_of(workshop_id)
        if identity.is_participant and identity.event_id == event_id:
            return event_id
        if (identity.is_viewer or identity.is_host) and identity.workshop_id == workshop_id:
            return event_id
        if self.moderates(identity, event_id):
            return event_id
        raise Forbidden("This workshop belongs to an event you are not part of.")

    def require_event_moderator(self, identity: Identity, event_id: int) -> int:
        """``event_id`` if ``identity`` is one of that event's moderators (event-wide steps,
        timers, messages and the plenary); hosts and participants are refused."""
        if not self.moderates(identity, event_id):
            raise Forbidden("Only this event's moderators may do this.")
        return event_id

    def require_poster(self, identity: Identity, workshop_id: int) -> int:
        """The workshop's event if ``identity`` may post to it: a participant who joined it,
        one of the event's moderators, or its host."""
        event_id = self.require_reader(identity, workshop_id)
        if identity.is_viewer:
            raise Forbidden("This is a read-only screen.")
        if identity.is_participant and not self.is_member(identity.participant_id, workshop_id):
            raise Forbidden("Join this workshop before posting to it.")
        return event_id

    def is_member(self, participant_id: int, workshop_id: int) -> bool:
        """Whether the participant has joined the workshop, on any connection, ever."""
        key = (participant_id, workshop_id)
        if key in self._members:
            return True
        with self.db.read() as session:
            member = is_member(session, workshop_id, participant_id)
        if member:
            self._members.add(key)
        return member

    def admit(self, participant_id: int, workshop_id: int) -> bool:
        """Make a participant a member of the workshop (persisted once, then cached);
        whether they are new to it."""
        if self.is_member(participant_id, workshop_id):
            return False
        with self.db.transaction() as session:
            add_member(session, workshop_id, participant_id)
        self._members.add((participant_id, workshop_id))
        return True

    # -- forgetting a deleted event ------------------------------------------------------------

    def forget_workshops(self, workshop_ids: set[int]) -> None:
        """Forget the event of each of these workshops and every membership in them."""
        with self._guard:
            for workshop_id in workshop_ids:
                self._event_of.pop(workshop_id, None)
            self._members.difference_update(
                [key for key in list(self._members) if key[1] in workshop_ids])

    def forget_participants(self, participant_ids: set[int]) -> None:
        """Forget every membership of these participants."""
        with self._guard:
            self._members.difference_update(
                [key for key in list(self._members) if key[0] in participant_ids])

    def forget_moderators_of(self, event_id: int) -> None:
        """Forget who moderates this event."""
        with self._guard:
            self._moderates.difference_update(
                [key for key in list(self._moderates) if key[1] == event_id])

    def forget_event(self, event_id: int, workshop_ids: set[int],
                     participant_ids: set[int]) -> None:
        """Forget everything cached about a deleted event: its moderators, its workshops and
        its participants' memberships."""
        self.forget_moderators_of(event_id)
        self.forget_workshops(workshop_ids)
        self.forget_participants(participant_ids)
