"""The tiers' working set for one unit of work: member tier states, qualifying credits and
paid memberships in memory, loaded in a few queries, written at the end.

Qualification is a window sum over the member's own append-only credits, never the
spendable balance. Reviews and lapsed plans that are due are applied when a member is first
touched in a unit (lazily) or by ``jobs.run_tier_reviews``; both run the same code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import Any

from loyalist.activities.events import ActivityRecorded
from loyalist.activities.models import EventType
from loyalist.db.bulk import insert_rows, update_rows
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.policy import proportional_share
from loyalist.tiers import policy, repository
from loyalist.tiers.events import TierDowngraded, TierUpgraded
from loyalist.tiers.models import ChangeReason, CreditKind, MembershipStatus
from loyalist.tiers.policy import Totals, Window
from loyalist.tiers.schemas import Perks, Source, TierLevel, TierProgram

_MEMBER_TIER_MUTABLE = ("tier", "reached_at", "window_end", "review_at", "updated_at")
_MEMBERSHIP_MUTABLE = (
    "plan",
    "tier",
    "status",
    "period_end",
    "ends_at",
    "last_event_at",
    "updated_at",
)
_KEY = "tiers.books"
_MAX_SETTLE_STEPS = 1000
#: Plain strings: rows carry ``str`` and comparing with a ``StrEnum`` member is slower.
_ORDER_KINDS = frozenset({CreditKind.ORDER.value, CreditKind.RETURN.value, CreditKind.CANCEL.value})
_ORDER = CreditKind.ORDER.value


@dataclass(frozen=True, slots=True)
class TierStatus:
    """The tier in effect for earning: ``source`` is ``qualified``, ``membership`` (a paid
    plan grants a higher tier than activity supports) or ``none`` (no tier)."""

    key: str | None
    multiplier: Decimal
    perks: Perks
    source: str
    #: The tier's name in every language (what a tier bonus entry shows).
    name: dict[str, str] | None = None
    #: When the member reached the qualified tier (None without one).
    reached_at: datetime | None = None


NO_TIER = TierStatus(None, Decimal(1), Perks(), "none")


@dataclass(slots=True)
class _Credit:
    at: datetime
    totals: Totals


@dataclass(slots=True)
class _Order:
    """An order's qualifying figures and what returns and cancellation took back so far.

    ``is_paid`` is false while only the order's qualifying points are known (they arrive
    just before its payment is recorded, in the same unit)."""

    at: datetime
    given: Totals
    taken: Totals = field(default_factory=Totals)
    is_paid: bool = True


@dataclass(slots=True)
class _Membership:
    membership_id: str
    plan: str
    tier: str | None
    status: str
    period_end: datetime
    ends_at: datetime
    last_event_at: datetime
    is_new: bool = False
    dirty: bool = False


@dataclass(slots=True)
class _Member:
    member_id: int
    tier: str | None
    reached_at: datetime | None
    window_end: datetime | None
    review_at: datetime | None
    credits: list[_Credit] = field(default_factory=list)
    loaded_from: datetime | None = None  # credits before it are summed in ``before``
    before: Totals = field(default_factory=Totals)
    old_new: list[_Credit] = field(default_factory=list)  # this unit's, dated before loaded_from
    orders: dict[str, _Order] = field(default_factory=dict)
    absent_orders: set[str] = field(default_factory=set)
    memberships: dict[str, _Membership] = field(default_factory=dict)
    sums: dict[tuple[datetime | None, datetime | None], Totals] = field(default_factory=dict)
    dirty: bool = False


class TierBook:
    """Load, change and write the tier state of the members a unit of work touches.

    Facts must be recorded in the order they happened; a tier reached by one fact applies
    to the next one in the same unit. ``lock=False`` makes a read-only book (the API's
    view): nothing is locked, created or written.
    """

    def __init__(self, uow: UnitOfWork, zone: tzinfo, *, lock: bool = True) -> None:
        self.uow = uow
        self.session = uow.session
        self.zone = zone
        self.now = uow.now
        self._lock = lock
        self.program = _load_program(uow)
        self._members: dict[int, _Member] = {}
        self._credits: list[dict[str, Any]] = []
        #: This unit's order credits not written yet: spend and points of one order land
        #: in one row whichever is recorded first.
        self._order_rows: dict[tuple[int, str], tuple[_Credit, dict[str, Any]]] = {}
        self._changes: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}
        self.use_program(self.program)

    @classmethod
    def of(cls, uow: UnitOfWork, zone: tzinfo) -> TierBook:
        """The unit's book; ``zone`` is the program time zone (``ProgramPolicy.zone``)."""
        book = uow.working_set(_KEY, lambda u: cls(u, zone))
        return book

    @classmethod
    def find(cls, uow: UnitOfWork) -> TierBook | None:
        """The unit's book if one was made."""
        found = uow.state.get(_KEY)
        return found if isinstance(found, cls) else None

    def use_program(self, program: TierProgram) -> None:
        self.program = program
        self._index = {level.key: i for i, level in enumerate(program.levels)}

    @property
    def levels(self) -> list[TierLevel]:
        return self.program.levels

    # -- loading ---------------------------------------------------------------------------
    def _horizon(self) -> datetime:
        """Credits from here on are loaded row by row; older ones are summed (lifetime) or
        loaded when a late fact or an overdue review needs them."""
        kind = self.program.window
        if kind == "calendar_year":
            return policy.year_start(self.now.astimezone(self.zone).year - 1, self.zone)
        return policy.add_months(self.now, -24 if kind == "rolling_12_months" else -12, self.zone)

    def prepare(self, member_ids: Iterable[int], *, skip_locked: bool = False) -> list[int]:
        """Load (and in a writing book lock, in key order) the state of many members in a few
        queries, applying reviews already due. Returns the members now loaded (fewer than
        asked only with ``skip_locked``)."""
        asked = list(member_ids)
        if not self.is_active:
            return asked
        wanted = sorted(set(asked) - self._members.keys())
        if wanted:
            self._load(wanted, skip_locked)
        return [m for m in asked if m in self._members]

    def _load(self, wanted: list[int], skip_locked: bool) -> None:
        s = self.session
        rows = repository.member_states(
            s, wanted, self.now, lock=self._lock, skip_locked=skip_locked
        )
        loaded: dict[int, _Member] = {
            r.member_id: _Member(r.member_id, r.tier, r.reached_at, r.window_end, r.review_at)
            for r in rows
        }
        if not skip_locked:
            for member_id in wanted:
                loaded.setdefault(member_id, _Member(member_id, None, None, None, None))
        ids = sorted(loaded)
        if not ids:
            return
        horizon = self._horizon()
        for member in loaded.values():
            member.loaded_from = horizon
        for row in repository.credits_since(s, ids, horizon):
            self._adopt_credit(loaded[row.member_id], row)
        if self.program.window == "lifetime":
            for member_id, (spend, points, orders) in repository.credit_totals_before(
                s, ids, horizon
            ).items():
                loaded[member_id].before = Totals(spend, points, orders)
        for row in repository.memberships(s, ids):
            loaded[row.member_id].memberships[row.membership_id] = _Membership(
                row.membership_id,
                row.plan,
                row.tier,
                row.status,
                row.period_end,
                row.ends_at,
                row.last_event_at,
            )
        self._members.update(loaded)
        for member_id in ids:
            self._settle(loaded[member_id], self.now)

    def _adopt_credit(self, member: _Member, row: Any) -> None:
        totals = Totals(row.spend, row.points, row.orders)
        member.credits.append(_Credit(row.at, totals))
        self._adopt_order_row(member, row, totals)

    @staticmethod
    def _adopt_order_row(member: _Member, row: Any, totals: Totals) -> None:
        kind = row.kind
        if kind not in _ORDER_KINDS or row.ref is None:
            return
        order = member.orders.get(row.ref)
        if kind == _ORDER:
            if order is None:
                member.orders[row.ref] = _Order(row.at, totals)
            else:
                order.given, order.at = order.given + totals, row.at
            return
        if order is None:
            order = member.orders[row.ref] = _Order(row.at, Totals())
        order.taken = order.taken + _negate(totals)

    def _member(self, member_id: int) -> _Member:
        if member_id not in self._members:
            if not self.is_active:
                return _Member(member_id, None, None, None, None)  # no tiers: nothing stored
            self.prepare([member_id])
        return self._members[member_id]

    def _extend(self, member: _Member, start: datetime | None) -> None:
        """Make sure credits from ``start`` (None: all) are held row by row."""
        loaded_from = member.loaded_from
        if loaded_from is None or (start is not None and start >= loaded_from):
            return
        rows = repository.credits_between(self.session, member.member_id, start, loaded_from)
        older = [_Credit(r.at, Totals(r.spend, r.points, r.orders)) for r in rows]
        known = set(member.orders)
        for row, credit in zip(rows, older, strict=True):
            if row.ref not in known:
                self._adopt_order_row(member, row, credit.totals)
        moved = [c for c in member.old_new if start is None or c.at >= start]
        member.old_new = [c for c in member.old_new if start is not None and c.at < start]
        member.credits = older + moved + member.credits
        member.loaded_from = start
        member.sums.clear()
        if start is None:
            member.before = Totals()
        else:
            member.before = member.before + _negate(_sum(c.totals for c in older))

    def _find_order(self, member: _Member, ref: str) -> _Order | None:
        if ref in member.orders:
            return member.orders[ref]
        if member.loaded_from is None or ref in member.absent_orders:
            return None
        for row in repository.order_credits(self.session, member.member_id, ref):
            self._adopt_order_row(member, row, Totals(row.spend, row.points, row.orders))
        if ref not in member.orders:
            member.absent_orders.add(ref)
        return member.orders.get(ref)

    # -- figures ---------------------------------------------------------------------------
    def _totals(self, member: _Member, window: Window) -> Totals:
        """Window sums are kept per member and window, and updated as credits arrive, so a
        run of facts in one calendar year sums the member's credits once."""
        key = (window.start, window.end)
        cached = member.sums.get(key)
        if cached is not None:
            return cached
        start, end = window.start, window.end
        if start is not None or self.program.window != "lifetime":
            self._extend(member, start)  # lifetime sums older credits in ``before``
        spend = points = orders = 0
        for credit in member.credits:
            at = credit.at
            if (start is None or at >= start) and (end is None or at < end):
                t = credit.totals
                spend += t.spend
                points += t.points
                orders += t.orders
        total = Totals(spend, points, orders)
        if start is None:
            total = total + member.before + _sum(c.totals for c in member.old_new)
        member.sums[key] = total
        return total

    def window_totals(self, member_id: int, at: datetime) -> Totals:
        """The qualifying totals of the window containing ``at``."""
        member = self._member(member_id)
        return self._totals(member, policy.window_containing(self.program.window, at, self.zone))

    def _q_index(self, member: _Member) -> int:
        if member.tier is None:
            return policy.base_index(self.levels)
        return self._index.get(member.tier, policy.base_index(self.levels))

    def _membership_index(self, member: _Member) -> tuple[int, _Membership | None]:
        best, chosen = -1, None
        for ms in member.memberships.values():
            if ms.status == MembershipStatus.ENDED or ms.tier is None:
                continue
            index = self._index.get(ms.tier, -1)
            if index > best:
                best, chosen = index, ms
        return best, chosen

    def _effective(self, member: _Member) -> tuple[int, Source]:
        qualified = self._q_index(member)
        paid, _ = self._membership_index(member)
        if paid > qualified:
            return paid, "membership"
        return qualified, "qualified" if qualified >= 0 else "none"

    def _key(self, index: int) -> str | None:
        return self.levels[index].key if index >= 0 else None

    def _rank(self, key: str | None) -> int:
        return -1 if key is None else self._index.get(key, -1)

    # -- public reads ----------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        """A program without levels has no tiers: nothing is loaded, recorded or locked
        (qualification counts from when tiers are applied; see docs/tiers.md)."""
        return bool(self.program.levels)

    def status(self, member_id: int) -> TierStatus:
        """The tier in effect now: the paid plan's tier when higher than the qualified one."""
        if not self.is_active:
            return NO_TIER
        member = self._member(member_id)
        index, source = self._effective(member)
        if index < 0:
            return NO_TIER
        level = self.levels[index]
        return TierStatus(
            level.key,
            level.perks.earning_multiplier,
            level.perks,
            source,
            dict(level.name),
            member.reached_at,
        )

    # -- recording facts -------------------------------------------------------------------
    def record_order_paid(
        self,
        member_id: int,
        order_id: str,
        currency: str,
        net_amount: int,
        points: int,
        at: datetime,
    ) -> None:
        """+spend (program currency only), +1 order, +``points`` (with those recorded for
        the order before by ``record_order_points``); upgrades at once when a threshold of
        the window containing ``at`` is met. Once per order."""
        if not self.is_active:
            return
        member = self._member(member_id)
        at = min(at, self.now)
        spend = net_amount if currency.upper() == self.program.currency else 0
        paid = Totals(max(spend, 0), points, 1)
        order = member.orders.get(order_id)
        if order is not None:
            if order.is_paid:
                return
            self._grow_order(member, order_id, order, paid)
            order.is_paid = True
        else:
            older = member.loaded_from is not None and at < member.loaded_from
            if older and self._find_order(member, order_id) is not None:
                return  # an order dated after ``loaded_from`` would already be in memory
            self._new_order(member, order_id, at, paid, is_paid=True)
        self._qualify(member, at, order_id)

    def record_order_points(self, member_id: int, order_id: str, points: int, at: datetime) -> None:
        """The order's qualifying points (they count in the window of its payment)."""
        if not self.is_active or points <= 0:
            return
        member = self._member(member_id)
        at = min(at, self.now)
        order = member.orders.get(order_id)
        if order is None:
            self._new_order(member, order_id, at, Totals(0, points, 0), is_paid=False)
            return  # qualification is judged when the payment is recorded
        self._grow_order(member, order_id, order, Totals(0, points, 0))
        if order.is_paid:
            self._qualify(member, order.at, order_id)

    def _new_order(
        self, member: _Member, order_id: str, at: datetime, given: Totals, *, is_paid: bool
    ) -> None:
        credit, row = self._add_credit(member, CreditKind.ORDER, order_id, at, given)
        self._order_rows[(member.member_id, order_id)] = (credit, row)
        member.orders[order_id] = _Order(at, given, is_paid=is_paid)
        member.absent_orders.discard(order_id)

    def _grow_order(self, member: _Member, order_id: str, order: _Order, more: Totals) -> None:
        """Add to an order's credit: the same row while unwritten, else a row of its own."""
        order.given = order.given + more
        pending = self._order_rows.get((member.member_id, order_id))
        if pending is None:
            self._add_credit(member, CreditKind.ORDER, order_id, order.at, more)
            return
        credit, row = pending
        credit.totals = credit.totals + more
        row["spend"] += more.spend
        row["points"] += more.points
        row["orders"] += more.orders
        at = credit.at
        for key, total in member.sums.items():
            if (key[0] is None or at >= key[0]) and (key[1] is None or at < key[1]):
                member.sums[key] = total + more

    def record_order_returned(
        self,
        member_id: int,
        order_id: str,
        returned_fraction_num: int,
        returned_fraction_den: int,
        at: datetime,
    ) -> None:
        """Lower the order's spend and points to the unreturned share (cumulative figures,
        so repeating them changes nothing); a full return also removes the order from the
        count. The negative credit is dated at the order, lowering the window it counted in.
        """
        if not self.is_active:
            return
        member = self._member(member_id)
        order = self._find_order(member, order_id)
        if order is None:
            return
        num, den = returned_fraction_num, returned_fraction_den
        target = Totals(
            proportional_share(order.given.spend, num, den),
            proportional_share(order.given.points, num, den),
            order.given.orders if den > 0 and num >= den else 0,
        )
        self._take_back(member, order_id, order, target, CreditKind.RETURN, at)

    def record_order_cancelled(self, member_id: int, order_id: str, at: datetime) -> None:
        """Remove everything the order still counts: spend, the order and its points."""
        if not self.is_active:
            return
        member = self._member(member_id)
        order = self._find_order(member, order_id)
        if order is None:
            return
        self._take_back(member, order_id, order, order.given, CreditKind.CANCEL, at)

    def record_points(self, member_id: int, points: int, at: datetime, ref: str) -> None:
        """Qualifying points from a rule that is not about an order (a review, a survey)."""
        if not self.is_active:
            return
        if points == 0:
            return
        member = self._member(member_id)
        at = min(at, self.now)
        self._add_credit(member, CreditKind.POINTS, ref, at, Totals(0, points, 0))
        if points > 0:
            self._qualify(member, at, ref)
        else:
            self._lost(member, at)

    def take_back_points(self, member_id: int, ref: str, at: datetime) -> None:
        """Withdraw the qualifying points credited under ``ref`` (a removed review's),
        once: a credit ``<ref>:removed`` records it."""
        if not self.is_active:
            return
        removed = f"{ref}:removed"
        refs = (ref, removed)
        left = sum(
            r.points for r in repository.points_credits(self.session, member_id, refs)
        ) + sum(
            row["points"]
            for row in self._credits
            if row["member_id"] == member_id and row["ref"] in refs
        )
        if left > 0:
            self.record_points(member_id, -left, at, removed)

    def record_activity(self, activity: ActivityRecorded) -> None:
        """Apply ``membership.*`` events (other activities are ignored)."""
        if not self.is_active:
            return
        kind = activity.type
        if kind in (EventType.MEMBERSHIP_STARTED, EventType.MEMBERSHIP_RENEWED):
            self._membership_period(activity)
        elif kind in (EventType.MEMBERSHIP_CANCELLED, EventType.MEMBERSHIP_EXPIRED):
            self._membership_end(activity)

    # -- qualification ---------------------------------------------------------------------
    def _add_credit(
        self, member: _Member, kind: CreditKind, ref: str | None, at: datetime, totals: Totals
    ) -> tuple[_Credit, dict[str, Any]]:
        credit = _Credit(at, totals)
        for key, total in member.sums.items():
            if (key[0] is None or at >= key[0]) and (key[1] is None or at < key[1]):
                member.sums[key] = total + totals
        if member.loaded_from is None or at >= member.loaded_from:
            member.credits.append(credit)
        else:
            member.old_new.append(credit)
        row = {
            "member_id": member.member_id,
            "kind": kind.value,
            "ref": ref,
            "at": at,
            "spend": totals.spend,
            "points": totals.points,
            "orders": totals.orders,
            "recorded_at": self.now,
        }
        self._credits.append(row)
        return credit, row

    def _take_back(
        self,
        member: _Member,
        order_id: str,
        order: _Order,
        target: Totals,
        kind: CreditKind,
        at: datetime,
    ) -> None:
        due = Totals(
            max(0, target.spend - order.taken.spend),
            max(0, target.points - order.taken.points),
            max(0, target.orders - order.taken.orders),
        )
        if due == Totals():
            return
        order.taken = order.taken + due
        self._add_credit(member, kind, order_id, order.at, _negate(due))
        self._lost(member, min(at, self.now))

    def _lost(self, member: _Member, at: datetime) -> None:
        """Qualification went down. Windows that end are judged at their review anyway; a
        lifetime tier no longer supported gets a review ``grace_days`` from now."""
        if self.program.window != "lifetime" or member.review_at is not None:
            return
        supported = policy.supported_index(self.levels, self._totals(member, Window(None, None)))
        if supported < self._q_index(member):
            member.review_at = policy.review_time(at, self.program.grace_days)
            member.dirty = True

    def _qualify(self, member: _Member, at: datetime, ref: str | None) -> None:
        """Upgrade at once to what the window containing ``at`` supports, if higher."""
        kind = self.program.window
        totals = self._totals(member, policy.window_containing(kind, at, self.zone))
        supported = policy.supported_index(self.levels, totals)
        if supported <= self._q_index(member):
            return
        before = self._snapshot(member)
        member.tier = self._key(supported)
        member.reached_at = at
        member.window_end = policy.first_window_end(kind, at, self.zone)
        member.review_at = (
            None
            if member.window_end is None
            else policy.review_time(member.window_end, self.program.grace_days)
        )
        member.dirty = True
        self._changed(member, before, at, ChangeReason.QUALIFIED, {"ref": ref} if ref else {})
        if member.review_at is not None and member.review_at <= self.now:
            self._settle(member, self.now)  # a late fact reached a tier whose review is past

    # -- reviews and lapses ----------------------------------------------------------------
    def review(self, member_ids: Iterable[int], now: datetime) -> int:
        """Apply every review and plan lapse due by ``now``; returns the changes recorded."""
        before = len(self._changes)
        for member_id in member_ids:
            self._settle(self._member(member_id), now)
        return len(self._changes) - before

    def _settle(self, member: _Member, now: datetime) -> None:
        if member.tier is not None and member.tier not in self._index:
            self._rebase(member, now)
        for _ in range(_MAX_SETTLE_STEPS):
            due: list[tuple[datetime, str]] = []
            if member.review_at is not None and member.review_at <= now:
                due.append((member.review_at, ""))
            due.extend(
                (ms.ends_at, ms.membership_id)
                for ms in member.memberships.values()
                if ms.status != MembershipStatus.ENDED and ms.ends_at <= now
            )
            if not due:
                return
            at, membership_id = min(due)
            if membership_id:
                self._lapse(member, member.memberships[membership_id])
            else:
                self._review(member, at)

    def _rebase(self, member: _Member, now: datetime) -> None:
        """The stored tier left the program: take what the current window supports."""
        kind = self.program.window
        before = self._snapshot(member)
        totals = self._totals(member, policy.window_containing(kind, now, self.zone))
        supported = policy.supported_index(self.levels, totals)
        self._set_qualified(member, supported, now, policy.first_window_end(kind, now, self.zone))
        self._changed(member, before, now, ChangeReason.PROGRAM_CHANGED, {})

    def _set_qualified(
        self, member: _Member, index: int, at: datetime, window_end: datetime | None
    ) -> None:
        if index != self._q_index(member) or member.tier not in self._index:
            member.reached_at = at
        above_base = index > policy.base_index(self.levels)
        member.tier = self._key(index) if above_base else None
        member.window_end = window_end if above_base else None
        member.review_at = (
            policy.review_time(window_end, self.program.grace_days)
            if above_base and window_end is not None
            else None
        )
        if not above_base:
            member.reached_at = None
        member.dirty = True

    def _review(self, member: _Member, at: datetime) -> None:
        """Judge the window that ended ``grace_days`` ago (lifetime: everything)."""
        kind = self.program.window
        current = self._q_index(member)
        if kind == "lifetime" or member.window_end is None:
            window = Window(None, None)
        else:
            window = policy.window_ending(kind, member.window_end, self.zone)
        supported = policy.supported_index(self.levels, self._totals(member, window))
        outcome = policy.review_outcome(self.levels, current, supported, self.program.downgrade)
        before = self._snapshot(member)
        if kind == "lifetime" or member.window_end is None:
            self._set_qualified(member, outcome, at, None)
            if outcome > supported:  # one step down and still not supported: again later
                member.review_at = policy.review_time(at, self.program.grace_days)
        else:
            self._set_qualified(
                member, outcome, at, policy.next_window_end(kind, member.window_end, self.zone)
            )
        self._changed(
            member,
            before,
            at,
            ChangeReason.REVIEW,
            {"window_start": _iso(window.start), "window_end": _iso(window.end)},
        )

    def _lapse(self, member: _Member, ms: _Membership) -> None:
        before = self._snapshot(member)
        ms.status = MembershipStatus.ENDED
        ms.dirty = True
        self._changed(
            member,
            before,
            ms.ends_at,
            ChangeReason.MEMBERSHIP_ENDED,
            {"membership_id": ms.membership_id, "plan": ms.plan},
        )

    # -- memberships -----------------------------------------------------------------------
    def _membership_period(self, activity: ActivityRecorded) -> None:
        member = self._member(activity.member_id)
        data = activity.data
        membership_id, plan = str(data["membership_id"]), str(data["plan"])
        period_end = _as_datetime(data["period_end"])
        tier = data.get("tier") or self.program.plans.get(plan)
        occurred = min(activity.occurred_at, self.now)
        before = self._snapshot(member)
        ms = member.memberships.get(membership_id)
        if ms is None:
            ms = member.memberships[membership_id] = _Membership(
                membership_id,
                plan,
                tier,
                MembershipStatus.ACTIVE,
                period_end,
                period_end,
                occurred,
                is_new=True,
            )
        else:
            ms.period_end = max(ms.period_end, period_end)
            if occurred >= ms.last_event_at:
                ms.plan, ms.tier, ms.status = plan, tier, MembershipStatus.ACTIVE
                ms.last_event_at = occurred
            if ms.status == MembershipStatus.ACTIVE:
                ms.ends_at = ms.period_end
        if ms.ends_at <= self.now:
            ms.status = MembershipStatus.ENDED  # a late event for a period already over
        ms.dirty = True
        self._changed(
            member,
            before,
            occurred,
            ChangeReason.MEMBERSHIP_STARTED,
            {"membership_id": membership_id, "plan": plan},
        )

    def _membership_end(self, activity: ActivityRecorded) -> None:
        """``cancelled``: no renewal, benefits last to the paid end unless ``ends_at`` is
        given; ``expired``: benefits end now (or at ``ends_at``)."""
        member = self._member(activity.member_id)
        data = activity.data
        membership_id = str(data["membership_id"])
        given = _as_datetime(data["ends_at"]) if data.get("ends_at") else None
        occurred = min(activity.occurred_at, self.now)
        ms = member.memberships.get(membership_id)
        if ms is None:  # the end arrived before the start: remember it, grant nothing
            end = given or occurred
            member.memberships[membership_id] = _Membership(
                membership_id, "", None, MembershipStatus.ENDED, end, end, occurred, True, True
            )
            return
        if occurred < ms.last_event_at or ms.status == MembershipStatus.ENDED:
            return
        if activity.type == EventType.MEMBERSHIP_EXPIRED:
            ends_at = given or occurred
        else:
            ends_at = given or ms.period_end
        ms.ends_at = min(ends_at, ms.period_end) if given is None else ends_at
        ms.status = MembershipStatus.CANCELLED
        ms.last_event_at = occurred
        ms.dirty = True
        if ms.ends_at <= self.now:
            self._lapse(member, ms)

    # -- history ---------------------------------------------------------------------------
    def _snapshot(self, member: _Member) -> tuple[str | None, str | None]:
        """(tier in effect, qualified tier); a stored tier the program lost shows as is."""
        if member.tier is not None and member.tier not in self._index:
            paid, _ = self._membership_index(member)
            return (self._key(paid) if paid >= 0 else member.tier), member.tier
        return self._key(self._effective(member)[0]), self._key(self._q_index(member))

    def _changed(
        self,
        member: _Member,
        before: tuple[str | None, str | None],
        at: datetime,
        reason: ChangeReason,
        details: dict[str, Any],
    ) -> None:
        """Record a change of the tier in effect or of the qualified tier; emit an event
        when the tier in effect moved."""
        after = self._snapshot(member)
        if after == before:
            return
        _, source = self._effective(member)
        at = min(at, self.now)
        self._changes.append(
            {
                "member_id": member.member_id,
                "at": at,
                "from_tier": before[0],
                "to_tier": after[0],
                "qualified_tier": after[1],
                "source": source,
                "reason": reason.value,
                "details": details,
                "recorded_at": self.now,
            }
        )
        if before[0] == after[0]:
            return
        lost = before[0] is not None and before[0] not in self._index  # left the program
        up = not lost and self._rank(after[0]) > self._rank(before[0])
        event = TierUpgraded if up else TierDowngraded
        self.uow.emit(event(member.member_id, before[0], after[0], at, reason.value, source))

    # -- writing ---------------------------------------------------------------------------
    def flush(self) -> None:
        """Insert credits, history and new memberships; update changed states."""
        if not self._lock:
            return
        s = self.session
        dirty = [m for m in self._members.values() if m.dirty]
        update_rows(
            s,
            repository.MEMBER_TIER,
            ["member_id"],
            _MEMBER_TIER_MUTABLE,
            [
                {
                    "member_id": m.member_id,
                    "tier": m.tier,
                    "reached_at": m.reached_at,
                    "window_end": m.window_end,
                    "review_at": m.review_at,
                    "updated_at": self.now,
                }
                for m in sorted(dirty, key=lambda m: m.member_id)
            ],
        )
        for m in dirty:
            m.dirty = False
        insert_rows(s, repository.CREDIT, self._credits)
        self._credits = []
        self._order_rows = {}
        insert_rows(s, repository.CHANGE, self._changes)
        self._changes = []
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for m in self._members.values():
            for ms in m.memberships.values():
                if not ms.dirty:
                    continue
                row = {
                    "member_id": m.member_id,
                    "membership_id": ms.membership_id,
                    "plan": ms.plan,
                    "tier": ms.tier,
                    "status": str(ms.status),
                    "period_end": ms.period_end,
                    "ends_at": ms.ends_at,
                    "last_event_at": ms.last_event_at,
                    "updated_at": self.now,
                }
                (new if ms.is_new else changed).append(row)
                ms.dirty = ms.is_new = False
        insert_rows(s, repository.MEMBERSHIP, new)
        update_rows(
            s, repository.MEMBERSHIP, ["member_id", "membership_id"], _MEMBERSHIP_MUTABLE, changed
        )

    # -- views -----------------------------------------------------------------------------
    def snapshot(self, member_id: int) -> MemberTierView:
        """Everything the read model needs about one member (after due reviews)."""
        member = self._member(member_id)
        index, source = self._effective(member)
        _, membership = self._membership_index(member)
        keeps: bool | None = None
        if member.review_at is not None:
            kind = self.program.window
            window = (
                Window(None, None)
                if kind == "lifetime" or member.window_end is None
                else policy.window_ending(kind, member.window_end, self.zone)
            )
            supported = policy.supported_index(self.levels, self._totals(member, window))
            keeps = supported >= self._q_index(member)
        return MemberTierView(
            index=index,
            source=source,
            qualified_index=self._q_index(member),
            reached_at=member.reached_at,
            review_at=member.review_at,
            keeps_tier_at_review=keeps,
            membership=membership,
            totals=self.window_totals(member_id, self.now),
        )


@dataclass(frozen=True, slots=True)
class MemberTierView:
    index: int
    source: Source
    qualified_index: int
    reached_at: datetime | None
    review_at: datetime | None
    keeps_tier_at_review: bool | None
    membership: _Membership | None
    totals: Totals


def _load_program(uow: UnitOfWork) -> TierProgram:
    stored = repository.current_program(uow.session)
    return TierProgram() if stored is None else TierProgram.model_validate(stored)


def _sum(items: Iterable[Totals]) -> Totals:
    spend = points = orders = 0
    for t in items:
        spend += t.spend
        points += t.points
        orders += t.orders
    return Totals(spend, points, orders)


def _negate(t: Totals) -> Totals:
    return Totals(-t.spend, -t.points, -t.orders)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
