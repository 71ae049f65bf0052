"""Schemathesis against the served OpenAPI description, in-process (WSGI), as a moderator.

Every operation in ``/api/v1/openapi.json`` gets generated requests — valid ones (positive
mode) and invalid ones (negative mode) — sent with the event moderator's bearer token to the
Flask app of a fresh prepared world (see ``conftest.py``: two events, participants, a projector
link, so small generated ids hit real objects). Each answer must

- not be a server error (no 5xx),
- have a status the description lists for that operation,
- have a media type the description lists for that status,
- match the response schema the description gives for it.

The operations are read from the served document itself, so a new route is fuzzed without
touching this file. Each operation and mode is its own test with a seeded hypothesis run
(``derandomize=True``, bounded examples), driven through ``operation.as_strategy()``: the
schemathesis pytest plugin's lazy loader does not work with pytest 9.2 (it sets the private
``Node._nodeid``).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from pinnwand.auth.models import Moderator
from pinnwand.auth.services import issue_token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.helpers import probe_app

DOCUMENT = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
SEED = 20261121
MAX_EXAMPLES = 15
SLOW = {"GET /events/{event_id}/report.{format}": 6}  # renders PDF / Word files
CONFIG = {"seed": SEED, "generation": {"deterministic": True, "database": "none"}}


def operation_labels() -> list[str]:
    """``"METHOD /path"`` of every operation the served description lists."""
    loaded = schemathesis.openapi.from_wsgi(DOCUMENT, probe_app())
    return sorted(result.ok().label for result in loaded.get_all_operations())


LABELS = operation_labels()


def _fresh_moderator_token(world) -> str:
    """A new token of the event's moderator (``/auth/logout`` revokes the one it carries)."""
    with world.app.extensions["pinnwand"].db.transaction() as session:
        moderator = session.get(Moderator, world.ids["moderator"])
        token, _ = issue_token(session, days=1, moderator=moderator)
    return token


def test_every_described_operation_is_fuzzed(world):
    """Everything the served description lists, but the description itself."""
    document = world.client.get(DOCUMENT).json
    described = {f"{method.upper()} {path}" for path, item in document["paths"].items()
                 for method in item}
    assert set(LABELS) == described - {"GET /openapi.json"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["positive", "negative"])
@pytest.mark.parametrize("label", LABELS)
def test_operation_conforms_to_its_description(world, label, mode):
    config = schemathesis.Config.from_dict(CONFIG)
    loaded = schemathesis.openapi.from_wsgi(DOCUMENT, world.app, config=config)
    operation = loaded.find_operation_by_label(label)
    assert operation is not None, label

    # Half the cases aim at the world's real event, agenda item and workshop, so the success
    # paths are reached too, not only 404s for generated ids.
    real = {"event_id": world.ids["event"], "item_id": world.ids["agenda_item"],
            "workshop_id": world.ids["A"]}
    params = {p.name: real[p.name] for p in operation.path_parameters if p.name in real}
    cases = operation.as_strategy(generation_mode=mode)
    if params:
        cases |= operation.as_strategy(generation_mode=mode, path_parameters=params)

    @settings(max_examples=SLOW.get(label, MAX_EXAMPLES), derandomize=True, deadline=None,
              database=None, suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def run(case):
        token = world.tokens["moderator"]
        if operation.path == "/auth/logout":
            token = _fresh_moderator_token(world)
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    run()
