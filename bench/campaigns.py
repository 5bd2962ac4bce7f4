"""A campaign's launch to many members (issue 17): the audience estimate, then the
broadcast as the worker runs it — the audience written a chunk per unit of work (send rows,
arms, due times, the offer granted), the due sends queued a chunk per unit (one outbox row
per member through ``messages.service.queue_messages``) — against a target of 30 s for
100,000 members; and, in the same run, the raw insert rate of as many rows (one
``INSERT`` per 2,000 rows, nothing else) to show what share of it the launch reaches.

Members have an email address and consent (their personal data sealed, as always); the
audience has a CEL condition the rules engine checks; 10% control group; the offer is a
personal code of a coupon campaign for every treatment member; the messages' context is
the personalised one (``personal.contexts``). With ``--gift`` the offer also gives every
treatment member a surprise reward (``rewards.grant_rewards``: a redemption and its code
each). The report's
figures (issue 17's second benchmark) are ``bench/campaigns_report.py``'s. Beside each
phase's seconds, this process's CPU seconds (on SQLite all of the work, the writer thread
included; on PostgreSQL the client's share only): on a busy machine they move less than
the seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, cast

if __package__ in (None, ""):  # run as ``python bench/campaigns.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table

from bench.common import Report, Target, number, scratch_database
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.campaigns import audience, broadcast, service
from loyalist.campaigns.models import CampaignSend
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons.schemas import CampaignIn
from loyalist.db import bulk
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.models import Channel
from loyalist.members.schemas import MemberProfile
from loyalist.messages import journeys_kit as kit
from loyalist.rewards import catalogue
from loyalist.rewards.schemas import RewardIn
from loyalist.settings import Settings

TARGET_MEMBERS: Final = 100_000
TARGET: Final = Target(30, f"s for {TARGET_MEMBERS:,} members", higher_is_better=False)
NOW: Final = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MUG: Final = RewardIn.model_validate(
    {
        "name": {"en": "Mug", "ru": "Кружка"},
        "description": {"en": "A mug", "ru": "Кружка"},
        "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
        "cost_points": 1000,
    }
)
SPEC: Final[dict[str, Any]] = {
    "name": {"en": "Winter sale", "ru": "Зимняя распродажа"},
    "subject": {"en": "Hello {{ member.first_name }}", "ru": "Привет"},
    "body": {"en": "Our winter sale is on.", "ru": "Распродажа началась."},
    "audience": {"condition": "member.attributes.newsletter == true"},
    "control_percent": 10,
    "offer": {"coupon": {"campaign": "winter-15"}},
}


def populate(app: Loyalist, count: int) -> None:
    """``count`` members with an address and email consent, 5,000 per unit of work."""
    for start in range(0, count, 5_000):
        changes = [
            members.ProfileChange(
                f"m{i}",
                MemberProfile(
                    email=f"m{i}@example.com",
                    consents={Channel.EMAIL: True},
                    attributes={"newsletter": True},
                ),
                source="bench",
            )
            for i in range(start, min(count, start + 5_000))
        ]

        def op(uow: UnitOfWork, changes: list[members.ProfileChange] = changes) -> None:
            members.upsert_members(uow, changes)

        app.db.write(op)


def put_campaign(app: Loyalist, key: str, *, gift: bool = False) -> CampaignSpec:
    """A draft campaign with a personal code of coupon campaign ``winter-15`` per member
    (and, with ``gift``, the reward ``mug`` granted to each)."""
    offer = {**SPEC["offer"], "gift": {"reward": "mug"}} if gift else SPEC["offer"]
    spec = CampaignSpec.model_validate({**SPEC, "offer": offer})
    coupon = CampaignIn.model_validate(
        {
            "name": {"en": "15%", "ru": "15%"},
            "discount": {"type": "percent", "percent": "15"},
            "code_valid_days": 30,
        }
    )

    def op(uow: UnitOfWork) -> None:
        if coupons.find_campaign(uow, "winter-15") is None:
            coupons.put_campaign(uow, "winter-15", coupon)
        if gift and catalogue.find_reward(uow, "mug") is None:
            catalogue.put_reward(uow, "mug", MUG)
        service.put_campaign(uow, key, spec, SYSTEM)

    app.db.write(op)
    return spec


def issued_gifts(uow: UnitOfWork) -> int:
    """How many ``mug`` rewards were issued (0 without it)."""
    found = catalogue.find_reward(uow, "mug")
    return 0 if found is None else found.issued


def raw_inserts(app: Loyalist, count: int) -> float:
    """Seconds to insert ``count`` send rows of another campaign, 2,000 per unit."""
    put_campaign(app, "raw")
    campaign_id = app.db.read(lambda uow: service.get(uow, "raw").id)
    table = cast(Table, CampaignSend.__table__)
    ids = app.db.read(lambda uow: members.member_ids_after(uow, 0, count))
    started = time.perf_counter()
    for start in range(0, len(ids), 2_000):
        rows = [
            {
                "campaign_id": campaign_id,
                "step": "main",
                "member_id": member_id,
                "arm": "default",
                "status": "pending",
                "due_at": NOW,
                "done_at": None,
                "reason": None,
            }
            for member_id in ids[start : start + 2_000]
        ]

        def op(uow: UnitOfWork, rows: list[dict[str, Any]] = rows) -> None:
            bulk.insert_rows(uow.session, table, rows)

        app.db.write(op)
    return time.perf_counter() - started


def run_backend(url: str, args: argparse.Namespace, report: Report) -> dict[str, Any]:
    app = bootstrap(
        Settings(database_url=url),
        clock=ManualClock(NOW),
        keyring=Keyring.from_secrets(new_master_key()),
    )
    try:
        migrate(app)
        populate(app, args.members)
        spec = put_campaign(app, "winter", gift=args.gift)
        program = app.program
        started = time.perf_counter()
        estimate = app.db.read(lambda uow: audience.estimate(uow, spec, program, key="winter"))
        estimate_seconds = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        app.db.write(lambda uow: broadcast.launch(uow, "winter", SYSTEM))
        while app.db.write(lambda uow: broadcast.write_audience(uow, "winter", program)):
            pass
        written, written_cpu = time.perf_counter() - started, time.process_time() - cpu
        setup = kit.Setup("https://shop.example")
        while app.db.write(lambda uow: broadcast.queue_due(uow, "winter", program, setup)):
            pass
        launch_seconds, launch_cpu = time.perf_counter() - started, time.process_time() - cpu
        progress = app.db.read(lambda uow: broadcast.progress(uow, "winter"))
        gifts = app.db.read(lambda uow: issued_gifts(uow)) if args.gift else 0
        raw_seconds = raw_inserts(app, args.members)
    finally:
        app.close()
    projected = launch_seconds * TARGET_MEMBERS / args.members
    rate = args.members / launch_seconds
    raw_rate = args.members / raw_seconds
    report.line(f"   estimate ({estimate.channels['email']:,} reached by email)")
    report.line(f"     seconds              {estimate_seconds:>10.2f}")
    report.line(f"   launch: audience written, then messages queued ({progress})")
    if args.gift:
        report.line(f"     gifts granted        {gifts:>10,}")
    report.line(f"     audience seconds     {written:>10.2f}   (CPU {written_cpu:.2f})")
    report.line(f"     queue seconds        {launch_seconds - written:>10.2f}")
    report.line(f"     total seconds        {launch_seconds:>10.2f}   (CPU {launch_cpu:.2f})")
    report.line(f"     members/s            {number(rate):>10}")
    report.line(
        f"     for {TARGET_MEMBERS:,} members    {projected:>10.2f}   {TARGET.describe(projected)}"
    )
    report.line(f"   raw insert rows/s      {number(raw_rate):>10}")
    report.line(f"   launch ÷ raw insert    {rate / raw_rate:>10.1%}  (members/s vs rows/s)")
    return {
        "members": args.members,
        "estimate_seconds": round(estimate_seconds, 3),
        "audience_seconds": round(written, 3),
        "launch_seconds": round(launch_seconds, 3),
        "audience_cpu_seconds": round(written_cpu, 3),
        "launch_cpu_seconds": round(launch_cpu, 3),
        "members_per_second": round(rate, 1),
        "projected_seconds_for_target": round(projected, 3),
        "target": TARGET.as_json(projected),
        "raw_rows_per_second": round(raw_rate, 1),
        "share_of_raw_insert_rate": round(rate / raw_rate, 4),
        "sends": progress,
        "gifts": gifts,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="A campaign's launch to many members.")
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "all"), default="all", help="(all)"
    )
    parser.add_argument("--members", type=int, default=TARGET_MEMBERS, help="(100000)")
    parser.add_argument(
        "--gift", action="store_true", help="the offer also grants a reward to each member"
    )
    parser.add_argument(
        "--json", action="store_true", help="also print a JSON document on stdout (text to stderr)"
    )
    args = parser.parse_args(argv)
    if not 100 <= args.members <= 1_000_000:
        parser.error("--members must be within 100..1,000,000")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("campaigns (launch)", args.json)
    report.header({key: value for key, value in vars(args).items() if key != "json"})
    results: dict[str, Any] = {}
    for backend in ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]:
        report.line()
        report.line(f"-- {backend}")
        with scratch_database(backend, "campaigns") as url:
            if url is None:
                results[backend] = {"skipped": "PostgreSQL unreachable"}
                continue
            results[backend] = run_backend(url, args, report)
    report.data["backends"] = results
    report.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
