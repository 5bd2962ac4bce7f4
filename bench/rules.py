"""Rules-engine throughput: a 10-rule program over demo orders vs. a hand-written function."""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as ``python bench/rules.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Report, Target, number
from loyalist.demo import ShopSpec, generate_events
from loyalist.ledger.policy import minor_unit_exponent
from loyalist.rules import engine
from loyalist.rules.engine import (
    CompiledProgram,
    LineView,
    MemberView,
    MemoryUsage,
    Occurrence,
    OrderView,
)
from loyalist.rules.schemas import RuleSpec

EVENTS_TARGET = Target(25_000, "events/s")
ZONE = ZoneInfo("Europe/Berlin")
BONUS_CATEGORY = "Beauty"
BONUS_SKUS = ("SHO-0010", "APP-0020", "BEA-0030", "KIT-0040")
CHANNEL_BUDGET = 200_000
CHANNEL_MONTHLY_CAP = 300

#: The program, as a shop would write it in ``program.yaml``.
PROGRAM: list[dict[str, Any]] = [
    {
        "key": "base",
        "priority": 100,
        "effects": [{"type": "per_unit", "rates": {"EUR": "1"}, "base": True}],
    },
    {
        "key": "weekend-double",
        "validity": {"days_of_week": ["sat", "sun"]},
        "effects": [{"type": "multiplier", "factor": "2"}],
    },
    {
        "key": "beauty-bonus",
        "effects": [
            {
                "type": "per_unit",
                "rates": {"EUR": "1"},
                "of": "lines",
                "lines": {"categories": [BONUS_CATEGORY]},
            }
        ],
    },
    {
        "key": "featured-skus",
        "effects": [{"type": "per_item", "points": 25, "lines": {"skus": list(BONUS_SKUS)}}],
    },
    {
        "key": "first-order",
        "condition": "member.order_count == 0",
        "effects": [{"type": "fixed", "points": 200}],
    },
    {
        "key": "big-basket",
        "condition": "order.total >= 10000",
        "effects": [{"type": "fixed", "points": 150}],
    },
    {
        "key": "happy-hours",
        "validity": {"hours": [{"from": "17:00", "to": "19:00"}]},
        "effects": [{"type": "multiplier", "factor": "1.5"}],
    },
    {
        "key": "gold-extra",
        "targeting": {"tiers": ["gold"]},
        "effects": [{"type": "per_unit", "rates": {"EUR": "0.5"}}],
    },
    {
        "key": "full-price-premium",
        "effects": [
            {
                "type": "per_item",
                "points": 10,
                "lines": {"condition": "line.discount == 0 && line.price >= 5000"},
            }
        ],
    },
    {
        "key": "app-orders",
        "condition": 'order.channel == "app"',
        "effects": [{"type": "fixed", "points": 100}],
        "limits": {"budget": CHANNEL_BUDGET, "per_member": {"month": CHANNEL_MONTHLY_CAP}},
    },
]


def compile_bench_program() -> CompiledProgram:
    specs = [
        RuleSpec.model_validate({"name": {"en": r["key"], "ru": r["key"]}, "on": "order.paid", **r})
        for r in PROGRAM
    ]
    return engine.compile_program((None, spec) for spec in specs)


# -- the hand-written baseline ------------------------------------------------------------
@dataclass
class Counters:
    """The baseline's own counters: the budgeted rule's total and monthly per-member sums."""

    issued: int = 0
    monthly: dict[tuple[str, str], int] | None = None

    def __post_init__(self) -> None:
        self.monthly = defaultdict(int)


