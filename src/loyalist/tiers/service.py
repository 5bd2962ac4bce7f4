"""Tier use cases: the program in force, the tier in effect for earning, and the member's
tier view (current tier, window, progress, what the next tier needs)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from loyalist.activities import service as activities
from loyalist.activities.events import OrderPaid
from loyalist.db import configs
from loyalist.db.keyset import Bound
from loyalist.db.uow import UnitOfWork
from loyalist.i18n import pick_locale
from loyalist.ledger import balances
from loyalist.members import service as members
from loyalist.tiers import policy, repository
from loyalist.tiers import progress as progress_texts
from loyalist.tiers.books import NO_TIER, TierBook, TierStatus
from loyalist.tiers.schemas import (
    MembershipRead,
    Needs,
    NextTierRead,
    Perks,
    TierChangeRead,
    TierProgram,
    TierRead,
    TierRef,
    Totals,
    WindowRead,
)

__all__ = [
    "NO_TIER",
    "Progress",
    "TierBook",
    "TierCount",
    "TierReader",
    "TierStatus",
    "apply_program",
    "export_program",
    "member_counts",
    "prepare",
    "progress",
    "read_tier",
    "reader",
    "status",
]

_HISTORY = 20
_BACKFILL_CHUNK = 1000


def prepare(
    uow: UnitOfWork, member_ids: Sequence[int], zone: tzinfo, *, skip_locked: bool = False
) -> list[int]:
    """Load (and lock, in key order) the tier state of many members in a few queries, with
    reviews already due applied; ``zone`` is the program time zone. Returns the members
    loaded (fewer than asked only with ``skip_locked``, which jobs use)."""
    return TierBook.of(uow, zone).prepare(member_ids, skip_locked=skip_locked)


def status(uow: UnitOfWork, member_id: int, zone: tzinfo) -> TierStatus:
    """The tier in effect for earning now, as this unit has recorded it so far."""
    return TierBook.of(uow, zone).status(member_id)


class TierReader(Protocol):
    """Tier statuses as they are now, read without locking or writing anything."""

    def status(self, member_id: int) -> TierStatus: ...

    def prepare(self, member_ids: Iterable[int], *, skip_locked: bool = False) -> list[int]:
        """Load many members' states in a few queries (nothing is locked)."""
        ...


def reader(uow: UnitOfWork, zone: tzinfo) -> TierReader:
    """A reader of tier statuses for dry runs, backtests and reports (reviews already due
    are applied in memory only)."""
    return TierBook(uow, zone, lock=False)


def apply_program(uow: UnitOfWork, program: TierProgram, zone: tzinfo | None = None) -> int:
    """Store ``program`` as the one in force (earlier versions are kept). Returns the orders
    backfilled: when tiers appear where there were none (and ``zone``, the program time
    zone, is given), the orders already paid in the current window count at once.

    Nothing else is re-evaluated eagerly: a member is re-evaluated when next touched (a
    stored tier the program no longer has becomes what the current window supports;
    lowered thresholds apply at the next qualifying activity) and at reviews, where raised
    thresholds take effect.
    """
    had_tiers = bool(export_program(uow).levels)
    repository.add_program(uow.session, program.model_dump(mode="json"), uow.now)
    configs.changed(uow)
    book = TierBook.find(uow)
    if book is not None:
        book.use_program(program)
    if zone is None or had_tiers or not program.levels:
        return 0
    return _backfill(uow, program, zone)


def _backfill(uow: UnitOfWork, program: TierProgram, zone: tzinfo) -> int:
    """Count the orders already paid in the current qualification window (lifetime: all),
    with the points they earned and their returns, so members start at the tier their
    history supports. Returns the orders counted."""
    window = policy.window_containing(program.window, uow.now, zone)
    start = window.start or datetime(1970, 1, 1, tzinfo=UTC)
    book = TierBook.of(uow, zone)
    counted = 0
    chunk: list[tuple[OrderPaid, int]] = []

    def record() -> None:
        book.prepare(sorted({fact.member_id for fact, _ in chunk}))
        earned = balances.earned_by_order(uow, [fact.order_id for fact, _ in chunk])
        for fact, returned in chunk:
            book.record_order_paid(
                fact.member_id,
                fact.order_id,
                fact.currency,
                fact.net_amount,
                earned.get(fact.order_id, 0),
                fact.paid_at,
            )
            if returned:
                book.record_order_returned(
                    fact.member_id, fact.order_id, returned, fact.net_amount, fact.paid_at
                )
        chunk.clear()

    for item in activities.paid_orders_between(uow, start, uow.now):
        chunk.append(item)
        counted += 1
        if len(chunk) >= _BACKFILL_CHUNK:
            record()
    if chunk:
        record()
    return counted


