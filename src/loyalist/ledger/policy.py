"""Pure ledger decisions: how many points, when they mature and expire, which lots to use."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Protocol

from loyalist.settings import ExpiryKind, ExpiryPolicy, ProgramPolicy

#: ISO 4217 minor-unit exponents that are not 2.
_EXPONENTS = {
    **dict.fromkeys(
        (
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}


def minor_unit_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def base_points(net_amount_minor: int, currency: str, policy: ProgramPolicy) -> int:
    """Points for a paid amount (shipping already excluded), rounded down; 0 if no rate."""
    rate = policy.base_rates.get(currency.upper())
    if rate is None or net_amount_minor <= 0:
        return 0
    units = Decimal(net_amount_minor).scaleb(-minor_unit_exponent(currency))
    return int((units * rate).to_integral_value(rounding=ROUND_FLOOR))


def review_ref(review_id: str) -> str:
    """The ledger reference of everything a review earned (its removal reverses by it)."""
    return f"review:{review_id}"


def lifetime_earned(earned: int, adjusted: int, reversed_: int) -> int:
    """Points a member ever earned: issued plus positive adjustments, less what returns,
    cancellations and removed reviews took back (see docs/decisions.md, Foundation)."""
    return earned + max(adjusted, 0) - reversed_


def proportional_share(total: int, part: int, whole: int) -> int:
    """``total × part / whole`` rounded half up; exactly ``total`` when ``part == whole``.

    Reversals use the cumulative returned amount, so the sum over several partial returns
    equals the share of their sum: rounding never leaks a point.
    """
    if whole <= 0 or part <= 0:
        return 0
    if part >= whole:
        return total
    share = (Decimal(total) * part / whole).to_integral_value(rounding=ROUND_HALF_UP)
    return min(total, int(share))


def maturity(paid_at: datetime, delivered_at: datetime | None, policy: ProgramPolicy) -> datetime:
    """When an order's pending points become available.

    ``return_window_days`` after delivery; until delivery is reported, a provisional date
    ``undelivered_maturity_days`` after payment plus the window.
    """
    window = timedelta(days=policy.return_window_days)
    if delivered_at is not None:
        return delivered_at + window
    return paid_at + timedelta(days=policy.undelivered_maturity_days) + window


def expiry(available_at: datetime, rule: ExpiryPolicy, policy: ProgramPolicy) -> datetime | None:
    """When points that became available at ``available_at`` expire (None: never).

    ``end_of_month``: the end of the month ``months`` after the month they became available
    in, in the program's time zone (``months=0`` is the end of that same month).
    """
    if rule.kind == ExpiryKind.NEVER:
        return None
    if rule.kind == ExpiryKind.DAYS_AFTER_AVAILABLE:
        return available_at + timedelta(days=rule.days)
    local = available_at.astimezone(policy.zone)
    return _month_start(local.year, local.month + rule.months, policy.zone)


@functools.lru_cache(maxsize=1024)
def _month_start(year: int, month_index: int, zone: tzinfo) -> datetime:
    """Midnight of the first day of month ``month_index`` (0-based from January of
    ``year``, any size) in ``zone``, in UTC: the end of the month before it. The ingest asks
    for the same few months for every lot."""
    local = datetime(year + month_index // 12, month_index % 12 + 1, 1, tzinfo=zone)
    return local.astimezone(UTC)


FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


class LotLike(Protocol):
    id: int
    remaining: int
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class Take:
    lot_id: int
    amount: int


def allocate(lots: Sequence[LotLike], amount: int) -> list[Take]:
    """Take ``amount`` from lots, earliest expiry first (never-expiring last), then oldest.

    Raises:
        ValueError: the lots do not hold ``amount``.
    """
    order = sorted(
        (lot for lot in lots if lot.remaining > 0),
        key=lambda lot: (lot.expires_at is None, lot.expires_at or FAR_FUTURE, lot.id),
    )
    takes: list[Take] = []
    left = amount
    for lot in order:
        if left == 0:
            break
        take = min(left, lot.remaining)
        takes.append(Take(lot.id, take))
        left -= take
    if left:
        raise ValueError(f"lots hold {amount - left} of the {amount} points asked for")
    return takes


def needs_approval(points: int, program: ProgramPolicy) -> bool:
    """A manual adjustment larger (either way) than the program's threshold waits for a
    second person's approval (maker-checker)."""
    return abs(points) > program.adjustment_approval_threshold
