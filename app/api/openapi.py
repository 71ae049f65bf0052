"""The OpenAPI 3.1 description of the HTTP API, served at ``/api/v1/openapi.json``.

Request bodies come from the same pydantic schemas the views validate with, so the description
cannot drift from what the server accepts.
"""

from __future__ import annotations

from functools import cache

from pinnwand.api import api
from pinnwand.auth.schemas import LoginIn
from pinnwand.events.schemas import (
    AgendaItemIn,
    AgendaItemPatch,
    EventIn,
    EventPatch,
    JoinIn,
    JoiningPatch,
    ModeratorIn,
)
from pinnwand.mail.schemas import DraftIn, MailingIn
from pinnwand.privacy.schemas import ContactIn, PrivacyPatch
from pinnwand.reports.render import FORMATS, MIMETYPES
from pinnwand.reports.schemas import PublicationIn, RedactionIn, ReportSettingsPatch
from pinnwand.series.exports import MIMETYPES as REGISTER_MIMETYPES
from pinnwand.series.schemas import (
    ActionUpdateIn,
    NextForumIn,
    RemindersIn,
    SeriesIn,
    UpdateLinkIn,
)
from pinnwand.validation import MAX_ID
from pinnwand.workshops.models import CLUSTER_BY, STEPS, TEMPLATES, TIMER_STATES
from pinnwand.workshops.schemas import HostLinkIn, WorkshopIn, WorkshopPatch
from pydantic import BaseModel

# 503 ``unavailable``: the database is busy or out of reach, or a queue is full (Retry-After).
MODERATOR_ERRORS = (400, 401, 403, 404, 405, 409, 413, 429, 500, 503)
PUBLIC_ERRORS = (400, 404, 405, 413, 429, 500, 503)
PUBLIC = ("anyone", "credentials")
ERRORS_BY_CALLER = {
    "anyone": PUBLIC_ERRORS,
    "credentials": (*PUBLIC_ERRORS, 401),
    "token": MODERATOR_ERRORS,
    "moderator": MODERATOR_ERRORS,
}

