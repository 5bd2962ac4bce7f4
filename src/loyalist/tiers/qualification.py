"""A member's tier state and the decisions on it: qualification on a fact, reviews, paid
plans starting and ending, a tier the program lost. Each decision takes the state, the
program (a ``Ladder``), the credits and ``now``, and returns the new state with the changes
to record, or None when nothing changed. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from types import MappingProxyType
from typing import Any, Literal

from loyalist.tiers import policy
from loyalist.tiers.credits import Credits
from loyalist.tiers.models import ChangeReason, MembershipStatus
from loyalist.tiers.policy import Window
from loyalist.tiers.schemas import Source, TierLevel, TierProgram

#: Reviews and lapses applied at most in one go (a member untouched for centuries).
_MAX_SETTLE_STEPS = 1000
LIFETIME = Window(None, None)
_NO_PLANS: Mapping[str, Membership] = MappingProxyType({})
_ACTIVE, _CANCELLED, _ENDED = (
    MembershipStatus.ACTIVE,
    MembershipStatus.CANCELLED,
    MembershipStatus.ENDED,
)


@dataclass(frozen=True, slots=True)
class Membership:
    """A paid plan of a member: grants ``tier`` until ``ends_at`` unless it has ended."""

    membership_id: str
    plan: str
    tier: str | None
    status: MembershipStatus
    period_end: datetime
    ends_at: datetime
    last_event_at: datetime


def _no_plans() -> Mapping[str, Membership]:
    return _NO_PLANS


@dataclass(frozen=True, slots=True)
class TierState:
    """A member's qualified tier (None: below every qualifiable tier), when it was reached,
    the end of the window its next review judges, that review's time (window end + grace)
    and the member's paid plans by id (never changed in place: a decision makes a new map).
    """

    tier: str | None = None
    reached_at: datetime | None = None
    window_end: datetime | None = None
    review_at: datetime | None = None
    memberships: Mapping[str, Membership] = field(default_factory=_no_plans)


@dataclass(frozen=True, slots=True)
class Change:
    """A change of the tier in effect or of the qualified tier (a history row). ``moved``:
    the tier in effect went ``up`` or ``down`` (an event), None when only the qualified
    tier changed under a paid plan."""

    at: datetime
    from_tier: str | None
    to_tier: str | None
    qualified_tier: str | None
    source: Source
    reason: ChangeReason
    details: dict[str, Any]
    moved: Literal["up", "down"] | None


@dataclass(frozen=True, slots=True)
class Decision:
    """The member's new tier state and the changes that led to it, in order."""

    state: TierState
    changes: tuple[Change, ...] = ()


class Ladder:
    """The tier program as the decisions read it: levels lowest first, found by key, and
    the program time zone its windows are in."""

    __slots__ = ("_index", "base", "downgrade", "grace_days", "kind", "levels", "program", "zone")

    def __init__(self, program: TierProgram, zone: tzinfo) -> None:
        self.program = program
        self.zone = zone
        self.levels: list[TierLevel] = program.levels
        self.kind = program.window
        self.grace_days = program.grace_days
        self.downgrade = program.downgrade
        self.base = policy.base_index(program.levels)
        self._index = {level.key: i for i, level in enumerate(program.levels)}

    def has(self, key: str) -> bool:
        return key in self._index

    def key(self, index: int) -> str | None:
        return self.levels[index].key if index >= 0 else None

    def rank(self, key: str | None) -> int:
        return -1 if key is None else self._index.get(key, -1)

    def qualified(self, state: TierState) -> int:
        """The qualified tier's index (a tier the program lost counts as the base)."""
        tier = state.tier
        return self.base if tier is None else self._index.get(tier, self.base)

    def plan_tier(self, state: TierState) -> tuple[int, Membership | None]:
        """The highest tier a plan not ended grants (-1: none) and that plan."""
        best, chosen = -1, None
        for ms in state.memberships.values():
            if ms.status is _ENDED or ms.tier is None:
                continue
            index = self._index.get(ms.tier, -1)
            if index > best:
                best, chosen = index, ms
        return best, chosen

    def effective(self, state: TierState) -> tuple[int, Source]:
        """The tier in effect: a plan's when higher than the qualified tier."""
        qualified = self.qualified(state)
        if state.memberships:
            paid, _ = self.plan_tier(state)
            if paid > qualified:
                return paid, "membership"
        return qualified, "qualified" if qualified >= 0 else "none"

    def snapshot(self, state: TierState) -> tuple[str | None, str | None]:
        """(tier in effect, qualified tier); a stored tier the program lost shows as is."""
        if state.tier is not None and state.tier not in self._index:
            paid, _ = self.plan_tier(state)
            return (self.key(paid) if paid >= 0 else state.tier), state.tier
        return self.key(self.effective(state)[0]), self.key(self.qualified(state))

    def review_window(self, state: TierState) -> Window:
        """The window the next review judges: the one ending at ``window_end`` (lifetime,
        or no window end: everything)."""
        if self.kind == "lifetime" or state.window_end is None:
            return LIFETIME
        return policy.window_ending(self.kind, state.window_end, self.zone)


