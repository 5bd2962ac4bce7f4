"""The program as members read it: each rule's effects and when it applies, the tiers with
what they take and give, and a history line per order that says which rules made its
points ("+120 for order 1043: Base points, 1 point per €1 · Double points weekend, ×2").

These are view values only (names already in the page's language, figures as numbers);
the templates put them in words with the catalogue (``templates/portal/_explain.html.j2``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from babel.core import Locale
from babel.dates import get_day_names
from babel.numbers import format_currency

from loyalist.ledger.balances import OpenLot
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.rules.schemas import (
    AwardBadge,
    FixedPoints,
    GrantReward,
    IssueCoupon,
    Multiplier,
    PerItem,
    PerUnit,
    RuleSpec,
)
from loyalist.settings import ProgramPolicy
from loyalist.tiers.schemas import TierLevel, TierProgram

#: Rule triggers members are told about in words of their own (others: the rule's name).
TRIGGERS = (
    "order.paid",
    "member.enrolled",
    "profile.completed",
    "birthday",
    "review.published",
    "survey.answered",
)
_EARN_CODES = frozenset({"earn_order", "earn_rule", "earn_tier"})


@dataclass(frozen=True, slots=True)
class EffectView:
    """One effect: ``kind`` is ``per_unit`` (``points`` per ``unit`` of ``currency``),
    ``multiplier`` (``factor``), ``fixed`` / ``per_item`` (``points``), or ``coupon``,
    ``badge``, ``reward``; ``categories`` limit a per-unit or per-item effect to lines."""

    kind: str
    points: Decimal = Decimal(0)
    unit: Decimal = Decimal(1)
    currency: str = ""
    factor: Decimal = Decimal(1)
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleView:
    """A rule as a member reads it: its name, what fires it, what it gives, when."""

    key: str
    name: str
    trigger: str
    effects: tuple[EffectView, ...]
    days: tuple[int, ...] = ()  # 0 = Monday
    hours: tuple[tuple[time, time], ...] = ()
    until: datetime | None = None
    tiers: tuple[str, ...] = ()  # tier names in the page's language


@dataclass(frozen=True, slots=True)
class TierView:
    """A tier with what reaching it takes (any one figure) and what it gives."""

    key: str
    name: str
    spend: int | None
    points: int | None
    orders: int | None
    multiplier: Decimal
    free_shipping: bool


@dataclass(frozen=True, slots=True)
class Part:
    """Why some of a line's points came: a rule (its name and effects) or a tier bonus."""

    name: str
    points: int
    effects: tuple[EffectView, ...] = ()
    tier_factor: Decimal | None = None


@dataclass(slots=True)
class Line:
    """One line of the history: an order's points with their parts, or one posting with
    its stored reason in the member's language."""

    at: datetime
    points: int
    text: str = ""
    order_id: str | None = None
    parts: list[Part] = field(default_factory=list)


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def name_in(names: Mapping[str, str] | Any, locale: str) -> str:
    """A name of the program file in ``locale`` (else English, else any)."""
    found = names if isinstance(names, Mapping) else names.model_dump()
    return str(found.get(locale) or found.get("en") or next(iter(found.values()), ""))


def effect_view(effect: Any, currency: str) -> EffectView | None:
    """The member's view of one effect, rates in ``currency`` (else the rule's first)."""
    if isinstance(effect, PerUnit):
        code = currency if currency in effect.rates else next(iter(effect.rates))
        rate = Decimal(effect.rates[code])
        lines = effect.lines.categories if effect.lines else []
        if rate >= 1:
            return EffectView("per_unit", rate.normalize(), Decimal(1), code, categories=(*lines,))
        return EffectView(
            "per_unit", Decimal(1), (1 / rate).normalize(), code, categories=(*lines,)
        )
    if isinstance(effect, Multiplier):
        lines = effect.lines.categories if effect.lines else []
        return EffectView("multiplier", factor=effect.factor.normalize(), categories=(*lines,))
    if isinstance(effect, FixedPoints):
        return EffectView("fixed", Decimal(effect.points))
    if isinstance(effect, PerItem):
        return EffectView(
            "per_item", Decimal(effect.points), categories=(*effect.lines.categories,)
        )
    if isinstance(effect, IssueCoupon):
        return EffectView("coupon")
    if isinstance(effect, AwardBadge):
        return EffectView("badge")
    if isinstance(effect, GrantReward):
        return EffectView("reward")
    return None


def rule_view(
    spec: RuleSpec, locale: str, currency: str, tier_names: Mapping[str, str]
) -> RuleView:
    validity = spec.validity
    return RuleView(
        key=spec.key,
        name=name_in(spec.name, locale),
        trigger=spec.on[0] if spec.on[0] in TRIGGERS else "",
        effects=tuple(v for e in spec.effects if (v := effect_view(e, currency)) is not None),
        days=tuple(sorted(_DAYS.index(d) for d in validity.days_of_week)),
        hours=tuple((h.start, h.end) for h in validity.hours),
        until=validity.ends_at,
        tiers=tuple(tier_names.get(t, t) for t in spec.targeting.tiers),
    )


