"""Item-to-item co-occurrence ("bought this, also bought"), lift and cosine (pure).

Baskets: a member's orders, oldest first, each opening a new basket unless it was paid
within ``window_days`` after the first order of the member's current basket (anchored,
so no basket spans more than the window; ``window_days = 0``: one order per basket).
A basket counts an item once, whatever the quantity or the number of its orders holding
it; fully returned lines do not count. With ``N`` baskets, ``n_a`` baskets holding ``a``
and ``n_ab`` holding both: ``lift = n_ab N / (n_a n_b)``, ``cosine = n_ab / sqrt(n_a n_b)``.

The counts are ``Xᵀ X`` of the sparse basket × item matrix, computed by blocks of items
(rows of the product), so memory stays bounded by the block, never a dense item × item.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import sparse

from loyalist.recommendations.policy import days_since_epoch, kept_lines

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Baskets:
    """The binary basket × item matrix, its item names, and who and when each basket is."""

    matrix: sparse.csr_matrix
    skus: list[str]
    members: IntArray

    @property
    def count(self) -> int:
        return int(self.matrix.shape[0])


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Scored pairs ``(item, neighbour)`` as parallel arrays of item indexes into ``skus``;
    ordered by item, then by lift descending."""

    skus: list[str]
    items: IntArray
    neighbours: IntArray
    support: IntArray
    lift: FloatArray
    cosine: FloatArray

    def __len__(self) -> int:
        return len(self.items)

    def cosine_matrix(self) -> sparse.csr_matrix:
        """The stored cosines as an item × item sparse matrix."""
        size = len(self.skus)
        return sparse.csr_matrix(
            (self.cosine, (self.items, self.neighbours)), shape=(size, size), dtype=np.float64
        )


def anchored_baskets(members: IntArray, days: FloatArray, window_days: int) -> IntArray:
    """Basket numbers of orders sorted by member then time (see the module's rule)."""
    basket = np.empty(len(members), dtype=np.int64)
    current, anchor, previous = -1, 0.0, None
    for i, (member, day) in enumerate(zip(members.tolist(), days.tolist(), strict=True)):
        if member != previous or day - anchor > window_days:
            current += 1
            anchor, previous = day, member
        basket[i] = current
    return basket


def build_baskets(purchases: pl.DataFrame, *, window_days: int) -> Baskets:
    """Baskets of the kept lines of ``purchases`` (schema of
    :data:`~loyalist.recommendations.policy.PURCHASES_SCHEMA`)."""
    lines = kept_lines(purchases).select("member_id", "order_key", "paid_at", "sku")
    skus = lines.get_column("sku").unique().sort()
    if lines.is_empty():
        return Baskets(
            sparse.csr_matrix(np.zeros((0, 0), dtype=np.int32)), [], np.empty(0, np.int64)
        )
    item_of = pl.DataFrame({"sku": skus, "item": np.arange(len(skus), dtype=np.int64)})
    lines = lines.join(item_of, on="sku", how="left")
    orders = (
        lines.group_by("order_key")
        .agg(pl.col("member_id").first(), pl.col("paid_at").min())
        .sort("member_id", "paid_at", "order_key")
    )
    members = orders.get_column("member_id").to_numpy().astype(np.int64)
    if window_days > 0:
        days = orders.select(days_since_epoch(pl.col("paid_at"))).to_series().to_numpy()
        numbers = anchored_baskets(members, days, window_days)
    else:
        numbers = np.arange(len(members), dtype=np.int64)
    basket_of = orders.select("order_key").with_columns(basket=pl.Series(numbers))
    pairs = lines.join(basket_of, on="order_key").select("basket", "item").unique()
    rows = pairs.get_column("basket").to_numpy()
    cols = pairs.get_column("item").to_numpy()
    count = int(numbers[-1]) + 1
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(count, len(skus))
    )
    basket_members = np.empty(count, dtype=np.int64)
    basket_members[numbers] = members
    return Baskets(matrix, skus.to_list(), basket_members)


def score_pairs(
    baskets: Baskets, *, min_support: int, top_n: int, block_items: int = 4_096
) -> Neighbours:
    """Pairs of distinct items sharing at least ``min_support`` baskets, each item keeping
    its ``top_n`` neighbours by lift and its ``top_n`` by cosine (the union; ties broken by
    support, then by the neighbour's index).

    Invariants: cosine is symmetric and in (0, 1]; lift > 0; both finite.
    """
    x = baskets.matrix
    size = x.shape[1]
    empty = np.empty(0, dtype=np.int64)
    if size == 0 or x.nnz == 0:
        return Neighbours(
            baskets.skus, empty, empty, empty, empty.astype(float), empty.astype(float)
        )
    total = float(x.shape[0])
    holders = np.asarray(x.sum(axis=0)).ravel().astype(np.float64)
    by_item = x.T.tocsr()  # item × basket
    parts: list[tuple[IntArray, IntArray, IntArray, FloatArray, FloatArray]] = []
    for start in range(0, size, block_items):
        block = (by_item[start : start + block_items] @ x).tocoo()
        rows = block.row.astype(np.int64) + start
        cols = block.col.astype(np.int64)
        counts = block.data.astype(np.int64)
        keep = (rows != cols) & (counts >= min_support)
        rows, cols, counts = rows[keep], cols[keep], counts[keep]
        if not len(rows):
            continue
        product = holders[rows] * holders[cols]
        lift = counts * total / product
        cosine = np.minimum(counts / np.sqrt(product), 1.0)
        chosen = _top_per_row(rows, cols, counts, lift, top_n) | _top_per_row(
            rows, cols, counts, cosine, top_n
        )
        rows, cols, counts = rows[chosen], cols[chosen], counts[chosen]
        parts.append((rows, cols, counts, lift[chosen], cosine[chosen]))
    if not parts:
        return Neighbours(
            baskets.skus, empty, empty, empty, empty.astype(float), empty.astype(float)
        )
    items, neighbours, support, lift, cosine = (np.concatenate(p) for p in zip(*parts, strict=True))
    order = np.lexsort((neighbours, -support, -lift, items))
    return Neighbours(
        baskets.skus,
        items[order],
        neighbours[order],
        support[order],
        lift[order],
        cosine[order],
    )


def _top_per_row(
    rows: IntArray, cols: IntArray, counts: IntArray, score: FloatArray, top_n: int
) -> npt.NDArray[np.bool_]:
    """Mask of the ``top_n`` entries of each row by score (then count, then column)."""
    order = np.lexsort((cols, -counts, -score, rows))
    sorted_rows = rows[order]
    firsts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
    starts = np.repeat(firsts, np.diff(np.r_[firsts, len(sorted_rows)]))
    rank = np.arange(len(sorted_rows)) - starts
    mask = np.zeros(len(rows), dtype=bool)
    mask[order[rank < top_n]] = True
    return mask
