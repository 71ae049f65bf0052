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


def _resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        node = document
        for part in schema["$ref"][2:].split("/"):
            node = node[part]
        schema = node
    return schema


def _success_schema(document, path: str, method: str, status: str) -> dict:
    response = document["paths"][path][method]["responses"][status]
    return _resolve(document, response["content"]["application/json"]["schema"])


def test_host_link_is_described_like_the_viewer_link(document):
    host = document["paths"]["/workshops/{workshop_id}/host-link"]["post"]
    viewer = document["paths"]["/workshops/{workshop_id}/viewer-link"]["post"]
    body = _resolve(document, host["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == {"name"} and body["required"] == ["name"]
    assert (body["properties"]["name"]["minLength"], body["properties"]["name"]["maxLength"]) \
        == (1, 80)
    assert body["additionalProperties"] is False
    answer = _success_schema(document, "/workshops/{workshop_id}/host-link", "post", "201")
    assert set(answer["required"]) == {"token", "url", "expires_at", "name"}
    assert set(host["responses"]) == set(viewer["responses"])
    assert host["security"] == viewer["security"] and host["x-allowed"] == "moderator"
    assert [p["name"] for p in host["parameters"]] == ["workshop_id"]


def test_workshop_creation_describes_template_and_categories(document):
    for path in ("/events", "/events/{event_id}/workshops"):
        body = _resolve(document, document["paths"][path]["post"]["requestBody"]["content"]
                        ["application/json"]["schema"])
        if path == "/events":
            body = _resolve(document, body["properties"]["workshops"]["items"])
        template, categories = body["properties"]["template"], body["properties"]["categories"]
        assert template["enum"] == ["free", "categories", "how_might_we", "running"]
        assert template["default"] == "free" and template["description"]
        listed = next(s for s in categories["anyOf"] if s.get("type") == "array")
        assert listed["maxItems"] == 12 and listed["items"]["type"] == "string"
        assert (listed["items"]["minLength"], listed["items"]["maxLength"]) == (1, 120)
        assert "template" not in body["required"] and "categories" not in body["required"]


def test_workshop_object_describes_its_facilitation_fields(document):
    workshop = _success_schema(document, "/events/{event_id}/workshops", "post", "201")
    assert {"template", "categories", "settings", "timer"} <= set(workshop["required"])
    fields = workshop["properties"]
    assert fields["template"]["enum"] == ["free", "categories", "how_might_we", "running"]
    assert set(fields["categories"]["items"]["required"]) == {"id", "title"}
    assert set(fields["settings"]["required"]) == {
        "private_writing", "cluster_by", "vote_budget", "vote_max_per_target", "votes_secret",
        "votes_revealed", "reviews_revealed"}
    assert set(fields["timer"]["required"]) == {"state", "duration", "ends_at", "remaining",
                                                "lock_at_end"}
    assert _success_schema(document, "/workshops/{workshop_id}", "patch", "200") == workshop
    event = _success_schema(document, "/events", "post", "201")
    assert _resolve(document, event["properties"]["workshops"]["items"]) == workshop


def test_answers_carry_the_described_fields(client, auth, event, document):
    """The described required fields are what the server really answers."""
    workshop = event["workshops"][0]
    host = client.post(f"/api/v1/workshops/{workshop['id']}/host-link", headers=auth,
                       json={"name": "Tisch 1"})
    assert host.status_code == 201
    link = _success_schema(document, "/workshops/{workshop_id}/host-link", "post", "201")
    assert set(host.json) == set(link["required"]) and host.json["name"] == "Tisch 1"
    described = _success_schema(document, "/events/{event_id}/workshops", "post", "201")
    assert set(described["required"]) <= set(workshop)
    assert set(workshop["settings"]) == set(described["properties"]["settings"]["required"])
    assert set(workshop["timer"]) == set(described["properties"]["timer"]["required"])