def export_program(uow: UnitOfWork) -> TierProgram:
    """The program in force (an empty one, no tiers, until one is applied)."""
    stored = repository.current_program(uow.session)
    return TierProgram() if stored is None else TierProgram.model_validate(stored)


@dataclass(frozen=True, slots=True)
class TierCount:
    """How many members hold a tier: by their activity, and by an active paid plan."""

    key: str
    name: dict[str, str]
    qualified: int
    by_plan: int


def member_counts(uow: UnitOfWork) -> list[TierCount]:
    """Members per tier of the program in force, lowest first, as last recorded (a review
    already due is counted at the next touch). The base tier counts every member not
    qualified for a higher one; a paid plan's members are counted apart (they may also
    be qualified)."""
    levels = export_program(uow).levels
    qualified = repository.qualified_counts(uow.session)
    plans = repository.plan_counts(uow.session)
    above_base = sum(qualified.get(level.key, 0) for level in levels)
    base = policy.base_index(levels)
    return [
        TierCount(
            level.key,
            dict(level.name),
            members.count_members(uow) - above_base
            if index == base
            else qualified.get(level.key, 0),
            plans.get(level.key, 0),
        )
        for index, level in enumerate(levels)
    ]


def read_tier(uow: UnitOfWork, external_id: str, zone: tzinfo, locale: str | None) -> TierRead:
    """The member's tier as of now, reviews already due applied (in memory only).

    Raises:
        NotFoundError: no member has this id.
    """
    member = members.get_member(uow, external_id)
    lang = pick_locale(locale or member.locale)
    book = TierBook(uow, zone, lock=False)
    program = book.program
    levels = program.levels
    view = book.snapshot(member.id)
    now = uow.now

    def ref(index: int) -> TierRef | None:
        if index < 0:
            return None
        return TierRef(
            key=levels[index].key, name=progress_texts.tier_name(levels[index].name, lang)
        )

    window = policy.window_containing(program.window, now, zone)
    last_day = _last_day(program, window.end, now, zone)
    window_read = WindowRead(
        kind=program.window,
        starts_at=window.start,
        ends_at=now if program.window == "rolling_12_months" else window.end,
        last_day=last_day,
    )
    totals = view.totals
    next_index = policy.next_qualifiable(levels, view.index)
    next_tier: NextTierRead | None = None
    text: str | None = None
    by = last_day if program.window == "calendar_year" else None
    if next_index is not None:
        threshold = levels[next_index].threshold
        assert threshold is not None
        needs = policy.needs(threshold, totals)
        tier = ref(next_index)
        assert tier is not None
        next_tier = NextTierRead(tier=tier, needs=Needs(**needs), by=by)
        text = progress_texts.next_tier_text(lang, tier.name, needs, program.currency, by)
    elif view.index >= 0:
        current = ref(view.index)
        assert current is not None
        text = progress_texts.top_tier_text(lang, current.name)
    membership = view.membership
    history = repository.changes(uow.session, member.id, _HISTORY)
    current_key = levels[view.index].key if view.index >= 0 else None
    since = next((c.at for c in history if c.to_tier == current_key), view.reached_at)
    return TierRead(
        member_id=external_id,
        tier=ref(view.index),
        source=view.source,
        qualified_tier=ref(view.qualified_index),
        since=since if view.index >= 0 else None,
        review_at=view.review_at,
        keeps_tier_at_review=view.keeps_tier_at_review,
        perks=levels[view.index].perks if view.index >= 0 else Perks(),
        membership=None
        if membership is None
        else MembershipRead(
            membership_id=membership.membership_id,
            plan=membership.plan,
            tier=membership.tier,
            status=membership.status,
            period_end=membership.period_end,
            ends_at=membership.ends_at,
        ),
        window=window_read,
        currency=program.currency,
        progress=Totals(spend=totals.spend, points=totals.points, orders=totals.orders),
        next_tier=next_tier,
        text=text,
        locale=lang,
        history=[
            TierChangeRead(
                at=c.at,
                from_tier=c.from_tier,
                to_tier=c.to_tier,
                qualified_tier=c.qualified_tier,
                source=c.source,
                reason=c.reason,
            )
            for c in history
        ],
    )


