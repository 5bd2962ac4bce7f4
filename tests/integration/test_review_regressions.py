"""Regressions found in review of issue 5 (reviews and NPS), on both databases."""

from __future__ import annotations

from typing import Any

from loyalist.activities.models import ReviewStatus
from loyalist.bootstrap import Loyalist
from loyalist.gamification.models import DefinitionKind
from loyalist.gamification.service import member_gamification
from tests.conftest import START
from tests.integration.helpers import assert_ledger_consistent, member_pk, send
from tests.integration.test_gamification import define
from tests.integration.test_reviews import (
    HOUR,
    available,
    paid,
    removed,
    review,
    rules,  # noqa: F401  (fixture)
    stored_review,
)


def game_stats(app: Loyalist, member: str = "M1") -> dict[str, Any]:
    pk = member_pk(app, member)
    view = app.db.read(lambda uow: member_gamification(uow, pk, app.program, "en"))
    return dict(view["stats"])


def test_a_removal_that_arrives_before_its_review_keeps_the_review_from_earning(
    rules: Loyalist,  # noqa: F811
) -> None:
    # The shop's queue delivers review.removed before review.published: the review was
    # removed, so it must not earn points that nothing will ever reverse.
    define(rules, DefinitionKind.BADGE, "critic", criteria="member.reviews >= 1")
    send(rules, paid("o1", "M1", START - HOUR))
    send(rules, removed("r1", "M1", START + HOUR))
    send(rules, review("r1", "M1", START))
    assert available(rules) == 0
    stored = stored_review(rules, "r1")
    assert stored.status == ReviewStatus.REMOVED
    assert stored.holds_slot is False
    assert game_stats(rules)["reviews"] == 0
    # The product stays free: a new review of it counts as usual.
    send(rules, review("r2", "M1", START + 2 * HOUR))
    assert available(rules) == 20
    assert game_stats(rules)["reviews"] == 1
    assert_ledger_consistent(rules)