# path, method, summary, request schema, success status, who may call, path parameters;
# a route listed in RESPONSES also describes its success body (else: any JSON object).
ROUTES = [
    ("/auth/token", "post", "Sign in as a moderator; returns a bearer token", LoginIn, 200,
     "credentials", ()),
    ("/auth/logout", "post", "Revoke the token of this request", None, 204, "token", ()),
    ("/auth/me", "get", "Who the token belongs to", None, 200, "token", ()),
    ("/events", "get", "The calling moderator's events", None, 200, "moderator", ()),
    ("/events", "post", "Create an event with workshops and agenda", EventIn, 201, "moderator",
     ()),
    ("/events/{event_id}", "get", "An event with workshops and their counts", None, 200,
     "moderator", ("event_id",)),
    ("/events/{event_id}", "patch", "Change an event", EventPatch, 200, "moderator",
     ("event_id",)),
    ("/events/{event_id}/agenda", "get", "The event's keynote talks", None, 200, "moderator",
     ("event_id",)),
    ("/events/{event_id}/agenda", "post", "Add a keynote talk", AgendaItemIn, 201, "moderator",
     ("event_id",)),
    ("/events/{event_id}/agenda/{item_id}", "patch", "Change a keynote talk", AgendaItemPatch,
     200, "moderator", ("event_id", "item_id")),
    ("/events/{event_id}/agenda/{item_id}", "delete", "Remove a keynote talk", None, 204,
     "moderator", ("event_id", "item_id")),
    ("/events/{event_id}/moderators", "get", "The event's moderators", None, 200, "moderator",
     ("event_id",)),
    ("/events/{event_id}/moderators", "post", "Give another moderator access", ModeratorIn, 201,
     "moderator", ("event_id",)),
    ("/events/{event_id}/workshops", "get", "The event's workshops", None, 200, "token",
     ("event_id",)),
    ("/events/{event_id}/workshops", "post", "Add a parallel workshop", WorkshopIn, 201,
     "moderator", ("event_id",)),
    ("/workshops/{workshop_id}", "patch", "Change a workshop", WorkshopPatch, 200, "moderator",
     ("workshop_id",)),
    ("/workshops/{workshop_id}/viewer-link", "post", "Create a read-only projector link", None,
     201, "moderator", ("workshop_id",)),
    ("/events/{event_id}/plenary/viewer-link", "post",
     "Create a read-only projector link of the event's plenary", None, 201, "moderator",
     ("event_id",)),
    ("/workshops/{workshop_id}/host-link", "post",
     "Create a host link: moderator rights for this workshop only", HostLinkIn, 201,
     "moderator", ("workshop_id",)),
    ("/join", "post", "Join an event by its code", JoinIn, 200, "anyone", ()),
    ("/events/{event_id}/joining", "get", "How participants join the event now", None, 200,
     "moderator", ("event_id",)),
    ("/events/{event_id}/joining", "patch", "Close joining or open it again", JoiningPatch,
     200, "moderator", ("event_id",)),
    ("/events/{event_id}/joining/new-code", "post",
     "Replace the event's join code and link", None, 200, "moderator", ("event_id",)),
    # Reports, publishing and privacy (app/reports/views.py, app/privacy/views.py)
    ("/events/{event_id}", "delete", "Delete an event with everything in it", None, 204,
     "moderator", ("event_id",)),
    ("/events/{event_id}/report/preview", "get", "The report as HTML for the browser preview",
     None, 200, "moderator", ("event_id",)),
    ("/events/{event_id}/report-settings", "get", "The report's cover settings", None, 200,
     "moderator", ("event_id",)),
    ("/events/{event_id}/report-settings", "patch", "Change the report's cover settings",
     ReportSettingsPatch, 200, "moderator", ("event_id",)),
    ("/events/{event_id}/review", "get", "The anonymity review before publishing", None, 200,
     "moderator", ("event_id",)),
    ("/ideas/{idea_id}/redaction", "put", "Redact an idea's text in reports", RedactionIn, 200,
     "moderator", ("idea_id",)),
    ("/ideas/{idea_id}/redaction", "delete", "Show an idea's own text again", None, 204,
     "moderator", ("idea_id",)),
    ("/events/{event_id}/publication", "get", "The published results page", None, 200,
     "moderator", ("event_id",)),
    ("/events/{event_id}/publication", "put", "Publish the results page", PublicationIn, 200,
     "moderator", ("event_id",)),
    ("/events/{event_id}/publication", "delete", "Withdraw the results page", None, 204,
     "moderator", ("event_id",)),
    ("/contact", "get", "The participant's stored contact address", None, 200, "token", ()),
    ("/contact", "put", "Leave a contact address with consent", ContactIn, 200, "token", ()),
    ("/contact", "delete", "Withdraw consent and delete the address", None, 204, "token", ()),
    ("/events/{event_id}/contacts", "get", "The contact addresses left with consent", None,
     200, "moderator", ("event_id",)),
    ("/events/{event_id}/privacy", "get", "The event's data-protection settings", None, 200,
     "moderator", ("event_id",)),
    ("/events/{event_id}/privacy", "patch", "Set when personal data is deleted", PrivacyPatch,
     200, "moderator", ("event_id",)),
    ("/events/{event_id}/privacy/purge", "post", "Delete participants' personal data now",
     None, 200, "moderator", ("event_id",)),
    # Sending the results, the next forums' contacts (app/mail/views.py,
    # app/privacy/subscriber_views.py)
    ("/events/{event_id}/mailings", "get", "The event's mailings and whether mail is set up",
     None, 200, "moderator", ("event_id",)),
    ("/events/{event_id}/mailings", "post", "Send the published results by mail", MailingIn,
     201, "moderator", ("event_id",)),
    ("/events/{event_id}/mailings/preview", "post", "The results mail as it will look",
     DraftIn, 200, "moderator", ("event_id",)),
    ("/mailings/{mailing_id}", "get", "A mailing and every delivery's state", None, 200,
     "moderator", ("mailing_id",)),
    ("/events/{event_id}/subscribers", "get", "Who asked to hear about the next forums", None,
     200, "moderator", ("event_id",)),
    ("/subscribers/{subscriber_id}", "delete", "Delete a request to hear about the next forums",
     None, 204, "moderator", ("subscriber_id",)),
    # Event series and the action register (app/series/views.py)
    ("/series", "post", "Create a series of events", SeriesIn, 201, "moderator", ()),
    ("/series", "get", "The series the caller moderates", None, 200, "moderator", ()),
    ("/events/{event_id}/next-forum", "post",
     "Create the next forum of the event's series, copying what is chosen", NextForumIn, 201,
     "moderator", ("event_id",)),
    ("/series/{series_id}", "get", "A series with its events by date", None, 200, "moderator",
     ("series_id",)),
    ("/series/{series_id}/organisations", "get",
     "Member contributions: per organisation what it owns and contributes", None, 200,
     "moderator", ("series_id",)),
    ("/series/{series_id}/reminders", "post",
     "Queue the reminder mails due on a day (once per action, address and occasion)",
     RemindersIn, 200, "moderator", ("series_id",)),
    ("/actions/{action_id}", "get",
     "An action of the register (its moderators, or its own personal link)", None, 200,
     "token", ("action_id",)),
    ("/actions/{action_id}/update-link", "post",
     "Create a personal link that shows and updates this one action", UpdateLinkIn, 201,
     "moderator", ("action_id",)),
    ("/actions/{action_id}/update-links", "get", "The action's personal links", None, 200,
     "moderator", ("action_id",)),
    ("/actions/{action_id}/update-links/{link_id}", "delete", "Revoke a personal link", None,
     204, "moderator", ("action_id", "link_id")),
    ("/actions/{action_id}/updates", "post",
     "A dated update of an action: its status, a note, a link", ActionUpdateIn, 201, "token",
     ("action_id",)),
]


