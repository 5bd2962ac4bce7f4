"""Points as payment: how many points a cart may take and what they are worth (pure).

A point is worth ``value`` minor units of the cart's currency (a Decimal: 0.01 EUR a point
is 1 cent; 1 RUB a point is 100 kopecks). Points pay at most ``max_share`` of what is left
after coupons (goods, plus shipping when the policy allows), in multiples of ``step``, and
never more than the member has. The money a number of points pays is rounded down, so a
member never gets more than the points are worth.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from loyalist.settings import PointsPayment


@dataclass(frozen=True, slots=True)
class PointsRange:
    """The points a checkout may use: ``0`` or any multiple of ``step`` within
    ``minimum..maximum``; ``maximum`` 0 means points cannot pay for this cart."""

    minimum: int
    maximum: int
    step: int
    value: Decimal  # minor units of the cart's currency per point

    def allows(self, points: int) -> bool:
        if points == 0:
            return True
        return self.minimum <= points <= self.maximum and points % self.step == 0


def money_for(points: int, value: Decimal) -> int:
    """Minor units ``points`` pay for, rounded down."""
    return int((value * points).to_integral_value(ROUND_FLOOR))


def points_range(
    payable: int, balance: int, value: Decimal | None, payment: PointsPayment
) -> PointsRange:
    """``payable``: goods after coupons, plus shipping left when the policy includes it."""
    step = payment.step
    if value is None or value <= 0 or not payment.enabled:
        return PointsRange(0, 0, step, value or Decimal(0))
    cap = int((Decimal(payable) * payment.max_share).to_integral_value(ROUND_FLOOR))
    by_money = int((Decimal(cap) / value).to_integral_value(ROUND_FLOOR))
    maximum = min(max(balance, 0), by_money)
    maximum -= maximum % step
    minimum = -(-payment.min_points // step) * step  # round the minimum up to a step
    if maximum < minimum:
        return PointsRange(minimum, 0, step, value)
    return PointsRange(minimum, maximum, step, value)