def timeline_changes(
    uow: UnitOfWork, member_id: int, *, limit: int, before: Bound | None, locale: str | None
) -> list[dict[str, Any]]:
    """The member's tier moves newest first (those after ``before``) for the member
    timeline, each with the tier names and a plain sentence."""
    names = {level.key: level.name for level in export_program(uow).levels}

    def name(key: str | None) -> str:
        if key is None:
            return "no tier"
        found = names.get(key)
        return progress_texts.tier_name(found, pick_locale(locale)) if found else key

    out = []
    for change in repository.changes_before(uow.session, member_id, limit=limit, before=before):
        if change.from_tier == change.to_tier:
            qualified, kept = name(change.qualified_tier), name(change.to_tier)
            text = f"Qualifies for {qualified} (the paid plan keeps {kept})"
        else:
            why = change.reason.replace("_", " ")
            text = f"Tier {name(change.from_tier)} → {name(change.to_tier)} ({why})"
        out.append(
            {
                "id": change.id,
                "at": change.at,
                "recorded_at": change.recorded_at,
                "from_tier": change.from_tier,
                "to_tier": change.to_tier,
                "qualified_tier": change.qualified_tier,
                "source": change.source,
                "reason": change.reason,
                "text": text,
            }
        )
    return out


def percent_to_next(uow: UnitOfWork, read: TierRead) -> int:
    """How far along (0…100) the member is towards ``read``'s next tier (100 at the top)."""
    if read.next_tier is None:
        return 100
    key = read.next_tier.tier.key
    level = next((lv for lv in export_program(uow).levels if lv.key == key), None)
    if level is None or level.threshold is None:
        return 0
    done = read.progress
    return policy.percent_towards(
        level.threshold, policy.Totals(done.spend, done.points, done.orders)
    )


def needs_to_keep(uow: UnitOfWork, read: TierRead) -> dict[str, int]:
    """What the current window still needs for the member to keep ``read.tier`` at its next
    review (any one figure is enough; ``spend`` in minor units of ``read.currency``): empty
    when the window keeps it already, or when nothing is reviewed (no tier, the base tier,
    a paid plan's tier, a lifetime window)."""
    if (
        read.tier is None
        or read.source != "qualified"
        or read.review_at is None
        or read.keeps_tier_at_review
    ):
        return {}
    level = next((lv for lv in export_program(uow).levels if lv.key == read.tier.key), None)
    if level is None or level.threshold is None:
        return {}
    done = read.progress
    return policy.needs(level.threshold, policy.Totals(done.spend, done.points, done.orders))


def _last_day(
    program: TierProgram, window_end: datetime | None, now: datetime, zone: tzinfo
) -> date | None:
    """The window's last local day: a calendar year's last day, or today (rolling)."""
    if program.window == "calendar_year" and window_end is not None:
        return (window_end.astimezone(zone) - timedelta(days=1)).date()
    if program.window == "rolling_12_months":
        return now.astimezone(zone).date()
    return None


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a member stands, in their language: the tier (None without one), the next
    tier activity reaches and what it still needs (``spend`` in minor units of
    ``currency``, ``points``, ``orders``: any one enough), the last day to reach it
    (calendar year only), and how far along the most advanced figure is (0…100)."""

    tier: str | None
    next_tier: str | None
    needs: dict[str, int]
    by: date | None
    percent: int
    currency: str


def progress(uow: UnitOfWork, member_id: int, zone: tzinfo, locale: str) -> Progress | None:
    """The member's tier progress as this unit has recorded it so far (this unit's orders
    and points included); None when the program has no tiers."""
    book = TierBook.of(uow, zone)
    program = book.program
    if not book.is_active:
        return None
    levels = program.levels
    view = book.snapshot(member_id)
    lang = pick_locale(locale)
    tier = progress_texts.tier_name(levels[view.index].name, lang) if view.index >= 0 else None
    next_index = policy.next_qualifiable(levels, view.index)
    if next_index is None:
        return Progress(tier, None, {}, None, 100, program.currency)
    threshold = levels[next_index].threshold
    assert threshold is not None
    totals = view.totals
    by = None
    if program.window == "calendar_year":
        window = policy.window_containing(program.window, uow.now, zone)
        by = _last_day(program, window.end, uow.now, zone)
    return Progress(
        tier,
        progress_texts.tier_name(levels[next_index].name, lang),
        policy.needs(threshold, totals),
        by,
        policy.percent_towards(threshold, totals),
        program.currency,
    )


def tier_of(uow: UnitOfWork, member_id: int, zone: tzinfo) -> str | None:
    """The key of the member's tier now (qualified or through a plan), None without tiers."""
    book = TierBook(uow, zone, lock=False)
    levels = book.program.levels
    index = book.snapshot(member_id).index
    return levels[index].key if 0 <= index < len(levels) else None


