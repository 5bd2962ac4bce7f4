"""Rule versions and the program file: apply (validated whole, one transaction), export,
edit one rule, dry-run an event, explain an order's points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from loyalist.activities import service as activities
from loyalist.activities.errors import EventNotEvaluableError, OrderNotFoundError
from loyalist.activities.events import OrderLineFact, OrderPaid
from loyalist.activities.schemas import OrderData, OrderRef, ParsedEvent
from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.db.keyset import Bound, int_before
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.i18n import pick_locale
from loyalist.ledger import balances
from loyalist.ledger.models import PostingKind
from loyalist.members import service as members
from loyalist.rules import engine, repository
from loyalist.rules.books import RuleBook, current_program, default_spec, forget_program
from loyalist.rules.engine import CompiledProgram, MemberView, MemoryUsage, Occurrence
from loyalist.rules.errors import RuleInvalidError, RuleNotFoundError
from loyalist.rules.models import RuleVersion
from loyalist.rules.policy import Outcome, decide, order_view
from loyalist.rules.schemas import CAMPAIGN_RULE_PREFIX, ProgramFile, RuleRead, RuleSpec
from loyalist.settings import ProgramPolicy
from loyalist.tiers import service as tiers


def compile_or_raise(specs: Sequence[RuleSpec], pointer: str | None = "/rules") -> CompiledProgram:
    """Compile rules, turning a CEL error into a problem with the field's pointer
    (``pointer/<index>/<path>``; ``pointer`` None for a single rule: ``/<path>``).

    Raises:
        InvalidRequestError: ``rule_invalid`` naming the rule, the path and the expression.
    """
    try:
        return engine.compile_program((None, spec) for spec in specs)
    except engine.RuleCompileError as exc:
        index = next(i for i, spec in enumerate(specs) if spec.key == exc.rule_key)
        path = exc.path.replace("[", "/").replace("]", "").replace(".", "/")
        raise RuleInvalidError(
            f"rule {exc.rule_key!r}: {exc.message}",
            errors=[
                FieldError(
                    f"/{path}" if pointer is None else f"{pointer}/{index}/{path}",
                    f"{exc.message}: `{exc.expression}`",
                )
            ],
        ) from None


@dataclass(frozen=True, slots=True)
class ApplyReport:
    created: list[str]
    unchanged: list[str]
    retired: list[str]
    tiers_changed: bool
    orders_backfilled: int = 0


def apply_program(
    uow: UnitOfWork,
    program: ProgramFile,
    *,
    actor: str | None,
    replace: bool = True,
    policy: ProgramPolicy | None = None,
) -> ApplyReport:
    """Make the file the live program: a new version of each changed rule, the old one and
    every rule missing from the file retired (when ``replace``); tiers replaced if given. A
    section the file leaves out (``rules`` or ``tiers`` None) is left as it is.

    Raises:
        InvalidRequestError: a rule does not compile (nothing is written).
    """
    tier_program = program.tiers
    created: list[str] = []
    unchanged: list[str] = []
    retired: list[str] = []
    if program.rules is not None:
        created, unchanged, retired = _apply_rules(uow, program.rules, actor, replace=replace)
    backfilled = 0
    if tier_program is not None:
        backfilled = tiers.apply_program(
            uow, tier_program, policy.zone if policy is not None else None
        )
    return ApplyReport(created, unchanged, retired, tier_program is not None, backfilled)


def _apply_rules(
    uow: UnitOfWork, specs: Sequence[RuleSpec], actor: str | None, *, replace: bool
) -> tuple[list[str], list[str], list[str]]:
    """(created, unchanged, retired) rule keys."""
    compile_or_raise(specs)
    live = {row.key: row for row in repository.live_versions(uow.session)}
    latest = repository.latest_versions(uow.session, [spec.key for spec in specs])
    created, unchanged = [], []
    for spec in specs:
        current = live.get(spec.key)
        document = spec.model_dump(mode="json", by_alias=True)
        # The stored document read as a spec: a field added since (with its default) is
        # no change.
        if current is not None and RuleSpec.model_validate(current.spec) == spec:
            unchanged.append(spec.key)
            continue
        if current is not None:
            current.retired_at = uow.now
        previous = latest.get(spec.key)
        _add_version(uow, spec, document, (previous.version if previous else 0) + 1, actor)
        created.append(spec.key)
    retired = []
    if replace:
        keep = {spec.key for spec in specs}
        for key, row in sorted(live.items()):
            # A campaign's rules are the campaign's to retire.
            if key not in keep and not key.startswith(CAMPAIGN_RULE_PREFIX):
                row.retired_at = uow.now
                retired.append(key)
    forget_program(uow)
    return created, unchanged, retired


def _add_version(
    uow: UnitOfWork, spec: RuleSpec, document: dict[str, Any], version: int, actor: str | None
) -> RuleVersion:
    row = RuleVersion(
        key=spec.key,
        version=version,
        spec=document,
        created_at=uow.now,
        created_by=actor,
        retired_at=None,
    )
    uow.session.add(row)
    uow.session.flush()
    if spec.limits.budget or spec.limits.uses:
        exists = repository.lock_counters(uow.session, [spec.key])
        if not exists:
            repository.insert_counter(uow.session, spec.key)
    return row


def export_program(uow: UnitOfWork) -> dict[str, Any]:
    """The live program as a program file document (rules by key, then tiers)."""
    rules = [
        RuleSpec.model_validate(row.spec)
        for row in repository.live_versions(uow.session)
        if not row.key.startswith(CAMPAIGN_RULE_PREFIX)  # the campaigns' own
    ]
    document: dict[str, Any] = {
        "version": 1,
        "rules": [
            spec.model_dump(mode="json", by_alias=True, exclude_defaults=True) for spec in rules
        ],
    }
    tier_program = tiers.export_program(uow)
    if tier_program.levels:
        document["tiers"] = tier_program.model_dump(mode="json", exclude_defaults=True)
    return document


def _read(row: RuleVersion) -> RuleRead:
    return RuleRead(
        key=row.key,
        version=row.version,
        version_id=row.id,
        spec=RuleSpec.model_validate(row.spec),
        created_at=row.created_at,
        created_by=row.created_by,
        retired_at=row.retired_at,
    )


def list_rules(uow: UnitOfWork) -> list[RuleRead]:
    return [_read(row) for row in repository.live_versions(uow.session)]


def live_rule_specs(uow: UnitOfWork, policy: ProgramPolicy) -> list[RuleSpec]:
    """The rules in force as the program file gives them (the settings' base rates before
    any rule is stored), by priority (highest first), then key."""
    specs = [RuleSpec.model_validate(row.spec) for row in repository.live_versions(uow.session)]
    found = specs or [default_spec(policy)]
    return sorted(found, key=lambda spec: (-spec.priority, spec.key))


def base_rule(policy: ProgramPolicy) -> RuleSpec:
    """The rule of the settings' base rates: what earned an order's points before any rule
    was stored (their postings name no rule version)."""
    return default_spec(policy)


def rule_specs(uow: UnitOfWork, version_ids: Iterable[int]) -> dict[int, RuleSpec]:
    """The rules as each of these versions gave them (retired ones too), by version id."""
    wanted = set(version_ids)
    if not wanted:
        return {}
    return {
        row.id: RuleSpec.model_validate(row.spec)
        for row in repository.versions_by_id(uow.session, wanted)
    }


def get_rule(uow: UnitOfWork, key: str) -> list[RuleRead]:
    """Every version of a rule, newest first.

    Raises:
        NotFoundError: no rule has this key.
    """
    rows = repository.versions_of(uow.session, key)
    if not rows:
        raise RuleNotFoundError(f"no rule {key!r}")
    return [_read(row) for row in rows]


def put_rule(uow: UnitOfWork, spec: RuleSpec, *, actor: str | None) -> tuple[RuleRead, bool]:
    """Create the rule or a new version of it (unchanged: the live version, not created).

    Raises:
        InvalidRequestError: the rule does not compile.
    """
    compile_or_raise([spec], pointer=None)
    created = _apply_rules(uow, [spec], actor, replace=False)[0]
    row = next(r for r in repository.live_versions(uow.session) if r.key == spec.key)
    return _read(row), bool(created)


def publish_rule(
    uow: UnitOfWork, spec: RuleSpec, *, actor: str, by: Actor
) -> tuple[RuleRead, bool]:
    """:func:`put_rule` with a new version audited (``rule.changed``, the version as
    stored); the same rule again creates and audits nothing.

    Raises:
        InvalidRequestError: the rule does not compile.
    """
    rule, created = put_rule(uow, spec, actor=actor)
    if created:
        view = rule.model_dump(mode="json", by_alias=True)
        audit.record(uow, by, "rule.changed", target_type="rule", target_id=spec.key, after=view)
    return rule, created


def retire_rule(uow: UnitOfWork, key: str) -> RuleRead:
    """Stop a rule (its versions stay, for the ledger's explanations).

    Raises:
        NotFoundError: no live rule has this key.
    """
    row = next((r for r in repository.live_versions(uow.session) if r.key == key), None)
    if row is None:
        raise RuleNotFoundError(f"no live rule {key!r}")
    row.retired_at = uow.now
    forget_program(uow)
    return _read(row)


# -- dry run ------------------------------------------------------------------------------
def program_with(uow: UnitOfWork, spec: RuleSpec) -> CompiledProgram:
    """The live rules with ``spec`` in place of the live version of its key (the edited,
    unpublished rule has no version id). Until any rule is stored, ``spec`` alone, as
    publishing it would make the program.

    Raises:
        InvalidRequestError: ``rule_invalid``, the rule does not compile (pointers from the
            rule's root).
    """
    compile_or_raise([spec], pointer=None)
    others = [
        (row.id, RuleSpec.model_validate(row.spec))
        for row in repository.live_versions(uow.session)
        if row.key != spec.key
    ]
    return engine.compile_program([*others, (None, spec)])


def evaluate_event(
    uow: UnitOfWork,
    event: ParsedEvent,
    policy: ProgramPolicy,
    specs: Sequence[RuleSpec] | None = None,
    *,
    edited: RuleSpec | None = None,
) -> dict[str, Any]:
    """What the program (or ``specs``, or the live program with the ``edited`` rule) would
    grant for this event; nothing is written.

    Counters are read as they are now, so a rule with its budget spent shows as stopped.

    Raises:
        InvalidRequestError: ``rule_invalid`` for bad ``specs`` or ``edited``;
        ``event_not_evaluable`` for an order.paid without lines of an order not stored.
    """
    if edited is not None:
        program = program_with(uow, edited)
    elif specs is not None:
        program = compile_or_raise(specs, "/rules")
    else:
        program = current_program(uow, policy)
    ids = members.member_ids(uow, [event.member_id])
    member_id = ids.get(event.member_id)
    status = tiers.reader(uow, policy.zone)
    tier_key: str | None = None
    multiplier = Decimal(1)
    name: dict[str, str] | None = None
    view = MemberView(id=event.member_id)
    usage = _SnapshotUsage()
    if member_id is not None:
        book = RuleBook.of(uow)
        book.prepare(program, [event.type], [(member_id, event.occurred_at)], policy, lock=False)
        tier = status.status(member_id)
        tier_key, multiplier, name = tier.key, tier.multiplier, tier.name
        view = book.member_view(member_id, tier_key)
        usage.book = book
    if event.type == "order.paid":
        fact = _order_fact(uow, event, member_id or 0)
        occurrence = Occurrence(
            trigger="order.paid",
            occurred_at=event.occurred_at,
            member=view,
            order=order_view(fact),
            event_type="order.paid",
        )
    else:
        data = (
            event.data.model_dump(mode="python", exclude_none=True)
            if not isinstance(event.data, dict)
            else event.data
        )
        occurrence = Occurrence(
            trigger=event.type,
            occurred_at=event.occurred_at,
            member=view,
            data=data,
            event_type=event.type,
        )
    outcome = decide(
        program,
        occurrence,
        str(member_id or 0),
        usage,
        policy,
        tier_key=tier_key,
        tier_multiplier=multiplier,
        tier_name=name,
        paid_at=event.occurred_at,
    )
    return describe(outcome, known_member=member_id is not None)


class _SnapshotUsage(MemoryUsage):
    """Counters as stored now (``book``, when the member exists), changed only in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.book: RuleBook | None = None

    def rule_total(self, key: str) -> tuple[int, int]:
        base = self.book.rule_total(key) if self.book is not None else (0, 0)
        own = super().rule_total(key)
        return base[0] + own[0], base[1] + own[1]

    def member_total(self, key: str, member: str, period: str) -> tuple[int, int]:
        base = self.book.member_total(key, member, period) if self.book is not None else (0, 0)
        own = super().member_total(key, member, period)
        return base[0] + own[0], base[1] + own[1]


def _order_fact(uow: UnitOfWork, event: ParsedEvent, member_id: int) -> OrderPaid:
    data = event.data
    if isinstance(data, OrderData):
        lines = tuple(
            OrderLineFact(line.sku, line.category, line.quantity, line.unit_price, line.discount)
            for line in data.lines
        )
        return OrderPaid(
            member_id=member_id,
            order_id=data.order_id,
            currency=data.currency,
            net_amount=data.net_amount,
            paid_at=event.occurred_at,
            delivered_at=None,
            lines=lines,
            channel=data.channel,
            shipping=data.shipping,
        )
    if isinstance(data, OrderRef):
        try:
            order = activities.get_order(uow, data.order_id)
        except OrderNotFoundError:
            raise EventNotEvaluableError(
                f"order {data.order_id!r} is not stored: send its lines to evaluate it",
                errors=[FieldError("/event/data/lines", "required for an order not stored")],
            ) from None
        return activities.paid_fact(order, event.occurred_at)
    raise EventNotEvaluableError("order.paid needs order data")


def describe(outcome: Outcome, *, known_member: bool = True) -> dict[str, Any]:
    granted = {id(g.hit): g for g in outcome.grants}
    rules = []
    for hit in outcome.evaluation.hits:
        g = granted.get(id(hit))
        rules.append(
            {
                "rule": hit.rule.key,
                "version_id": hit.rule.version_id,
                "name": hit.rule.spec.name.model_dump(),
                "fired": g is not None,
                "points": g.points if g else 0,
                "points_before_limits": hit.points,
                "limited_by": (g.limited_by if g else "limit reached"),
                "effects": [
                    {"type": e.kind, "points": e.points, **dict(e.detail)} for e in hit.effects
                ],
                "coupons": list(hit.coupons),
                "badges": list(hit.badges),
                "rewards": list(hit.rewards),
            }
        )
    return {
        "trigger": outcome.occurrence.trigger,
        "member_known": known_member,
        "tier": outcome.tier_key,
        "points": outcome.points,
        "tier_bonus": outcome.tier_bonus,
        "rules": rules,
        "not_fired": [
            {"rule": miss.rule.key, "reason": miss.reason} for miss in outcome.evaluation.misses
        ],
        "awards": [
            {
                "points": a.points,
                "reason": a.reason_code,
                "rule_version_id": a.rule_version_id,
                "available_at": a.available_at,
            }
            for a in outcome.awards
        ],
    }


# -- explanation --------------------------------------------------------------------------
def timeline_points(
    uow: UnitOfWork, member_id: int, *, limit: int, before: Bound | None, locale: str | None
) -> list[dict[str, Any]]:
    """The member's point movements newest first (those after ``before``) for the member
    timeline: each posting's explained text and the rule (key, version, name) behind it."""
    entries = balances.history(uow, member_id, locale, limit=limit, before=int_before(before))
    versions = {
        row.id: row
        for row in repository.versions_by_id(
            uow.session, {e["rule_version_id"] for e in entries if e["rule_version_id"]}
        )
    }
    lang = "ru" if pick_locale(locale) == "ru" else "en"
    for entry in entries:
        version = versions.get(entry["rule_version_id"] or -1)
        entry["rule"] = (
            None
            if version is None
            else {
                "key": version.key,
                "version": version.version,
                "name": RuleSpec.model_validate(version.spec).name.model_dump()[lang],
            }
        )
    return entries


def order_points(uow: UnitOfWork, order_id: str, locale: str | None) -> dict[str, Any]:
    """Every point movement of an order with the rule version that produced it.

    Raises:
        NotFoundError: the order is not stored.
    """
    order = activities.get_order(uow, order_id)
    postings = balances.order_postings(uow, order_id)
    versions = {
        row.id: row
        for row in repository.versions_by_id(
            uow.session, {p.rule_version_id for p in postings if p.rule_version_id}
        )
    }
    entries = []
    earned = reversed_ = 0
    for posting in postings:
        amount = balances.display_amount(posting)
        version = versions.get(posting.rule_version_id or -1)
        if posting.kind == PostingKind.EARN:
            earned += posting.amount
        elif posting.kind == PostingKind.REVERSE:
            reversed_ += posting.amount
        entries.append(
            {
                "kind": posting.kind,
                "points": posting.amount if posting.kind == PostingKind.EARN else amount,
                "text": balances.posting_text(posting, locale),
                "rule": version.key if version else posting.reason_params.get("rule"),
                "rule_version": version.version if version else None,
                "rule_version_id": posting.rule_version_id,
                "at": posting.effective_at,
            }
        )
    return {
        "order_id": order_id,
        "currency": order.currency,
        "net_amount": order.net_amount,
        "earned": earned,
        "reversed": reversed_,
        "entries": entries,
    }
