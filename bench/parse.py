"""Validation cost per event: the batch parser vs. per-event ``parse_event`` vs. JSON decode."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/parse.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from bench.common import Report, number
from loyalist.activities.schemas import ParsedEvent, parse_event, parse_events
from loyalist.demo import ShopSpec, generate_events

ORDER_SIZES = (1, 8, 30)
CATEGORIES = ("Shoes", "Apparel", "Beauty", "Kitchen", "Books", "Toys")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Workload:
    label: str
    lines: list[bytes]  # one event's JSON each, as it arrives in a request or a JSONL file


def enrolments(count: int, seed: int) -> Workload:
    """The demo shop's ``member.enrolled`` events: e-mail, phone, names, birthday, locale,
    time zone and consents, as a shop sends them."""
    spec = ShopSpec(seed=seed, members=count, months=1, end=date(2026, 11, 1))
    events = [e for e in generate_events(spec) if e["type"] == "member.enrolled"][:count]
    return Workload("member.enrolled", [orjson.dumps(e) for e in events])


def order(number_: int, lines: int) -> dict[str, Any]:
    """An ``order.placed`` with ``lines`` lines (name, category, some discounts) that adds up."""
    items: list[dict[str, Any]] = []
    net = 0
    for k in range(lines):
        quantity, price = 1 + (number_ + k) % 3, 499 + 700 * ((number_ * 7 + k * 13) % 28)
        discount = quantity * price // 10 if k % 4 == 3 else 0
        net += quantity * price - discount
        items.append(
            {
                "sku": f"SKU-{(number_ * 31 + k) % 5000:05d}-{k}",
                "name": f"Product {k} of order {number_}",
                "category": CATEGORIES[(number_ + k) % len(CATEGORIES)],
                "quantity": quantity,
                "unit_price": price,
                "discount": discount,
            }
        )
    shipping, tax = 495, 0
    total = net + shipping + tax
    return {
        "id": f"ord-{number_}-placed",
        "type": "order.placed",
        "member_id": f"C{number_ % 997:06d}",
        "occurred_at": (START + timedelta(minutes=number_)).isoformat().replace("+00:00", "Z"),
        "data": {
            "order_id": f"ord-{number_}",
            "currency": "EUR",
            "channel": "web",
            "store": "online",
            "lines": items,
            "shipping": shipping,
            "tax": tax,
            "total": total,
        },
    }


def orders(count: int, lines: int) -> Workload:
    return Workload(
        f"order.placed, {lines} lines", [orjson.dumps(order(n, lines)) for n in range(count)]
    )


def decode_only(lines: Sequence[bytes], batch_size: int) -> None:
    for offset in range(0, len(lines), batch_size):
        [orjson.loads(raw) for raw in lines[offset : offset + batch_size]]


def per_event(lines: Sequence[bytes], batch_size: int) -> None:
    """What ``loyalist import events`` and the ingest benchmark did: decode and validate
    one event at a time, keeping a batch's events until it is applied."""
    for offset in range(0, len(lines), batch_size):
        [
            parse_event(orjson.loads(raw), pointer=f"/{n}", index=n)
            for n, raw in enumerate(lines[offset : offset + batch_size])
        ]


def per_batch(lines: Sequence[bytes], batch_size: int) -> None:
    """What they do now: decode a batch, validate it in one ``parse_events`` call."""
    for offset in range(0, len(lines), batch_size):
        parse_events([orjson.loads(raw) for raw in lines[offset : offset + batch_size]])


METHODS: dict[str, Callable[[Sequence[bytes], int], None]] = {
    "orjson.loads": decode_only,
    "parse_event": per_event,
    "parse_events": per_batch,
}


def same_results(workload: Workload, batch_size: int) -> None:
    """Both parsers accept every event and give equal values (checked before timing)."""
    decoded = [orjson.loads(raw) for raw in workload.lines[:batch_size]]
    one = [parse_event(e, pointer=f"/{n}", index=n) for n, e in enumerate(decoded)]
    many: list[ParsedEvent] = parse_events(decoded)
    if one != many:
        raise SystemExit(f"{workload.label}: parse_event and parse_events disagree")


def measure(
    workload: Workload, rounds: int, batch_size: int, deadline: float
) -> dict[str, list[float]]:
    """CPU seconds per event of each method, one sample per round. CPU time, not wall time:
    on a shared machine the wall clock also counts the time spent waiting for a core. The
    methods take turns within a round, so a busy spell of the machine hits them alike."""
    samples: dict[str, list[float]] = {name: [] for name in METHODS}
    for _ in range(rounds):
        for name, method in METHODS.items():
            start = time.process_time()
            method(workload.lines, batch_size)
            samples[name].append((time.process_time() - start) / len(workload.lines))
        if time.perf_counter() > deadline:
            break
    return samples


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="µs per event to validate enrolments and orders: batch vs. per event."
    )
    parser.add_argument("--events", type=int, default=2000, help="events per workload (2000)")
    parser.add_argument("--batch-size", type=int, default=500, help="events per batch (500)")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per workload (7)")
    parser.add_argument(
        "--max-seconds", type=float, default=60.0, help="bound on each workload's rounds (60)"
    )
    parser.add_argument("--seed", type=int, default=42, help="demo shop seed (42)")
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.events <= 100_000:
        parser.error("--events must be within 1..100,000")
    if not 1 <= args.batch_size <= 1000:
        parser.error("--batch-size must be within 1..1000 (the API's batch limit)")
    if not 1 <= args.rounds <= 100:
        parser.error("--rounds must be within 1..100")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("parse", args.json)
    report.header(
        {
            "events": args.events,
            "batch_size": args.batch_size,
            "rounds": args.rounds,
            "seed": args.seed,
        }
    )
    workloads = [enrolments(args.events, args.seed)]
    workloads += [orders(args.events, size) for size in ORDER_SIZES]
    report.line(
        f"   {args.events:,} events per workload, batches of {args.batch_size}, best of "
        f"{args.rounds} rounds (median in brackets); µs per event including orjson.loads"
    )
    report.line(
        f"   {'workload':<26}{'orjson.loads':>16}{'parse_event':>18}{'parse_events':>18}"
        f"{'validation only: per event ÷ batch':>38}"
    )
    results = []
    for workload in workloads:
        same_results(workload, args.batch_size)
        samples = measure(
            workload, args.rounds, args.batch_size, time.perf_counter() + args.max_seconds
        )
        best = {name: min(values) * 1e6 for name, values in samples.items()}
        median = {name: statistics.median(values) * 1e6 for name, values in samples.items()}
        decode = best["orjson.loads"]
        one, many = best["parse_event"] - decode, best["parse_events"] - decode
        ratio = one / many if many > 0 else float("nan")
        cells = "".join(f"{number(best[name]):>8} ({number(median[name]):>6})" for name in METHODS)
        report.line(f"   {workload.label:<26}{cells}   {number(ratio):>10}×")
        results.append(
            {
                "workload": workload.label,
                "mean_event_bytes": round(sum(map(len, workload.lines)) / len(workload.lines), 1),
                "rounds": len(samples["orjson.loads"]),
                "us_per_event_best": {k: round(v, 3) for k, v in best.items()},
                "us_per_event_median": {k: round(v, 3) for k, v in median.items()},
                "validation_us_per_event": {
                    "parse_event": round(one, 3),
                    "parse_events": round(many, 3),
                },
                "per_event_over_batch": round(ratio, 3),
            }
        )
    report.data["workloads"] = results
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
