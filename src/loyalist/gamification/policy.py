"""Pure gamification decisions: CEL criteria, calendar periods, streak steps, levels.

Nothing here touches the database or the clock: times are passed in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import cel

log = logging.getLogger(__name__)

#: What CEL expressions may read. ``member`` fields are listed so a typo is a 422 at PUT.
VARIABLES = frozenset({"member", "event", "now"})
MEMBER_FIELDS = frozenset(
    {
        "id",
        "orders",
        "spend",
        "categories",
        "category_count",
        "reviews",
        "surveys",
        "referrals",
        "quests",
        "badges",
        "badge_count",
        "tier",
        "days_in_tier",
        "lifetime_points",
        "segments",
        "enrolled_at",
    }
)
EVENT_FIELDS = frozenset({"type", "data", "occurred_at"})
_TIER_FIELDS = frozenset({"tier", "days_in_tier"})


class ExpressionError(ValueError):
    """A CEL expression that does not compile or reads what does not exist."""

    def __init__(self, expression: str, message: str) -> None:
        super().__init__(f"{message} in `{expression}`")
        self.expression = expression
        self.message = message


@dataclass(frozen=True, slots=True)
class Criteria:
    """A compiled expression and what it reads (so values are loaded only when needed)."""

    source: str
    program: cel.Program
    member_fields: frozenset[str]
    uses_event: bool
    event_fields: frozenset[str] = frozenset()
    uses_now: bool = False
    #: Keys of ``event.data`` it selects; None: it may read any (the map used otherwise).
    data_fields: frozenset[str] | None = None

    @property
    def needs_tier(self) -> bool:
        return bool(self.member_fields & _TIER_FIELDS)

    @property
    def needs_points(self) -> bool:
        return "lifetime_points" in self.member_fields

    def holds(self, values: cel.Context | Mapping[str, Any]) -> bool:
        """True only when the expression evaluates to ``true``; an error (a missing key of
        ``event.data``, a null compared to a number) counts as not met. Pass a
        ``cel.Context`` when several expressions read the same values (converting values
        into CEL is most of the cost)."""
        import cel  # see compile_criteria

        context = values if isinstance(values, cel.Context) else dict(values)
        try:
            return self.program.execute(context) is True
        except (KeyError, IndexError, RuntimeError, TypeError, ValueError, ArithmeticError):
            log.debug("criteria %r failed to evaluate", self.source, exc_info=True)
            return False


_STRING = re.compile(
    r'"""[\s\S]*?"""' r"|'''[\s\S]*?'''" r'|"(?:\\.|[^"\\])*"' r"|'(?:\\.|[^'\\])*'"
)


def _fields_of(source: str, name: str, known: frozenset[str]) -> frozenset[str]:
    """Fields of ``name`` the expression selects; all known ones when it is used whole."""
    code = _STRING.sub('""', source)
    fields: set[str] = set()
    for use in re.finditer(rf"(?<![\w.]){name}\b", code):
        selected = re.match(r"\s*\.\s*([A-Za-z_]\w*)", code[use.end() :])
        if selected is None:
            return known
        fields.add(selected.group(1))
    return frozenset(fields)


def data_fields(source: str) -> frozenset[str] | None:
    """Keys of ``event.data`` the expression selects (``event.data.amount``); None when it
    uses ``event`` or ``event.data`` any other way (whole, indexed, a macro or method on
    the map), so that every key may be read."""
    code = _STRING.sub('""', source)
    fields: set[str] = set()
    for use in re.finditer(r"(?<![\w.])event\b", code):
        path = re.match(
            r"\s*\.\s*([A-Za-z_]\w*)(\s*\.\s*([A-Za-z_]\w*))?(\s*\()?", code[use.end() :]
        )
        if path is None:
            return None  # ``event`` itself
        if path.group(1) != "data":
            continue
        if path.group(3) is None or path.group(4) is not None:
            return None  # the map whole, indexed, or a call on it
        fields.add(path.group(3))
    return frozenset(fields)


def compile_criteria(source: str) -> Criteria:
    """Compile and check an expression over ``member``, ``event`` and ``now``.

    Raises:
        ExpressionError: a syntax error, an unknown variable or member field, or a type
            mix-up found by evaluating it once against a sample.
    """
    # Imported here: the package loads a terminal UI (prompt_toolkit) with it, which would
    # slow every command that never evaluates an expression.
    import cel

    try:
        program = cel.compile(source)
    except Exception as exc:  # whatever the library raises, the expression is bad
        raise ExpressionError(source, _first_line(str(exc))) from None
    names = set(program.variables())
    unknown = sorted(names - VARIABLES)
    if unknown:
        raise ExpressionError(
            source, f"unknown variable {unknown[0]!r} (use {', '.join(sorted(VARIABLES))})"
        )
    member_fields = (
        _fields_of(source, "member", MEMBER_FIELDS) if "member" in names else frozenset()
    )
    bad = sorted(member_fields - MEMBER_FIELDS)
    if bad:
        raise ExpressionError(
            source, f"member has no field {bad[0]!r} (fields: {', '.join(sorted(MEMBER_FIELDS))})"
        )
    event_fields = _fields_of(source, "event", EVENT_FIELDS) if "event" in names else frozenset()
    bad = sorted(event_fields - EVENT_FIELDS)
    if bad:
        raise ExpressionError(
            source, f"event has no field {bad[0]!r} (fields: {', '.join(sorted(EVENT_FIELDS))})"
        )
    _trial(source, program)
    return Criteria(
        source,
        program,
        frozenset(member_fields),
        "event" in names,
        frozenset(event_fields),
        "now" in names,
        data_fields(source) if "event" in names else frozenset(),
    )


def _trial(source: str, program: cel.Program) -> None:
    at = datetime(2026, 1, 2, tzinfo=UTC)
    sample = {
        "member": member_value(
            MemberFigures(member_id="m", categories=("c",), reviews=1, badges=("b",)),
            tier="gold",
            tier_since=at,
            lifetime_points=1,
            now=at,
        ),
        "event": {"type": "order.paid", "data": {}, "occurred_at": at},
        "now": at,
    }
    try:
        result = program.execute(sample)
    except (KeyError, IndexError, ArithmeticError):
        return  # depends on the data (event.data.x)
    except (RuntimeError, TypeError, ValueError) as exc:
        message = _first_line(str(exc))
        if "Undefined variable" in message or "No such overload" in message:
            raise ExpressionError(source, message) from None
        return
    if not isinstance(result, bool):  # a number, a text, a list: never "true", never met
        raise ExpressionError(source, f"must be a condition (true or false), not {result!r}")


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid expression"


# -- CEL values ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MemberFigures:
    """The member statistics gamification keeps (see ``models.MemberGameStats``)."""

    member_id: str
    orders: int = 0
    spend: int = 0
    categories: tuple[str, ...] = ()
    reviews: int = 0
    surveys: int = 0
    referrals: int = 0
    quests: int = 0
    badges: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    enrolled_at: datetime | None = None


def member_value(
    figures: MemberFigures,
    *,
    tier: str | None,
    tier_since: datetime | None,
    lifetime_points: int,
    now: datetime,
) -> dict[str, Any]:
    """``member`` as CEL sees it; ``days_in_tier`` is 0 without a tier."""
    days = 0
    if tier is not None and tier_since is not None:
        days = max(0, (now - tier_since).days)
    return {
        "id": figures.member_id,
        "orders": figures.orders,
        "spend": figures.spend,
        "categories": list(figures.categories),
        "category_count": len(figures.categories),
        "reviews": figures.reviews,
        "surveys": figures.surveys,
        "referrals": figures.referrals,
        "quests": figures.quests,
        "badges": list(figures.badges),
        "badge_count": len(figures.badges),
        "tier": tier,
        "days_in_tier": days,
        "lifetime_points": lifetime_points,
        "segments": list(figures.segments),
        "enrolled_at": figures.enrolled_at,
    }


def cel_time(at: datetime, zone: ZoneInfo) -> datetime:
    """``at`` in the zone as a fixed-offset datetime (what CEL takes; hours are local)."""
    local = at.astimezone(zone)
    return local.replace(tzinfo=timezone(local.utcoffset() or timedelta(0)))


# -- periods ------------------------------------------------------------------------------
PeriodKind = Literal["fixed", "month", "week"]


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a quest or streak: a stable key, an ordinal (consecutive periods
    differ by one) and its bounds as UTC instants."""

    key: str
    index: int
    starts_at: datetime
    ends_at: datetime


