"""Recommendations on a real database: order events → refresh job → neighbours, picks,
favourites; returns, cancellations and unpaid orders left out."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.errors import NotFoundError
from loyalist.recommendations import repository, service
from loyalist.recommendations.models import Method
from loyalist.recommendations.policy import RecommendationSettings
from loyalist.recommendations.schemas import PairScore
from tests.conftest import START, event, order_body
from tests.integration.helpers import run_jobs, send

DAY = timedelta(days=1)
FAST = RecommendationSettings(factors=4, iterations=3)


def _order(
    order_id: str,
    member: str,
    at: datetime,
    *lines: tuple[str, int, int],
    paid: bool = True,
    category: str = "cat",
) -> list[dict[str, Any]]:
    body = order_body(order_id, *lines)
    for line in body["lines"]:
        line["category"] = category
    events = [event(f"{order_id}-placed", "order.placed", member, at, **body)]
    if paid:
        events.append(
            event(
                f"{order_id}-paid",
                "order.paid",
                member,
                at + timedelta(minutes=2),
                order_id=order_id,
            )
        )
    return events


def _returned(order_id: str, member: str, at: datetime, sku: str, quantity: int) -> dict[str, Any]:
    return event(
        f"{order_id}-ret-{sku}",
        "order.returned",
        member,
        at,
        order_id=order_id,
        return_id=f"R-{order_id}-{sku}",
        lines=[{"sku": sku, "quantity": quantity}],
    )


def load(app: Loyalist) -> None:
    """Ten counted baskets: A+B four times (M1–M4), A alone three times where C came back
    (M5–M7), A once (M8, 10 days ago), F twice (M9, M10). Not counted: A+D three times
    cancelled (M11–M13), A+E three times never paid (M14–M16)."""
    events: list[dict[str, Any]] = []
    at = START - 20 * DAY
    for n in range(1, 5):
        events += _order(f"ab{n}", f"M{n}", at, ("A", 1, 1000), ("B", 2, 500))
    for n in range(5, 8):
        events += _order(f"ac{n}", f"M{n}", at, ("A", 1, 1000), ("C", 1, 700))
    events += _order("a8", "M8", START - 10 * DAY, ("A", 1, 1000))
    events += _order("f9", "M9", at, ("F", 1, 300))
    events += _order("f10", "M10", at, ("F", 1, 300))
    for n in range(11, 14):
        events += _order(f"ad{n}", f"M{n}", at, ("A", 1, 1000), ("D", 1, 100))
        events.append(
            event(f"ad{n}-cancel", "order.cancelled", f"M{n}", at + DAY, order_id=f"ad{n}")
        )
    for n in range(14, 17):
        events += _order(f"ae{n}", f"M{n}", at, ("A", 1, 1000), ("E", 1, 100), paid=False)
    send(app, *events)
    send(app, *(_returned(f"ac{n}", f"M{n}", at + 5 * DAY, "C", 1) for n in range(5, 8)))


def _read(app: Loyalist, op: Any) -> Any:
    return app.db.read(op)


class TestRefresh:
    def test_job_scores_paid_baskets_and_ignores_returned_cancelled_and_unpaid_lines(
        self, app: Loyalist
    ) -> None:
        load(app)
        run_jobs(app)
        found = _read(app, lambda uow: service.also_bought(uow, "A", by=PairScore.LIFT, limit=10))
        assert [(i.sku, i.support) for i in found.items] == [("B", 4)]
        (pair,) = found.items
        # N = 10 counted baskets, n_A = 8, n_B = 4, n_AB = 4.
        assert pair.lift == pytest.approx(4 * 10 / (8 * 4))
        assert pair.cosine == pytest.approx(4 / math.sqrt(8 * 4))
        assert found.computed_at == START
        back = _read(app, lambda uow: service.also_bought(uow, "B", by=PairScore.COSINE, limit=5))
        assert [(i.sku, i.score) for i in back.items] == [("A", pytest.approx(pair.cosine))]
        for sku in ("C", "D", "E", "unknown"):
            empty = _read(
                app, lambda uow, s=sku: service.also_bought(uow, s, by=PairScore.LIFT, limit=5)
            )
            assert empty.items == []

    def test_job_refreshes_at_most_once_a_day(self, app: Loyalist, clock: ManualClock) -> None:
        load(app)
        first = app.run_due_work().done["recommendations"]
        again = app.run_due_work().done["recommendations"]
        assert (first, again) == (3, 0)  # A, B and F have kept lines
        clock.advance(DAY)
        assert app.run_due_work().done["recommendations"] == 3

    def test_refresh_without_purchases_stores_an_empty_run(self, app: Loyalist) -> None:
        report = app.refresh_recommendations(FAST)
        assert (report.lines, report.items, report.pairs, report.has_als) == (0, 0, 0, False)
        head = _read(app, lambda uow: repository.latest_token(uow.session))
        assert head is not None
        assert head[2] is False


class TestMemberRecommendations:
    def _recommend(self, app: Loyalist, member: str, method: Method) -> list[tuple[str, str]]:
        def op(uow: UnitOfWork) -> Any:
            return service.recommend_for_member(uow, member, method=method, limit=3, settings=FAST)

        return [(i.sku, i.source.value) for i in _read(app, op).items]

    def test_item_knn_recommends_the_neighbour_of_a_recent_purchase_but_not_it(
        self, app: Loyalist
    ) -> None:
        load(app)
        app.refresh_recommendations(FAST)
        assert self._recommend(app, "M8", Method.ITEM_KNN) == [
            ("B", "item_knn"),
            ("F", "popular"),
        ]

    def test_never_recommends_a_returned_item_or_one_bought_recently(self, app: Loyalist) -> None:
        load(app)
        app.refresh_recommendations(FAST)
        for method in Method:
            picks = [sku for sku, _ in self._recommend(app, "M5", method)]
            assert not {"A", "C"} & set(picks), method
            assert picks == sorted(set(picks), key=picks.index)

    def test_a_member_without_history_gets_popular_items(self, app: Loyalist) -> None:
        load(app)
        send(app, event("enrol-new", "member.enrolled", "NEW", START))
        app.refresh_recommendations(FAST)
        assert self._recommend(app, "NEW", Method.ALS) == [
            ("A", "popular"),
            ("B", "popular"),
            ("F", "popular"),
        ]

    def test_als_ranks_only_items_the_member_may_buy(self, app: Loyalist) -> None:
        load(app)
        app.refresh_recommendations(FAST)
        # A and B were bought recently, C (never kept) is unknown to the model: F is left.
        assert [sku for sku, _ in self._recommend(app, "M1", Method.ALS)] == ["F"]

    def test_unknown_member_is_not_found(self, app: Loyalist) -> None:
        with pytest.raises(NotFoundError) as caught:
            _read(
                app,
                lambda uow: service.recommend_for_member(
                    uow, "nobody", method=Method.ALS, limit=3, settings=FAST
                ),
            )
        assert caught.value.code == "member_not_found"


class TestFavourites:
    def test_ranks_products_and_categories_net_of_returns(self, app: Loyalist) -> None:
        at = START - 40 * DAY
        events = _order("o1", "M1", at, ("A", 2, 1000), ("B", 1, 500), category="shoes")
        events += _order("o2", "M1", at + DAY, ("A", 1, 1000), category="shoes")
        events += _order("o3", "M1", at + 2 * DAY, ("C", 3, 300), category="tea")
        events += _order("o4", "M1", at + 3 * DAY, ("D", 1, 9000), category="tea")
        events += _order("o5", "M1", at + 4 * DAY, ("E", 1, 100), paid=False)
        send(app, *events)
        send(
            app,
            _returned("o1", "M1", at + 5 * DAY, "A", 1),
            _returned("o4", "M1", at + 5 * DAY, "D", 1),
        )

        found = _read(
            app,
            lambda uow: service.member_favourites(uow, "M1", currency="EUR", limit=10),
        )
        assert [(p.sku, p.orders, p.quantity, p.spend) for p in found.products] == [
            ("A", 2, 2, 2000),
            ("C", 1, 3, 900),
            ("B", 1, 1, 500),
        ]
        assert [(c.category, c.orders, c.quantity, c.spend) for c in found.categories] == [
            ("shoes", 2, 3, 2500),
            ("tea", 1, 3, 900),
        ]
