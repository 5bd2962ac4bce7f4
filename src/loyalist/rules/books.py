"""The rules' working set for one unit of work: the compiled program, what rules read about
the unit's members, and the counters limits are checked against (written at flush)."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from threading import Lock

from loyalist.db import bulk, configs
from loyalist.db.carry import Carry
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.rules import repository
from loyalist.rules.engine import (
    CompiledProgram,
    CompiledRule,
    MemberView,
    compile_program,
    periods_of,
)
from loyalist.rules.schemas import Name, PerUnit, RuleSpec
from loyalist.settings import ProgramPolicy

_CACHE_SIZE = 16
_cache: OrderedDict[tuple[object, ...], CompiledProgram] = OrderedDict()
_cache_lock = Lock()
_PROGRAMS: configs.ConfigCache[CompiledProgram] = configs.ConfigCache(configs.RULES)


def default_spec(policy: ProgramPolicy) -> RuleSpec:
    """The program before any rule is applied: the base rates of the settings."""
    return RuleSpec(
        key="base",
        name=Name(en="Base points", ru="Базовые баллы"),
        on=["order.paid"],
        effects=[
            PerUnit(type="per_unit", rates=dict(policy.base_rates), base=True),
        ],
    )


_UNIT_KEY = "rules.program"


def current_program(uow: UnitOfWork, policy: ProgramPolicy) -> CompiledProgram:
    """The live rule versions, compiled once per set of versions and cached per process
    while the stored rules are unchanged (``db.configs``); looked up once per unit of work
    (``forget_program`` after changing versions).

    Until the first rule is stored, the program is ``default_spec`` (no version id).
    """
    found = uow.state.get(_UNIT_KEY)
    if isinstance(found, CompiledProgram):
        return found
    program = _PROGRAMS.get(uow, lambda: _live_program(uow, policy), *_rate_key(policy))
    uow.state[_UNIT_KEY] = program
    return program


def forget_program(uow: UnitOfWork) -> None:
    """The unit changed rule versions: the next ``current_program`` reads them again."""
    uow.state.pop(_UNIT_KEY, None)
    configs.changed(uow)


def _live_program(uow: UnitOfWork, policy: ProgramPolicy) -> CompiledProgram:
    ids = tuple(repository.live_version_ids(uow.session))
    if not ids and not repository.has_any_version(uow.session):
        return _cached(
            (-1, *_rate_key(policy)), lambda: compile_program([(None, default_spec(policy))])
        )

    def build() -> CompiledProgram:
        rows = repository.versions_by_id(uow.session, ids)
        return compile_program((row.id, RuleSpec.model_validate(row.spec)) for row in rows)

    # Version ids are unique within one database, not across databases.
    return _cached((str(uow.session.get_bind().engine.url), *ids), build)


def _rate_key(policy: ProgramPolicy) -> tuple[int, ...]:
    return tuple(hash((code, str(rate))) for code, rate in sorted(policy.base_rates.items()))


def _cached(key: tuple[object, ...], build: Callable[[], CompiledProgram]) -> CompiledProgram:
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    compiled = build()
    with _cache_lock:
        _cache[key] = compiled
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


@functools.lru_cache(maxsize=4096)
def _period_keys(day: date) -> tuple[str, ...]:
    """The counter periods of a local day (they depend on the date only; a batch asks
    for the same few days for every occurrence)."""
    return ("all", *periods_of(datetime.combine(day, time())).values())


@dataclass(slots=True)
class Stats:
    member_id: int
    order_count: int = 0
    spend: int = 0
    first_order_at: datetime | None = None
    last_order_at: datetime | None = None
    is_new: bool = True
    is_dirty: bool = False


def _reads_member(rule: CompiledRule) -> bool:
    """The rule reads the member's profile facts (not only the order statistics)."""
    profile = {"id", "segments", "attributes", "enrolled_at", "birthday"}
    return bool(
        rule.segments
        or "member" in rule.needs.whole
        or rule.needs.flat.get("member", frozenset()) & profile
    )


#: Members' order statistics carried from one batch of an import to the next
#: (``db.carry``); profile facts are not (the batch's own profile events change them).
_CARRIED: Carry[Stats] = Carry(size=50_000)
_CARRY_KEY = ("rules.stats",)