def decide_by_hand(occurrence: Occurrence, counters: Counters) -> dict[str, int]:
    """The same decisions as ``PROGRAM``, written out in plain Python (EUR only)."""
    order = occurrence.order
    assert order is not None
    assert order.currency == "EUR"
    assert counters.monthly is not None
    member = occurrence.member
    local = occurrence.occurred_at.astimezone(ZONE)
    amount = order.net_amount  # cents; 1 point per whole euro
    points: dict[str, int] = {}
    base = amount // 100
    if base > 0:
        points["base"] = base
        if local.weekday() >= 5:
            points["weekend-double"] = base
        if 17 <= local.hour < 19 and amount // 200 > 0:
            points["happy-hours"] = amount // 200
    beauty = 0
    featured = 0
    premium = 0
    for line in order.lines:
        if line.category == BONUS_CATEGORY:
            beauty += line.amount
        if line.sku in BONUS_SKUS:
            featured += line.quantity
        if line.discount == 0 and line.unit_price >= 5000:
            premium += line.quantity
    if beauty >= 100:
        points["beauty-bonus"] = beauty // 100
    if featured:
        points["featured-skus"] = 25 * featured
    if member.order_count == 0:
        points["first-order"] = 200
    if amount >= 10000:
        points["big-basket"] = 150
    if member.tier == "gold" and amount >= 200:
        points["gold-extra"] = amount // 200
    if premium:
        points["full-price-premium"] = 10 * premium
    if order.channel == "app":
        month = (member.id, f"{local:%Y-%m}")
        granted = min(
            100, CHANNEL_BUDGET - counters.issued, CHANNEL_MONTHLY_CAP - counters.monthly[month]
        )
        if granted > 0:
            counters.issued += granted
            counters.monthly[month] += granted
            points["app-orders"] = granted
    return points


# -- the engine path ----------------------------------------------------------------------
def decide_by_engine(
    program: CompiledProgram, occurrence: Occurrence, usage: MemoryUsage
) -> dict[str, int]:
    _, grants = engine.decide(program, occurrence, ZONE, occurrence.member.id, usage)
    return {g.hit.rule.key: g.points for g in grants if g.points > 0}


# -- workload -----------------------------------------------------------------------------
def _tier(member_id: str) -> str | None:
    number_part = int("".join(ch for ch in member_id if ch.isdigit()) or "0")
    return {0: "gold", 1: "silver", 2: "silver"}.get(number_part % 5)