def period_of(kind: Literal["month", "week"], at: datetime, zone: ZoneInfo) -> Period:
    """The calendar month or ISO week of the program time zone that contains ``at``."""
    return _period_of_day(kind, at.astimezone(zone).date(), zone)


@lru_cache(maxsize=4096)
def _period_of_day(kind: Literal["month", "week"], local: date, zone: ZoneInfo) -> Period:
    """The period of a local day (a run of facts falls on a few days: computed once each)."""
    if kind == "month":
        start_day = date(local.year, local.month, 1)
        next_day = (
            date(local.year + 1, 1, 1)
            if local.month == 12
            else date(local.year, local.month + 1, 1)
        )
        return Period(
            f"m{local.year:04d}-{local.month:02d}",
            local.year * 12 + local.month - 1,
            _midnight(start_day, zone),
            _midnight(next_day, zone),
        )
    monday = local - timedelta(days=local.weekday())
    year, week, _ = monday.isocalendar()
    return Period(
        f"w{year:04d}-{week:02d}",
        monday.toordinal() // 7,
        _midnight(monday, zone),
        _midnight(monday + timedelta(days=7), zone),
    )


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def quest_period(
    kind: PeriodKind,
    starts_at: datetime | None,
    ends_at: datetime | None,
    at: datetime,
    zone: ZoneInfo,
) -> Period | None:
    """The quest period an event at ``at`` counts for; None outside the quest's dates."""
    if (starts_at is not None and at < starts_at) or (ends_at is not None and at >= ends_at):
        return None
    if kind == "fixed":
        assert starts_at is not None
        assert ends_at is not None
        return Period("fixed", 0, starts_at, ends_at)
    return period_of(kind, at, zone)


