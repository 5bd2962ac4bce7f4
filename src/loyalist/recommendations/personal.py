"""Personal recommendations (pure): popularity, implicit-feedback ALS and item-kNN.

- Popular: distinct buyers of an item over the last ``popular_days`` days (all time when
  that window is empty), ties by SKU.
- ALS (``implicit``): member × item matrix of how many orders held the item (fully
  returned lines left out), confidence ``1 + alpha * ln(1 + orders)``; a member's factor is
  solved at request time from their history against the stored item factors (the exact
  least-squares step of the fit, ``recalculate_user``), so new orders count at once.
- Item-kNN: the sum, over the items a member kept, of the stored cosines to each item.

Every list leaves out the excluded items and is filled up with popular items when short.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import sparse
from threadpoolctl import threadpool_limits

from loyalist.recommendations.models import Method
from loyalist.recommendations.policy import RecommendationSettings, kept_lines

FloatArray = npt.NDArray[np.float64]
#: Member-item entries from which ALS fits on every core.
_PARALLEL_FROM = 200_000


@dataclass(frozen=True, slots=True)
class Pick:
    """One recommended item; ``source`` says which method chose it (fill-ups: popular)."""

    sku: str
    score: float
    source: Method


def popular_items(purchases: pl.DataFrame, *, as_of: datetime, days: int) -> list[tuple[str, int]]:
    """``(sku, distinct buyers)`` of kept lines paid in ``(as_of - days, as_of]``, most
    bought first (ties by SKU); over all lines up to ``as_of`` when that window is empty."""
    lines = kept_lines(purchases).filter(pl.col("paid_at") <= as_of)
    recent = lines.filter(pl.col("paid_at") > as_of - timedelta(days=days))
    chosen = recent if not recent.is_empty() else lines
    ranked = (
        chosen.group_by("sku")
        .agg(pl.col("member_id").n_unique().alias("buyers"))
        .sort(["buyers", "sku"], descending=[True, False])
    )
    return list(zip(ranked["sku"].to_list(), ranked["buyers"].to_list(), strict=True))


def order_counts(purchases: pl.DataFrame) -> pl.DataFrame:
    """``member_id, sku, orders``: how many orders of the member hold a kept line of it."""
    return (
        kept_lines(purchases)
        .group_by("member_id", "sku")
        .agg(pl.col("order_key").n_unique().alias("orders"))
    )


def confidence(orders: npt.NDArray[Any], alpha: float) -> npt.NDArray[np.float32]:
    return (1.0 + alpha * np.log1p(orders.astype(np.float64))).astype(np.float32)


@dataclass(slots=True)
class AlsModel:
    """Item factors of a fitted ALS model and what is needed to place a new member."""

    skus: list[str]
    item_factors: npt.NDArray[np.float32]
    regularization: float
    alpha: float
    index: dict[str, int] = field(init=False)
    _engine: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.index = {sku: i for i, sku in enumerate(self.skus)}

    def engine(self) -> Any:
        """An ``implicit`` model holding these factors (its ``YᵀY`` cached across calls)."""
        if self._engine is None:
            from implicit.cpu.als import AlternatingLeastSquares

            with threadpool_limits(1, "blas"):
                engine = AlternatingLeastSquares(
                    factors=self.item_factors.shape[1],
                    regularization=self.regularization,
                    num_threads=1,
                )
                engine.item_factors = self.item_factors
                _ = engine.YtY
            self._engine = engine
        return self._engine

    def member_scores(self, orders: Mapping[str, int]) -> FloatArray | None:
        """Scores of every item for a member who kept these items (``sku -> orders``);
        ``None`` when none of them is known to the model."""
        known = [(self.index[s], n) for s, n in orders.items() if s in self.index]
        if not known:
            return None
        known.sort()
        cols = np.array([i for i, _ in known], dtype=np.int32)
        data = confidence(np.array([n for _, n in known]), self.alpha)
        row = sparse.csr_matrix(
            (data, cols, np.array([0, len(cols)], dtype=np.int32)),
            shape=(1, len(self.skus)),
        )
        engine = self.engine()
        with threadpool_limits(1, "blas"):
            user = engine.recalculate_user(0, row)
            scores: FloatArray = (self.item_factors @ user).astype(np.float64)
        return scores

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        np.savez(
            buffer,
            skus=np.array(self.skus, dtype=np.str_),
            item_factors=self.item_factors,
            params=np.array([self.regularization, self.alpha]),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> AlsModel:
        with np.load(BytesIO(payload), allow_pickle=False) as stored:
            regularization, alpha = (float(v) for v in stored["params"])
            return cls(
                [str(s) for s in stored["skus"]],
                stored["item_factors"].astype(np.float32),
                regularization,
                alpha,
            )


@dataclass(frozen=True, slots=True)
class FittedAls:
    """An ALS fit: the model for serving and the training members' own factors."""

    model: AlsModel
    members: npt.NDArray[np.int64]
    user_factors: npt.NDArray[np.float32]