def build_occurrences(events: int, seed: int) -> list[Occurrence]:
    """``order.paid`` occurrences of a demo shop, with each member's order count so far."""
    spec = ShopSpec(seed=seed, members=max(50, events * 10 // 22 + 50), end=date(2026, 11, 1))
    placed: dict[str, dict[str, Any]] = {}
    order_counts: dict[str, int] = defaultdict(int)
    occurrences: list[Occurrence] = []
    for event in generate_events(spec):
        kind = event["type"]
        if kind == "order.placed":
            placed[event["data"]["order_id"]] = event["data"]
            continue
        if kind != "order.paid":
            continue
        data = placed.pop(event["data"]["order_id"])
        lines = tuple(
            LineView(
                line["sku"],
                line["category"],
                line["quantity"],
                line["unit_price"],
                line["discount"],
            )
            for line in data["lines"]
        )
        member_id = event["member_id"]
        occurrences.append(
            Occurrence(
                trigger="order.paid",
                occurred_at=datetime.fromisoformat(event["occurred_at"]).astimezone(UTC),
                member=MemberView(
                    id=member_id, tier=_tier(member_id), order_count=order_counts[member_id]
                ),
                order=OrderView(
                    order_id=data["order_id"],
                    currency=data["currency"],
                    net_amount=data["total"] - data["shipping"],
                    shipping=data["shipping"],
                    channel=data["channel"],
                    lines=lines,
                    exponent=minor_unit_exponent(data["currency"]),
                ),
                event_type="order.paid",
            )
        )
        order_counts[member_id] += 1
        if len(occurrences) >= events:
            break
    return occurrences


# -- timing -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Timing:
    label: str
    events: int
    seconds: float
    cpu_seconds: float
    points: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    @property
    def micros(self) -> float:
        return self.seconds / self.events * 1e6 if self.events else float("nan")

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "events": self.events,
            "seconds": round(self.seconds, 4),
            "process_cpu_seconds": round(self.cpu_seconds, 4),
            "events_per_second": round(self.rate, 1),
            "microseconds_per_event": round(self.micros, 2),
            "points": self.points,
        }


def timed(
    label: str,
    occurrences: Sequence[Occurrence],
    decide: Callable[[Occurrence], dict[str, int]],
    max_seconds: float,
) -> Timing:
    """Timed: ``decide`` per occurrence, in order, stopping early after ``max_seconds``."""
    points = 0
    done = 0
    cpu0 = time.process_time()
    start = time.perf_counter()
    deadline = start + max_seconds
    for done, occurrence in enumerate(occurrences, start=1):
        points += sum(decide(occurrence).values())
        if done % 1000 == 0 and time.perf_counter() > deadline:
            break
    seconds = time.perf_counter() - start
    return Timing(label, done, seconds, time.process_time() - cpu0, points)


def compare(program: CompiledProgram, occurrences: Sequence[Occurrence]) -> dict[str, int]:
    """Not timed: both paths decide the same points for every event; hits per rule."""
    usage = MemoryUsage()
    counters = Counters()
    fired: dict[str, int] = defaultdict(int)
    for index, occurrence in enumerate(occurrences):
        by_engine = decide_by_engine(program, occurrence, usage)
        by_hand = decide_by_hand(occurrence, counters)
        if by_engine != by_hand:
            raise AssertionError(
                f"event {index} (order {occurrence.order.order_id if occurrence.order else '?'}):"
                f" engine {by_engine} != hand-written {by_hand}"
            )
        for key in by_engine:
            fired[key] += 1
    return dict(fired)


def profile_engine(program: CompiledProgram, occurrences: Sequence[Occurrence]) -> str:
    usage = MemoryUsage()
    profiler = cProfile.Profile()
    profiler.enable()
    for occurrence in occurrences:
        decide_by_engine(program, occurrence, usage)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
    return out.getvalue()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Events/s through engine.decide for a 10-rule program, "
        "beside a hand-written function making the same decisions."
    )
    parser.add_argument("--events", type=int, default=30_000, help="order.paid events (30000)")
    parser.add_argument("--seed", type=int, default=42, help="demo shop seed (42)")
    parser.add_argument(
        "--max-seconds", type=float, default=60.0, help="time bound of each timed loop (60)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of the engine path"
    )
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 100 <= args.events <= 1_000_000:
        parser.error("--events must be within 100..1,000,000")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("rules", args.json)
    report.header({"events": args.events, "seed": args.seed, "max_seconds": args.max_seconds})
    start = time.perf_counter()
    occurrences = build_occurrences(args.events, args.seed)
    program = compile_bench_program()
    members = len({o.member.id for o in occurrences})
    report.line(
        f"   prepared {len(occurrences):,} order.paid events of {members:,} members in "
        f"{time.perf_counter() - start:.1f} s (not timed); {len(program.rules)} rules, "
        f"zone {ZONE.key}"
    )
    fired = compare(program, occurrences)
    report.line("   engine and hand-written decisions identical for every event (checked, untimed)")
    report.line(
        "   events granted, per rule: "
        + ", ".join(f"{key} {count:,}" for key, count in sorted(fired.items()))
    )

    warm = occurrences[: min(1000, len(occurrences))]
    warm_usage, warm_counters = MemoryUsage(), Counters()
    timed("warm-up", warm, lambda o: decide_by_engine(program, o, warm_usage), 10)
    timed("warm-up", warm, lambda o: decide_by_hand(o, warm_counters), 10)

    usage = MemoryUsage()
    counters = Counters()
    engine_run = timed(
        "engine",
        occurrences,
        lambda o: decide_by_engine(program, o, usage),
        args.max_seconds,
    )
    hand_run = timed(
        "hand-written", occurrences, lambda o: decide_by_hand(o, counters), args.max_seconds
    )
    ratio = engine_run.rate / hand_run.rate if hand_run.rate else 0.0
    report.line()
    report.line("-- evaluation only, one core (engine.decide with MemoryUsage)")
    for run in (engine_run, hand_run):
        report.line(
            f"   {run.label:<13}{number(run.rate):>10} events/s {number(run.micros):>8} µs/event"
            f"   ({run.events:,} events in {run.seconds:.2f} s, CPU {run.cpu_seconds:.2f} s)"
        )
    report.line(f"   engine target: {EVENTS_TARGET.describe(engine_run.rate)}")
    report.line(
        f"   engine ÷ hand-written {ratio:.1%} (the hand-written function is {1 / ratio:.0f}×"
        " faster)"
        if ratio
        else "   engine ÷ hand-written n/a"
    )
    report.data.update(
        {
            "events": len(occurrences),
            "members": members,
            "rules": len(program.rules),
            "granted_per_rule": fired,
            "engine": engine_run.as_json(),
            "hand_written": hand_run.as_json(),
            "engine_target": EVENTS_TARGET.as_json(engine_run.rate),
            "ratio_engine_to_hand_written": round(ratio, 4),
        }
    )
    if args.profile:
        report.line()
        report.line("-- cProfile of the engine path (5,000 events, tottime)")
        report.line(profile_engine(program, occurrences[:5000]))
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
