"""A seeded synthetic :class:`~loyalist.insights.snapshot.Snapshot` of any size, numpy-vectorised.

The shop (defaults: 1,000,000 members and ~10,000,000 order lines) behaves like the models
the analytics fit, so that RFM, KPIs and CLV see realistic shapes rather than uniform noise:

- Members enrol over ``years`` (3) before ``end``, more of them recently (a linearly growing
  rate); member ids follow enrolment time. 75% of them ever buy; the first order follows
  enrolment after an exponential delay (mean 12 days), if it falls before ``end``.
- Repeat orders follow BG/NBD: while alive a buyer orders as a Poisson process with a rate
  drawn from Gamma(r, alpha) (per day); after each repeat order the buyer drops out with a
  probability drawn from Beta(a, b) (as in the model's likelihood; fitting BG/NBD on the
  exact times of 300,000 generated members gives back r, alpha, a, b within ~5%). Given
  the Poisson count N in the window and the geometric number D of orders before dropout,
  the buyer makes min(N, D) repeat orders at the first order statistics of N uniform times
  (drawn through exponential spacings, so only as many draws as orders are made).
- Lines per order are 1 + Binomial(7, q) with a per-member basket propensity q drawn from
  a Beta whose mean gives ``lines`` lines in all (so spend per order differs between
  members, as Gamma-Gamma assumes). SKUs (``skus``, 50,000) are drawn with Zipf popularity
  (exponent 0.9), each with a fixed category (``categories``, 200) and a log-normal price;
  3% of lines are returned (all or part of their units) and 10% carry a discount.
- Channel web/app/pos from a per-member preference; tier from the last year's spend
  (gold the top 5% of members, silver the next 15%); segments from a few combinations.
- Points: one point per currency unit issued per order; the reversed part of returned
  lines; an order's remaining points are redeemed at the member's next order (40% of the
  time, if within a year and nothing was returned) and otherwise expire a year after they
  were earned (if that is before ``end``); a few signed adjustments. Every member's
  balance therefore stays non-negative at every instant.
- Reviews for 3% of lines, a first NPS answer from 10% of members, referrals for 5%.

Run alone (``python -m bench.insights_data --members 10000``) it prints the sizes and time.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

if __package__ in (None, ""):  # run as ``python bench/insights_data.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loyalist.insights.snapshot import Snapshot

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

DAY_US: Final = 86_400 * 1_000_000
CURRENCY: Final = "EUR"
CHANNELS: Final = ("web", "app", "pos")
TIERS: Final = ("member", "silver", "gold")
SEGMENT_SETS: Final[tuple[tuple[str, ...], ...]] = (
    (),
    ("newsletter",),
    ("newsletter", "app_user"),
    ("app_user",),
    ("staff",),
    ("newsletter", "b2b"),
)
SEGMENT_WEIGHTS: Final = (0.45, 0.3, 0.12, 0.1, 0.01, 0.02)
ANSWER_CHANNELS: Final = ("email", "app", "web")
DEFAULT_END: Final = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ShopShape:
    """The behavioural parameters; the defaults give ~3 paid orders per member over 3 years."""

    buyer_share: float = 0.75
    first_order_delay_days: float = 12.0
    r: float = 0.6  # Gamma shape of the daily order rate
    alpha: float = 42.0  # Gamma rate (days): mean rate r / alpha = one order in 70 days
    a: float = 0.9  # Beta of the dropout probability after each order
    b: float = 4.0
    zipf_exponent: float = 0.9
    basket_concentration: float = 4.0  # Beta(κμ, κ(1-μ)) of the per-member basket propensity
    return_share: float = 0.03
    discount_share: float = 0.10
    redeem_share: float = 0.40
    review_share: float = 0.03
    answer_share: float = 0.10
    referral_share: float = 0.05


def generate_snapshot(
    *,
    members: int = 1_000_000,
    lines: int = 10_000_000,
    seed: int = 42,
    end: datetime = DEFAULT_END,
    years: float = 3.0,
    skus: int = 50_000,
    categories: int = 200,
    shape: ShopShape | None = None,
) -> Snapshot:
    """A snapshot of ``members`` members with about ``lines`` order lines, all before ``end``.

    Deterministic for a seed and the same arguments. Line count is met in expectation (within
    a fraction of a percent at large sizes); when ``lines`` per order would leave 1..8, the
    mean basket is clipped and the count misses.

    Raises:
        ValueError: members or lines < 1, or end not aware.
    """
    if members < 1 or lines < 1:
        raise ValueError("members and lines must be positive")
    if end.tzinfo is None:
        raise ValueError("end must be an aware datetime")
    shape = shape or ShopShape()
    rng = np.random.default_rng(seed)
    end_us = int(end.timestamp()) * 1_000_000
    span_us = int(years * 365 * DAY_US)

    # Members: enrolment density grows linearly (1 → 3) over the span: inverse CDF.
    u = np.sort(rng.random(members))
    frac = (np.sqrt(1.0 + 8.0 * u) - 1.0) / 2.0  # CDF (x + x^2)/2 on [0, 1]
    enrolled_us = (end_us - span_us + frac * span_us).astype(np.int64)
    member_ids = np.arange(1, members + 1, dtype=np.int64)
    preferred_channel = rng.choice(3, size=members, p=(0.5, 0.3, 0.2))

    # First orders.
    buys = rng.random(members) < shape.buyer_share
    first_us = enrolled_us + (rng.exponential(shape.first_order_delay_days, members) * DAY_US)
    first_us = first_us.astype(np.int64)
    buys &= first_us < end_us
    buyers = np.flatnonzero(buys)
    first_us = first_us[buyers]
    window_days = (end_us - first_us) / DAY_US

    # Repeat orders: min(Poisson count in the window, orders before dropout).
    rate = rng.gamma(shape.r, 1.0 / shape.alpha, buyers.size)
    dropout = rng.beta(shape.a, shape.b, buyers.size)
    poisson_n = rng.poisson(rate * window_days)
    # Dropout follows repeat orders only (the likelihood has (1 - p)^x for x repeats).
    before_dropout = rng.geometric(np.clip(dropout, 1e-9, 1.0))
    repeats = np.minimum(poisson_n, before_dropout).astype(np.int64)
    # The first ``repeats`` of ``poisson_n`` sorted uniforms: exponential spacings over the
    # sum of ``poisson_n + 1`` of them, the untaken rest drawn at once as a Gamma.
    total_repeats = int(repeats.sum())
    owner = np.repeat(np.arange(buyers.size), repeats)
    spacings = rng.exponential(1.0, total_repeats)
    starts = np.cumsum(repeats) - repeats
    cum = np.cumsum(spacings)
    offset = np.repeat(cum[starts - 1] if total_repeats else np.zeros(0), repeats)
    offset[np.repeat(starts == 0, repeats)] = 0.0
    within = cum - offset  # cumulative spacing within each buyer
    taken = np.zeros(buyers.size)
    has = repeats > 0
    last_index = (starts + repeats - 1)[has]
    taken[has] = within[last_index]
    rest = rng.gamma(np.maximum(poisson_n - repeats + 1, 1).astype(np.float64), 1.0)
    denominator = taken + rest
    repeat_us = first_us[owner] + (within / denominator[owner] * (end_us - first_us[owner])).astype(
        np.int64
    )
    repeat_us = np.minimum(repeat_us, end_us - 1)

    order_member_index = np.concatenate([buyers, buyers[owner]])
    order_us = np.concatenate([first_us, repeat_us])
    by_time = np.argsort(order_us, kind="stable")
    order_member_index = order_member_index[by_time]
    order_us = order_us[by_time]
    n_orders = order_us.size
    order_keys = np.arange(1, n_orders + 1, dtype=np.int64)

    # Lines per order: 1 + Binomial(7, q), q per member with the mean meeting ``lines``.
    mean_lines = min(max(lines / max(n_orders, 1), 1.0 + 1e-6), 8.0 - 1e-6)
    mu = (mean_lines - 1.0) / 7.0
    kappa = shape.basket_concentration
    propensity = rng.beta(kappa * mu, kappa * (1.0 - mu), members)
    lines_per_order = 1 + rng.binomial(7, propensity[order_member_index])
    line_order = np.repeat(np.arange(n_orders), lines_per_order)
    n_lines = line_order.size

    # SKUs: Zipf popularity over a random permutation of ids; fixed category and price.
    weights = 1.0 / np.arange(1, skus + 1, dtype=np.float64) ** shape.zipf_exponent
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    popularity_rank = np.minimum(np.searchsorted(cdf, rng.random(n_lines)), skus - 1)
    sku_of_rank = rng.permutation(skus)
    line_sku = sku_of_rank[popularity_rank]
    category_weights = rng.gamma(1.0, 1.0, categories)
    sku_category = rng.choice(categories, size=skus, p=category_weights / category_weights.sum())
    sku_price = np.maximum(np.round(np.exp(rng.normal(7.0, 0.9, skus))), 50).astype(np.int64)

    quantity = 1 + np.minimum(rng.poisson(0.25, n_lines), 9)
    gross = sku_price[line_sku] * quantity
    discounted = rng.random(n_lines) < shape.discount_share
    gross = np.where(discounted, (gross * rng.choice([80, 85, 90], size=n_lines)) // 100, gross)
    returned = rng.random(n_lines) < shape.return_share
    returned_quantity = np.where(
        returned, np.minimum(quantity, 1 + rng.binomial(quantity - 1, 0.5)), 0
    )
    line_amount = gross - (gross * returned_quantity) // quantity
    order_gross = np.bincount(line_order, weights=gross, minlength=n_orders).astype(np.int64)
    order_amount = np.bincount(line_order, weights=line_amount, minlength=n_orders).astype(np.int64)

    channel_index = np.where(
        rng.random(n_orders) < 0.8,
        preferred_channel[order_member_index],
        rng.integers(0, 3, n_orders),
    )

    # Tiers from the last 365 days' spend; segments from a few combinations.
    recent = order_us >= end_us - 365 * DAY_US
    spend = np.bincount(order_member_index[recent], weights=order_amount[recent], minlength=members)
    tier_index = np.zeros(members, dtype=np.int64)
    ranked = np.argsort(-spend, kind="stable")
    spenders = int((spend > 0).sum())
    tier_index[ranked[: min(spenders, int(members * 0.20))]] = 1
    tier_index[ranked[: min(spenders, int(members * 0.05))]] = 2
    segment_index = rng.choice(len(SEGMENT_SETS), size=members, p=SEGMENT_WEIGHTS)

    member_frame = pl.DataFrame(
        {
            "member_id": member_ids,
            "enrolled_at": pl.Series(enrolled_us)
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("UTC"),
            "tier": _pick(TIERS, tier_index),
            "segments": pl.Series([list(s) for s in SEGMENT_SETS], dtype=pl.List(pl.String)).gather(
                segment_index
            ),
        }
    )
    order_member_ids = member_ids[order_member_index]
    order_frame = pl.DataFrame(
        {
            "order_key": order_keys,
            "member_id": order_member_ids,
            "paid_at": _utc(order_us),
            "currency": pl.repeat(CURRENCY, n_orders, eager=True),
            "channel": _pick(CHANNELS, channel_index),
            "amount": order_amount,
        }
    )
    sku_names = pl.Series([f"SKU-{i:06d}" for i in range(skus)], dtype=pl.String)
    category_names = pl.Series([f"category-{i:03d}" for i in range(categories)], dtype=pl.String)
    line_frame = pl.DataFrame(
        {
            "order_key": order_keys[line_order],
            "member_id": order_member_ids[line_order],
            "paid_at": _utc(order_us[line_order]),
            "sku": sku_names.gather(line_sku),
            "category": category_names.gather(sku_category[line_sku]),
            "quantity": quantity.astype(np.int64),
            "returned_quantity": returned_quantity.astype(np.int64),
            "amount": line_amount.astype(np.int64),
        }
    )
    points_frame = _points(
        rng, shape, end_us, order_member_index, order_us, order_gross, order_amount, member_ids
    )
    reviewed = np.flatnonzero(rng.random(n_lines) < shape.review_share)
    review_us = order_us[line_order[reviewed]] + rng.integers(5, 31, reviewed.size) * DAY_US
    keep = review_us < end_us
    reviewed, review_us = reviewed[keep], review_us[keep]
    review_frame = pl.DataFrame(
        {
            "member_id": order_member_ids[line_order[reviewed]],
            "published_at": _utc(review_us),
            "rating": rng.choice(5, size=reviewed.size, p=(0.06, 0.04, 0.10, 0.25, 0.55)) + 1,
            "sku": sku_names.gather(line_sku[reviewed]),
        }
    )
    answering = np.flatnonzero(rng.random(members) < shape.answer_share)
    answered_us = enrolled_us[answering] + (
        rng.random(answering.size) * (end_us - enrolled_us[answering])
    ).astype(np.int64)
    nps_weights = np.array([2, 1, 1, 2, 2, 4, 5, 8, 14, 25, 36], dtype=np.float64)
    answer_frame = pl.DataFrame(
        {
            "member_id": member_ids[answering],
            "answered_at": _utc(answered_us),
            "score": rng.choice(11, size=answering.size, p=nps_weights / nps_weights.sum()),
            "channel": _pick(ANSWER_CHANNELS, rng.integers(0, 3, answering.size)),
        }
    )
    referred = np.flatnonzero(rng.random(members) < shape.referral_share)
    referred = referred[referred > 0]
    referrer = (rng.random(referred.size) * referred).astype(np.int64)  # enrolled earlier
    referral_frame = pl.DataFrame(
        {
            "referrer_id": member_ids[referrer],
            "referred_id": member_ids[referred],
            "at": _utc(enrolled_us[referred]),
        }
    )
    return Snapshot.of(
        members=member_frame,
        orders=order_frame,
        lines=line_frame,
        points=points_frame,
        reviews=review_frame,
        answers=answer_frame,
        referrals=referral_frame,
    )


def _points(
    rng: np.random.Generator,
    shape: ShopShape,
    end_us: int,
    member_index: I64,
    order_us: I64,
    order_gross: I64,
    order_amount: I64,
    member_ids: I64,
) -> pl.DataFrame:
    """Issued, reversed, redeemed (an order's net points at the next order), expired, adjusted."""
    issued = order_gross // 100
    net = order_amount // 100
    reversed_points = issued - net
    return_us = order_us + rng.integers(3, 31, order_us.size) * DAY_US
    # Each member's next order (orders are in time order; a stable sort by member keeps it).
    by_member = np.argsort(member_index, kind="stable")
    next_order = np.full(order_us.size, -1, dtype=np.int64)
    same = member_index[by_member[1:]] == member_index[by_member[:-1]]
    next_order[by_member[:-1][same]] = by_member[1:][same]
    has_next = next_order >= 0
    next_us = np.where(has_next, order_us[np.maximum(next_order, 0)], np.iinfo(np.int64).max)
    year = 365 * DAY_US
    redeem = (
        has_next
        & (next_us - order_us <= year)
        & (reversed_points == 0)
        & (net > 0)
        & (rng.random(order_us.size) < shape.redeem_share)
    )
    expire = ~redeem & (net > 0) & (order_us + year < end_us)
    expire_us = order_us + year
    reverse = (reversed_points > 0) & (return_us < end_us)
    # Adjustments: goodwill (positive), and corrections (negative, at most the order's
    # points, only on orders whose points are neither redeemed nor expired: still held).
    adjusted_rows = np.flatnonzero(rng.random(order_us.size) < 0.002)
    adjusted_points = rng.choice([-50, 100, 200, 500], size=adjusted_rows.size)
    held = ~redeem[adjusted_rows] & ~expire[adjusted_rows]
    adjusted_points = np.where(
        adjusted_points < 0,
        np.where(held, -np.minimum(50, net[adjusted_rows]), 100),
        adjusted_points,
    )
    parts = [
        (order_us, member_index, "issued", issued, issued > 0),
        (return_us, member_index, "reversed", reversed_points, reverse),
        (next_us, member_index, "redeemed", net, redeem),
        (expire_us, member_index, "expired", net, expire),
    ]
    at: list[I64] = []
    who: list[I64] = []
    flows: list[str] = []
    counts: list[int] = []
    amounts: list[I64] = []
    for when, owner, flow, points, mask in parts:
        at.append(when[mask])
        who.append(owner[mask])
        amounts.append(points[mask])
        flows.append(flow)
        counts.append(int(mask.sum()))
    at.append(order_us[adjusted_rows] + DAY_US // 2)
    who.append(member_index[adjusted_rows])
    amounts.append(adjusted_points.astype(np.int64))
    flows.append("adjusted")
    counts.append(adjusted_rows.size)
    flow_names = pl.Series(flows, dtype=pl.String)
    flow_index = np.repeat(np.arange(len(flows)), counts)
    frame = pl.DataFrame(
        {
            "at": _utc(np.concatenate(at)),
            "member_id": member_ids[np.concatenate(who)],
            "flow": flow_names.gather(flow_index),
            "points": np.concatenate(amounts),
        }
    )
    return frame.sort("at")


def _utc(micros: I64) -> pl.Series:
    return pl.Series(micros.astype(np.int64)).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def _pick(names: Sequence[str], index: npt.NDArray[np.integer]) -> pl.Series:
    return pl.Series(list(names), dtype=pl.String).gather(index)


def sizes(snapshot: Snapshot) -> dict[str, int]:
    """Row counts of every frame of the snapshot."""
    return {
        name: getattr(snapshot, name).height
        for name in ("members", "orders", "lines", "points", "reviews", "answers", "referrals")
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic insights snapshot.")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    snapshot = generate_snapshot(members=args.members, lines=args.lines, seed=args.seed)
    seconds = time.perf_counter() - start
    counts = ", ".join(f"{name} {count:,}" for name, count in sizes(snapshot).items())
    print(f"generated in {seconds:.2f} s: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
