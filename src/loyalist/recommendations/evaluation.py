"""Offline evaluation: hold out each member's last order, recall@k and MAP@k (pure).

Protocol. Members with at least two orders (kept lines) are evaluated: their last order
(latest ``paid_at``, then highest order key) is held out; every other line of every
member is training data (leave-last-out: other members' later orders may train the
model). Relevant items are the held-out order's items the member had not bought in
training; members whose last order holds only items bought before are skipped (no method
may recommend those). Each method recommends ``k`` items excluding the member's training
items, filled up with popular ones when short. With ``R`` relevant and hits at ranks
``i``: ``recall@k = hits / min(k, |R|)`` and ``AP@k = Σ precision@i / min(k, |R|)``;
both are averaged over evaluated members.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from loyalist.recommendations.cooccurrence import build_baskets, score_pairs
from loyalist.recommendations.models import Method
from loyalist.recommendations.personal import (
    fill_up,
    fit_als,
    knn_scores,
    popular_items,
    top_scored,
)
from loyalist.recommendations.policy import RecommendationSettings, kept_lines


@dataclass(frozen=True, slots=True)
class MethodScore:
    method: Method
    recall: float
    map: float
    hits: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    k: int
    members: int
    members_evaluated: int
    members_skipped: int
    training_lines: int
    held_out_items: int
    items: int
    methods: list[MethodScore]
    seconds: dict[str, float] = field(default_factory=dict)


def split_last_order(purchases: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(training, held out)``: the kept lines of each member's last order, for members
    with two orders or more, are held out; all other lines train."""
    lines = kept_lines(purchases)
    orders = lines.group_by("member_id", "order_key").agg(pl.col("paid_at").min())
    last = (
        orders.sort("member_id", "paid_at", "order_key")
        .group_by("member_id", maintain_order=True)
        .agg(pl.len().alias("orders"), pl.col("order_key").last())
        .filter(pl.col("orders") >= 2)
        .select("order_key")
    )
    held = purchases.join(last, on="order_key", how="semi")
    training = purchases.join(last, on="order_key", how="anti")
    return training, kept_lines(held)


def average_precision(recommended: Sequence[str], relevant: set[str], k: int) -> tuple[int, float]:
    """``(hits, AP@k)`` of a ranked list against the relevant set."""
    hits, total = 0, 0.0
    for rank, sku in enumerate(recommended[:k], start=1):
        if sku in relevant:
            hits += 1
            total += hits / rank
    denominator = min(k, len(relevant))
    return hits, (total / denominator if denominator else 0.0)


def evaluate(
    purchases: pl.DataFrame,
    *,
    methods: Sequence[Method],
    k: int = 10,
    settings: RecommendationSettings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Evaluation:
    """Recall@k and MAP@k of each method under the protocol above.

    ``progress(stage, done, total)`` is called as members are scored.
    """
    settings = settings or RecommendationSettings()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    training, held = split_last_order(purchases)
    kept = kept_lines(training)
    skus = sorted(set(kept["sku"].to_list()))
    index = {sku: i for i, sku in enumerate(skus)}
    bought = training.group_by("member_id").agg(pl.col("sku").unique())
    history = dict(zip(bought["member_id"].to_list(), bought["sku"].to_list(), strict=True))
    wanted = held.group_by("member_id").agg(pl.col("sku").unique()).sort("member_id")
    relevant: dict[int, set[str]] = {}
    skipped = 0
    for member, items in zip(wanted["member_id"].to_list(), wanted["sku"].to_list(), strict=True):
        new = set(items) - set(history.get(member, ()))
        if new:
            relevant[member] = new
        else:
            skipped += 1
    seconds["split"] = time.perf_counter() - started

    as_of = kept["paid_at"].max() if not kept.is_empty() else None
    popular = (
        popular_items(training, as_of=as_of, days=settings.popular_days)  # type: ignore[arg-type]
        if as_of is not None
        else []
    )
    scorers: dict[Method, Callable[[int], np.ndarray | None]] = {}
    if Method.ITEM_KNN in methods:
        started = time.perf_counter()
        baskets = build_baskets(training, window_days=settings.window_days)
        pairs = score_pairs(baskets, min_support=settings.min_support, top_n=settings.top_n)
        cosine = pairs.cosine_matrix()
        remap = np.array([index[s] for s in pairs.skus], dtype=np.int64)
        seconds["item_knn_fit"] = time.perf_counter() - started

        # Seeds are the member's kept items: a fully returned line is no evidence of liking.
        seeds = kept.group_by("member_id").agg(pl.col("sku").unique())
        seeds_of = dict(zip(seeds["member_id"].to_list(), seeds["sku"].to_list(), strict=True))

        def knn(member: int) -> np.ndarray | None:
            items = [basket_index[s] for s in seeds_of.get(member, ()) if s in basket_index]
            row = knn_scores(cosine, items)
            scores = np.zeros(len(skus), dtype=np.float64)
            scores[remap] = row
            return scores

        basket_index = {s: i for i, s in enumerate(pairs.skus)}
        scorers[Method.ITEM_KNN] = knn
    if Method.ALS in methods:
        started = time.perf_counter()
        fitted = fit_als(training, settings)
        seconds["als_fit"] = time.perf_counter() - started
        if fitted is not None:
            row_of = {int(m): i for i, m in enumerate(fitted.members.tolist())}
            als_remap = np.array([index[s] for s in fitted.model.skus], dtype=np.int64)
            item_factors = fitted.model.item_factors
            user_factors = fitted.user_factors

            def als(member: int) -> np.ndarray | None:
                row = row_of.get(member)
                if row is None:
                    return None
                scores = np.zeros(len(skus), dtype=np.float64)
                scores[als_remap] = item_factors @ user_factors[row]
                return scores

            scorers[Method.ALS] = als

    totals = {method: [0, 0.0, 0.0] for method in methods}
    started = time.perf_counter()
    members = sorted(relevant)
    for done, member in enumerate(members, start=1):
        own = set(history.get(member, ()))
        excluded_idx = [index[s] for s in own if s in index]
        for method in methods:
            scorer = scorers.get(method)
            scores = scorer(member) if scorer is not None else None
            chosen = top_scored(scores, skus, excluded_idx, k) if scores is not None else []
            picks = fill_up(chosen, method, popular, own, k)
            hits, ap = average_precision([p.sku for p in picks], relevant[member], k)
            denominator = min(k, len(relevant[member]))
            totals[method][0] += hits
            totals[method][1] += hits / denominator
            totals[method][2] += ap
        if progress is not None and (done % 200 == 0 or done == len(members)):
            progress("members", done, len(members))
    seconds["score"] = time.perf_counter() - started
    evaluated = len(members)
    return Evaluation(
        k=k,
        members=purchases["member_id"].n_unique(),
        members_evaluated=evaluated,
        members_skipped=skipped,
        training_lines=kept.height,
        held_out_items=sum(len(v) for v in relevant.values()),
        items=len(skus),
        methods=[
            MethodScore(
                method,
                recall=totals[method][1] / evaluated if evaluated else 0.0,
                map=totals[method][2] / evaluated if evaluated else 0.0,
                hits=int(totals[method][0]),
            )
            for method in methods
        ],
        seconds=seconds,
    )
