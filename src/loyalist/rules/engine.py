"""The pure rules engine: compile rule versions once, evaluate an occurrence, apply limits.

Nothing here touches the database or the clock: the service passes in what a member and
an order look like and a ``Usage`` of the rules' counters, and gets back what to grant.

CEL values are built once per occurrence and only with the fields the program's
expressions reference (converting values into CEL is most of the cost of evaluating).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

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
    condition = None
    if spec.condition.strip() != "true":
        condition = _compile(spec.key, "condition", spec.condition, needs, allow_line=False)
    matches: dict[int, _CompiledMatch] = {}
    for index, effect in enumerate(spec.effects):
        match = getattr(effect, "lines", None)
        if isinstance(match, LineMatch):
            line_condition = None
            if match.condition:
                line_condition = _compile(
                    spec.key,
                    f"effects[{index}].lines.condition",
                    match.condition,
                    needs,
                    allow_line=True,
                )
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
            )
    weekdays = frozenset(WEEKDAYS.index(day) for day in spec.validity.days_of_week)
    point_effects = tuple(
        (index, effect, _prepared(effect))
        for index, effect in enumerate(spec.effects)
        if not isinstance(effect, IssueCoupon | AwardBadge | GrantReward)
    )
    base = next((e for e in spec.effects if isinstance(e, PerUnit) and e.base), None)
    validity, targeting = spec.validity, spec.targeting
    return CompiledRule(
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
        ),
        tiers=frozenset(targeting.tiers),
        segments=frozenset(targeting.segments),
        is_limited=spec.limits != Limits(),
        has_multiplier=any(isinstance(e, Multiplier) for e in spec.effects),
    )


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
            "type": occurrence.event_type or occurrence.trigger,
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
    value = _line_value(line)
    return {f"__line_{name}": value[name] for name in fields}


def _order_value(order: OrderView, fields: frozenset[str] | None) -> dict[str, Any]:
    wanted = FIELDS["order"] if fields is None else fields
    value: dict[str, Any] = {}
    for name in wanted:
        if name == "id":
            value[name] = order.order_id
        elif name == "currency":
            value[name] = order.currency
        elif name == "total":
            value[name] = order.net_amount
        elif name == "amount":
            value[name] = order.net_amount / 10**order.exponent
        elif name == "shipping":
            value[name] = order.shipping
        elif name == "channel":
            value[name] = order.channel
        elif name == "line_count":
            value[name] = len(order.lines)
        elif name == "item_count":
            value[name] = sum(line.quantity for line in order.lines)
    return value


def _member_value(
    member: MemberView, local: datetime, fields: frozenset[str] | None
) -> dict[str, Any]:
    wanted = FIELDS["member"] if fields is None else fields
    value: dict[str, Any] = {}
    for name in wanted:
        if name == "id":
            value[name] = member.id
        elif name == "tier":
            value[name] = member.tier
        elif name == "segments":
            value[name] = list(member.segments)
        elif name == "attributes":
            value[name] = dict(member.attributes)
        elif name == "order_count":
            value[name] = member.order_count
        elif name == "lifetime_spend":
            value[name] = member.lifetime_spend
        elif name == "days_since_last_order":
            last = member.last_order_at
            value[name] = None if last is None else (local - last).days
        elif name == "enrolled_at":
            value[name] = member.enrolled_at
        elif name == "birthday":
            value[name] = member.birthday.isoformat() if member.birthday else None
    return value


def _line_value(line: LineView, fields: frozenset[str] | None = None) -> dict[str, Any]:
    value = {
        "sku": line.sku,
        "category": line.category,
        "quantity": line.quantity,
        "price": line.unit_price,
        "discount": line.discount,
        "amount": line.amount,
    }
    if fields is None:
        return value
    return {name: value[name] for name in fields if name in value}


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

    __slots__ = ("context", "lines", "occurrence", "program", "zone")

    def __init__(self, program: CompiledProgram, occurrence: Occurrence, zone: ZoneInfo) -> None:
        self.program = program
        self.occurrence = occurrence
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
    rules = program.rules_for(occurrence.trigger)
    if not rules:
        return Decision(Evaluation((), (), 0), ())
    local = occurrence.occurred_at.astimezone(zone)
    scope = _Scope(program, occurrence, zone)
    misses: list[Miss] = []
    candidates: list[CompiledRule] = []
    for rule in rules:
        reason = _out_of_scope(rule, occurrence, local) if rule.is_scoped else None
        if reason is None and rule.condition is not None:
            reason = _check(rule.condition, scope.cel())
        if reason is not None:
            misses.append(Miss(rule, reason))
        else:
            candidates.append(rule)
    hits: list[Hit] = []
    grants: list[Grant] = []
    taken_groups: set[str] = set()
    base: _Base | None = None
    done: set[str] = set()

    def run(rule: CompiledRule) -> None:
        nonlocal base
        done.add(rule.key)
        group = rule.spec.group
        if group is not None and group in taken_groups:
            misses.append(Miss(rule, f"group {group} already applied"))
            return
        results = tuple(
            _effect_points(effect, prepared, rule.matches.get(index), scope, base)
            for index, effect, prepared in rule.point_effects
        )
        points = 0
        for result in results:
            points += result.points
        if (
            rule.has_points
            and points <= 0
            and not rule.coupons
            and not rule.badges
            and not rule.rewards
        ):
            misses.append(Miss(rule, "no points for this occurrence"))
            return
        hit = Hit(
            rule, points, results, rule.coupons, rule.badges, rule.base is not None, rule.rewards
        )
        hits.append(hit)
        granted = Grant(hit, points, None) if usage is None else grant(hit, member, local, usage)
        if granted is None:
            misses.append(Miss(rule, "limit reached"))
            return
        grants.append(granted)
        if group is not None:
            taken_groups.add(group)
        if hit.is_base and base is None and granted.points > 0:
            base = _base_of(rule, granted.points, granted.points < hit.points, scope)

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
    base_points = sum(g.points for g in grants if g.hit.is_base)
    return Decision(Evaluation(tuple(hits), tuple(misses), base_points), tuple(grants))


def _base_of(rule: CompiledRule, points: int, is_cut: bool, scope: _Scope) -> _Base | None:
    order = scope.occurrence.order
    if order is None or rule.base_rates is None:
        return None
    rate = None if is_cut else rule.base_rates.get(order.currency)
    index = next(
        i for i, effect, _ in rule.point_effects if isinstance(effect, PerUnit) and effect.base
    )
    match = rule.matches.get(index)
    if match is None:
        return _Base(points, None, order.net_amount, rate)
    lines = _matching(order, match, scope)
    counted = sum(line.amount for line in lines)
    return _Base(points, frozenset(id(line) for line in lines), counted, rate)


def _out_of_scope(rule: CompiledRule, occurrence: Occurrence, local: datetime) -> str | None:
    validity = rule.spec.validity
    at = occurrence.occurred_at
    if validity.starts_at is not None and at < validity.starts_at:
        return "not started"
    if validity.ends_at is not None and at >= validity.ends_at:
        return "ended"
    if rule.weekdays and local.weekday() not in rule.weekdays:
        return "not on this day of the week"
    if validity.hours and not any(
        _in_hours(local.time(), window.start, window.end) for window in validity.hours
    ):
        return "outside its hours"
    member = occurrence.member
    if rule.tiers and member.tier not in rule.tiers:
        return "member's tier not targeted"
    if rule.segments and rule.segments.isdisjoint(member.segments):
        return "member's segments not targeted"
    return None


def _in_hours(at: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= at < end
    return at >= start or at < end  # wraps midnight


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


def _effect_points(
    effect: Effect,
    prepared: Any,
    match: _CompiledMatch | None,
    scope: _Scope,
    base: _Base | None,
) -> EffectResult:
    if isinstance(effect, FixedPoints):
        return EffectResult("fixed", effect.points)
    order = scope.occurrence.order
    if order is None:
        return EffectResult(effect.type, 0)
    lines = order.lines if match is None else _matching(order, match, scope)
    if isinstance(effect, PerItem):
        items = sum(line.quantity for line in lines)
        return EffectResult("per_item", items * effect.points, {"items": items})
    amount = order.net_amount if match is None else sum(line.amount for line in lines)
    scale = 10**order.exponent
    if isinstance(effect, PerUnit):
        rate = prepared.get(order.currency)
        if rate is None:
            return EffectResult("per_unit", 0, {"reason": f"no rate for {order.currency}"})
        return EffectResult(
            "base" if effect.base else "per_unit",
            max(0, amount * rate[0] // (rate[1] * scale)),
            {"amount": amount},
        )
    assert isinstance(effect, Multiplier)
    if base is None or base.amount <= 0:
        return EffectResult("multiplier", 0, {"reason": "no base earning granted"})
    # The base points granted on the lines the multiplier counts, then the extra: "triple
    # points" on €12.99 at 1 point per € is 12 + 24, not 12 + floor(25.98).
    # Uncut, the base of the shared lines is computed as the base rule would; cut by the
    # base rule's limits, it is the granted base in proportion.
    if match is None and base.lines is None:
        counted = base.points
    else:
        shared = lines if base.lines is None else [ln for ln in lines if id(ln) in base.lines]
        shared_amount = sum(line.amount for line in shared)
        if base.rate is not None:
            counted = max(0, shared_amount * base.rate[0] // (base.rate[1] * scale))
        else:
            counted = base.points * shared_amount // base.amount
    numerator, denominator = prepared
    extra = counted * (numerator - denominator) // denominator
    return EffectResult("multiplier", extra, {"amount": amount, "factor": str(effect.factor)})


def _matching(order: OrderView, match: _CompiledMatch, scope: _Scope) -> list[LineView]:
    cached = scope.lines.get(id(match))
    if cached is not None:
        return cached
    found = []
    for line in order.lines:
        if (match.skus or match.categories) and (
            line.sku not in match.skus and line.category not in match.categories
        ):
            continue
        if match.condition is not None and not _line_holds(match, line, scope):
            continue
        found.append(line)
    scope.lines[id(match)] = found
    return found


_MEMO_SIZE = 50_000


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
    year, week, _ = local.isocalendar()
    return {
        "day": f"d{local.year:04d}-{local.month:02d}-{local.day:02d}",
        "week": f"w{year:04d}-{week:02d}",
        "month": f"m{local.year:04d}-{local.month:02d}",
        "year": f"y{local.year:04d}",
        "all": "all",
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
        return Grant(hit, hit.points, None) if hit.points > 0 or not hit.rule.has_points else None
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
    caps = limits.per_member
    tracked: list[str] = []
    if caps.day or caps.week or caps.month or caps.year:
        periods = periods_of(local)
        for period in ("day", "week", "month", "year"):
            cap = getattr(caps, period)
            if cap is None:
                continue
            tracked.append(periods[period])
            used, _ = usage.member_total(key, member, periods[period])
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