class RuleBook:
    """Counters and member facts of a unit; ``usage`` is the engine's ``Usage``."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.facts: dict[int, members.MemberFacts] = {}
        self.stats: dict[int, Stats] = {}
        self.rule_counters: dict[str, list[int]] = {}
        self.dirty_rules: set[str] = set()
        self.member_counters: dict[tuple[str, int, str], list[int]] = {}
        self.new_member_counters: set[tuple[str, int, str]] = set()
        self.dirty_member_counters: set[tuple[str, int, str]] = set()
        #: Per rule key, the ``(member, period)`` counters loaded (absent ones are new).
        self.loaded_counters: dict[str, set[tuple[int, str]]] = {}
        #: Per rule key, the ``(member, when)`` occurrences whose counters were loaded.
        self._seen: dict[str, set[tuple[int, datetime]]] = {}
        self.locked_rules: set[str] = set()
        self.new_triggers: list[dict[str, object]] = []
        self.known_triggers: set[str] = set()

    @classmethod
    def of(cls, uow: UnitOfWork) -> RuleBook:
        return uow.working_set("rules.books", cls)

    # -- loading ----------------------------------------------------------------------------
    def prepare(
        self,
        program: CompiledProgram,
        triggers: Iterable[str],
        occurrences: Sequence[tuple[int, datetime]],
        policy: ProgramPolicy,
        *,
        lock: bool = True,
    ) -> None:
        """Load in a few queries what the run needs: member facts and order statistics,
        the counters of the limited rules it may fire (locked on PostgreSQL, key order).

        ``occurrences`` are the run's ``(member id, when)`` pairs: a member's per-period
        counters are loaded for the periods of its own occurrences.
        """
        rules = [rule for trigger in set(triggers) for rule in program.rules_for(trigger)]
        member_ids = {member_id for member_id, _ in occurrences}
        if any(_reads_member(rule) or rule.offers for rule in rules):
            unknown = sorted(member_ids - self.facts.keys())
            if unknown:
                self.facts.update(
                    members.member_facts(self.uow, unknown, offers=program.targets_offers)
                )
        wanted = sorted(member_ids - self.stats.keys())
        if wanted and lock:
            carried = _CARRIED.take(self.uow, _CARRY_KEY, wanted)
            self.stats.update(carried)
            wanted = [m for m in wanted if m not in carried]
        if wanted:
            stored = repository.order_stats(self.uow.session, wanted)
            for member_id in wanted:
                row = stored.get(member_id)
                self.stats[member_id] = (
                    Stats(member_id)
                    if row is None
                    else Stats(row[0], row[1], row[2], row[3], row[4], is_new=False)
                )
        limited = sorted(
            {
                r.key
                for r in rules
                if (r.spec.limits.budget or r.spec.limits.uses) and r.key not in self.locked_rules
            }
        )
        if limited:
            for key, (points, uses) in repository.lock_counters(
                self.uow.session, limited, lock=lock
            ).items():
                self.rule_counters[key] = [points, uses]
            for key in limited:
                self.rule_counters.setdefault(key, [0, 0])
            self.locked_rules.update(limited)
        member_limited = sorted(
            {
                r.key
                for r in rules
                if r.spec.limits.uses_per_member
                or any(
                    getattr(r.spec.limits.per_member, p) for p in ("day", "week", "month", "year")
                )
            }
        )
        if member_limited:
            # Loaded per (rule, member, period) for the periods of each member's own
            # occurrences (the only ones decided for): a counter not loaded would be taken
            # for a new one and inserted twice.
            todo_occurrences = {
                o for key in member_limited for o in occurrences if o not in self._seen.get(key, ())
            }
            zone = policy.zone
            wanted_counters = {
                (m, p)
                for m, at in todo_occurrences
                for p in _period_keys(at.astimezone(zone).date())
            }
            missing: dict[str, set[tuple[int, str]]] = {}
            for key in member_limited:
                self._seen.setdefault(key, set()).update(todo_occurrences)
                loaded = self.loaded_counters.setdefault(key, set())
                todo = wanted_counters - loaded
                if todo:
                    missing[key] = todo
            if missing:
                pairs = set().union(*missing.values())
                found = repository.member_counters(
                    self.uow.session,
                    sorted(missing),
                    sorted({m for m, _ in pairs}),
                    sorted({p for _, p in pairs}),
                )
                for row_key, value in found.items():
                    self.member_counters.setdefault(row_key, list(value))
                for key, todo in missing.items():
                    self.loaded_counters[key] |= todo

    # -- member views -------------------------------------------------------------------------
    def member_view(self, member_id: int, tier: str | None) -> MemberView:
        facts = self.facts.get(member_id)
        stats = self.stats.get(member_id) or Stats(member_id)
        if facts is None:
            return MemberView(
                id=str(member_id),
                tier=tier,
                order_count=stats.order_count,
                lifetime_spend=stats.spend,
                last_order_at=stats.last_order_at,
            )
        return MemberView(
            id=facts.external_id,
            tier=tier,
            segments=facts.segments,
            attributes=facts.attributes,
            order_count=stats.order_count,
            lifetime_spend=stats.spend,
            last_order_at=stats.last_order_at,
            enrolled_at=facts.enrolled_at,
            birthday=facts.birthday,
            offers=facts.offers,
        )

    def order_paid(self, member_id: int, net_amount: int, at: datetime) -> None:
        stats = self.stats.setdefault(member_id, Stats(member_id))
        stats.order_count += 1
        stats.spend += net_amount
        stats.first_order_at = min(filter(None, (stats.first_order_at, at)), default=at)
        stats.last_order_at = max(filter(None, (stats.last_order_at, at)), default=at)
        stats.is_dirty = True

    def order_changed(self, member_id: int, *, orders: int, spend: int) -> None:
        stats = self.stats.setdefault(member_id, Stats(member_id))
        stats.order_count = max(0, stats.order_count + orders)
        stats.spend += spend
        stats.is_dirty = True

    # -- the engine's Usage --------------------------------------------------------------------
    def rule_total(self, key: str) -> tuple[int, int]:
        points, uses = self.rule_counters.get(key, (0, 0))
        return points, uses

    def member_total(self, key: str, member: str, period: str) -> tuple[int, int]:
        points, uses = self.member_counters.get((key, int(member), period), (0, 0))
        return points, uses

    def consume(self, key: str, member: str, periods: Sequence[str], points: int) -> None:
        if key in self.rule_counters:
            counter = self.rule_counters[key]
            counter[0] += points
            counter[1] += 1
            self.dirty_rules.add(key)
        member_id = int(member)
        for period in periods:
            row_key = (key, member_id, period)
            row = self.member_counters.get(row_key)
            if row is None:
                row = self.member_counters[row_key] = [0, 0]
                self.new_member_counters.add(row_key)
            row[0] += points
            row[1] += 1
            self.dirty_member_counters.add(row_key)

    # -- once-only triggers --------------------------------------------------------------------
    def claim_triggers(self, keys: dict[str, int]) -> set[str]:
        """Of these once-only trigger keys (key -> member id), the ones not used yet; they
        are recorded now (a concurrent claim fails on the primary key and is retried)."""
        fresh = sorted(set(keys) - self.known_triggers)
        taken = repository.existing_triggers(self.uow.session, fresh) if fresh else set()
        claimed = {k for k in fresh if k not in taken}
        self.known_triggers.update(fresh)
        self.new_triggers.extend(
            {"trigger_key": k, "member_id": keys[k], "created_at": self.uow.now}
            for k in sorted(claimed)
        )
        return claimed

    # -- writing ---------------------------------------------------------------------------
    def flush(self) -> None:
        session = self.uow.session
        if self.new_triggers:
            bulk.insert_rows(session, repository.TRIGGERS, self.new_triggers)
            self.new_triggers = []
        if self.dirty_rules:
            bulk.update_rows(
                session,
                repository.COUNTERS,
                ["key"],
                ["points", "uses"],
                [
                    {"key": k, "points": self.rule_counters[k][0], "uses": self.rule_counters[k][1]}
                    for k in sorted(self.dirty_rules)
                ],
            )
            self.dirty_rules.clear()
        if self.dirty_member_counters:
            rows = [
                {
                    "key": k[0],
                    "member_id": k[1],
                    "period": k[2],
                    "points": self.member_counters[k][0],
                    "uses": self.member_counters[k][1],
                }
                for k in sorted(self.dirty_member_counters)
            ]
            new = [
                r
                for r, k in zip(rows, sorted(self.dirty_member_counters), strict=True)
                if k in self.new_member_counters
            ]
            old = [
                r
                for r, k in zip(rows, sorted(self.dirty_member_counters), strict=True)
                if k not in self.new_member_counters
            ]
            bulk.insert_rows(session, repository.MEMBER_COUNTERS, new)
            bulk.update_rows(
                session,
                repository.MEMBER_COUNTERS,
                ["key", "member_id", "period"],
                ["points", "uses"],
                old,
            )
            self.new_member_counters.clear()
            self.dirty_member_counters.clear()
        dirty = [s for s in self.stats.values() if s.is_dirty]
        if dirty:
            columns = ("order_count", "spend", "first_order_at", "last_order_at")
            bulk.insert_rows(
                session,
                repository.STATS,
                [
                    {"member_id": s.member_id, **{c: getattr(s, c) for c in columns}}
                    for s in dirty
                    if s.is_new
                ],
            )
            bulk.update_rows(
                session,
                repository.STATS,
                ["member_id"],
                list(columns),
                [
                    {"member_id": s.member_id, **{c: getattr(s, c) for c in columns}}
                    for s in dirty
                    if not s.is_new
                ],
            )
            for s in dirty:
                s.is_new = s.is_dirty = False
        _CARRIED.keep(self.uow, _CARRY_KEY, self.stats)
