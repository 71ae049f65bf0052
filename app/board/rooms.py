"""Every Socket.IO room the server addresses, by name.

A workshop's board: everyone who opened it is in :func:`workshop_room`; besides, the staff are
in :func:`staff_room` and everyone else in :func:`public_room`, each participant also in their
own :func:`participant_room` and each projector in :func:`viewer_room`. A change that shows
everyone the same goes to the workshop's room; one with hidden parts goes to these apart, each
getting only its variant (see :mod:`pinnwand.board.publish`).

An event: its moderators' cockpit (:func:`event_room`) and its plenary (everyone, the
moderators, everyone else).
"""

from __future__ import annotations

from collections.abc import Iterable


def workshop_room(workshop_id: int) -> str:
    """The room of everyone who opened a workshop's board."""
    return f"workshop:{workshop_id}"


def staff_room(workshop_id: int) -> str:
    """The event's moderators and the workshop's hosts on its board."""
    return f"workshop:{workshop_id}:staff"


def public_room(workshop_id: int) -> str:
    """Everyone on a workshop's board who is not its staff: participants and projectors."""
    return f"workshop:{workshop_id}:public"


def participant_room(workshop_id: int, participant_id: int) -> str:
    """One participant's sockets on a workshop's board."""
    return f"workshop:{workshop_id}:p:{participant_id}"


def viewer_room(workshop_id: int) -> str:
    """The workshop's projectors (read-only viewers)."""
    return f"workshop:{workshop_id}:viewers"


def board_rooms(identity, workshop_id: int, staff: bool) -> list[str]:
    """Every room a socket of this identity joins when it opens a workshop's board."""
    if staff:
        return [workshop_room(workshop_id), staff_room(workshop_id)]
    own = (participant_room(workshop_id, identity.participant_id) if identity.is_participant
           else viewer_room(workshop_id))
    return [workshop_room(workshop_id), public_room(workshop_id), own]


def event_room(event_id: int) -> str:
    """The room of the moderators watching an event in the cockpit."""
    return f"event:{event_id}"


def plenary_room(event_id: int) -> str:
    """The room of every socket that opened the event's plenary."""
    return f"plenary:{event_id}"


def plenary_staff_room(event_id: int) -> str:
    """The event's moderators on its plenary (they see the items even while it is closed)."""
    return f"plenary:{event_id}:staff"


def plenary_public_room(event_id: int) -> str:
    """Participants and hosts on the event's plenary (items only while it is open)."""
    return f"plenary:{event_id}:public"


def plenary_rooms(event_id: int, staff: bool) -> list[str]:
    """Every room a socket joins when it opens the plenary."""
    return [plenary_room(event_id),
            plenary_staff_room(event_id) if staff else plenary_public_room(event_id)]


def rooms_of_event(event_id: int, workshop_ids: Iterable[int],
                   members: Iterable[tuple[int, int]]) -> list[str]:
    """Every room of an event: the cockpit's, the plenary's (everyone, staff, public), each
    workshop's (everyone, staff, public, projectors) and each member's own room on the
    workshops they joined (``members``: ``(workshop_id, participant_id)`` pairs)."""
    rooms = [event_room(event_id), plenary_room(event_id), plenary_staff_room(event_id),
             plenary_public_room(event_id)]
    for workshop_id in sorted(workshop_ids):
        rooms += [workshop_room(workshop_id), staff_room(workshop_id), public_room(workshop_id),
                  viewer_room(workshop_id)]
    rooms += [participant_room(workshop_id, participant_id)
              for workshop_id, participant_id in members]
    return rooms
