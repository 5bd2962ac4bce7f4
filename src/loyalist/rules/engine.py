"""The pure rules engine: compile rule versions once, evaluate an occurrence, apply limits.

Nothing here touches the database or the clock: the service passes in what a member and
an order look like and a ``Usage`` of the rules' counters, and gets back what to grant.

Converting values into CEL is most of the cost of evaluating, so conditions in a simple
subset (fields compared with literals, ``&&``, ``||``, ``!``) are checked in plain Python
where that gives CEL's result (``conditions.native_condition``), and the CEL context is built
only when an expression needs it: once per occurrence, with only the fields the program's
expressions reference. Everything per rule version (validity, targeting, rates and factors
as integer fractions, line filters, caps) is prepared when the program is compiled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from loyalist.rules import conditions
from loyalist.rules.schemas import (
    WEEKDAYS,
    AwardBadge,
    Effect,
    FixedPoints,
    GrantReward,
    IssueCoupon,
    Limits,
    LineMatch,
    Multiplier,
    PerItem,
    PerUnit,
    RuleSpec,
)

if TYPE_CHECKING:
    import cel

#: Fields of the fixed-shape variables; a reference to another field is a compile error.
FIELDS: dict[str, frozenset[str]] = {
    "event": frozenset({"type", "occurred_at", "data"}),
    "order": frozenset(
        {"id", "currency", "total", "amount", "shipping", "channel", "line_count", "item_count"}
    ),
    "line": frozenset({"sku", "category", "quantity", "price", "discount", "amount"}),
    "member": frozenset(
        {
            "id",
            "tier",
            "segments",
            "attributes",
            "order_count",
            "lifetime_spend",
            "days_since_last_order",
            "enrolled_at",
            "birthday",
        }
    ),
}
VARIABLES = ("event", "order", "lines", "member", "now")
_ALL: None = None


class RuleCompileError(ValueError):
    """A rule's CEL expression does not compile or refers to what does not exist."""

    def __init__(self, rule_key: str, path: str, expression: str, message: str) -> None:
        super().__init__(f"rule {rule_key!r}, {path}: {message} in `{expression}`")
        self.rule_key = rule_key
        self.path = path
        self.expression = expression
        self.message = message


# -- inputs -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LineView:
    sku: str
    category: str | None
    quantity: int
    unit_price: int
    discount: int

    @property
    def amount(self) -> int:
        return max(0, self.quantity * self.unit_price - self.discount)


@dataclass(frozen=True, slots=True)
class OrderView:
    order_id: str
    currency: str
    net_amount: int
    shipping: int
    channel: str | None
    lines: tuple[LineView, ...]
    exponent: int = 2


