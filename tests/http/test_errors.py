"""Every HTTP error is JSON in the contract's shape: never HTML, never a stack trace."""

from __future__ import annotations

import pytest

from tests.http.helpers import assert_error

MAX_BODY = 256 * 1024


@pytest.mark.parametrize("path", ["/nope", "/api/v1/nope", "/api/v1/events/abc",
                                  "/api/v2/events", "/static/../../etc/passwd",
                                  "/api/v1/events/1/report"])
def test_unknown_path_is_json_404(client, path):
    assert_error(client.get(path), "not_found")


@pytest.mark.parametrize(("method", "path"), [
    ("delete", "/api/v1/join"),
    ("get", "/api/v1/join"),
    ("put", "/api/v1/events"),
    ("delete", "/api/v1/events"),
    ("get", "/api/v1/auth/token"),
    ("get", "/api/v1/auth/logout"),
    ("post", "/api/v1/openapi.json"),
])
def test_wrong_method_is_json_405(client, method, path):
    response = getattr(client, method)(path)
    assert_error(response, "method_not_allowed")
    assert method.upper() not in response.headers.get("Allow", "").split(", ")


def test_405_names_the_allowed_methods(client):
    response = client.delete("/api/v1/join")
    assert "POST" in response.headers["Allow"]


def test_settings_default_body_cap(settings):
    assert settings.max_body_bytes == MAX_BODY


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/join", "/api/v1/auth/token"])
def test_body_over_the_cap_is_json_413(client, auth, path):
    body = b'{"title": "' + b"x" * (MAX_BODY + 1) + b'"}'
    response = client.post(path, headers={**auth, "Content-Type": "application/json"},
                           data=body)
    assert_error(response, "too_large")


def test_body_over_the_cap_creates_nothing(client, auth):
    body = '{"title": "' + "x" * (MAX_BODY + 10) + '"}'
    client.post("/api/v1/events", headers={**auth, "Content-Type": "application/json"},
                data=body)
    assert client.get("/api/v1/events", headers=auth).json["events"] == []


def test_body_just_under_the_cap_is_not_too_large(client, auth):
    # a valid-size body still gets an answer on its merits (here: description too long)
    body = {"title": "E", "description": "x" * (MAX_BODY - 1000)}
    response = client.post("/api/v1/events", headers=auth, json=body)
    assert "description" in assert_error(response, "invalid")


def test_unexpected_exception_is_json_500_without_trace(app, client):
    def explode():
        raise RuntimeError("secret internals: /etc/shadow at line 42")

    app.add_url_rule("/api/v1/test-explode", "test_explode", explode)
    response = client.get("/api/v1/test-explode")
    assert_error(response, "internal")
    text = response.get_data(as_text=True)
    assert "secret internals" not in text
    assert "RuntimeError" not in text
    assert "line 42" not in text


def test_unexpected_exception_outside_the_api_is_json_500(app, client):
    def explode():
        raise ZeroDivisionError

    app.add_url_rule("/test-explode-plain", "test_explode_plain", explode)
    assert_error(client.get("/test-explode-plain"), "internal")


def test_form_encoded_body_is_invalid_not_html(client, auth):
    response = client.post("/api/v1/events", headers=auth, data={"title": "E"})
    assert_error(response, "invalid")
