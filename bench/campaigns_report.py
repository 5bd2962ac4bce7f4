"""A campaign's report (``loyalist.campaigns.report.report``) over a large campaign, on SQLite
and PostgreSQL, against the issue's target of 2 s.

The campaign is synthetic and written straight into the tables (the launch that writes
it for real is timed by ``bench/campaigns.py``): ``--members`` members (100,000), a main
send each (10% control group held out, the rest split between variants ``a`` and ``b``),
a message for every treated member (a tenth failed, the rest sent or delivered), and
``--conversions`` conversions (20,000) spread over the arms with log-normal revenue. The
report is read ``--runs`` times in a unit of work of its own (the first run, which loads
the statistics modules, is reported apart); the figures are the median and best of the
others, beside the time of reading every send's member and arm (the floor of any report
that reads each member's send once).

It also times attribution (``campaigns.handlers.on_order_paid``), the part of ingest
campaigns add: batches of paid orders of random members, first before any campaign
exists (what every shop without a collecting campaign pays), then with the campaign
collecting conversions from every member.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Final, cast

import numpy as np

if __package__ in (None, ""):  # run as ``python bench/campaigns_report.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table

from bench.common import Report, Target, number, scratch_database
from bench.jobs import seed_members
from loyalist.activities.events import OrderPaid
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.campaigns import handlers
from loyalist.campaigns import report as reports
from loyalist.campaigns.models import (
    CONTROL,
    MAIN_STEP,
    Campaign,
    CampaignConversion,
    CampaignSend,
    CampaignState,
)
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.db import bulk
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.messages.models import Message
from loyalist.settings import ProgramPolicy, Settings

TARGET: Final = Target(2, "s", higher_is_better=False)
NOW: Final = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
KEY: Final = "spring"
CHUNK: Final = 20_000
ATTRIBUTED_BATCHES: Final = 20
ATTRIBUTED_BATCH: Final = 500


def _spec() -> CampaignSpec:
    return CampaignSpec.model_validate(
        {
            "name": {"en": "Spring sale", "ru": "Весенняя распродажа"},
            "subject": {"en": "Spring", "ru": "Весна"},
            "body": {"en": "Come in", "ru": "Заходите"},
            "variants": [{"key": "a"}, {"key": "b"}],
            "control_percent": 10,
        }
    )


def _write(table: Any, rows: list[dict[str, Any]], uow: UnitOfWork) -> None:
    bulk.insert_rows(uow.session, cast(Table, table), rows)


def _add_campaign(uow: UnitOfWork) -> int:
    spec = _spec()
    row = Campaign(
        key=KEY,
        name=spec.name.model_dump(),
        state=CampaignState.RUNNING,
        spec=spec.model_dump(mode="json"),
        revision=1,
        created_at=NOW,
        updated_at=NOW,
        updated_by="bench",
        launched_at=NOW,
    )
    uow.session.add(row)
    uow.session.flush()
    return row.id


Write = Callable[[Callable[[UnitOfWork], Any]], Any]


def seed(write: Write, members: int, conversions: int) -> None:
    """The campaign, its sends, messages and conversions (members 1…``members`` exist)."""
    rng = np.random.default_rng(17)
    campaign_id = write(_add_campaign)
    share = rng.random(members)
    arms = np.where(share < 0.1, CONTROL, np.where(share < 0.55, "a", "b"))
    due = NOW - timedelta(days=3)
    for start in range(0, members, CHUNK):
        ids = range(start + 1, min(start + CHUNK, members) + 1)
        sends = [
            {
                "campaign_id": campaign_id,
                "step": MAIN_STEP,
                "member_id": m,
                "arm": str(arms[m - 1]),
                "status": "held_out" if arms[m - 1] == CONTROL else "queued",
                "due_at": due,
                "done_at": due,
                "reason": None,
            }
            for m in ids
        ]
        write(partial(_write, CampaignSend.__table__, sends))
        status = rng.choice(["sent", "delivered", "failed"], len(ids), p=[0.3, 0.6, 0.1])
        messages = [
            {
                "member_id": m,
                "id": f"msg_{m}",
                "kind": "marketing",
                "channel": "email",
                "journey": "campaign",
                "natural_key": f"{KEY}:{MAIN_STEP}",
                "template_key": f"campaign:{KEY}/{MAIN_STEP}",
                "template_version": 1,
                "locale": "en",
                "time_zone": None,
                "is_in_inbox": False,
                "respects_quiet_hours": True,
                "status": str(status[i]),
                "revision": 2,
                "attempts": 1,
                "created_at": due,
                "due_at": due,
                "next_attempt_at": due,
            }
            for i, m in enumerate(ids)
            if arms[m - 1] != CONTROL
        ]
        write(partial(_write, Message.__table__, messages))
    converted = rng.choice(np.arange(1, members + 1), size=min(conversions, members), replace=False)
    revenue = rng.lognormal(np.log(5_000), 0.7, len(converted)).astype(np.int64)
    rows = [
        {
            "campaign_id": campaign_id,
            "member_id": int(m),
            "arm": str(arms[m - 1]),
            "event_id": f"order-{m}",
            "converted_at": due + timedelta(days=1),
            "revenue_minor": int(r),
            "currency": "EUR",
        }
        for m, r in zip(converted, revenue, strict=True)
    ]
    for start in range(0, len(rows), CHUNK):
        write(partial(_write, CampaignConversion.__table__, rows[start : start + CHUNK]))


def _attribute(facts: list[OrderPaid], program: ProgramPolicy, uow: UnitOfWork) -> None:
    handlers.on_order_paid(uow, facts, program)


def attribution(app: Loyalist, members: int, program: ProgramPolicy, *, seed: int) -> float:
    """Median seconds of the attribution handler on a batch of paid orders of random
    members two days after the send, each batch in a unit of work of its own."""
    rng = np.random.default_rng(seed)
    paid_at = NOW - timedelta(days=1)
    times = []
    for batch in range(ATTRIBUTED_BATCHES):
        facts = [
            OrderPaid(int(m), f"o-{seed}-{batch}-{i}", "EUR", 4_200, paid_at, None, ())
            for i, m in enumerate(rng.integers(1, members + 1, ATTRIBUTED_BATCH))
        ]
        began = time.perf_counter()
        app.db.write(partial(_attribute, facts, program))
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure(backend: str, members: int, conversions: int, runs: int, report: Report) -> None:
    with scratch_database(backend, "campaigns_report") as url:
        if url is None:
            return
        settings = Settings(database_url=url)
        app = bootstrap(settings, keyring=Keyring.from_secrets(new_master_key()))
        try:
            migrate(app)
            started = time.perf_counter()
            seed_members(app.db, members)
            program = app.program
            idle = attribution(app, members, program, seed=1)
            seed(app.db.write, members, conversions)
            seeded = time.perf_counter() - started

            def timed(op: Callable[[UnitOfWork], Any]) -> float:
                began = time.perf_counter()
                app.db.read(op)
                return time.perf_counter() - began

            def one(uow: UnitOfWork) -> dict[str, Any]:
                return reports.report(uow, KEY, program)

            def sends(uow: UnitOfWork) -> list[Any]:
                return uow.all("SELECT member_id, arm FROM campaign_sends", ())

            first = timed(one)
            times = sorted(timed(one) for _ in range(runs))
            floor = min(timed(sends) for _ in range(3))
            found = app.db.read(lambda uow: reports.report(uow, KEY, program))
            # After the report's figures: attribution adds conversions of its own.
            busy = attribution(app, members, program, seed=2)
        finally:
            app.close()
    median = statistics.median(times)
    report.line(
        f"-- {backend}: {members:,} members, {conversions:,} conversions (seeded in {seeded:.1f} s)"
    )
    report.line(
        f"   report: median {number(median * 1000)} ms, best {number(times[0] * 1000)} ms over "
        f"{runs} runs (first run {number(first * 1000)} ms); {TARGET.describe(median)}"
    )
    report.line(
        f"   floor: reading every send's member and arm {number(floor * 1000)} ms "
        f"(report ÷ floor {median / floor:.1f})"
    )
    arms = ", ".join(f"{a['key']} {a['members']:,}/{a['converted']:,}" for a in found["arms"])
    report.line(f"   arms (members/converted): {arms}")
    report.line(
        f"   attribution of {ATTRIBUTED_BATCHES} batches of {ATTRIBUTED_BATCH} paid orders: "
        f"{number(idle * 1000)} ms a batch with no campaign, {number(busy * 1000)} ms with "
        f"the campaign collecting (every member in it)"
    )
    report.data.setdefault("backends", {})[backend] = {
        "members": members,
        "conversions": conversions,
        "report_median_seconds": round(median, 4),
        "report_best_seconds": round(times[0], 4),
        "first_run_seconds": round(first, 4),
        "floor_seconds": round(floor, 4),
        "attribution_batch_idle_seconds": round(idle, 5),
        "attribution_batch_collecting_seconds": round(busy, 5),
        **TARGET.as_json(median),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--members", type=int, default=100_000, help="members (100,000)")
    parser.add_argument("--conversions", type=int, default=20_000, help="conversions (20,000)")
    parser.add_argument("--runs", type=int, default=5, help="timed reports after the first (5)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args(argv)
    report = Report("campaigns_report", args.json)
    options = {
        "backend": args.backend,
        "members": args.members,
        "conversions": args.conversions,
        "runs": args.runs,
    }
    report.header(options)
    backends = ("sqlite", "postgresql") if args.backend == "all" else (args.backend,)
    for backend in backends:
        measure(backend, max(10, args.members), max(0, args.conversions), max(1, args.runs), report)
    report.finish()


if __name__ == "__main__":
    main()