# -- qualification ----------------------------------------------------------------------------
def qualify(
    ladder: Ladder, state: TierState, credits: Credits, at: datetime, ref: str | None, now: datetime
) -> Decision | None:
    """Upgrade at once to what the window containing ``at`` supports, if higher; a review
    already due by ``now`` (a late fact) follows at once.

    Raises:
        CreditsNeeded: a window judged starts before the credits held.
    """
    kind, zone = ladder.kind, ladder.zone
    totals = credits.totals(policy.window_containing(kind, at, zone))
    supported = policy.supported_index(ladder.levels, totals)
    if supported <= ladder.qualified(state):
        return None
    window_end = policy.first_window_end(kind, at, zone)
    review_at = None if window_end is None else policy.review_time(window_end, ladder.grace_days)
    upgraded = TierState(ladder.key(supported), at, window_end, review_at, state.memberships)
    changes: list[Change] = []
    details = {"ref": ref} if ref else {}
    _record(changes, ladder, state, upgraded, at, ChangeReason.QUALIFIED, details, now)
    if review_at is not None and review_at <= now:
        settled = settle(ladder, upgraded, credits, now)
        if settled is not None:
            return Decision(settled.state, (*changes, *settled.changes))
    return Decision(upgraded, tuple(changes))


def after_loss(
    ladder: Ladder, state: TierState, credits: Credits, at: datetime, now: datetime
) -> Decision | None:
    """Qualification went down at ``at``. Windows that end are judged at their review
    anyway; a lifetime tier no longer supported gets a review ``grace_days`` from then."""
    if ladder.kind != "lifetime" or state.review_at is not None:
        return None
    supported = policy.supported_index(ladder.levels, credits.totals(LIFETIME))
    if supported >= ladder.qualified(state):
        return None
    review_at = policy.review_time(min(at, now), ladder.grace_days)
    return Decision(replace(state, review_at=review_at))


def keeps_tier_at_review(ladder: Ladder, state: TierState, credits: Credits) -> bool | None:
    """Whether the window the next review judges supports the qualified tier (None: no
    review ahead).

    Raises:
        CreditsNeeded: the window starts before the credits held.
    """
    if state.review_at is None:
        return None
    supported = policy.supported_index(ladder.levels, credits.totals(ladder.review_window(state)))
    return supported >= ladder.qualified(state)