# -- what messages read -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DowngradeRisk:
    """A member whose next review, as things stand, would lower their qualified tier: the
    tier's names (by language) and perks, the end of the window the review judges (the
    last moment activity counts), what it still takes to keep the tier (``spend`` in minor
    units of ``currency``, ``points``, ``orders``: any one enough), and the names of the
    tier the review would give (None below every tier)."""

    member_id: int
    tier: dict[str, str]
    perks: Perks
    window_end: datetime
    keep: dict[str, int]
    lower_tier: dict[str, str] | None
    currency: str


def members_judged_until(uow: UnitOfWork, start: datetime, end: datetime) -> list[int]:
    """Members whose next review judges a window ending in ``(start, end]`` (and perhaps
    a day either side: found by the review time, which is indexed)."""
    grace = timedelta(days=export_program(uow).grace_days)
    day = timedelta(days=1)
    return repository.members_reviewed_between(uow.session, start + grace - day, end + grace + day)


def downgrade_risks(
    uow: UnitOfWork, member_ids: Sequence[int], zone: tzinfo
) -> dict[int, DowngradeRisk]:
    """The members among ``member_ids`` whose next review would lower their tier unless
    they do more (read only: nothing is locked or written)."""
    book = TierBook(uow, zone, lock=False)
    if not book.is_active:
        return {}
    book.prepare(member_ids)
    levels = book.program.levels
    found: dict[int, DowngradeRisk] = {}
    for member_id in member_ids:
        outlook = book.review_outlook(member_id)
        if outlook is None or outlook.outcome >= outlook.index:
            continue
        level = levels[outlook.index]
        assert level.threshold is not None
        found[member_id] = DowngradeRisk(
            member_id,
            dict(level.name),
            level.perks,
            outlook.window_end,
            policy.needs(level.threshold, outlook.totals),
            dict(levels[outlook.outcome].name) if outlook.outcome >= 0 else None,
            book.program.currency,
        )
    return found


@dataclass(frozen=True, slots=True)
class Renewal:
    """A paid plan that renews (the shop charges again) at ``period_end`` unless cancelled:
    the plan, and the names (by language) and perks of the tier it grants, if any."""

    member_id: int
    membership_id: str
    plan: str
    tier: dict[str, str] | None
    perks: Perks | None
    period_end: datetime


def renewals_between(uow: UnitOfWork, start: datetime, end: datetime) -> list[Renewal]:
    """Active paid plans whose period ends in ``(start, end]``, by member."""
    program = export_program(uow)
    levels = {level.key: level for level in program.levels}
    found = []
    for row in repository.plans_ending_between(uow.session, start, end):
        key = row.tier or program.plans.get(row.plan)
        level = levels.get(key) if key else None
        found.append(
            Renewal(
                row.member_id,
                row.membership_id,
                row.plan,
                dict(level.name) if level else None,
                level.perks if level else None,
                row.period_end,
            )
        )
    return found


def retire_order_refs(uow: UnitOfWork, refs: dict[str, str]) -> None:
    """The accounting period of these orders ran out: the tier credits they gave name them
    by the opaque ids given (``old -> new``)."""
    repository.rename_credit_refs(uow.session, refs)
