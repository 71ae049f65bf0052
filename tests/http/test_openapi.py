"""``GET /api/v1/openapi.json``: an OpenAPI 3.1 description of every route under /api/v1."""

from __future__ import annotations

import re

import pytest

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.json


def _template(rule: str) -> str:
    """A Flask rule below /api/v1 as an OpenAPI path with anonymous parameters."""
    path = rule.removeprefix("/api/v1")
    return re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "{}", path)


def _anonymous(path: str) -> str:
    return re.sub(r"\{[^{}]+\}", "{}", path)


def test_document_is_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    assert isinstance(document["info"]["title"], str) and document["info"]["title"]
    assert isinstance(document["info"]["version"], str)
    assert isinstance(document["paths"], dict) and document["paths"]


def test_no_openapi_spec_validator_errors(document):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)


def test_every_api_route_and_method_is_described(app, document):
    described = {}
    for path, item in document["paths"].items():
        described.setdefault(_anonymous(path), set()).update(m for m in item if m in
                                                             HTTP_METHODS)
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        methods = {m.lower() for m in rule.methods} - {"head", "options"}
        absent = methods - described.get(_template(rule.rule), set())
        if absent:
            missing.append((rule.rule, sorted(absent)))
    assert missing == []


def test_every_described_path_exists(app, document):
    routes = {_template(r.rule) for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/v1/")}
    assert {_anonymous(p) for p in document["paths"]} <= routes


def test_paths_and_operations_are_well_formed(document):
    operation_ids = []
    for path, item in document["paths"].items():
        assert path.startswith("/"), path
        template_params = set(re.findall(r"\{([^{}]+)\}", path))
        for method, operation in item.items():
            assert method in HTTP_METHODS, (path, method)
            responses = operation["responses"]
            assert responses, (path, method)
            assert all(re.fullmatch(r"[1-5]\d\d|default|[1-5]XX", s) for s in responses)
            assert all("description" in r for r in responses.values())
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == template_params, (path, method)
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"path", "query", "header", "cookie"}
                if parameter["in"] == "path":
                    assert parameter["required"] is True
            if "operationId" in operation:
                operation_ids.append(operation["operationId"])
    assert len(operation_ids) == len(set(operation_ids))


def test_every_reference_resolves(document):
    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    found = list(refs(document))
    assert found
    for ref in found:
        assert ref.startswith("#/"), ref
        node = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        assert isinstance(node, dict), ref


def test_error_schema_lists_every_http_error_code(document):
    schemas = document["components"]["schemas"]
    error = schemas["Error"]["properties"]["error"]
    assert set(error["properties"]["code"]["enum"]) >= {
        "invalid", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict",
        "too_large", "rate_limited", "internal"}


def test_security_scheme_is_bearer(document):
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("type") == "http" and s.get("scheme") == "bearer" for s in schemes.values())


def test_openapi_needs_no_token(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
