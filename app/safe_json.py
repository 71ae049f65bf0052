"""JSON from clients, held to a sane nesting depth.

No payload of the protocol nests deeper than a few levels. Deeper JSON (or JSON deep enough to
exhaust Python's recursion while it is read) is refused as ``invalid``: HTTP bodies through the
app's JSON provider (``400``), Socket.IO messages through the JSON module the Socket.IO server
reads packets with, which hands the event's handler a :class:`TooDeepPayload` in place of the
payload; validation refuses it, so the sender gets an ``invalid`` ack. Never a ``500``, never
silence.
"""

from __future__ import annotations

import json

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32
TOO_DEEP_MESSAGE = f"The JSON is nested more than {MAX_DEPTH} levels deep."
UNREADABLE_EVENT = "\x00unreadable"  # an event whose very name is unreadable: unknown


class TooDeep(ValueError):
    """JSON nested deeper than :data:`MAX_DEPTH`."""


def loads(text, **kwargs):
    """``json.loads`` that raises :class:`TooDeep` for JSON nested too deeply."""
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise TooDeep(TOO_DEEP_MESSAGE) from None
    if nesting_exceeds(value, MAX_DEPTH):
        raise TooDeep(TOO_DEEP_MESSAGE)
    return value


def nesting_exceeds(value, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest deeper than ``limit`` (without recursion)."""
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if not isinstance(node, dict | list):
            continue
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        pending.extend((child, depth + 1) for child in children)
    return False


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading request bodies with :func:`loads`."""

    def loads(self, s, **kwargs):
        return loads(s, **kwargs)


class TooDeepPayload(dict):
    """Stands for a socket payload nested too deeply to read. Validation refuses it as
    ``invalid`` (:func:`pinnwand.validation.parse`); being an object with a field no schema
    knows, it is refused even where a handler looked at it first."""

    def __init__(self):
        super().__init__({"\x00": "nested too deeply"})


class PreEncoded:
    """An answer encoded as JSON text already (a big board's snapshot is encoded a slice at a
    time, see :mod:`pinnwand.snapshot`); :class:`SocketJSON` sends the text as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def wrapped(self, prefix: str, suffix: str) -> PreEncoded:
        """This JSON inside another JSON text: ``prefix + text + suffix``."""
        return PreEncoded(prefix + self.text + suffix)


class SocketJSON:
    """The JSON module of the Socket.IO server. A message nested too deeply is read as its
    event's name with a :class:`TooDeepPayload` (the ack id comes before the JSON, so the
    sender gets its answer). An ack whose only argument is :class:`PreEncoded` is written as
    that text."""

    @staticmethod
    def dumps(*args, **kwargs):
        value = args[0] if args else None
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], PreEncoded):
            return "[" + value[0].text + "]"
        return json.dumps(*args, **kwargs)

    @staticmethod
    def loads(text, **kwargs):
        try:
            return loads(text, **kwargs)
        except TooDeep:
            return [_event_name(text), TooDeepPayload()]


def _event_name(text: str) -> str:
    """The event name at the start of a packet's JSON array, if it can be read at all."""
    try:
        name, _ = json.JSONDecoder().raw_decode(text, text.index("[") + 1)
    except (ValueError, RecursionError):
        return UNREADABLE_EVENT
    return name if isinstance(name, str) else UNREADABLE_EVENT