def ways_to_earn(
    specs: Sequence[RuleSpec], tiers: TierProgram, locale: str, currency: str, now: datetime
) -> list[RuleView]:
    """The rules a member can earn by now: active, not ended, not a personal offer's, and
    giving something; as the program file names them."""
    names = {level.key: name_in(level.name, locale) for level in tiers.levels}
    shown = []
    for spec in specs:
        ends = spec.validity.ends_at
        if not spec.is_active or spec.targeting.offers or (ends is not None and ends <= now):
            continue
        view = rule_view(spec, locale, currency, names)
        if view.effects:
            shown.append(view)
    return shown


def tier_views(tiers: TierProgram, locale: str) -> list[TierView]:
    return [_tier_view(level, locale) for level in tiers.levels]


def _tier_view(level: TierLevel, locale: str) -> TierView:
    threshold = level.threshold
    return TierView(
        key=level.key,
        name=name_in(level.name, locale),
        spend=threshold.spend if threshold else None,
        points=threshold.points if threshold else None,
        orders=threshold.orders if threshold else None,
        multiplier=level.perks.earning_multiplier.normalize(),
        free_shipping=level.perks.free_shipping,
    )


def merged_lots(lots: Iterable[OpenLot], *, pending: bool) -> list[OpenLot]:
    """Pending lots (by when they mature) or expiring ones (by when they expire), the lots
    one award made together (an order's rules: same order, same dates) as one."""
    merged: dict[tuple[Any, ...], OpenLot] = {}
    for lot in lots:
        if lot.is_pending != pending or (not pending and lot.expires_at is None):
            continue
        key = (lot.order_ref, lot.available_at, lot.expires_at)
        found = merged.get(key)
        merged[key] = lot if found is None else replace(found, points=found.points + lot.points)

    def when(lot: OpenLot) -> tuple[datetime, str]:
        moment = lot.available_at if pending else (lot.expires_at or lot.available_at)
        return moment, lot.order_ref or ""

    return sorted(merged.values(), key=when)


def last_day(moment: datetime, zone: tzinfo) -> date:
    """The last local day before ``moment`` (an expiry instant is exclusive: points expiring
    at midnight are usable through the day before)."""
    return (moment.astimezone(zone) - timedelta(microseconds=1)).date()


def short_money(value: Decimal, currency: str, locale: str) -> str:
    """``value`` of ``currency`` without a fraction it does not have ("€1", "100 ₽")."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", ".##")
    return format_currency(value, currency, format=pattern, locale=locale, currency_digits=False)


def minor(amount: int, currency: str) -> Decimal:
    """Minor units of ``currency`` as whole units (cents to euros), for the money filter."""
    return Decimal(amount).scaleb(-minor_unit_exponent(currency))


def day_names(locale: str) -> list[str]:
    """Monday to Sunday in ``locale``."""
    names = get_day_names("wide", context="stand-alone", locale=locale)
    return [str(names[day]) for day in range(7)]


def rule_versions(entries: Iterable[Mapping[str, Any]]) -> set[int]:
    """The rule versions a page of history entries names."""
    return {int(e["rule_version_id"]) for e in entries if e.get("rule_version_id")}


def history_lines(
    entries: Sequence[Mapping[str, Any]],
    specs: Mapping[int, RuleSpec],
    program: ProgramPolicy,
    base: RuleSpec,
    locale: str,
) -> list[Line]:
    """The history (entries newest first, as ``ledger.balances.history`` gives them) with
    an order's points earned together in one line that lists the rules behind them."""
    lines: list[Line] = []
    for entry in entries:
        reason = entry["reason"]
        params = reason["params"] or {}
        order_id = params.get("order_id")
        if reason["code"] not in _EARN_CODES or not order_id:
            lines.append(Line(entry["at"], int(entry["points"]), text=str(entry["text"])))
            continue
        last = lines[-1] if lines else None
        if last is None or last.order_id != order_id or last.at != entry["at"]:
            last = Line(entry["at"], 0, order_id=str(order_id))
            lines.append(last)
        last.points += int(entry["points"])
        last.parts.append(_part(entry, specs, program, base, locale))
    for line in lines:
        line.parts.reverse()  # newest first within an order puts the tier bonus first
    return lines


def _part(
    entry: Mapping[str, Any],
    specs: Mapping[int, RuleSpec],
    program: ProgramPolicy,
    base: RuleSpec,
    locale: str,
) -> Part:
    reason = entry["reason"]
    params = reason["params"] or {}
    points = int(entry["points"])
    if reason["code"] == "earn_tier":
        tier = params.get("tier", "")
        return Part(
            name=name_in(tier, locale) if isinstance(tier, Mapping) else str(tier),
            points=points,
            tier_factor=Decimal(str(params.get("multiplier", "1"))).normalize(),
        )
    spec = specs.get(int(entry["rule_version_id"] or 0), base)
    effects = tuple(v for e in spec.effects if (v := effect_view(e, program.currency)) is not None)
    return Part(name=name_in(spec.name, locale), points=points, effects=effects)
