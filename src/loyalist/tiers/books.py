"""The tiers' working set for one unit of work: member tier states, qualifying credits and
paid memberships in memory, loaded in a few queries, written at the end.

The decisions are pure (``qualification``, ``credits``, ``policy``); the book loads what
they judge (older credits when one asks for them), locks, applies what they decide, emits
``TierUpgraded``/``TierDowngraded`` and writes. Reviews and lapsed plans that are due are
applied when a member is first touched in a unit (lazily) or by ``jobs.run_tier_reviews``;
both run the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar, TypeVarTuple

from loyalist.activities.events import ActivityRecorded
from loyalist.activities.models import EventType
from loyalist.db import configs
from loyalist.db.bulk import insert_rows, update_rows
from loyalist.db.carry import Carry
from loyalist.db.uow import UnitOfWork
from loyalist.tiers import credits, policy, qualification, repository
from loyalist.tiers.credits import Credit, Credits, CreditsNeeded, Order
from loyalist.tiers.events import TierDowngraded, TierUpgraded
from loyalist.tiers.models import CreditKind, MembershipStatus
from loyalist.tiers.policy import Totals
from loyalist.tiers.qualification import Decision, Ladder, Membership, TierState
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
_T = TypeVar("_T")
_Args = TypeVarTuple("_Args")


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
class _Member:
    member_id: int
    state: TierState
    credits: Credits
    orders: dict[str, Order] = field(default_factory=dict)
    #: Orders looked up in the stored credits and not found.
    absent_orders: set[str] = field(default_factory=set)
    #: Paid plans with a stored row, and those this unit changed.
    stored_plans: set[str] = field(default_factory=set)
    changed_plans: set[str] = field(default_factory=set)
    #: The state row needs writing.
    dirty: bool = False


#: Members' states carried from one batch of an import to the next (``db.carry``): a
#: member's state with its credits since the horizon is a few KiB at most.
_CARRIED: Carry[_Member] = Carry(size=20_000)


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
        self._ladder = Ladder(self.program, zone)
        self._members: dict[int, _Member] = {}
        self._credits: list[dict[str, Any]] = []
        #: This unit's order credits not written yet: spend and points of one order land
        #: in one row whichever is recorded first.
        self._order_rows: dict[tuple[int, str], tuple[Credit, dict[str, Any]]] = {}
        self._changes: list[dict[str, Any]] = []

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
        self._ladder = Ladder(program, self.zone)

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
        carried: dict[int, _Member] = {}
        if self._lock and not skip_locked:
            carried = _CARRIED.take(self.uow, self._carry_key, wanted)
            wanted = [m for m in wanted if m not in carried]
        if wanted:
            self._read(wanted, skip_locked)
        self._members.update(carried)
        for member_id in sorted({*wanted, *carried}):
            if member_id in self._members:
                self._settle(self._members[member_id], self.now)

    @property
    def _carry_key(self) -> tuple[object, ...]:
        return (self.program, self.zone)

    def _read(self, wanted: list[int], skip_locked: bool) -> None:
        s = self.session
        rows = repository.member_states(
            s, wanted, self.now, lock=self._lock, skip_locked=skip_locked
        )
        horizon = self._horizon()
        #: Lifetime sums read older credits as one sum; other windows load them when needed.
        before = Totals() if self.program.window == "lifetime" else None
        loaded: dict[int, _Member] = {
            r.member_id: _Member(
                r.member_id,
                TierState(r.tier, r.reached_at, r.window_end, r.review_at),
                Credits(horizon, before),
            )
            for r in rows
        }
        if not skip_locked:
            for member_id in wanted:
                if member_id not in loaded:
                    loaded[member_id] = _Member(member_id, TierState(), Credits(horizon, before))
        ids = sorted(loaded)
        if not ids:
            return
        for row in repository.credits_since(s, ids, horizon):
            member = loaded[row.member_id]
            totals = Totals(row.spend, row.points, row.orders)
            member.credits.held.append(Credit(row.at, totals))
            credits.adopt(member.orders, row.kind, row.ref, row.at, totals)
        if before is not None:
            for member_id, (spend, points, orders) in repository.credit_totals_before(
                s, ids, horizon
            ).items():
                loaded[member_id].credits.before = Totals(spend, points, orders)
        plans: dict[int, dict[str, Membership]] = {}
        for plan in repository.memberships(s, ids):
            plans.setdefault(plan.member_id, {})[plan.membership_id] = Membership(
                plan.membership_id,
                plan.plan,
                plan.tier,
                MembershipStatus(plan.status),
                plan.period_end,
                plan.ends_at,
                plan.last_event_at,
            )
        for member_id, found in plans.items():
            member = loaded[member_id]
            member.state = replace(member.state, memberships=MappingProxyType(found))
            member.stored_plans.update(found)
        self._members.update(loaded)

    def _member(self, member_id: int) -> _Member:
        if member_id not in self._members:
            if not self.is_active:
                return _Member(member_id, TierState(), Credits())  # no tiers: nothing stored
            self.prepare([member_id])
        return self._members[member_id]

    def _judge(self, member: _Member, decide: Callable[[*_Args], _T], *args: *_Args) -> _T:
        """``decide(*args)``, holding the member's older credits first when it asks for
        them (each request reaches further back, so this ends)."""
        while True:
            try:
                return decide(*args)
            except CreditsNeeded as need:
                self._extend(member, need.start)

    def _extend(self, member: _Member, start: datetime | None) -> None:
        """Hold the member's credits from ``start`` (None: all) on, and the orders they show."""
        held_from = member.credits.held_from
        assert held_from is not None  # a book holding every credit is never asked for more
        rows = repository.credits_between(self.session, member.member_id, start, held_from)
        older = [Credit(r.at, Totals(r.spend, r.points, r.orders)) for r in rows]
        known = set(member.orders)
        for row, credit in zip(rows, older, strict=True):
            if row.ref not in known:
                credits.adopt(member.orders, row.kind, row.ref, row.at, credit.totals)
        member.credits.hold_from(start, older)

    def _find_order(self, member: _Member, ref: str) -> Order | None:
        if ref in member.orders:
            return member.orders[ref]
        if member.credits.held_from is None or ref in member.absent_orders:
            return None
        for row in repository.order_credits(self.session, member.member_id, ref):
            totals = Totals(row.spend, row.points, row.orders)
            credits.adopt(member.orders, row.kind, row.ref, row.at, totals)
        if ref not in member.orders:
            member.absent_orders.add(ref)
        return member.orders.get(ref)

    # -- public reads ----------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        """A program without levels has no tiers: nothing is loaded, recorded or locked
        (qualification counts from when tiers are applied; see docs/tiers.md)."""
        return bool(self.program.levels)

    def window_totals(self, member_id: int, at: datetime) -> Totals:
        """The qualifying totals of the window containing ``at``."""
        member = self._member(member_id)
        window = policy.window_containing(self.program.window, at, self.zone)
        return self._judge(member, member.credits.totals, window)

    def status(self, member_id: int) -> TierStatus:
        """The tier in effect now: the paid plan's tier when higher than the qualified one."""
        if not self.is_active:
            return NO_TIER
        member = self._member(member_id)
        index, source = self._ladder.effective(member.state)
        if index < 0:
            return NO_TIER
        level = self.levels[index]
        return TierStatus(
            level.key,
            level.perks.earning_multiplier,
            level.perks,
            source,
            dict(level.name),
            member.state.reached_at,
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
        paid = credits.paid_order(net_amount, currency, points, self.program.currency)
        order = member.orders.get(order_id)
        if order is not None:
            if order.is_paid:
                return
            self._grow_order(member, order_id, order, paid)
            order.is_paid = True
        else:
            held_from = member.credits.held_from
            older = held_from is not None and at < held_from
            if older and self._find_order(member, order_id) is not None:
                return  # an order dated after ``held_from`` would already be in memory
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
        member.orders[order_id] = Order(at, given, is_paid=is_paid)
        member.absent_orders.discard(order_id)

    def _grow_order(self, member: _Member, order_id: str, order: Order, more: Totals) -> None:
        """Add to an order's credit: the same row while unwritten, else a row of its own."""
        order.given = order.given + more
        pending = self._order_rows.get((member.member_id, order_id))
        if pending is None:
            self._add_credit(member, CreditKind.ORDER, order_id, order.at, more)
            return
        credit, row = pending
        member.credits.grow(credit, more)
        row["spend"] += more.spend
        row["points"] += more.points
        row["orders"] += more.orders

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
        target = credits.returned(order, returned_fraction_num, returned_fraction_den)
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
            self._start_period(activity)
        elif kind in (EventType.MEMBERSHIP_CANCELLED, EventType.MEMBERSHIP_EXPIRED):
            self._end_plan(activity)

    def _add_credit(
        self, member: _Member, kind: CreditKind, ref: str | None, at: datetime, totals: Totals
    ) -> tuple[Credit, dict[str, Any]]:
        credit = member.credits.add(at, totals)
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
        order: Order,
        target: Totals,
        kind: CreditKind,
        at: datetime,
    ) -> None:
        due = credits.still_due(order, target)
        if due is None:
            return
        order.taken = order.taken + due
        self._add_credit(member, kind, order_id, order.at, credits.negate(due))
        self._lost(member, min(at, self.now))

    # -- decisions -------------------------------------------------------------------------
    def _qualify(self, member: _Member, at: datetime, ref: str | None) -> None:
        # The ingest path, once per fact: called directly rather than through ``_judge``.
        try:
            decision = qualification.qualify(
                self._ladder, member.state, member.credits, at, ref, self.now
            )
        except CreditsNeeded as need:  # a late fact: its window starts before the credits held
            self._extend(member, need.start)
            self._qualify(member, at, ref)
            return
        if decision is not None:
            self._apply(member, decision)

    def _lost(self, member: _Member, at: datetime) -> None:
        decision = self._judge(
            member,
            qualification.after_loss,
            self._ladder,
            member.state,
            member.credits,
            at,
            self.now,
        )
        if decision is not None:
            self._apply(member, decision)

    def _settle(self, member: _Member, now: datetime) -> None:
        decision = self._judge(
            member, qualification.settle, self._ladder, member.state, member.credits, now
        )
        if decision is not None:
            self._apply(member, decision)

    def _start_period(self, activity: ActivityRecorded) -> None:
        member = self._member(activity.member_id)
        data = activity.data
        decision = qualification.start_period(
            self._ladder,
            member.state,
            membership_id=str(data["membership_id"]),
            plan=str(data["plan"]),
            tier=data.get("tier"),
            period_end=_as_datetime(data["period_end"]),
            occurred_at=activity.occurred_at,
            now=self.now,
        )
        self._apply(member, decision)

    def _end_plan(self, activity: ActivityRecorded) -> None:
        member = self._member(activity.member_id)
        data = activity.data
        decision = qualification.end_plan(
            self._ladder,
            member.state,
            membership_id=str(data["membership_id"]),
            ends_at=_as_datetime(data["ends_at"]) if data.get("ends_at") else None,
            expired=activity.type == EventType.MEMBERSHIP_EXPIRED,
            occurred_at=activity.occurred_at,
            now=self.now,
        )
        if decision is not None:
            self._apply(member, decision)

    def _apply(self, member: _Member, decision: Decision) -> None:
        """Take the decided state; record each change and emit an event when the tier in
        effect moved."""
        old, new = member.state, decision.state
        member.state = new
        if (
            new.tier != old.tier
            or new.reached_at != old.reached_at
            or new.window_end != old.window_end
            or new.review_at != old.review_at
        ):
            member.dirty = True
        if new.memberships is not old.memberships:
            member.changed_plans.update(
                key for key, ms in new.memberships.items() if old.memberships.get(key) is not ms
            )
        for change in decision.changes:
            self._changes.append(
                {
                    "member_id": member.member_id,
                    "at": change.at,
                    "from_tier": change.from_tier,
                    "to_tier": change.to_tier,
                    "qualified_tier": change.qualified_tier,
                    "source": change.source,
                    "reason": change.reason.value,
                    "details": change.details,
                    "recorded_at": self.now,
                }
            )
            if change.moved is not None:
                event = TierUpgraded if change.moved == "up" else TierDowngraded
                self.uow.emit(
                    event(
                        member.member_id,
                        change.from_tier,
                        change.to_tier,
                        change.at,
                        change.reason.value,
                        change.source,
                    )
                )

    # -- reviews ---------------------------------------------------------------------------
    def review(self, member_ids: Iterable[int], now: datetime) -> int:
        """Apply every review and plan lapse due by ``now``; returns the changes recorded."""
        before = len(self._changes)
        for member_id in member_ids:
            self._settle(self._member(member_id), now)
        return len(self._changes) - before

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
                    "tier": m.state.tier,
                    "reached_at": m.state.reached_at,
                    "window_end": m.state.window_end,
                    "review_at": m.state.review_at,
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
            if not m.changed_plans:
                continue
            for key, ms in m.state.memberships.items():
                if key not in m.changed_plans:
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
                (changed if key in m.stored_plans else new).append(row)
            m.stored_plans.update(m.changed_plans)
            m.changed_plans.clear()
        insert_rows(s, repository.MEMBERSHIP, new)
        update_rows(
            s, repository.MEMBERSHIP, ["member_id", "membership_id"], _MEMBERSHIP_MUTABLE, changed
        )
        _CARRIED.keep(self.uow, self._carry_key, self._members)

    # -- views -----------------------------------------------------------------------------
    def review_outlook(self, member_id: int) -> ReviewOutlook | None:
        """The member's next review as it stands: the qualified tier judged, the end of
        the window it judges, that window's totals so far, and the tier the review would
        give (None: no window ahead — lifetime —, no qualified tier to keep, or a paid
        plan granting at least that tier)."""
        member = self._member(member_id)
        ladder, state = self._ladder, member.state
        current = ladder.qualified(state)
        if (
            state.window_end is None
            or state.review_at is None
            or current < 0
            or self.levels[current].threshold is None
        ):
            return None
        if ladder.plan_tier(state)[0] >= current:
            return None  # a paid plan keeps the tier whatever the review decides
        totals = self._judge(member, member.credits.totals, ladder.review_window(state))
        supported = policy.supported_index(self.levels, totals)
        outcome = policy.review_outcome(self.levels, current, supported, ladder.downgrade)
        return ReviewOutlook(current, state.window_end, totals, outcome)

    def snapshot(self, member_id: int) -> MemberTierView:
        """Everything the read model needs about one member (after due reviews)."""
        member = self._member(member_id)
        ladder, state = self._ladder, member.state
        index, source = ladder.effective(state)
        _, membership = ladder.plan_tier(state)
        keeps = self._judge(
            member, qualification.keeps_tier_at_review, ladder, state, member.credits
        )
        return MemberTierView(
            index=index,
            source=source,
            qualified_index=ladder.qualified(state),
            reached_at=state.reached_at,
            review_at=state.review_at,
            keeps_tier_at_review=keeps,
            membership=membership,
            totals=self.window_totals(member_id, self.now),
        )


@dataclass(frozen=True, slots=True)
class ReviewOutlook:
    """A member's next review: the qualified tier (index), the end of the window it judges,
    that window's totals so far, and the tier (index) the review gives if nothing more
    counts."""

    index: int
    window_end: datetime
    totals: Totals
    outcome: int


@dataclass(frozen=True, slots=True)
class MemberTierView:
    index: int
    source: Source
    qualified_index: int
    reached_at: datetime | None
    review_at: datetime | None
    keeps_tier_at_review: bool | None
    membership: Membership | None
    totals: Totals


_PROGRAMS: configs.ConfigCache[TierProgram] = configs.ConfigCache(configs.TIERS)


def _load_program(uow: UnitOfWork) -> TierProgram:
    """The program in force, read and parsed once per stored version (``db.configs``)."""

    def load() -> TierProgram:
        stored = repository.current_program(uow.session)
        return TierProgram() if stored is None else TierProgram.model_validate(stored)

    return _PROGRAMS.get(uow, load)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