# -- reviews, lapses and program changes --------------------------------------------------------
def settle(ladder: Ladder, state: TierState, credits: Credits, now: datetime) -> Decision | None:
    """Apply what is due by ``now``: a stored tier the program lost becomes what the current
    window supports; then reviews and plan lapses, in time order.

    Raises:
        CreditsNeeded: a window judged starts before the credits held.
    """
    start = state
    changes: list[Change] = []
    if state.tier is not None and not ladder.has(state.tier):
        state = _rebase(changes, ladder, state, credits, now)
    for _ in range(_MAX_SETTLE_STEPS):
        at, lapsed = _next_due(state, now)
        if at is None:
            break
        if lapsed is None:
            state = _review(changes, ladder, state, credits, at, now)
        else:
            state = _lapse(changes, ladder, state, lapsed, now)
    return None if state is start else Decision(state, tuple(changes))


def _next_due(state: TierState, now: datetime) -> tuple[datetime | None, Membership | None]:
    """The earliest of the review and the plan lapses due by ``now`` (a review first at the
    same instant); (None, None) when nothing is due."""
    at: datetime | None = None
    lapsed: Membership | None = None
    if state.review_at is not None and state.review_at <= now:
        at = state.review_at
    for ms in state.memberships.values():
        ends_at = ms.ends_at
        if ms.status is _ENDED or ends_at > now:
            continue
        if (
            at is None
            or ends_at < at
            or (lapsed is not None and ends_at == at and ms.membership_id < lapsed.membership_id)
        ):
            at, lapsed = ends_at, ms
    return at, lapsed


def _review(
    changes: list[Change],
    ladder: Ladder,
    state: TierState,
    credits: Credits,
    at: datetime,
    now: datetime,
) -> TierState:
    """Judge the window that ended ``grace_days`` ago (lifetime: everything)."""
    window = ladder.review_window(state)
    current = ladder.qualified(state)
    supported = policy.supported_index(ladder.levels, credits.totals(window))
    outcome = policy.review_outcome(ladder.levels, current, supported, ladder.downgrade)
    if window is LIFETIME:
        reviewed = _set_qualified(ladder, state, outcome, at, None)
        if outcome > supported:  # one step down and still not supported: again later
            reviewed = replace(reviewed, review_at=policy.review_time(at, ladder.grace_days))
    else:
        assert state.window_end is not None
        window_end = policy.next_window_end(ladder.kind, state.window_end, ladder.zone)
        reviewed = _set_qualified(ladder, state, outcome, at, window_end)
    details = {"window_start": _iso(window.start), "window_end": _iso(window.end)}
    _record(changes, ladder, state, reviewed, at, ChangeReason.REVIEW, details, now)
    return reviewed


def _rebase(
    changes: list[Change], ladder: Ladder, state: TierState, credits: Credits, now: datetime
) -> TierState:
    """The stored tier left the program: take what the current window supports."""
    kind, zone = ladder.kind, ladder.zone
    totals = credits.totals(policy.window_containing(kind, now, zone))
    supported = policy.supported_index(ladder.levels, totals)
    rebased = _set_qualified(
        ladder, state, supported, now, policy.first_window_end(kind, now, zone)
    )
    _record(changes, ladder, state, rebased, now, ChangeReason.PROGRAM_CHANGED, {}, now)
    return rebased


def _set_qualified(
    ladder: Ladder, state: TierState, index: int, at: datetime, window_end: datetime | None
) -> TierState:
    """The qualified tier ``index`` from ``at`` (reached then if it is another tier), judged
    next on the window ending ``window_end``; at or below the base tier nothing is kept."""
    if index <= ladder.base:
        return TierState(memberships=state.memberships)
    reached_at = state.reached_at
    if index != ladder.qualified(state) or state.tier is None or not ladder.has(state.tier):
        reached_at = at
    review_at = None if window_end is None else policy.review_time(window_end, ladder.grace_days)
    return TierState(ladder.key(index), reached_at, window_end, review_at, state.memberships)


def _lapse(
    changes: list[Change], ladder: Ladder, state: TierState, ms: Membership, now: datetime
) -> TierState:
    lapsed = _with_plan(state, replace(ms, status=_ENDED))
    details = {"membership_id": ms.membership_id, "plan": ms.plan}
    _record(changes, ladder, state, lapsed, ms.ends_at, ChangeReason.MEMBERSHIP_ENDED, details, now)
    return lapsed