REGISTER_XLSX = REGISTER_MIMETYPES["xlsx"]

# (path, method) → the component schema of its success body
RESPONSES = {
    ("/events", "post"): "Event",
    ("/events/{event_id}/next-forum", "post"): "Event",
    ("/events/{event_id}", "get"): "Event",
    ("/events/{event_id}", "patch"): "Event",
    ("/events/{event_id}/workshops", "post"): "Workshop",
    ("/workshops/{workshop_id}", "patch"): "Workshop",
    ("/workshops/{workshop_id}/viewer-link", "post"): "ViewerLink",
    ("/events/{event_id}/plenary/viewer-link", "post"): "ViewerLink",
    ("/workshops/{workshop_id}/host-link", "post"): "HostLink",
    ("/events/{event_id}/joining", "get"): "Joining",
    ("/events/{event_id}/joining", "patch"): "Joining",
    ("/events/{event_id}/joining/new-code", "post"): "Joining",
}


@api.get("/openapi.json")
def openapi_document():
    """The OpenAPI description of every route under ``/api/v1``."""
    return build_document()


@cache
def build_document() -> dict:
    """Assemble the OpenAPI document (once per process)."""
    schemas: dict[str, dict] = {"Error": ERROR_SCHEMA, **RESPONSE_SCHEMAS}
    paths: dict[str, dict] = {}
    for path, method, summary, body, status, who, params in ROUTES:
        operation = _operation(summary, body, status, who, params, schemas)
        if (path, method) in RESPONSES:
            operation["responses"][str(status)] = _described_success(RESPONSES[path, method])
        paths.setdefault(path, {})[method] = operation
    _describe_workshop_creation(schemas)
    paths["/events/{event_id}/report.{format}"] = {"get": _report_operation()}
    paths["/series/{series_id}/actions"] = {"get": _register_operation()}
    paths["/series/{series_id}/actions.{format}"] = {"get": _register_operation(export=True)}
    paths["/openapi.json"] = {"get": {
        "summary": "This description", "operationId": "openapi", "security": [],
        "responses": {"200": {"description": "OpenAPI 3.1", "content": _json({"type": "object"})},
                      **_errors((405, 500))},
    }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pinnwand API", "version": "1",
                 "description": "Moderated design-thinking workshops: events, parallel "
                                "workshops, joining by code, results reports. Real-time "
                                "boards use Socket.IO; see docs/protocol.md."},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _operation(summary, body, status, who, params, schemas) -> dict:
    operation = {
        "summary": summary,
        "operationId": _operation_id(summary),
        "parameters": [_int_param(name) for name in params],
        "security": [] if who in PUBLIC else [{"bearer": []}],
        "responses": {
            str(status): _success(status),
            **_errors(ERRORS_BY_CALLER[who]),
        },
    }
    if who not in PUBLIC:
        operation["x-allowed"] = who
    if body is not None:
        operation["requestBody"] = {"required": True, "content": _json(_ref(body, schemas))}
    return operation