# -- progress, streaks, levels ------------------------------------------------------------
def advance_steps(done: Sequence[int], targets: Sequence[int], hits: Sequence[int]) -> list[int]:
    """Step counts after counting ``hits`` (the step indexes an event matched), each
    capped at its target."""
    counts = [*done, *([0] * (len(targets) - len(done)))][: len(targets)]
    for index in hits:
        counts[index] = min(targets[index], counts[index] + 1)
    return counts


def is_complete(done: Sequence[int], targets: Sequence[int]) -> bool:
    return len(done) >= len(targets) and all(d >= t for d, t in zip(done, targets, strict=False))


@dataclass(frozen=True, slots=True)
class StreakState:
    current: int
    best: int
    last_index: int | None


def extend_streak(state: StreakState, index: int) -> StreakState | None:
    """The streak after a qualifying action in period ``index``; None when it does not
    change (the same period again, or a late action for a period before the last one)."""
    last = state.last_index
    if last is not None and index <= last:
        return None
    current = state.current + 1 if last is not None and index == last + 1 else 1
    return StreakState(current, max(state.best, current), index)


def current_streak(current: int, last_index: int | None, now_index: int) -> int:
    """What the member sees: the run still counts while its last period is this one or the
    previous one (this period may still qualify); older, it is broken."""
    if last_index is None or last_index < now_index - 1:
        return 0
    return current


def level_index(thresholds: Sequence[int], points: int) -> int:
    """Index of the highest level reached (thresholds ascending), -1 for none."""
    reached = -1
    for index, threshold in enumerate(thresholds):
        if points >= threshold:
            reached = index
    return reached