# -- paid plans -------------------------------------------------------------------------------
def start_period(
    ladder: Ladder,
    state: TierState,
    *,
    membership_id: str,
    plan: str,
    tier: str | None,
    period_end: datetime,
    occurred_at: datetime,
    now: datetime,
) -> Decision:
    """A plan started or renewed (``membership.started``/``renewed``): it grants ``tier``
    (else what the program maps the plan to) to the end of the paid period. A late event
    older than the plan's last one only extends the period; one for a period already over
    records the plan as ended."""
    tier = tier or ladder.program.plans.get(plan)
    occurred = min(occurred_at, now)
    ms = state.memberships.get(membership_id)
    if ms is None:
        ms = Membership(membership_id, plan, tier, _ACTIVE, period_end, period_end, occurred)
    else:
        period_end = max(ms.period_end, period_end)
        if occurred >= ms.last_event_at:
            ms = Membership(membership_id, plan, tier, _ACTIVE, period_end, period_end, occurred)
        else:
            ends_at = period_end if ms.status is _ACTIVE else ms.ends_at
            ms = replace(ms, period_end=period_end, ends_at=ends_at)
    if ms.ends_at <= now:
        ms = replace(ms, status=_ENDED)
    started = _with_plan(state, ms)
    changes: list[Change] = []
    details = {"membership_id": membership_id, "plan": plan}
    _record(
        changes, ladder, state, started, occurred, ChangeReason.MEMBERSHIP_STARTED, details, now
    )
    return Decision(started, tuple(changes))


def end_plan(
    ladder: Ladder,
    state: TierState,
    *,
    membership_id: str,
    ends_at: datetime | None,
    expired: bool,
    occurred_at: datetime,
    now: datetime,
) -> Decision | None:
    """A plan was cancelled (no renewal: benefits last to the paid end unless ``ends_at``
    is given) or expired (benefits end now, or at ``ends_at``). An end older than the plan's
    last event changes nothing; an end before any start is remembered and grants nothing.
    """
    occurred = min(occurred_at, now)
    ms = state.memberships.get(membership_id)
    if ms is None:
        end = ends_at or occurred
        placeholder = Membership(membership_id, "", None, _ENDED, end, end, occurred)
        return Decision(_with_plan(state, placeholder))
    if occurred < ms.last_event_at or ms.status is _ENDED:
        return None
    if ends_at is None:
        ends_at = min(occurred if expired else ms.period_end, ms.period_end)
    cancelled = replace(ms, status=_CANCELLED, ends_at=ends_at, last_event_at=occurred)
    ended = _with_plan(state, cancelled)
    if ends_at > now:
        return Decision(ended)
    changes: list[Change] = []
    return Decision(_lapse(changes, ladder, ended, cancelled, now), tuple(changes))


def _with_plan(state: TierState, ms: Membership) -> TierState:
    plans = dict(state.memberships)
    plans[ms.membership_id] = ms
    return replace(state, memberships=MappingProxyType(plans))


# -- history ----------------------------------------------------------------------------------
def _record(
    changes: list[Change],
    ladder: Ladder,
    before: TierState,
    after: TierState,
    at: datetime,
    reason: ChangeReason,
    details: dict[str, Any],
    now: datetime,
) -> None:
    """Add a change when the tier in effect or the qualified tier moved."""
    was, now_is = ladder.snapshot(before), ladder.snapshot(after)
    if was == now_is:
        return
    _, source = ladder.effective(after)
    moved: Literal["up", "down"] | None = None
    if was[0] != now_is[0]:
        lost = was[0] is not None and not ladder.has(was[0])  # left the program
        up = not lost and ladder.rank(now_is[0]) > ladder.rank(was[0])
        moved = "up" if up else "down"
    changes.append(
        Change(min(at, now), was[0], now_is[0], now_is[1], source, reason, details, moved)
    )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