def _report_operation() -> dict:
    return {
        "summary": "The event's results report as a download",
        "operationId": "downloadReport",
        "security": [{"bearer": []}],
        "parameters": [
            _int_param("event_id"),
            {"name": "format", "in": "path", "required": True,
             "schema": {"type": "string", "enum": list(FORMATS)}},
            {"name": "lang", "in": "query", "required": False,
             "schema": {"type": "string", "enum": ["de", "en"], "default": "en"}},
            *({"name": name, "in": "query", "required": False,
               "description": description,
               "schema": {"type": "string", "enum": ["0", "1", "true", "false"]}}
              for name, description in (
                  ("authors", "names on: ideas' authors and hosts (default 1 for json, "
                              "else 0)"),
                  ("contributors", "names of contributors who agreed (default 0)"))),
        ],
        "responses": {
            "200": {"description": "The report file (Content-Disposition: attachment)",
                    "content": {mimetype: {"schema": {"type": "object" if fmt == "json"
                                                      else "string"}}
                                for fmt, mimetype in MIMETYPES.items()}},
            **_errors(MODERATOR_ERRORS),
        },
    }


def _register_operation(export: bool = False) -> dict:
    """The register of a series as JSON, or (``export``) as a CSV or XLSX download."""
    formats = {"csv": "text/csv", "xlsx": REGISTER_XLSX}
    parameters = [
        _int_param("series_id"),
        {"name": "status", "in": "query", "required": False,
         "description": "Only these statuses, comma-separated (planned, running, done, "
                        "dropped)", "schema": {"type": "string", "maxLength": 100}},
        {"name": "event_id", "in": "query", "required": False,
         "description": "Only the actions of this forum",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
        {"name": "q", "in": "query", "required": False,
         "description": "Words that must all occur (title, what, owner, prospects, "
                        "contributors, notes)", "schema": {"type": "string", "maxLength": 200}},
        {"name": "sort", "in": "query", "required": False,
         "schema": {"type": "string", "enum": ["event", "due", "status", "title", "updated"],
                    "default": "event"}},
    ]
    if export:
        parameters.insert(1, {"name": "format", "in": "path", "required": True,
                              "schema": {"type": "string", "enum": list(formats)}})
        success = {"description": "The register as a file (Content-Disposition: attachment)",
                   "content": {mimetype: {"schema": {"type": "string"}}
                               for mimetype in formats.values()}}
    else:
        success = _success(200)
    return {
        "summary": "The register as a file" if export else "The series' action register",
        "operationId": "exportRegister" if export else "listRegister",
        "security": [{"bearer": []}],
        "x-allowed": "moderator",
        "parameters": parameters,
        "responses": {"200": success, **_errors(MODERATOR_ERRORS)},
    }


def _ref(model: type[BaseModel], schemas: dict) -> dict:
    document = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(document.pop("$defs", {}))
    schemas[model.__name__] = document
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _success(status: int) -> dict:
    if status == 204:
        return {"description": "Done, no content"}
    return {"description": "Success", "content": _json({"type": "object"})}


def _described_success(schema_name: str) -> dict:
    return {"description": "Success",
            "content": _json({"$ref": f"#/components/schemas/{schema_name}"})}


def _describe_workshop_creation(schemas: dict) -> None:
    """Explain the board options of a workshop to create (``POST /events`` and
    ``POST /events/{id}/workshops`` share the schema)."""
    properties = schemas["WorkshopIn"]["properties"]
    properties["template"]["description"] = (
        "The board: free ideas (free), ideas in columns (categories) or answers to "
        "'How might we ...?' (how_might_we), or the running activities of the members' "
        "organisations (running), which the moderators take into the series' register.")
    properties["categories"]["description"] = (
        "Titles of the first columns (at most 12, each 1-120 characters). Left out with the "
        "categories template, the board starts with three example columns.")


def _errors(statuses) -> dict:
    return {
        str(status): {"description": f"Error ({status})",
                      "content": _json({"$ref": "#/components/schemas/Error"})}
        for status in statuses
    }


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _int_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def _operation_id(summary: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in summary).split()
    return words[0].lower() + "".join(w.capitalize() for w in words[1:])


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "enum": [
                "invalid", "unauthorized", "forbidden", "not_found", "method_not_allowed",
                "conflict", "too_large", "rate_limited", "internal", "unavailable"]},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }},
}


