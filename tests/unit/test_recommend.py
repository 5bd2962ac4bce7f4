"""Recommendations' pure core: co-occurrence scores, baskets, picks, favourites, metrics."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from itertools import combinations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.recommendations.cooccurrence import Neighbours, build_baskets, score_pairs
from loyalist.recommendations.evaluation import average_precision, evaluate, split_last_order
from loyalist.recommendations.favourites import favourites
from loyalist.recommendations.models import Method
from loyalist.recommendations.personal import (
    AlsModel,
    fill_up,
    fit_als,
    popular_items,
    top_scored,
)
from loyalist.recommendations.policy import (
    RecommendationSettings,
    excluded_skus,
)
from tests.synthetic import planted_purchases, purchases_frame

T0 = datetime(2026, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def neighbours_of(
    pairs: Neighbours, sku: str, *, by: str = "lift", limit: int = 10
) -> list[tuple[str, float, int]]:
    """``(neighbour sku, score, support)`` of one item, best first."""
    try:
        item = pairs.skus.index(sku)
    except ValueError:
        return []
    mask = pairs.items == item
    scores = pairs.lift[mask] if by == "lift" else pairs.cosine[mask]
    support = pairs.support[mask]
    others = pairs.neighbours[mask]
    order = np.lexsort((others, -support, -scores))[:limit]
    return [(pairs.skus[others[i]], float(scores[i]), int(support[i])) for i in order]


def _frame(
    orders: list[tuple[int, int, float, list[str]]],
    returned: dict[tuple[int, str], int] | None = None,
) -> pl.DataFrame:
    """Lines of ``(member, order, day offset, skus)``, one unit each."""
    returned = returned or {}
    members, keys, paid, skus, back = [], [], [], [], []
    for member, order, day, items in orders:
        for sku in items:
            members.append(member)
            keys.append(order)
            paid.append(T0 + day * DAY)
            skus.append(sku)
            back.append(returned.get((order, sku), 0))
    return purchases_frame(
        member_id=members,
        order_key=keys,
        paid_at=paid,
        sku=skus,
        quantity=[1] * len(skus),
        returned_quantity=back,
    )


# Five orders of five members: N = 5, n_a = 4, n_b = 4, n_c = 2, n_ab = 3, n_ac = 2, n_bc = 1.
HAND = _frame(
    [
        (1, 1, 0, ["a", "b"]),
        (2, 2, 0, ["a", "b", "c"]),
        (3, 3, 0, ["a", "c"]),
        (4, 4, 0, ["b"]),
        (5, 5, 0, ["a", "b"]),
    ]
)


def _scores(frame: pl.DataFrame, **kw: int) -> dict[tuple[str, str], tuple[int, float, float]]:
    window = kw.pop("window_days", 0)
    pairs = score_pairs(build_baskets(frame, window_days=window), **kw)
    return {
        (pairs.skus[a], pairs.skus[b]): (int(s), float(lift), float(cos))
        for a, b, s, lift, cos in zip(
            pairs.items, pairs.neighbours, pairs.support, pairs.lift, pairs.cosine, strict=True
        )
    }


class TestPairScores:
    def test_lift_and_cosine_match_the_hand_computation(self) -> None:
        found = _scores(HAND, min_support=1, top_n=5)
        expected = {
            ("a", "b"): (3, 3 * 5 / (4 * 4), 3 / 4),
            ("a", "c"): (2, 2 * 5 / (4 * 2), 2 / math.sqrt(8)),
            ("b", "c"): (1, 1 * 5 / (4 * 2), 1 / math.sqrt(8)),
        }
        for (x, y), (support, lift, cosine) in expected.items():
            for pair in ((x, y), (y, x)):
                assert found[pair][0] == support
                assert found[pair][1:] == pytest.approx((lift, cosine))
        assert len(found) == 6

    def test_minimum_support_drops_rare_pairs(self) -> None:
        assert set(_scores(HAND, min_support=2, top_n=5)) == {
            ("a", "b"),
            ("b", "a"),
            ("a", "c"),
            ("c", "a"),
        }

    def test_top_n_keeps_the_best_by_lift_and_the_best_by_cosine(self) -> None:
        kept = set(_scores(HAND, min_support=1, top_n=1))
        # a: c has the best lift (1.25), b the best cosine (0.75); b and c: a on both.
        assert kept == {("a", "c"), ("a", "b"), ("b", "a"), ("c", "a")}

    def test_fully_returned_lines_do_not_count_but_partly_returned_ones_do(self) -> None:
        frame = _frame([(n, n, 0, ["x", "y"]) for n in range(1, 4)], returned={(1, "y"): 1})
        assert _scores(frame, min_support=1, top_n=5)[("x", "y")][0] == 2
        two = purchases_frame(
            member_id=[1, 1],
            order_key=[1, 1],
            paid_at=[T0, T0],
            sku=["x", "y"],
            quantity=[1, 2],
            returned_quantity=[0, 1],
        )
        assert _scores(two, min_support=1, top_n=5)[("x", "y")][0] == 1

    def test_a_basket_spans_the_members_orders_within_the_window_from_its_first(self) -> None:
        frame = _frame([(1, 1, 0, ["x"]), (1, 2, 20, ["y"]), (1, 3, 40, ["z"])])
        assert set(_scores(frame, min_support=1, top_n=5, window_days=30)) == {
            ("x", "y"),
            ("y", "x"),
        }
        assert _scores(frame, min_support=1, top_n=5, window_days=0) == {}
        assert build_baskets(frame, window_days=30).count == 2

    def test_a_pair_counts_once_per_basket_whatever_the_orders_in_it(self) -> None:
        frame = _frame([(1, 1, 0, ["x", "y"]), (1, 2, 1, ["x", "y"]), (2, 3, 0, ["x", "y"])])
        assert _scores(frame, min_support=1, top_n=5, window_days=30)[("x", "y")][0] == 2
        assert _scores(frame, min_support=1, top_n=5, window_days=0)[("x", "y")][0] == 3

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=5),
            min_size=1,
            max_size=25,
        ),
        st.integers(1, 3),
    )
    def test_counts_equal_brute_force_and_scores_are_finite_and_symmetric(
        self, baskets: list[list[str]], min_support: int
    ) -> None:
        frame = _frame([(n, n, 0, items) for n, items in enumerate(baskets)])
        found = _scores(frame, min_support=min_support, top_n=10)
        sets = [set(b) for b in baskets]
        brute: dict[tuple[str, str], int] = {}
        for items in sets:
            for x, y in combinations(sorted(items), 2):
                brute[(x, y)] = brute.get((x, y), 0) + 1
        wanted = {pair for pair, n in brute.items() if n >= min_support}
        assert {(x, y) for x, y in found if x < y} == wanted
        for (x, y), (support, lift, cosine) in found.items():
            assert support == brute[(min(x, y), max(x, y))]
            assert math.isfinite(lift)
            assert lift > 0
            assert 0 < cosine <= 1
            assert found[(y, x)][2] == pytest.approx(cosine)
            assert found[(y, x)][1] == pytest.approx(lift)


class TestPicks:
    @settings(max_examples=80, deadline=None)
    @given(
        st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30),
        st.sets(st.integers(0, 29)),
        st.integers(1, 12),
    )
    def test_never_picks_an_excluded_item_nor_a_non_positive_score(
        self, values: list[float], excluded: set[int], k: int
    ) -> None:
        skus = [f"s{i}" for i in range(len(values))]
        left_out = {i for i in excluded if i < len(values)}
        scores = np.array(values, dtype=np.float64)
        chosen = top_scored(scores, skus, left_out, k)
        assert len(chosen) <= k
        assert not {sku for sku, _ in chosen} & {skus[i] for i in left_out}
        assert all(math.isfinite(score) and score > 0 for _, score in chosen)
        assert [s for _, s in chosen] == sorted((s for _, s in chosen), reverse=True)
        popular = [(sku, 10 - i) for i, sku in enumerate(skus)]
        picks = fill_up(chosen, Method.ALS, popular, {skus[i] for i in left_out}, k)
        assert len({p.sku for p in picks}) == len(picks) <= k
        assert not {p.sku for p in picks} & {skus[i] for i in left_out}

    def test_excludes_what_was_bought_in_the_window_or_returned(self) -> None:
        history = _frame(
            [(1, 1, 0, ["old"]), (1, 2, 100, ["recent"]), (1, 3, 0, ["back"])],
            returned={(3, "back"): 1},
        )
        now = T0 + 120 * DAY
        assert excluded_skus(history, now=now, exclude_days=90) == {"recent", "back"}
        assert excluded_skus(history, now=now, exclude_days=200) == {"old", "recent", "back"}

    def test_popularity_counts_distinct_recent_buyers(self) -> None:
        frame = _frame(
            [
                (1, 1, 0, ["a"]),
                (1, 2, 50, ["a"]),
                (2, 3, 50, ["b"]),
                (3, 4, 51, ["b"]),
                (4, 5, 1, ["c"]),
            ]
        )
        assert popular_items(frame, as_of=T0 + 60 * DAY, days=30) == [("b", 2), ("a", 1)]
        # Nothing in the last 30 days: all time instead.
        assert popular_items(frame, as_of=T0 + 500 * DAY, days=30) == [
            ("b", 2),
            ("a", 1),
            ("c", 1),
        ]

    def test_als_model_survives_storage_and_scores_a_new_member(self) -> None:
        fitted = fit_als(
            planted_purchases(members=60), RecommendationSettings(factors=8, iterations=5)
        )
        assert fitted is not None
        model = AlsModel.from_bytes(fitted.model.to_bytes())
        assert model.skus == fitted.model.skus
        assert np.array_equal(model.item_factors, fitted.model.item_factors)
        assert model.member_scores({"unknown": 1}) is None
        scores = model.member_scores({"G03-0": 2, "G03-1": 1})
        assert scores is not None
        assert np.isfinite(scores).all()


class TestFavourites:
    def test_recency_weighting_prefers_recent_orders(self) -> None:
        history = _frame([(1, 1, 0, ["old"]), (1, 2, 1, ["old"]), (1, 3, 100, ["new"])])
        now = T0 + 101 * DAY
        plain, _ = favourites(history, now=now, currency="EUR")
        weighted, _ = favourites(history, now=now, currency="EUR", half_life_days=10)
        assert [f.key for f in plain] == ["old", "new"]
        assert [f.key for f in weighted] == ["new", "old"]
        assert weighted[0].score == pytest.approx(0.5 ** (1 / 10), rel=1e-4)


class TestEvaluation:
    def test_average_precision_by_hand(self) -> None:
        hits, ap = average_precision(["x", "r1", "y", "r2"], {"r1", "r2", "r3"}, 4)
        assert hits == 2
        assert ap == pytest.approx((1 / 2 + 2 / 4) / 3)

    def test_holds_out_the_last_order_of_members_with_two(self) -> None:
        frame = _frame([(1, 1, 0, ["a"]), (1, 2, 5, ["b", "c"]), (2, 3, 0, ["a"])])
        training, held = split_last_order(frame)
        assert sorted(training["order_key"].to_list()) == [1, 3]
        assert sorted(held["sku"].to_list()) == ["b", "c"]

    def test_item_knn_and_als_beat_popularity_on_planted_groups(self) -> None:
        purchases = planted_purchases(members=300)
        result = evaluate(
            purchases,
            methods=[Method.POPULAR, Method.ITEM_KNN, Method.ALS],
            k=10,
            settings=RecommendationSettings(factors=16, iterations=10),
        )
        recall = {m.method: m.recall for m in result.methods}
        assert result.members_evaluated > 100
        assert recall[Method.ITEM_KNN] > 2 * recall[Method.POPULAR]
        assert recall[Method.ALS] > 2 * recall[Method.POPULAR]

    def test_also_bought_of_a_product_is_its_group(self) -> None:
        pairs = score_pairs(
            build_baskets(planted_purchases(), window_days=30), min_support=3, top_n=20
        )
        assert {sku for sku, _, _ in neighbours_of(pairs, "G03-2", by="cosine", limit=4)} == {
            "G03-0",
            "G03-1",
            "G03-3",
            "G03-4",
        }
