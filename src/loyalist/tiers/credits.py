"""What qualification is judged on: a member's credits held in memory with their window
sums, and each order's figures with what returns and cancellation took back. No I/O: a
window older than the credits held is asked for with ``CreditsNeeded``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from loyalist.ledger.policy import proportional_share
from loyalist.tiers.models import CreditKind
from loyalist.tiers.policy import Totals, Window

#: Plain strings: rows carry ``str`` and comparing with a ``StrEnum`` member is slower.
_ORDER_KINDS = frozenset({CreditKind.ORDER.value, CreditKind.RETURN.value, CreditKind.CANCEL.value})
_ORDER = CreditKind.ORDER.value


@dataclass(slots=True)
class Credit:
    """One credit: what it adds (negative for returns and cancellations), dated ``at``.
    ``totals`` grows while the order's credit row is not written yet."""

    at: datetime
    totals: Totals


class CreditsNeeded(Exception):
    """A window starts before the credits held: hold those from ``start`` (None: all of
    them) with ``Credits.hold_from`` and ask again. Never leaves the tier book."""

    def __init__(self, start: datetime | None) -> None:
        super().__init__(start)
        self.start = start


@dataclass(slots=True)
class Credits:
    """A member's qualifying credits: one by one from ``held_from`` on (None: all of them),
    older ones only as their sum ``before`` (None: unknown, so a lifetime sum needs them).

    Window sums are kept per window and updated as credits arrive, so a run of facts in one
    calendar year sums the member's credits once.
    """

    held_from: datetime | None = None
    before: Totals | None = field(default_factory=Totals)
    held: list[Credit] = field(default_factory=list)
    #: Credits added in memory but dated before ``held_from``: they count in lifetime sums
    #: until older credits are held, and then join ``held``.
    aside: list[Credit] = field(default_factory=list)
    sums: dict[tuple[datetime | None, datetime | None], Totals] = field(default_factory=dict)

    def totals(self, window: Window) -> Totals:
        """The sum of the credits dated in ``window``.

        Raises:
            CreditsNeeded: the window starts before the credits held.
        """
        start, end = window.start, window.end
        key = (start, end)
        cached = self.sums.get(key)
        if cached is not None:
            return cached
        held_from = self.held_from
        if held_from is not None and (
            (start is None and self.before is None) or (start is not None and start < held_from)
        ):
            raise CreditsNeeded(start)
        spend = points = orders = 0
        for credit in self.held:
            at = credit.at
            if (start is None or at >= start) and (end is None or at < end):
                t = credit.totals
                spend += t.spend
                points += t.points
                orders += t.orders
        total = Totals(spend, points, orders)
        if start is None:
            total = total + _sum(c.totals for c in self.aside)
            if self.before is not None:
                total = total + self.before
        self.sums[key] = total
        return total

    def add(self, at: datetime, totals: Totals) -> Credit:
        """Count a new credit (held, or aside when dated before ``held_from``)."""
        credit = Credit(at, totals)
        sums = self.sums
        for key, total in sums.items():
            if (key[0] is None or at >= key[0]) and (key[1] is None or at < key[1]):
                sums[key] = total + totals
        if self.held_from is None or at >= self.held_from:
            self.held.append(credit)
        else:
            self.aside.append(credit)
        return credit

    def grow(self, credit: Credit, more: Totals) -> None:
        """Add ``more`` to a credit already added."""
        credit.totals = credit.totals + more
        at, sums = credit.at, self.sums
        for key, total in sums.items():
            if (key[0] is None or at >= key[0]) and (key[1] is None or at < key[1]):
                sums[key] = total + more

    def hold_from(self, start: datetime | None, older: list[Credit]) -> None:
        """Hold credits from ``start`` on: ``older`` are the stored ones dated from ``start``
        up to ``held_from``."""
        moved = [c for c in self.aside if start is None or c.at >= start]
        self.aside = [c for c in self.aside if start is not None and c.at < start]
        self.held = older + moved + self.held
        self.held_from = start
        self.sums.clear()
        if start is None:
            self.before = Totals()
        elif self.before is not None:
            self.before = self.before + negate(_sum(c.totals for c in older))


@dataclass(slots=True)
class Order:
    """An order's qualifying figures and what returns and cancellation took back so far.

    ``is_paid`` is false while only the order's qualifying points are known (they arrive
    just before its payment is recorded, in the same unit)."""

    at: datetime
    given: Totals
    taken: Totals = field(default_factory=Totals)
    is_paid: bool = True


def adopt(
    orders: dict[str, Order], kind: str, ref: str | None, at: datetime, totals: Totals
) -> None:
    """Count a stored credit into the order it belongs to (others are not about orders)."""
    if kind not in _ORDER_KINDS or ref is None:
        return
    order = orders.get(ref)
    if kind == _ORDER:
        if order is None:
            orders[ref] = Order(at, totals)
        else:
            order.given, order.at = order.given + totals, at
        return
    if order is None:
        order = orders[ref] = Order(at, Totals())
    order.taken = order.taken + negate(totals)


def paid_order(net_amount: int, currency: str, points: int, program_currency: str) -> Totals:
    """What a paid order counts: its spend in the program currency only, its points and
    one order."""
    spend = net_amount if currency.upper() == program_currency else 0
    return Totals(max(spend, 0), points, 1)


def returned(order: Order, num: int, den: int) -> Totals:
    """What a cumulative return of ``num``/``den`` of the order takes back in all: its share
    of spend and points, and the order itself once it is returned in full."""
    given = order.given
    return Totals(
        proportional_share(given.spend, num, den),
        proportional_share(given.points, num, den),
        given.orders if den > 0 and num >= den else 0,
    )


def still_due(order: Order, target: Totals) -> Totals | None:
    """What is left to take back so that ``target`` is taken in all (None: nothing; never
    gives back what was taken)."""
    taken = order.taken
    due = Totals(
        max(0, target.spend - taken.spend),
        max(0, target.points - taken.points),
        max(0, target.orders - taken.orders),
    )
    return due if due.spend or due.points or due.orders else None


def negate(t: Totals) -> Totals:
    return Totals(-t.spend, -t.points, -t.orders)


def _sum(items: Iterable[Totals]) -> Totals:
    spend = points = orders = 0
    for t in items:
        spend += t.spend
        points += t.points
        orders += t.orders
    return Totals(spend, points, orders)