def _object(properties: dict, required=None, extra: bool = True) -> dict:
    """A JSON object schema; every property is required unless ``required`` says otherwise."""
    return {"type": "object", "required": list(properties if required is None else required),
            "properties": properties, "additionalProperties": extra}


_STRING = {"type": "string"}
_TIME = {"type": "string", "format": "date-time"}
_INTEGER = {"type": "integer"}
_BOOLEAN = {"type": "boolean"}
_LINK = {"token": _STRING, "url": _STRING, "expires_at": _TIME}

WORKSHOP_SCHEMA = _object({
    "id": _INTEGER,
    "title": _STRING,
    "question": _STRING,
    "event_id": _INTEGER,
    "position": _INTEGER,
    "step": {"type": "string", "enum": list(STEPS)},
    "locked": _BOOLEAN,
    "seq": {"type": "integer", "minimum": 0},
    "template": {"type": "string", "enum": list(TEMPLATES),
                 "description": "How the board is laid out (see the workshop to create)."},
    "categories": {"type": "array", "maxItems": 12, "description": "The board's columns.",
                   "items": _object({"id": _INTEGER, "title": _STRING})},
    "settings": _object({
        "private_writing": _BOOLEAN,
        "cluster_by": {"type": "string", "enum": list(CLUSTER_BY)},
        "vote_budget": {"type": "integer", "minimum": 1, "maximum": 20},
        "vote_max_per_target": {"type": "integer", "minimum": 1, "maximum": 20},
        "votes_secret": _BOOLEAN,
        "votes_revealed": _BOOLEAN,
        "reviews_revealed": _BOOLEAN,
    }),
    "timer": _object({
        "state": {"type": "string", "enum": list(TIMER_STATES)},
        "duration": {"type": "integer", "minimum": 0},
        "ends_at": {"type": ["string", "null"], "format": "date-time",
                    "description": "Only while running."},
        "remaining": {"type": ["number", "null"], "minimum": 0,
                      "description": "Seconds left as of the moment it was sent."},
        "lock_at_end": _BOOLEAN,
    }),
    "participants": {"type": "integer", "minimum": 0},
    "ideas": {"type": "integer", "minimum": 0},
}, required=["id", "title", "question", "event_id", "position", "step", "locked", "seq",
             "template", "categories", "settings", "timer"])
_JOIN_CODE = {"type": "string", "pattern": "^[A-HJKMNP-Z2-9]{6}$"}
_JOIN_URL = {"type": "string", "description": "The join link (the QR code's target): the "
             "code's page with the link's key, which is never rate-limited."}
_JOINING_STATE = {
    "open": {"type": "boolean", "description": "Whether new participants may join now."},
    "closes_at": {**_TIME, "description": "When joining closes by itself."},
    "closed_at": {"type": ["string", "null"], "format": "date-time",
                  "description": "When a moderator closed joining (null: not closed)."},
}
RESPONSE_SCHEMAS = {
    "Workshop": WORKSHOP_SCHEMA,
    "Event": _object({
        "id": _INTEGER,
        "title": _STRING,
        "join_code": _JOIN_CODE,
        "join_url": _JOIN_URL,
        "joining": _object(_JOINING_STATE),
        "workshops": {"type": "array",
                      "items": {"$ref": "#/components/schemas/Workshop"}},
    }),
    "Joining": _object({**_JOINING_STATE, "join_code": _JOIN_CODE, "join_url": _JOIN_URL}),
    "ViewerLink": _object(_LINK),
    "HostLink": _object({**_LINK, "name": {"type": "string", "minLength": 1,
                                           "maxLength": 80}}),
}
