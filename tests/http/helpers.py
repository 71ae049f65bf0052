"""Assertions shared by the HTTP tests."""

from __future__ import annotations

import json

from pinnwand.reports.hyphens import SOFT_HYPHEN

STATUS_OF = {
    "invalid": 400, "unauthorized": 401, "forbidden": 403, "not_found": 404,
    "method_not_allowed": 405, "conflict": 409, "too_large": 413, "rate_limited": 429,
    "internal": 500, "unavailable": 503,
}


def assert_error(response, code: str) -> dict:
    """Check an error answer has the contract's status, media type and exact shape;
    returns its ``fields``."""
    assert response.status_code == STATUS_OF[code], (response.status_code, response.data[:500])
    assert response.mimetype == "application/json", response.mimetype
    body = json.loads(response.get_data(as_text=True))
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"].strip(), error
    assert isinstance(error["fields"], dict), error
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in error["fields"].items())
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "<html" not in text.lower()
    return error["fields"]


def headers_of(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def page_text(response) -> str:
    """A page's HTML as a reader sees its words: without the soft hyphens that let long
    words break at a syllable."""
    return response.get_data(as_text=True).replace(SOFT_HYPHEN, "")
