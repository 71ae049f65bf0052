"""Password hashing with Argon2id (argon2-cffi's recommended parameters).

Hashing a password costs tens of milliseconds of CPU and 64 MiB: on the event loop, every
sign-in would stall every board of the process. :class:`PasswordChecker` runs verification in
a small, bounded pool of real threads (Argon2 releases the GIL); unknown e-mails are verified
against a dummy hash of the same parameters, so they cost the same (no user enumeration by
timing). The command line hashes directly (it serves nobody meanwhile).
"""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pinnwand.background import BoundedRunner

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8
# Argon2 computes its lanes in threads of its own: one verification at a time per two cores
# keeps a core for the boards.
HASHING_WORKERS = max(1, (os.cpu_count() or 2) // 2)
HASHING_WAITING = 16  # sign-ins waiting for a turn; more are told to come back
BUSY_MESSAGE = "Too many sign-ins at this moment: try again in a few seconds."

_dummy_hashes: dict[tuple, str] = {}


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` with a fresh salt."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; ``None`` (an unknown e-mail) burns the same time against
    a dummy hash of the same parameters and answers ``False``."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and \
            password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    """A hash made with the current parameters (made once per set of parameters)."""
    key = (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = _hasher.hash("pinnwand-timing-equaliser")
    return _dummy_hashes[key]


class PasswordChecker:
    """Verifies passwords off the event loop: :data:`HASHING_WORKERS` at a time,
    :data:`HASHING_WAITING` more in line, beyond that :class:`~pinnwand.errors.Unavailable`
    (503 with ``Retry-After``) at once."""

    def __init__(self, workers: int = HASHING_WORKERS, waiting: int = HASHING_WAITING):
        self._runner = BoundedRunner(workers, waiting, busy_message=BUSY_MESSAGE)
        _dummy_hash()  # made now, so the first unknown e-mail costs no more than a known one

    def verify(self, password_hash: str | None, password: str) -> bool:
        """:func:`verify_password`, in a worker thread."""
        return self._runner.run(verify_password, password_hash, password)

    @property
    def admitted(self) -> int:
        """Verifications running or waiting now."""
        return self._runner.admitted
