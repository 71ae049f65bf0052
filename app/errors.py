"""One error hierarchy for the whole server, mapped to HTTP answers and socket acks in one place.

Every error carries a contract ``code`` and a human ``message``; :class:`Invalid` also carries
``fields`` (a field name, dotted for nested ones, mapped to a message).
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of every error a client may see; ``status`` and ``code`` follow the contract."""

    status = 500
    code = "internal"
    default_message = "Something went wrong on the server."
    retry_after: int | None = None  # whole seconds to wait before trying again, if it helps

    def __init__(self, message: str | None = None, fields: dict[str, str] | None = None):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.fields = fields or {}

    def to_dict(self) -> dict:
        """The contract's error object: ``{"code", "message", "fields"}``."""
        return {"code": self.code, "message": self.message, "fields": self.fields}


class Invalid(ApiError):
    status, code, default_message = 400, "invalid", "The request is not valid."


class Unauthorized(ApiError):
    status, code, default_message = 401, "unauthorized", "Sign in first: a valid token is needed."


class Forbidden(ApiError):
    status, code, default_message = 403, "forbidden", "You may not do this."


class NotFound(ApiError):
    status, code, default_message = 404, "not_found", "Not found."


class MethodNotAllowed(ApiError):
    status, code, default_message = 405, "method_not_allowed", "This method is not allowed here."


class Conflict(ApiError):
    status, code, default_message = 409, "conflict", "This conflicts with what is already there."


class TooLarge(ApiError):
    status, code, default_message = 413, "too_large", "The request is too large."


class RateLimited(ApiError):
    status, code, default_message = 429, "rate_limited", "Too many requests; slow down."

    def __init__(self, message: str | None = None, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(ApiError):
    """The server cannot answer now but will soon: its database is busy or unreachable, or a
    queue of heavy work is full. Says how many seconds to wait (``Retry-After``)."""

    status, code = 503, "unavailable"
    default_message = "The server is busy right now; try again in a moment."

    def __init__(self, message: str | None = None, retry_after: int = 2):
        super().__init__(message)
        self.retry_after = retry_after


class Locked(ApiError):
    """The workshop does not accept this right now (locked, or its step does not allow it)."""

    status, code, default_message = 423, "locked", "This workshop does not accept that right now."


class Internal(ApiError):
    status, code = 500, "internal"


ERRORS_BY_STATUS = {cls.status: cls for cls in (
    Invalid, Unauthorized, Forbidden, NotFound, MethodNotAllowed, Conflict, TooLarge, RateLimited,
    Internal, Unavailable,
)}
