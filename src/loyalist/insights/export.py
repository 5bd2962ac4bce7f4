"""Read the operational tables into a :class:`~loyalist.insights.snapshot.Snapshot`.

One streamed query per frame (``insights.repository``: ``yield_per`` partitions straight
into polars, no ORM objects); the arithmetic that the contract defines (order amounts net of
applied returns, line amounts, ledger flows and their signs) is done in polars.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, tzinfo
from typing import Any, Final

import polars as pl
from sqlalchemy.orm import Session

from loyalist.db.uow import UnitOfWork
from loyalist.insights import repository
from loyalist.insights.repository import Batches
from loyalist.insights.snapshot import (
    ANSWERS_SCHEMA,
    LINES_SCHEMA,
    MEMBERS_SCHEMA,
    ORDERS_SCHEMA,
    POINTS_SCHEMA,
    REFERRALS_SCHEMA,
    REVIEWS_SCHEMA,
    UTC_US,
    Snapshot,
)
from loyalist.tiers import policy as tier_policy
from loyalist.tiers.service import TierBook

#: Members whose tier is worked out by one read-only tier book.
TIER_CHUNK: Final = 2_000
#: Flows where points go from the system to the member (the others go the other way).
_TO_MEMBER: Final = ("issued", "adjusted")

#: ``progress(step, rows)`` after each streamed batch of a step.
Progress = Callable[[str, int], None]


def export_snapshot(
    uow: UnitOfWork,
    *,
    currency: str | None,
    zone: tzinfo = UTC,
    progress: Progress | None = None,
) -> Snapshot:
    """Every member, every paid and not cancelled order (of ``currency``; None: all) with
    its lines, every ledger flow, live review, first scored answer and converted referral.

    ``zone`` is the program's time zone (tier reviews due are applied on read, as the tier
    API does). Read-only: nothing is locked or written.
    """
    session = uow.session
    report = progress or (lambda _step, _rows: None)
    members = _members(uow, zone, report)
    orders = _orders(session, currency, report)
    return Snapshot.of(
        members=members,
        orders=orders,
        lines=_lines(session, orders, currency, report),
        points=_points(session, report),
        reviews=stream(repository.live_reviews(session), REVIEWS_SCHEMA, "reviews", report),
        answers=stream(repository.scored_first_answers(session), ANSWERS_SCHEMA, "answers", report),
        referrals=stream(
            repository.converted_referrals(session), REFERRALS_SCHEMA, "referrals", report
        ),
    )


def stream(
    batches: Batches,
    schema: pl.Schema | dict[str, Any],
    step: str = "",
    report: Progress | None = None,
) -> pl.DataFrame:
    """The rows as a frame of ``schema`` (columns in query order), batch by batch;
    ``report(step, rows so far)`` after each."""
    report = report or (lambda _step, _rows: None)
    parts = []
    done = 0
    for rows in batches:
        parts.append(pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row"))
        done += len(rows)
        report(step, done)
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat(parts, rechunk=True)


def _members(uow: UnitOfWork, zone: tzinfo, report: Progress) -> pl.DataFrame:
    raw = stream(
        repository.members(uow.session),
        {"member_id": pl.Int64, "enrolled_at": UTC_US, "segments": pl.List(pl.String)},
        "members",
        report,
    )
    tiers = _tiers(uow, zone)
    return raw.with_columns(
        tier=pl.col("member_id").replace_strict(
            tiers.keys, tiers.values, default=tiers.default, return_dtype=pl.String
        )
    ).select(MEMBERS_SCHEMA.names())


class _Tiers:
    def __init__(self, default: str | None, found: dict[int, str | None]) -> None:
        self.default = default
        self.keys = list(found)
        self.values = list(found.values())


def _tiers(uow: UnitOfWork, zone: tzinfo) -> _Tiers:
    """Each member's tier in effect now. Members without a tier row or paid plan have the
    base tier (what the tier book answers for them); the others ask a read-only book."""
    book = TierBook(uow, zone, lock=False)
    if not book.is_active:
        return _Tiers(None, {})
    base = tier_policy.base_index(book.levels)
    default = book.levels[base].key if base >= 0 else None
    wanted = repository.members_with_tier_rows(uow.session)
    found: dict[int, str | None] = {}
    for chunk in _chunks(wanted, TIER_CHUNK):
        reader = TierBook(uow, zone, lock=False)
        reader.prepare(chunk)
        found.update((m, reader.status(m).key) for m in chunk)
    return _Tiers(default, found)


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _orders(session: Session, currency: str | None, report: Progress) -> pl.DataFrame:
    orders = stream(
        repository.paid_orders(session, currency),
        {**ORDERS_SCHEMA, "amount": pl.Int64},
        "orders",
        report,
    )
    returned = stream(
        repository.applied_returns(session, currency),
        {"order_key": pl.Int64, "returned": pl.Int64},
        "returns",
        report,
    )
    return (
        orders.join(returned, on="order_key", how="left")
        .with_columns(amount=pl.col("amount") - pl.col("returned").fill_null(0))
        .select(ORDERS_SCHEMA.names())
    )


def _lines(
    session: Session, orders: pl.DataFrame, currency: str | None, report: Progress
) -> pl.DataFrame:
    lines = stream(
        repository.paid_lines(session, currency),
        {
            "order_key": pl.Int64,
            "sku": pl.String,
            "category": pl.String,
            "quantity": pl.Int64,
            "unit_price": pl.Int64,
            "discount": pl.Int64,
            "returned_quantity": pl.Int64,
        },
        "lines",
        report,
    )
    net = pl.col("quantity") * pl.col("unit_price") - pl.col("discount")
    # As the orders domain rounds a returned share: down, exact once every unit is back.
    returned = net * pl.col("returned_quantity") // pl.col("quantity")
    return (
        lines.join(orders.select("order_key", "member_id", "paid_at"), on="order_key")
        .with_columns(amount=net - returned)
        .select(LINES_SCHEMA.names())
    )


def _points(session: Session, report: Progress) -> pl.DataFrame:
    """Ledger flows: a posting touching a system account is a flow of that account, positive
    in its natural direction (a refund of spent points is a negative redemption; expired
    points a return takes back are a negative expiry and a reversal)."""
    system = repository.SYSTEM_ACCOUNTS
    raw = stream(
        repository.system_flows(session),
        {
            "at": UTC_US,
            "member_id": pl.Int64,
            "debit": pl.String,
            "credit": pl.String,
            "amount": pl.Int64,
        },
        "points",
        report,
    )
    # A posting between two system accounts (a return reclassifying expired points as
    # reversed) is a flow of each: one row as its debit side, one as its credit side.
    internal = pl.col("debit").is_in(system) & pl.col("credit").is_in(system)
    raw = pl.concat([raw, raw.filter(internal).with_columns(debit=pl.lit(None, pl.String))])
    from_system = pl.col("debit").is_in(system).fill_null(False)
    flow = pl.when(from_system).then(pl.col("debit")).otherwise(pl.col("credit"))
    flow = flow.str.strip_prefix("system.")
    natural = from_system == flow.is_in(_TO_MEMBER)
    return raw.with_columns(
        flow=flow,
        points=pl.when(natural).then(pl.col("amount")).otherwise(-pl.col("amount")),
    ).select(POINTS_SCHEMA.names())