@dataclass(frozen=True, slots=True)
class MemberView:
    id: str
    tier: str | None = None
    segments: tuple[str, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict)
    order_count: int = 0
    lifetime_spend: int = 0
    last_order_at: datetime | None = None
    enrolled_at: datetime | None = None
    birthday: date | None = None
    #: The offers the member holds (read only when a rule targets offers).
    offers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Something rules react to: an event (or a job's trigger) of one member."""

    trigger: str
    occurred_at: datetime
    member: MemberView
    data: Mapping[str, Any] = field(default_factory=dict)
    order: OrderView | None = None
    event_type: str | None = None


# -- compiled program ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _CompiledMatch:
    skus: frozenset[str]
    categories: frozenset[str]
    condition: cel.Program | None
    line_fields: tuple[str, ...] = ()
    whole_line: bool = False
    #: Results of a condition that reads only fields of ``line``, by those fields' values:
    #: a pure function of them, worth remembering across events (catalogue prices repeat).
    memo: dict[tuple[Any, ...], bool] | None = None
    #: The condition in plain Python (``conditions.native_condition``), when it is that simple.
    native: conditions.Check | None = None


@dataclass(frozen=True, slots=True)
class CompiledRule:
    key: str
    version_id: int | None
    spec: RuleSpec
    condition: cel.Program | None
    needs: Needs
    matches: Mapping[int, _CompiledMatch]
    weekdays: frozenset[int]
    point_effects: tuple[tuple[int, Effect, Any], ...] = ()
    coupons: tuple[str, ...] = ()
    badges: tuple[str, ...] = ()
    rewards: tuple[str, ...] = ()
    base: PerUnit | None = None
    has_points: bool = False
    base_rates: Mapping[str, tuple[int, int]] | None = None
    is_scoped: bool = False
    is_limited: bool = False
    has_multiplier: bool = False
    tiers: frozenset[str] = frozenset()
    segments: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    #: The condition in plain Python (``conditions.native_condition``), when it is that simple.
    native: conditions.Check | None = None
    #: One function per entry of ``point_effects``: its result for an occurrence.
    kernels: tuple[_Kernel, ...] = ()
    #: The results and points when they are the same for every occurrence (fixed points).
    fixed: tuple[tuple[EffectResult, ...], int] | None = None
    #: The line filter of the base effect (None: the whole order).
    base_match: _CompiledMatch | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    hours: tuple[tuple[time, time], ...] = ()
    #: The rule's name in every language (what a ledger entry of it shows).
    names: Mapping[str, str] = field(default_factory=dict)
    #: Per-member caps that are set, as (period, cap).
    caps: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class CompiledProgram:
    rules: tuple[CompiledRule, ...]
    by_trigger: Mapping[str, tuple[CompiledRule, ...]]
    needs_by_trigger: Mapping[str, Needs]

    def rules_for(self, trigger: str) -> tuple[CompiledRule, ...]:
        return self.by_trigger.get(trigger, ())

    @property
    def triggers(self) -> frozenset[str]:
        return frozenset(self.by_trigger)

    @property
    def targets_offers(self) -> bool:
        """A rule targets offers members hold (then member facts include them)."""
        return any(rule.offers for rule in self.rules)


def compile_program(versions: Iterable[tuple[int | None, RuleSpec]]) -> CompiledProgram:
    """Compile every active rule version; rules run in priority order (highest first).

    Raises:
        RuleCompileError: the first expression that does not compile or check.
    """
    compiled = [_compile_rule(version_id, spec) for version_id, spec in versions if spec.is_active]
    compiled.sort(key=lambda r: (-r.spec.priority, r.key))
    by_trigger: dict[str, list[CompiledRule]] = {}
    for rule in compiled:
        for trigger in rule.spec.on:
            by_trigger.setdefault(trigger, []).append(rule)
    needs_by_trigger = {
        trigger: Needs.merge(rule.needs for rule in rules) for trigger, rules in by_trigger.items()
    }
    return CompiledProgram(
        rules=tuple(compiled),
        by_trigger={t: tuple(rs) for t, rs in by_trigger.items()},
        needs_by_trigger=needs_by_trigger,
    )


@dataclass(frozen=True, slots=True)
class Needs:
    """What the CEL context of an occurrence must hold: fields of ``order``, ``member``,
    ``event`` and ``line`` as flat variables (``__order_total``: a scalar converts far
    faster than a map), and the variables used as a whole (``lines``, ``now``, or a map an
    expression passes around)."""

    flat: Mapping[str, frozenset[str]] = field(default_factory=dict)
    whole: frozenset[str] = frozenset()

    @staticmethod
    def merge(many: Iterable[Needs]) -> Needs:
        flat: dict[str, frozenset[str]] = {}
        whole: set[str] = set()
        for needs in many:
            for name, fields in needs.flat.items():
                flat[name] = flat.get(name, frozenset()) | fields
            whole |= needs.whole
        return Needs(flat, frozenset(whole))


#: Variables whose fields are exposed flat; ``lines`` and ``now`` are always whole.
_FLAT = ("order", "member", "event", "line")
_MACRO_VARIABLE = re.compile(r"\.\s*(?:exists_one|exists|all|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")


def rewrite(source: str, *, allow_line: bool) -> tuple[str, Needs]:
    """The expression with ``order.total`` etc. as flat variables (``__order_total``), and
    what it needs. ``has(order.total)`` of a fixed field is ``true`` (fields are always
    present, maybe null). A variable also used otherwise (passed whole, indexed, or shadowed
    by a macro variable) is provided whole as well. String literals are left alone."""
    shadowed = set(_MACRO_VARIABLE.findall(_without_strings(source)))
    names = [n for n in _FLAT if n not in shadowed and (allow_line or n != "line")]
    flat: dict[str, set[str]] = {}
    # A shadowed name may still be used outside its macro: provide it whole.
    whole = {n for n in shadowed if n in _FLAT and (allow_line or n != "line")}
    pieces: list[str] = []
    position = 0
    for literal in _STRING.finditer(source):
        pieces.append(_rewrite_code(source[position : literal.start()], names, flat, whole))
        pieces.append(literal.group())
        position = literal.end()
    pieces.append(_rewrite_code(source[position:], names, flat, whole))
    return "".join(pieces), Needs({k: frozenset(v) for k, v in flat.items()}, frozenset(whole))


def _rewrite_code(code: str, names: list[str], flat: dict[str, set[str]], whole: set[str]) -> str:
    if not names:
        return code
    alternatives = "|".join(names)

    def has(match: re.Match[str]) -> str:
        name, field_name = match.group(1), match.group(2)
        return "true" if field_name in FIELDS[name] else match.group()

    code = re.sub(rf"\bhas\(\s*({alternatives})\s*\.\s*([A-Za-z_]\w*)\s*\)", has, code)

    def select(match: re.Match[str]) -> str:
        name, field_name = match.group(1), match.group(2)
        if field_name not in FIELDS[name]:
            return match.group()
        flat.setdefault(name, set()).add(field_name)
        return f"__{name}_{field_name}"

    code = re.sub(rf"(?<![\w.])({alternatives})\s*\.\s*([A-Za-z_]\w*)\b", select, code)
    for bare in re.finditer(rf"(?<![\w.])({alternatives})\b", code):
        whole.add(bare.group(1))
    return code


def _compile_rule(version_id: int | None, spec: RuleSpec) -> CompiledRule:
    needs: list[Needs] = []
    condition = native = None
    if spec.condition.strip() != "true":
        condition = _compile(spec.key, "condition", spec.condition, needs, allow_line=False)
        native = conditions.native_condition(spec.condition, _RULE_FIELDS)
    matches: dict[int, _CompiledMatch] = {}
    for index, effect in enumerate(spec.effects):
        match = getattr(effect, "lines", None)
        if isinstance(match, LineMatch):
            line_condition = line_native = None
            if match.condition:
                line_condition = _compile(
                    spec.key,
                    f"effects[{index}].lines.condition",
                    match.condition,
                    needs,
                    allow_line=True,
                )
                line_native = conditions.native_condition(match.condition, _LINE_FIELDS)
            line_needs = (
                rewrite(match.condition, allow_line=True)[1] if match.condition else Needs()
            )
            line_fields = tuple(sorted(line_needs.flat.get("line", frozenset())))
            pure = line_condition is not None and set(line_condition.variables()) <= {
                f"__line_{name}" for name in line_fields
            }
            matches[index] = _CompiledMatch(
                frozenset(match.skus),
                frozenset(match.categories),
                line_condition,
                line_fields,
                "line" in line_needs.whole,
                {} if pure else None,
                line_native,
            )
    weekdays = frozenset(WEEKDAYS.index(day) for day in spec.validity.days_of_week)
    point_effects = tuple(
        (index, effect, _prepared(effect))
        for index, effect in enumerate(spec.effects)
        if not isinstance(effect, IssueCoupon | AwardBadge | GrantReward)
    )
    base = next((e for e in spec.effects if isinstance(e, PerUnit) and e.base), None)
    validity, targeting, caps = spec.validity, spec.targeting, spec.limits.per_member
    return CompiledRule(
        names=MappingProxyType(spec.name.model_dump()),
        key=spec.key,
        version_id=version_id,
        spec=spec,
        condition=condition,
        needs=Needs.merge(needs),
        matches=matches,
        weekdays=weekdays,
        point_effects=point_effects,
        coupons=tuple(e.campaign for e in spec.effects if isinstance(e, IssueCoupon)),
        badges=tuple(e.badge for e in spec.effects if isinstance(e, AwardBadge)),
        rewards=tuple(e.reward for e in spec.effects if isinstance(e, GrantReward)),
        base=base,
        has_points=bool(point_effects),
        base_rates=_prepared(base) if base is not None else None,
        is_scoped=bool(
            validity.starts_at
            or validity.ends_at
            or validity.days_of_week
            or validity.hours
            or targeting.tiers
            or targeting.segments
            or targeting.offers
        ),
        tiers=frozenset(targeting.tiers),
        segments=frozenset(targeting.segments),
        offers=frozenset(targeting.offers),
        is_limited=spec.limits != Limits(),
        has_multiplier=any(isinstance(e, Multiplier) for e in spec.effects),
        native=native,
        kernels=tuple(
            _kernel(effect, prepared, matches.get(index))
            for index, effect, prepared in point_effects
        ),
        fixed=_fixed(point_effects),
        base_match=next(
            (matches.get(i) for i, e, _ in point_effects if isinstance(e, PerUnit) and e.base),
            None,
        ),
        starts_at=validity.starts_at,
        ends_at=validity.ends_at,
        hours=tuple((window.start, window.end) for window in validity.hours),
        caps=tuple(
            (period, cap)
            for period in ("day", "week", "month", "year")
            if (cap := getattr(caps, period)) is not None
        ),
    )


def _fixed(
    point_effects: Sequence[tuple[int, Effect, Any]],
) -> tuple[tuple[EffectResult, ...], int] | None:
    """The results of effects that are all fixed points (or none), the same every time."""
    fixed = [effect for _, effect, _ in point_effects if isinstance(effect, FixedPoints)]
    if len(fixed) < len(point_effects):
        return None
    return tuple(EffectResult("fixed", e.points) for e in fixed), sum(e.points for e in fixed)


def _prepared(effect: Effect) -> Any:
    """Rates and factors as integer fractions, so evaluation needs no Decimal arithmetic."""
    if isinstance(effect, PerUnit):
        return {
            code: (exact.numerator, exact.denominator)
            for code, rate in effect.rates.items()
            for exact in (Fraction(rate),)
        }
    if isinstance(effect, Multiplier):
        exact = Fraction(effect.factor)
        return (exact.numerator, exact.denominator)
    return None


def _compile(
    key: str, path: str, source: str, needs: list[Needs], *, allow_line: bool
) -> cel.Program:
    # Imported here: the package loads a terminal UI (prompt_toolkit) with it, which would
    # slow every command that never evaluates an expression.
    import cel

    try:
        original = cel.compile(source)
    except Exception as exc:  # whatever the library raises, the expression is bad
        raise RuleCompileError(key, path, source, _first_line(str(exc))) from None
    known = {*VARIABLES, "line"} if allow_line else set(VARIABLES)
    for name in set(original.variables()) & known:
        fields = _referenced_fields(source, name)
        allowed = FIELDS.get(name)
        if fields is not None and allowed is not None:
            unknown = sorted(fields - allowed)
            if unknown:
                raise RuleCompileError(
                    key,
                    path,
                    source,
                    f"{name} has no field {unknown[0]!r} (fields: {', '.join(sorted(allowed))})",
                )
    rewritten, found = rewrite(source, allow_line=allow_line)
    program = cel.compile(rewritten)
    referenced = set(program.variables())
    whole = (found.whole | (referenced & {"lines", "now"})) - {"line"}
    flat = {name: fields for name, fields in found.flat.items() if name != "line"}
    needs.append(Needs(flat, frozenset(whole)))
    _trial(key, path, source, program, allow_line=allow_line)
    return program


def _referenced_fields(source: str, name: str) -> frozenset[str] | None:
    """Fields of ``name`` the expression selects, or None when it uses the whole value.

    Conservative: a bare use (passed to a function, indexed, compared) needs every field.
    String literals may add a field that is not needed, never drop one that is.
    """
    source = _without_strings(source)
    uses = list(re.finditer(rf"(?<![\w.]){re.escape(name)}\b", source))
    fields: set[str] = set()
    for use in uses:
        rest = source[use.end() :]
        selected = re.match(r"\s*\.\s*([A-Za-z_]\w*)", rest)
        if selected is None:
            return _ALL
        fields.add(selected.group(1))
    return frozenset(fields)


_STRING = re.compile(
    r'"""[\s\S]*?"""' r"|'''[\s\S]*?'''" r'|"(?:\\.|[^"\\])*"' r"|'(?:\\.|[^'\\])*'"
)


def _without_strings(source: str) -> str:
    """The expression with its string literals emptied (their text is not code)."""
    return _STRING.sub('""', source)


def _trial(key: str, path: str, source: str, program: cel.Program, *, allow_line: bool) -> None:
    """Evaluate once against a sample of every variable, to catch an undefined name or a
    type mix-up (``order.total > "100"``) when the program is applied, not at checkout."""
    sample = _sample_context(allow_line=allow_line)
    try:
        program.execute(sample)
    except (KeyError, IndexError, ArithmeticError):
        return  # depends on the data (event.data.x, member.attributes.y, a divisor)
    except (RuntimeError, TypeError, ValueError) as exc:
        message = _first_line(str(exc))
        if "Undefined variable" in message or "No such overload" in message:
            raise RuleCompileError(key, path, source, message) from None


def _sample_context(*, allow_line: bool) -> dict[str, Any]:
    line = LineView("SKU", "category", 1, 1000, 0)
    order = OrderView("order", "EUR", 1000, 0, "web", (line,))
    member = MemberView(
        id="member",
        tier="tier",
        segments=("segment",),
        attributes={"attribute": "value"},
        order_count=1,
        lifetime_spend=1000,
        last_order_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")),
        enrolled_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")),
        birthday=date(1990, 1, 1),
    )
    occurrence = Occurrence(
        trigger="order.paid",
        occurred_at=datetime(2026, 1, 2, tzinfo=ZoneInfo("UTC")),
        member=member,
        order=order,
        data={},
        event_type="order.paid",
    )
    everything = Needs(
        {name: FIELDS[name] for name in ("order", "member", "event")}, frozenset(VARIABLES)
    )
    values = build_values(occurrence, everything, ZoneInfo("UTC"))
    if allow_line:
        values["line"] = _line_value(line)
        values.update(_flat_line(line, FIELDS["line"]))
    return values


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid expression"


# -- values -------------------------------------------------------------------------------
def cel_time(at: datetime, zone: ZoneInfo) -> datetime:
    """``at`` in the zone as a fixed-offset datetime (what CEL can take; hours are local)."""
    local = at.astimezone(zone)
    return local.replace(tzinfo=timezone(local.utcoffset() or timedelta(0)))


def build_values(occurrence: Occurrence, needs: Needs, zone: ZoneInfo) -> dict[str, Any]:
    """CEL variables for one occurrence: the needed fields flat, whole values where used."""
    values: dict[str, Any] = {}
    local = cel_time(occurrence.occurred_at, zone)
    whole = needs.whole
    if "now" in whole:
        values["now"] = local
    event_fields = needs.flat.get("event")
    if event_fields or "event" in whole:
        event = {
            "type": _event_type(occurrence, None),
            "occurred_at": local,
            "data": dict(occurrence.data),
        }
        if "event" in whole:
            values["event"] = event
        for name in event_fields or ():
            values[f"__event_{name}"] = event[name]
    order = occurrence.order
    order_fields = needs.flat.get("order")
    if order_fields or "order" in whole:
        found = (
            None
            if order is None
            else _order_value(order, None if "order" in whole else order_fields)
        )
        if "order" in whole:
            values["order"] = found
        for name in order_fields or ():
            values[f"__order_{name}"] = None if found is None else found[name]
    if "lines" in whole:
        values["lines"] = [] if order is None else [_line_value(line) for line in order.lines]
    member_fields = needs.flat.get("member")
    if member_fields or "member" in whole:
        member = _member_value(
            occurrence.member, local, None if "member" in whole else member_fields
        )
        if "member" in whole:
            values["member"] = member
        for name in member_fields or ():
            values[f"__member_{name}"] = member[name]
    return values


def _flat_line(line: LineView, fields: frozenset[str]) -> dict[str, Any]:
    return {f"__line_{name}": _LINE_READ[name](line) for name in fields}


#: What CEL sees of each field of ``order``, ``member`` and ``line`` (the member's
#: ``days_since_last_order`` also needs the local time: see ``_member_value``).
_ORDER_READ: dict[str, Callable[[OrderView], Any]] = {
    "id": attrgetter("order_id"),
    "currency": attrgetter("currency"),
    "total": attrgetter("net_amount"),
    "amount": lambda order: order.net_amount / 10**order.exponent,
    "shipping": attrgetter("shipping"),
    "channel": attrgetter("channel"),
    "line_count": lambda order: len(order.lines),
    "item_count": lambda order: sum(line.quantity for line in order.lines),
}
_MEMBER_READ: dict[str, Callable[[MemberView], Any]] = {
    "id": attrgetter("id"),
    "tier": attrgetter("tier"),
    "segments": lambda member: list(member.segments),
    "attributes": lambda member: dict(member.attributes),
    "order_count": attrgetter("order_count"),
    "lifetime_spend": attrgetter("lifetime_spend"),
    "enrolled_at": attrgetter("enrolled_at"),
    "birthday": lambda member: member.birthday.isoformat() if member.birthday else None,
}
_LINE_READ: dict[str, Callable[[LineView], Any]] = {
    "sku": attrgetter("sku"),
    "category": attrgetter("category"),
    "quantity": attrgetter("quantity"),
    "price": attrgetter("unit_price"),
    "discount": attrgetter("discount"),
    "amount": attrgetter("amount"),
}


def _order_value(order: OrderView, fields: frozenset[str] | None) -> dict[str, Any]:
    wanted = FIELDS["order"] if fields is None else fields
    return {name: _ORDER_READ[name](order) for name in wanted}


def _member_value(
    member: MemberView, local: datetime, fields: frozenset[str] | None
) -> dict[str, Any]:
    wanted = FIELDS["member"] if fields is None else fields
    value = {name: _MEMBER_READ[name](member) for name in wanted if name in _MEMBER_READ}
    if "days_since_last_order" in wanted:
        last = member.last_order_at
        value["days_since_last_order"] = None if last is None else (local - last).days
    return value


def _line_value(line: LineView) -> dict[str, Any]:
    return {name: read(line) for name, read in _LINE_READ.items()}


# -- evaluation ---------------------------------------------------------------------------
_NO_DETAIL: Mapping[str, Any] = MappingProxyType({})


# Named tuples, not dataclasses: a few are made per rule per event, and a frozen
# dataclass costs several times more to create.
class EffectResult(NamedTuple):
    kind: str
    points: int
    detail: Mapping[str, Any] = _NO_DETAIL


class Hit(NamedTuple):
    """A rule that fired for an occurrence, with its points before limits."""

    rule: CompiledRule
    points: int
    effects: tuple[EffectResult, ...]
    coupons: tuple[str, ...] = ()
    badges: tuple[str, ...] = ()
    is_base: bool = False
    rewards: tuple[str, ...] = ()


class Miss(NamedTuple):
    """A rule that did not fire, and why (for dry runs and backtests)."""

    rule: CompiledRule
    reason: str


class Evaluation(NamedTuple):
    hits: tuple[Hit, ...]
    misses: tuple[Miss, ...]
    base_points: int


class _Scope:
    """What the rules of one occurrence share: the CEL context (built once, on first use)
    and the matching lines of each line filter."""

    __slots__ = ("context", "lines", "occurrence", "order", "program", "zone")

    def __init__(self, program: CompiledProgram, occurrence: Occurrence, zone: ZoneInfo) -> None:
        self.program = program
        self.occurrence = occurrence
        self.order = occurrence.order
        self.zone = zone
        self.context: cel.Context | None = None
        self.lines: dict[int, list[LineView]] = {}

    def cel(self) -> cel.Context:
        if self.context is None:
            import cel  # see _compile

            needs = self.program.needs_by_trigger.get(self.occurrence.trigger, Needs())
            self.context = cel.Context(build_values(self.occurrence, needs, self.zone))
        return self.context


def evaluate(program: CompiledProgram, occurrence: Occurrence, zone: ZoneInfo) -> Evaluation:
    """Which rules fire and for how many points, ignoring limits (what ``decide`` does with
    counters that never run out)."""
    return decide(program, occurrence, zone, "", None).evaluation


class Decision(NamedTuple):
    evaluation: Evaluation
    grants: tuple[Grant, ...]


class _Base(NamedTuple):
    """The base earning granted for an occurrence, which multipliers scale."""

    points: int
    lines: frozenset[int] | None  # ids of the lines it counted; None: the whole order
    amount: int
    rate: tuple[int, int] | None  # per whole unit; None when limits cut the base


#: Named tuples made per event are made as ``_make`` makes them, skipping the generated
#: ``__new__`` (a third of the cost of each).
_new = tuple.__new__
_NOTHING = Decision(Evaluation((), (), 0), ())


def decide(
    program: CompiledProgram,
    occurrence: Occurrence,
    zone: ZoneInfo,
    member: str,
    usage: Usage | None,
) -> Decision:
    """Which rules fire, and what each is granted after its limits (consuming ``usage``;
    None: no limits).

    Rules run in priority order (a base rule is settled before a multiplier of higher
    priority). Within an exclusive ``group`` the first rule that is *granted* something
    wins: a rule whose limits are spent leaves the group to the next. Multipliers scale the
    base points actually granted (after the base rule's own limits), on the lines they
    count.
    """
    rules = program.by_trigger.get(occurrence.trigger)
    if not rules:
        return _NOTHING
    local = occurrence.occurred_at.astimezone(zone)
    scope = _Scope(program, occurrence, zone)
    misses: list[Miss] = []
    candidates: list[CompiledRule] = []
    for rule in rules:
        reason = _out_of_scope(rule, occurrence, local) if rule.is_scoped else None
        if reason is None and rule.condition is not None:
            reason = _condition(rule, scope)
        if reason is not None:
            misses.append(_new(Miss, (rule, reason)))
        else:
            candidates.append(rule)
    hits: list[Hit] = []
    grants: list[Grant] = []
    taken_groups: set[str] = set()
    base: _Base | None = None
    base_points = 0
    done: set[str] = set()

    def run(rule: CompiledRule) -> None:
        nonlocal base, base_points
        done.add(rule.key)
        group = rule.spec.group
        if group is not None and group in taken_groups:
            misses.append(_new(Miss, (rule, f"group {group} already applied")))
            return
        if rule.fixed is not None:
            results, points = rule.fixed
        else:
            results = tuple([kernel(scope, base) for kernel in rule.kernels])
            points = 0
            for result in results:
                points += result.points
        if (
            points <= 0
            and rule.has_points
            and not rule.coupons
            and not rule.badges
            and not rule.rewards
        ):
            misses.append(_new(Miss, (rule, "no points for this occurrence")))
            return
        is_base = rule.base is not None
        hit = _new(Hit, (rule, points, results, rule.coupons, rule.badges, is_base, rule.rewards))
        hits.append(hit)
        granted = (
            _new(Grant, (hit, points, None)) if usage is None else grant(hit, member, local, usage)
        )
        if granted is None:
            misses.append(_new(Miss, (rule, "limit reached")))
            return
        grants.append(granted)
        if group is not None:
            taken_groups.add(group)
        if is_base:
            base_points += granted.points
            if base is None and granted.points > 0:
                base = _base_of(rule, granted.points, granted.points < points, scope)

    def settle_base() -> None:
        """A multiplier scales the granted base: settle the base rules (priority order)
        before a multiplier of higher priority, each after the rules of higher priority in
        its own exclusive group, so the group goes where priority says."""
        for candidate in candidates:
            if base is not None:
                return
            if candidate.base is None or candidate.key in done:
                continue
            group = candidate.spec.group
            if group is not None:
                for other in candidates:
                    if other is candidate:
                        break
                    if (
                        other.key not in done
                        and other.spec.group == group
                        and not other.has_multiplier
                    ):
                        run(other)
            run(candidate)

    for rule in candidates:
        if rule.key in done:
            continue
        if rule.has_multiplier and base is None:
            settle_base()
        run(rule)
    evaluation = _new(Evaluation, (tuple(hits), tuple(misses), base_points))
    return _new(Decision, (evaluation, tuple(grants)))


def _base_of(rule: CompiledRule, points: int, is_cut: bool, scope: _Scope) -> _Base | None:
    order = scope.order
    if order is None or rule.base_rates is None:
        return None
    rate = None if is_cut else rule.base_rates.get(order.currency)
    match = rule.base_match
    if match is None:
        return _Base(points, None, order.net_amount, rate)
    lines = _matching(order, match, scope)
    return _Base(points, frozenset(id(line) for line in lines), _amount(lines), rate)


def _out_of_scope(rule: CompiledRule, occurrence: Occurrence, local: datetime) -> str | None:
    at = occurrence.occurred_at
    if rule.starts_at is not None and at < rule.starts_at:
        return "not started"
    if rule.ends_at is not None and at >= rule.ends_at:
        return "ended"
    if rule.weekdays and local.weekday() not in rule.weekdays:
        return "not on this day of the week"
    if rule.hours:
        clock = local.time()
        for start, end in rule.hours:
            if start <= clock < end if start <= end else clock >= start or clock < end:
                break  # an end before the start wraps midnight
        else:
            return "outside its hours"
    member = occurrence.member
    if rule.tiers and member.tier not in rule.tiers:
        return "member's tier not targeted"
    if rule.segments and rule.segments.isdisjoint(member.segments):
        return "member's segments not targeted"
    if rule.offers and rule.offers.isdisjoint(member.offers):
        return "member holds none of the targeted offers"
    return None


def _condition(rule: CompiledRule, scope: _Scope) -> str | None:
    """Why the rule's condition does not hold (None: it holds); in plain Python when that
    gives CEL's result, else by CEL."""
    if rule.native is not None:
        try:
            return None if rule.native(scope.occurrence, None) else "condition false"
        except conditions.Unsure:
            pass
    assert rule.condition is not None
    return _check(rule.condition, scope.cel())


def _check(condition: cel.Program, context: cel.Context) -> str | None:
    try:
        result = condition.execute(context)
    except (KeyError, IndexError) as exc:
        return f"condition error: no such key {exc}"
    except (RuntimeError, TypeError, ValueError, ArithmeticError) as exc:
        return f"condition error: {_first_line(str(exc))}"
    if result is True:
        return None
    if result is False:
        return "condition false"
    return f"condition error: result {result!r} is not true or false"


#: An effect's result for an occurrence, given the base earning granted so far.
_Kernel = Callable[[_Scope, _Base | None], EffectResult]


def _kernel(effect: Effect, prepared: Any, match: _CompiledMatch | None) -> _Kernel:
    """The effect as a function of the occurrence, with everything per rule version
    (points, rates and factors as integer fractions, the line filter) bound once."""
    if isinstance(effect, FixedPoints):
        fixed = EffectResult("fixed", effect.points)
        return lambda scope, base: fixed
    nothing = EffectResult(effect.type, 0)
    if isinstance(effect, PerItem):
        return _per_item(effect.points, match, nothing)
    if isinstance(effect, PerUnit):
        return _per_unit("base" if effect.base else "per_unit", prepared, match, nothing)
    assert isinstance(effect, Multiplier)
    return _multiplier(str(effect.factor), prepared, match, nothing)


def _per_item(each: int, match: _CompiledMatch | None, nothing: EffectResult) -> _Kernel:
    def per_item(scope: _Scope, base: _Base | None) -> EffectResult:
        order = scope.order
        if order is None:
            return nothing
        items = 0
        for line in order.lines if match is None else _matching(order, match, scope):
            items += line.quantity
        return _new(EffectResult, ("per_item", items * each, {"items": items}))

    return per_item


def _per_unit(
    kind: str,
    rates: Mapping[str, tuple[int, int]],
    match: _CompiledMatch | None,
    nothing: EffectResult,
) -> _Kernel:
    def per_unit(scope: _Scope, base: _Base | None) -> EffectResult:
        order = scope.order
        if order is None:
            return nothing
        amount = order.net_amount if match is None else _amount(_matching(order, match, scope))
        rate = rates.get(order.currency)
        if rate is None:
            return EffectResult("per_unit", 0, {"reason": f"no rate for {order.currency}"})
        points = amount * rate[0] // (rate[1] * 10**order.exponent)
        return _new(EffectResult, (kind, points if points > 0 else 0, {"amount": amount}))

    return per_unit


def _multiplier(
    factor: str, fraction: tuple[int, int], match: _CompiledMatch | None, nothing: EffectResult
) -> _Kernel:
    numerator, denominator = fraction

    def multiplier(scope: _Scope, base: _Base | None) -> EffectResult:
        order = scope.order
        if order is None:
            return nothing
        lines = order.lines if match is None else _matching(order, match, scope)
        amount = order.net_amount if match is None else _amount(lines)
        if base is None or base.amount <= 0:
            return EffectResult("multiplier", 0, {"reason": "no base earning granted"})
        # The base points granted on the lines the multiplier counts, then the extra:
        # "triple points" on €12.99 at 1 point per € is 12 + 24, not 12 + floor(25.98).
        # Uncut, the base of the shared lines is computed as the base rule would; cut by
        # the base rule's limits, it is the granted base in proportion.
        if match is None and base.lines is None:
            counted = base.points
        else:
            shared = lines if base.lines is None else [ln for ln in lines if id(ln) in base.lines]
            shared_amount = _amount(shared)
            if base.rate is not None:
                counted = max(
                    0, shared_amount * base.rate[0] // (base.rate[1] * 10**order.exponent)
                )
            else:
                counted = base.points * shared_amount // base.amount
        extra = counted * (numerator - denominator) // denominator
        return EffectResult("multiplier", extra, {"amount": amount, "factor": factor})

    return multiplier


def _amount(lines: Iterable[LineView]) -> int:
    total = 0
    for line in lines:
        total += line.amount
    return total


def _matching(order: OrderView, match: _CompiledMatch, scope: _Scope) -> list[LineView]:
    cached = scope.lines.get(id(match))
    if cached is not None:
        return cached
    skus, categories = match.skus, match.categories
    if not categories:
        found = [line for line in order.lines if line.sku in skus] if skus else list(order.lines)
    elif not skus:
        found = [line for line in order.lines if line.category in categories]
    else:
        found = [ln for ln in order.lines if ln.sku in skus or ln.category in categories]
    if match.condition is not None:
        found = _holding(match, found, scope)
    scope.lines[id(match)] = found
    return found


_MEMO_SIZE = 50_000


def _holding(match: _CompiledMatch, lines: list[LineView], scope: _Scope) -> list[LineView]:
    """The lines for which the match's condition holds: in plain Python when that gives
    CEL's result for every line, else line by line by CEL."""
    native, occurrence = match.native, scope.occurrence
    if native is not None:
        try:
            return [line for line in lines if native(occurrence, line)]
        except conditions.Unsure:
            pass
    return [line for line in lines if _line_holds(match, line, scope)]


def _line_holds(match: _CompiledMatch, line: LineView, scope: _Scope) -> bool:
    assert match.condition is not None
    value = _line_value(line)
    memo = match.memo
    if memo is not None:
        key = tuple(value[name] for name in match.line_fields)
        found = memo.get(key)
        if found is not None:
            return found
        import cel  # see _compile

        verdict = (
            _check(
                match.condition, cel.Context({f"__line_{n}": value[n] for n in match.line_fields})
            )
            is None
        )
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = verdict
        return verdict
    context = scope.cel()
    for name in match.line_fields:
        context.add_variable(f"__line_{name}", value[name])
    if match.whole_line:
        context.add_variable("line", value)
    return _check(match.condition, context) is None


def _event_type(occurrence: Occurrence, _: object) -> str:
    return occurrence.event_type or occurrence.trigger


def _of_order(read: Callable[[OrderView], Any]) -> conditions.Getter:
    return lambda occurrence, _: None if occurrence.order is None else read(occurrence.order)


def _of_member(read: Callable[[MemberView], Any]) -> conditions.Getter:
    return lambda occurrence, _: read(occurrence.member)


def _of_line(read: Callable[[LineView], Any]) -> conditions.Getter:
    return lambda _, line: read(line)


#: The fields a native condition may read (``conditions.native_condition``), with the values
#: ``build_values`` gives CEL; fields CEL gets as a float, a list, a map or a timestamp
#: (``order.amount``, ``member.segments``, ...) are left to CEL, as is ``event.data``.
_RULE_FIELDS: dict[str, conditions.Getter] = {
    "event.type": _event_type,
    **{
        f"order.{name}": _of_order(_ORDER_READ[name])
        for name in ("id", "currency", "total", "shipping", "channel", "line_count", "item_count")
    },
    **{
        f"member.{name}": _of_member(_MEMBER_READ[name])
        for name in ("id", "tier", "order_count", "lifetime_spend", "birthday")
    },
}
_LINE_FIELDS: dict[str, conditions.Getter] = {
    **_RULE_FIELDS,
    **{f"line.{name}": _of_line(read) for name, read in _LINE_READ.items()},
}


def _floor(value: Decimal) -> int:
    return max(0, int(value.to_integral_value(rounding=ROUND_FLOOR)))


# -- limits -------------------------------------------------------------------------------
class Usage(Protocol):
    """The rules' counters as of now (the service's implementation locks and persists)."""

    def rule_total(self, key: str) -> tuple[int, int]:
        """Points issued and uses of the rule so far (every version)."""
        ...

    def member_total(self, key: str, member: str, period: str) -> tuple[int, int]:
        """Points and uses of the rule for the member in the period (``all`` = ever)."""
        ...

    def consume(self, key: str, member: str, periods: Sequence[str], points: int) -> None: ...


def periods_of(local: datetime) -> dict[str, str]:
    """Period keys of a local time: ``day``, ``week`` (ISO), ``month``, ``year``, ``all``."""
    return {period: key(local) for period, key in _PERIOD_KEYS.items()}


def _week(local: datetime) -> str:
    year, week, _ = local.isocalendar()
    return f"w{year:04d}-{week:02d}"


_PERIOD_KEYS: dict[str, Callable[[datetime], str]] = {
    "day": lambda local: f"d{local.year:04d}-{local.month:02d}-{local.day:02d}",
    "week": _week,
    "month": lambda local: f"m{local.year:04d}-{local.month:02d}",
    "year": lambda local: f"y{local.year:04d}",
    "all": lambda local: "all",
}


class Grant(NamedTuple):
    """What a hit is granted after limits; ``points`` may be less than the hit's."""

    hit: Hit
    points: int
    limited_by: str | None


def grant(hit: Hit, member: str, local: datetime, usage: Usage) -> Grant | None:
    """Apply the rule's limits to a hit and consume them; None when the rule may not fire.

    Invariants: the rule's points never pass its budget, a member's points from it never
    pass a period cap, and neither uses limit is passed; points are cut to what remains.
    """
    if not hit.rule.is_limited:  # nothing to count: no counter is read or written
        if hit.points > 0 or not hit.rule.has_points:
            return _new(Grant, (hit, hit.points, None))
        return None
    limits = hit.rule.spec.limits
    key = hit.rule.key
    points = hit.points
    limited_by: str | None = None
    if limits.uses is not None or limits.budget is not None:
        issued, uses = usage.rule_total(key)
        if limits.uses is not None and uses >= limits.uses:
            return None
        if limits.budget is not None:
            left = limits.budget - issued
            if left <= 0 and hit.rule.has_points:
                return None
            if points > left:
                points, limited_by = left, "budget"
    if limits.uses_per_member is not None:
        _, member_uses = usage.member_total(key, member, "all")
        if member_uses >= limits.uses_per_member:
            return None
    if limits.per_event is not None and points > limits.per_event:
        points, limited_by = limits.per_event, "per_event"
    tracked: list[str] = []
    for period, cap in hit.rule.caps:
        period_key = _PERIOD_KEYS[period](local)
        tracked.append(period_key)
        used, _ = usage.member_total(key, member, period_key)
        if points > cap - used:
            points, limited_by = max(0, cap - used), f"per_member.{period}"
    if hit.rule.has_points and points <= 0:
        return None
    if limits.uses_per_member is not None:
        tracked.append("all")
    usage.consume(key, member, tracked, points)
    return Grant(hit, points, limited_by)


@dataclass
class MemoryUsage:
    """Counters in memory: dry runs, backtests and the property tests."""

    rules: dict[str, list[int]] = field(default_factory=dict)
    members: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)

    def rule_total(self, key: str) -> tuple[int, int]:
        points, uses = self.rules.get(key, (0, 0))
        return points, uses

    def member_total(self, key: str, member: str, period: str) -> tuple[int, int]:
        points, uses = self.members.get((key, member, period), (0, 0))
        return points, uses

    def consume(self, key: str, member: str, periods: Sequence[str], points: int) -> None:
        total = self.rules.setdefault(key, [0, 0])
        total[0] += points
        total[1] += 1
        for period in periods:
            row = self.members.setdefault((key, member, period), [0, 0])
            row[0] += points
            row[1] += 1


