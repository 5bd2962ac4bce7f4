"""Tier use cases: the program in force, the working set the rules engine records facts in,
and the member's tier view (current tier, window, progress, what the next tier needs)."""

from __future__ import annotations

from datetime import timedelta, tzinfo

from loyalist.db.uow import UnitOfWork
from loyalist.i18n import pick_locale
from loyalist.members import service as members
from loyalist.tiers import policy, progress, repository
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
    "TierBook",
    "TierStatus",
    "apply_program",
    "export_program",
    "read_tier",
]

_BOOK_KEY = "tiers.book"
_HISTORY = 20


def apply_program(uow: UnitOfWork, program: TierProgram) -> None:
    """Store ``program`` as the one in force (earlier versions are kept).

    Nothing is re-evaluated eagerly: a member is re-evaluated when next touched (a stored
    tier the program no longer has becomes what the current window supports; lowered
    thresholds apply at the next qualifying activity) and at reviews, where raised
    thresholds take effect.
    """
    repository.add_program(uow.session, program.model_dump(mode="json"), uow.now)
    book = uow.state.get(_BOOK_KEY)
    if isinstance(book, TierBook):
        book.use_program(program)


def export_program(uow: UnitOfWork) -> TierProgram:
    """The program in force (an empty one, no tiers, until one is applied)."""
    stored = repository.current_program(uow.session)
    return TierProgram() if stored is None else TierProgram.model_validate(stored)


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
        return TierRef(key=levels[index].key, name=progress.tier_name(levels[index].name, lang))

    window = policy.window_containing(program.window, now, zone)
    last_day = None
    if program.window == "calendar_year" and window.end is not None:
        last_day = (window.end.astimezone(zone) - timedelta(days=1)).date()
    elif program.window == "rolling_12_months":
        last_day = now.astimezone(zone).date()
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
        text = progress.next_tier_text(lang, tier.name, needs, program.currency, by)
    elif view.index >= 0:
        current = ref(view.index)
        assert current is not None
        text = progress.top_tier_text(lang, current.name)
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


def tier_of(uow: UnitOfWork, member_id: int, zone: tzinfo) -> str | None:
    """The key of the member's tier now (qualified or through a plan), None without tiers."""
    book = TierBook(uow, zone, lock=False)
    levels = book.program.levels
    index = book.snapshot(member_id).index
    return levels[index].key if 0 <= index < len(levels) else None
