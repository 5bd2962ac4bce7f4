"""Review regressions for recommendations on a real database."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.recommendations import service
from loyalist.recommendations.models import RecommendationRun
from loyalist.recommendations.policy import RecommendationSettings
from loyalist.recommendations.schemas import PairScore
from tests.conftest import START
from tests.integration.helpers import send
from tests.integration.test_recommendations import DAY, FAST, _order, load


def test_also_bought_never_ranks_past_the_stored_top_n_of_the_score(app: Loyalist) -> None:
    # With A: X shares 3 of its 3 baskets (best lift), Y 10 of 20 (best cosine), Z 8 of 16
    # (cosine 8/√16 = 2 > X's 3/√3, lift like Y's). With top_n = 1 only X (lift) and Y
    # (cosine) are stored: answering [Y, X] by cosine would skip Z, the true second.
    plan = {"X": (3, 0), "Y": (10, 10), "Z": (8, 8)}
    events: list[dict[str, Any]] = []
    for sku, (with_a, alone) in plan.items():
        for n in range(with_a):
            events += _order(
                f"a{sku}{n}", f"M-a{sku}{n}", START - 5 * DAY, ("A", 1, 100), (sku, 1, 100)
            )
        for n in range(alone):
            events += _order(f"o{sku}{n}", f"M-o{sku}{n}", START - 5 * DAY, (sku, 1, 100))
    send(app, *events)
    settings = RecommendationSettings(top_n=1, factors=4, iterations=2)
    app.refresh_recommendations(settings)

    def also(by: PairScore) -> list[str]:
        found = app.db.read(lambda uow: service.also_bought(uow, "A", by=by, limit=10))
        return [item.sku for item in found.items]

    assert (also(PairScore.COSINE), also(PairScore.LIFT)) == (["Y"], ["X"])


def test_concurrent_refreshes_both_succeed_and_leave_one_result(app: Loyalist) -> None:
    load(app)
    app.refresh_recommendations(FAST)
    # Both refreshes have read the purchases before either stores its results (their short
    # units interleave on either database).
    barrier = threading.Barrier(2, timeout=10)

    def step(stage: str) -> None:
        if stage == "storing":
            barrier.wait()

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(app.refresh_recommendations, FAST, progress=step) for _ in range(2)]
        reports = [future.result(timeout=60) for future in futures]
    assert [r.pairs for r in reports] == [2, 2]
    found = app.db.read(lambda uow: service.also_bought(uow, "A", by=PairScore.LIFT, limit=5))
    assert [(i.sku, i.support) for i in found.items] == [("B", 4)]
    runs = app.db.read(
        lambda uow: uow.session.scalar(select(func.count()).select_from(RecommendationRun))
    )
    assert runs == 1