def tier_bonus(base_points: int, multiplier: Decimal) -> int:
    """Extra points of a tier's earning multiplier on the base points (rounded down)."""
    if multiplier <= 1 or base_points <= 0:
        return 0
    return _floor(Decimal(base_points) * (multiplier - 1))


# -- audiences: a condition over the member alone -------------------------------------------
#: What an audience's condition reads of ``member``: the fields rules see, the member's
#: stored scores (a map: segment, r, f, m, churn_risk, clv, currency) and favourites (a
#: map: categories, products).
AUDIENCE_FIELDS = FIELDS["member"] | {"scores", "favourites"}
AUDIENCE_VARIABLES = ("member", "now")


@dataclass(frozen=True, slots=True)
class MemberCondition:
    """A compiled CEL condition over ``member`` (and ``now``): which of its fields it reads,
    and the plain-Python check when it is that simple."""

    source: str
    program: cel.Program
    fields: frozenset[str]
    native: conditions.Check | None = None


def compile_member_condition(source: str, path: str) -> MemberCondition:
    """Compile an audience's condition (``path`` names it in errors).

    Raises:
        RuleCompileError: it does not compile, uses another variable, or a field ``member``
            does not have.
    """
    import cel  # see _compile

    try:
        program = cel.compile(source)
    except Exception as exc:  # whatever the library raises, the expression is bad
        raise RuleCompileError("audience", path, source, _first_line(str(exc))) from None
    unknown = sorted(set(program.variables()) - set(AUDIENCE_VARIABLES))
    if unknown:
        raise RuleCompileError(
            "audience", path, source, f"undefined variable {unknown[0]!r} (variables: member, now)"
        )
    fields = _referenced_fields(source, "member")
    if fields is None:
        fields = AUDIENCE_FIELDS
    wrong = sorted(fields - AUDIENCE_FIELDS)
    if wrong:
        raise RuleCompileError(
            "audience",
            path,
            source,
            f"member has no field {wrong[0]!r} (fields: {', '.join(sorted(AUDIENCE_FIELDS))})",
        )
    native = conditions.native_condition(
        source, {f"member.{name}": _of_value(name) for name in FIELDS["member"]}
    )
    condition = MemberCondition(source, program, fields, native)
    sample = _sample_context(allow_line=False)["member"]
    try:
        program.execute(
            {"member": {**sample, "scores": {}, "favourites": {}}, "now": sample["enrolled_at"]}
        )
    except (KeyError, IndexError, ArithmeticError):
        pass  # depends on the data
    except (RuntimeError, TypeError, ValueError) as exc:
        message = _first_line(str(exc))
        if "Undefined variable" in message or "No such overload" in message:
            raise RuleCompileError("audience", path, source, message) from None
    return condition


def _of_value(name: str) -> conditions.Getter:
    return lambda value, _: value[name]


def member_holds(
    condition: MemberCondition,
    member: MemberView,
    extra: Mapping[str, Any],
    now: datetime,
    zone: ZoneInfo,
) -> bool:
    """Whether ``condition`` holds for ``member`` at ``now`` (the program's ``zone`` for its
    times); ``extra`` gives ``scores`` and ``favourites`` when the condition reads them. An
    expression that fails on the member's data (a missing attribute) does not hold."""
    local = cel_time(now, zone)
    value = _member_value(member, local, condition.fields & FIELDS["member"])
    value.update(extra)
    if condition.native is not None:
        try:
            return condition.native(value, None)
        except conditions.Unsure:
            pass
    try:
        return condition.program.execute({"member": value, "now": local}) is True
    except (KeyError, IndexError, ArithmeticError, RuntimeError, TypeError, ValueError):
        return False
