"""The join storm benchmark's correctness part (its timings are for ``bench.join_storm``):
a burst of phones walking from the join code to their first idea all get in, and every
first idea is stored exactly once, while bystander boards keep being answered."""

from __future__ import annotations

import pytest

from bench.join_storm import run

pytestmark = pytest.mark.integration


def test_a_burst_of_phones_all_join_and_each_first_idea_is_stored_once():
    result = run(phones=40, shape="burst", burst=1.0, window=1.0, workers=2)

    assert result["failed"] == []
    assert result["stages_ms"]["total"]["n"] == 40
    assert result["not_stored_once"] == []
    assert result["bystander_failures"] == []
    assert result["bystander_ack_ms"]["n"] > 0
