"""Regressions found in review of issue 5 (gamification over HTTP), on both databases."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from tests.api.conftest import assert_problem, row_counts
from tests.api.test_gamification import BADGE, QUEST


@pytest.mark.parametrize("criteria", ["member.orders", "'first'", "member.badges"])
def test_a_badge_criteria_that_is_not_a_condition_is_refused(
    client: TestClient, app: Loyalist, admin: dict[str, str], criteria: str
) -> None:
    # It could never be true: the badge would silently never be awarded.
    before = row_counts(app)
    response = client.put("/api/v1/badges/b", json={**BADGE, "criteria": criteria}, headers=admin)
    assert_problem(response, 422, "gamification_invalid", "/criteria")
    assert row_counts(app) == before


def test_a_quest_step_condition_that_is_not_a_condition_is_refused(
    client: TestClient, admin: dict[str, str]
) -> None:
    steps = [{"event": "order.paid", "condition": "member.orders + 1"}]
    response = client.put("/api/v1/quests/q", json={**QUEST, "steps": steps}, headers=admin)
    assert_problem(response, 422, "gamification_invalid", "/steps/0/condition")