def fit_als(purchases: pl.DataFrame, settings: RecommendationSettings) -> FittedAls | None:
    """Fit implicit's ALS on the kept lines; ``None`` without any."""
    counts = order_counts(purchases)
    if counts.is_empty():
        return None
    skus = counts.get_column("sku").unique().sort()
    members = counts.get_column("member_id").unique().sort()
    coded = counts.join(pl.DataFrame({"sku": skus, "col": np.arange(len(skus))}), on="sku").join(
        pl.DataFrame({"member_id": members, "row": np.arange(len(members))}), on="member_id"
    )
    matrix = sparse.csr_matrix(
        (
            confidence(coded["orders"].to_numpy(), settings.alpha),
            (coded["row"].to_numpy(), coded["col"].to_numpy()),
        ),
        shape=(len(members), len(skus)),
    )
    from implicit.cpu.als import AlternatingLeastSquares

    with threadpool_limits(1, "blas"):
        engine = AlternatingLeastSquares(
            factors=settings.factors,
            regularization=settings.regularization,
            iterations=settings.iterations,
            random_state=settings.random_state,
            # OpenMP threads cost more than they save on small matrices (measured: 15 ms
            # with one thread, 0.5-1 s with two on a 300-entry matrix).
            num_threads=1 if matrix.nnz < _PARALLEL_FROM else 0,
        )
        engine.fit(matrix, show_progress=False)
    model = AlsModel(
        skus.to_list(),
        np.ascontiguousarray(engine.item_factors, dtype=np.float32),
        settings.regularization,
        settings.alpha,
    )
    return FittedAls(
        model,
        members.to_numpy().astype(np.int64),
        np.ascontiguousarray(engine.user_factors, dtype=np.float32),
    )


def knn_scores(cosine: sparse.csr_matrix, items: Iterable[int]) -> FloatArray:
    """Sum of the cosine rows of ``items`` (the member's kept items)."""
    wanted = sorted(set(items))
    if not wanted:
        return np.zeros(cosine.shape[1], dtype=np.float64)
    return np.asarray(cosine[wanted].sum(axis=0), dtype=np.float64).ravel()


def top_scored(
    scores: FloatArray, skus: list[str], excluded: Iterable[int], k: int
) -> list[tuple[str, float]]:
    """The ``k`` best items with a positive finite score, leaving out the ``excluded``
    item indexes; best first, ties by index."""
    values = np.where(np.isfinite(scores) & (scores > 0), scores, -np.inf)
    left_out = np.fromiter(excluded, dtype=np.int64)
    if len(left_out):
        values[left_out] = -np.inf
    wanted = min(k, int(np.count_nonzero(np.isfinite(values))))
    if wanted <= 0:
        return []
    best = np.argpartition(-values, wanted - 1)[:wanted]
    best = best[np.lexsort((best, -values[best]))]
    return [(skus[i], float(values[i])) for i in best]


def fill_up(
    chosen: list[tuple[str, float]],
    method: Method,
    popular: list[tuple[str, int]],
    excluded: set[str],
    k: int,
) -> list[Pick]:
    """``chosen`` (best first) followed by popular items not excluded nor chosen, to ``k``."""
    picks = [Pick(sku, score, method) for sku, score in chosen[:k]]
    seen = {p.sku for p in picks} | excluded
    for sku, buyers in popular:
        if len(picks) >= k:
            break
        if sku not in seen:
            picks.append(Pick(sku, float(buyers), Method.POPULAR))
            seen.add(sku)
    return picks
