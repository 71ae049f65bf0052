"""Every HTTP error answers in the contract's JSON shape, never an HTML page or a trace."""

from __future__ import annotations

import logging

from flask import Flask
from pinnwand.db_failures import as_unavailable
from pinnwand.errors import ERRORS_BY_STATUS, ApiError, Internal
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_WERKZEUG_MESSAGES = {
    404: "There is nothing at this address.",
    405: "This method is not allowed here.",
    413: "The request is too large.",
    503: "The server is busy right now; try again in a moment.",
}


def error_response(error: ApiError):
    """The JSON body and status for an :class:`ApiError`."""
    response = {"error": error.to_dict()}, error.status
    if error.retry_after:
        return (*response, {"Retry-After": str(error.retry_after)})
    return response


def register_error_handlers(app: Flask) -> None:
    """Map :class:`ApiError`, Werkzeug's HTTP errors and anything unexpected to JSON."""

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        kind = ERRORS_BY_STATUS.get(error.code)
        if kind is None:
            kind = Internal if (error.code or 500) >= 500 else ERRORS_BY_STATUS[400]
        message = _WERKZEUG_MESSAGES.get(error.code) or kind.default_message
        response = error_response(kind(message))
        if error.code == 405 and error.valid_methods:
            return (*response[:2], {"Allow": ", ".join(error.valid_methods)})
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        unavailable = as_unavailable(error)
        if unavailable is not None:
            log.warning("database unavailable: %s", error)
            return error_response(unavailable)
        log.exception("unexpected error", exc_info=error)
        return error_response(Internal())
