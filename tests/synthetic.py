"""Reproducible purchases with planted structure, to check and demonstrate the models.

Products come in groups of ``group_size`` bought together; each member likes one or two
groups and mostly buys from them (one to three items an order), the rest from a skewed
popularity over the whole catalogue. A good recommender finds the unbought mates of a
member's groups; popularity cannot.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from loyalist.recommendations.policy import PURCHASES_SCHEMA


def planted_purchases(
    *,
    members: int = 400,
    groups: int = 20,
    group_size: int = 5,
    orders_per_member: int = 4,
    noise: float = 0.15,
    seed: int = 7,
    start: datetime = datetime(2026, 1, 1, tzinfo=UTC),
) -> pl.DataFrame:
    """Lines in :data:`~loyalist.recommendations.policy.PURCHASES_SCHEMA`; SKU ``G03-2`` is
    item 2 of group 3, categories are ``group-03``. Orders are a few days to weeks apart."""
    rng = np.random.default_rng(seed)
    size = groups * group_size
    popularity = 1.0 / np.arange(1, size + 1) ** 1.1
    popularity /= popularity.sum()
    skus = [f"G{g:02d}-{i}" for g in range(groups) for i in range(group_size)]
    rows: list[tuple[object, ...]] = []
    order_key = 0
    for member in range(members):
        liked = rng.choice(groups, size=1 + int(rng.random() < 0.3), replace=False)
        at = start + timedelta(days=float(rng.uniform(0, 60)))
        for _ in range(orders_per_member):
            order_key += 1
            chosen: set[int] = set()
            for _ in range(int(rng.integers(1, 4))):
                if rng.random() < noise:
                    chosen.add(int(rng.choice(size, p=popularity)))
                else:
                    group = int(rng.choice(liked))
                    chosen.add(group * group_size + int(rng.integers(group_size)))
            for item in sorted(chosen):
                rows.append(
                    (
                        member,
                        order_key,
                        at,
                        skus[item],
                        f"group-{item // group_size:02d}",
                        1,
                        0,
                        1_000 + 100 * (item % 7),
                        "EUR",
                    )
                )
            at += timedelta(days=float(rng.uniform(3, 40)))
    return pl.DataFrame(rows, schema=PURCHASES_SCHEMA, orient="row")


def purchases_frame(rows: list[tuple[Any, ...]] | None = None, **columns: Any) -> pl.DataFrame:
    """A frame of :data:`PURCHASES_SCHEMA` from row tuples in the schema's column order, or
    from named columns (missing optional ones are filled: category/currency null, returned 0,
    amount 0)."""
    if rows is not None:
        return pl.DataFrame(rows, schema=PURCHASES_SCHEMA, orient="row")
    height = len(next(iter(columns.values()))) if columns else 0
    defaults: dict[str, Any] = {
        "category": [None] * height,
        "returned_quantity": [0] * height,
        "amount": [0] * height,
        "currency": [None] * height,
    }
    data = {name: columns.get(name, defaults.get(name)) for name in PURCHASES_SCHEMA}
    return pl.DataFrame(data, schema=PURCHASES_SCHEMA)
