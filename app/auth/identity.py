"""Who is asking: the resolved owner of a token, cached for a socket's lifetime."""

from __future__ import annotations

from dataclasses import dataclass

MODERATOR = "moderator"
PARTICIPANT = "participant"
VIEWER = "viewer"
HOST = "host"
UPDATER = "updater"


@dataclass(frozen=True)
class Identity:
    """A signed-in moderator, a participant of one event, a read-only viewer of one workshop
    (a projector), a host: a table facilitator with moderator rights for one workshop, or an
    updater: the personal link of one action in a register (it may only read and update that
    action)."""

    kind: str
    token_id: int
    name: str
    moderator_id: int | None = None
    participant_id: int | None = None
    event_id: int | None = None
    workshop_id: int | None = None
    action_id: int | None = None

    @property
    def is_moderator(self) -> bool:
        return self.kind == MODERATOR

    @property
    def is_participant(self) -> bool:
        return self.kind == PARTICIPANT

    @property
    def is_viewer(self) -> bool:
        return self.kind == VIEWER

    @property
    def is_host(self) -> bool:
        return self.kind == HOST

    @property
    def is_updater(self) -> bool:
        return self.kind == UPDATER

    @property
    def sender(self) -> str:
        """The key under which this identity's ``op_id``s are remembered."""
        if self.is_moderator:
            return f"m:{self.moderator_id}"
        if self.is_viewer:
            return f"v:{self.token_id}"
        if self.is_host:
            return f"h:{self.token_id}"
        if self.is_updater:
            return f"u:{self.token_id}"
        return f"p:{self.participant_id}"
