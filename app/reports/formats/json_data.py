"""The report as JSON data (UTF-8, indented): complete and versioned, see
:mod:`pinnwand.reports.archive`."""

from __future__ import annotations

import json

from pinnwand.reports.archive import report_to_json
from pinnwand.reports.labels import Labels
from pinnwand.reports.model import EventReport


def render(report: EventReport, labels: Labels) -> bytes:
    """The report as indented UTF-8 JSON; keys are not translated, so ``labels`` is unused."""
    return json.dumps(report_to_json(report), ensure_ascii=False, indent=2).encode()
