"""Server time of console and portal pages: the whole request through the ASGI application in
this process (no network), signed in as an owner, against ``GET /healthz`` measured in the
same run as the baseline. Targets (issue 18): console pages ≤ 150 ms on the demo shop and
≤ 500 ms with 1,000,000 members; the portal's home ≤ 50 ms (a member signed in through the
shop's signed link).

Two databases per backend:

- ``demo``: the demo shop (``loyalist demo``'s events, ``--demo-members``, 5,000 by
  default) through the ingest path, its due work run (the dashboard's figures stored);
- ``big``: ``--members`` (1,000,000) members with their orders and ledger postings from
  ``bench/insights_data.py``'s synthetic shop (about ``--orders-per-member`` orders each),
  and what a campaign's audience reads of a real shop: an e-mail address for 90 % of the
  members and a phone for 40 % (blind indexes only), the segment ``vip`` for 30 % (the
  others ``all``), the attribute ``newsletter`` true for half, and a granted e-mail and SMS
  consent each for 56 %; written straight into the tables with bulk inserts
  (``db/bulk.copy_frame``: PostgreSQL ``COPY``, SQLite ``executemany``), then the dashboard
  job once (timed and printed).

Pages are given by path (``--path``, repeatable; default: every console section's main pages,
a member's 360, a rule's editor, a coupon campaign, a campaign's report — the first of each
the database has — and the portal's home; then the campaign builder's audience estimate
with the form it posts on load and with an audience of each kind, ``--estimate``); each is
requested ``--count`` times after one warm-up, and the report gives the median and p95 in
ms, the median's ratio to ``/healthz``'s and the target. A page that is not 200 is
reported as such, not timed.

    .venv/bin/python bench/web.py [--backend sqlite|postgresql|all] [--members 1000000]
        [--demo-members 5000] [--path /console/dashboard?period=90d] [--count 20] [--live]
        [--estimate default|segment|tier|rfm|condition] [--json]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, cast
from urllib.parse import urlencode

if __package__ in (None, ""):  # run as ``python bench/web.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl
import pyotp
from pydantic import SecretStr
from sqlalchemy import Table, select

from bench.common import Report, Target, number, percentile, scratch_database
from bench.insights_data import generate_snapshot
from loyalist.activities.models import Order
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.cli.events import load_demo
from loyalist.db import bulk
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.db.uow import UnitOfWork
from loyalist.demo.generator import ShopSpec
from loyalist.insights import service as insights
from loyalist.insights.dashboard import CUSTOM, DashboardPeriod
from loyalist.ledger.models import Posting
from loyalist.members.models import Consent, Member
from loyalist.members.policy import link_signature
from loyalist.settings import PortalSettings, Settings
from loyalist.staff import users
from loyalist.staff.passwords import Hasher
from loyalist.staff.schemas import StaffUserCreate
from loyalist.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD: Final = "correct horse battery staple"  # noqa: S105 (the benchmark user's)
#: The console's main pages; ``{member}``, ``{rule}``, ``{coupon}``, ``{campaign}`` are the
#: database's first of each (a page whose placeholder has nothing is skipped).
DEFAULT_PATHS: Final = (
    "/console/dashboard",
    "/console/dashboard?period=7d",
    "/console/dashboard?period=365d",
    "/console/members",
    "/console/members?by=member_id&q={member}",
    "/console/members/{member}",
    "/console/program",
    "/console/program/rules/{rule}",
    "/console/coupons",
    "/console/coupons/{coupon}",
    "/console/referrals",
    "/console/referrals/review",
    "/console/messages",
    "/console/messages/log",
    "/console/campaigns",
    "/console/campaigns/new",
    "/console/campaigns/{campaign}",
    "/console/operations",
    "/console/operations/audit",
)
#: The campaign builder's audience estimate, and the forms it is timed with: the one the
#: builder posts on load (every member by e-mail), then one audience of each kind (the
#: big shop has the ``vip`` segment and the ``newsletter`` attribute; it has no tiers or
#: stored RFM scores, so those two match nobody and time the reads).
ESTIMATE: Final = "/console/campaigns/estimate"
_ON_LOAD: Final = {"/channel": "email", "/control_percent": "10"}
ESTIMATE_FORMS: Final = {
    "default": _ON_LOAD,
    "segment": {**_ON_LOAD, "/audience/segments": "vip"},
    "tier": {**_ON_LOAD, "/audience/tiers": "silver"},
    "rfm": {**_ON_LOAD, "/audience/rfm": "champions"},
    "condition": {**_ON_LOAD, "/audience/condition": "member.attributes.newsletter == true"},
}
#: The portal's home, as the member ``{member}`` (signed in through the signed link).
PORTAL_HOME: Final = "/portal/"
PORTAL_SECRET: Final = "bench-portal-link-secret"  # noqa: S105 (the benchmark's own)
TARGETS: Final = {
    "demo": Target(150, "ms", higher_is_better=False),
    "big": Target(500, "ms", higher_is_better=False),
    "portal": Target(50, "ms", higher_is_better=False),
}
#: Rows per bulk insert (one unit of work each).
CHUNK: Final = 200_000
#: A bound on each page's loop besides its count.
MAX_SECONDS: Final = 60.0
#: Ledger flows as postings: (debit, credit) when the flow's points are positive.
FLOW_ACCOUNTS: Final = {
    "issued": ("system.issued", "member.available"),
    "redeemed": ("member.available", "system.redeemed"),
    "expired": ("member.available", "system.expired"),
    "reversed": ("member.available", "system.reversed"),
    "adjusted": ("system.adjusted", "member.available"),
}
FLOW_KINDS: Final = {
    "issued": "earn",
    "redeemed": "spend",
    "expired": "expire",
    "reversed": "reverse",
    "adjusted": "adjust",
}


# -- the databases -------------------------------------------------------------------------
def load_demo_shop(app: Loyalist, members: int) -> None:
    """The demo shop through the ingest path, its due work run (as ``loyalist demo``)."""
    load_demo(app, ShopSpec(members=members), show_progress=False)


def _chunks(frame: pl.DataFrame) -> Iterator[pl.DataFrame]:
    for start in range(0, frame.height, CHUNK):
        yield frame.slice(start, CHUNK)


def _copy(app: Loyalist, table: Any, frame: pl.DataFrame) -> None:
    for chunk in _chunks(frame):

        def op(uow: UnitOfWork, chunk: pl.DataFrame = chunk) -> None:
            bulk.copy_frame(uow.session, cast(Table, table), chunk)

        app.db.write(op)


def load_big_shop(app: Loyalist, members: int, orders_per_member: float, end: datetime) -> int:
    """``members`` synthetic members with orders and ledger postings, bulk inserted; returns
    the rows written."""
    snap = generate_snapshot(
        members=members, lines=max(1, int(members * orders_per_member * 2.5)), end=end
    )
    lowest = snap.members.get_column("member_id").min()
    offset = 1 - (lowest if isinstance(lowest, int) else 0)
    stamp = pl.lit(end).cast(pl.Datetime("us", "UTC"))
    people = snap.members.select(
        id=pl.col("member_id") + offset,
        external_id=pl.format("m{}", pl.col("member_id")),
        email_index=pl.when(_share(1) < 90).then(pl.format("e{}", pl.col("member_id"))),
        phone_index=pl.when(_share(2) < 40).then(pl.format("p{}", pl.col("member_id"))),
        segments=pl.when(_share(3) < 30).then(pl.lit('["vip"]')).otherwise(pl.lit('["all"]')),
        attributes=pl.format('{{"newsletter": {}}}', _share(4) < 50),
        locale=pl.lit("en"),
        enrolled_at="enrolled_at",
        created_at="enrolled_at",
        updated_at=stamp,
    )
    consents = pl.concat(
        snap.members.filter(_share(seed) < 56).select(
            member_id=pl.col("member_id") + offset,
            purpose=pl.lit(channel),
            is_granted=pl.lit(True),
            changed_at=stamp,
            source=pl.lit("bench"),
        )
        for seed, channel in ((5, "email"), (6, "sms"))
    )
    orders = snap.orders.select(
        id=pl.col("order_key") + 1,
        order_id=pl.format("o{}", pl.col("order_key")),
        member_id=pl.col("member_id") + offset,
        currency="currency",
        channel="channel",
        shipping=pl.lit(0),
        tax=pl.lit(0),
        total="amount",
        net_amount="amount",
        has_lines=pl.lit(False),
        placed_at="paid_at",
        paid_at="paid_at",
        is_paid_reported=pl.lit(True),
        is_delivery_reported=pl.lit(False),
        is_cancel_reported=pl.lit(False),
    )
    flows = snap.points.filter(pl.col("points") != 0)
    forward = pl.col("points") > 0
    debit = pl.col("flow").replace_strict({k: v[0] for k, v in FLOW_ACCOUNTS.items()})
    credit = pl.col("flow").replace_strict({k: v[1] for k, v in FLOW_ACCOUNTS.items()})
    postings = flows.select(
        id=pl.int_range(1, flows.height + 1, dtype=pl.Int64),
        member_id=pl.col("member_id") + offset,
        kind=pl.col("flow").replace_strict(FLOW_KINDS),
        debit_account=pl.when(forward).then(debit).otherwise(credit),
        credit_account=pl.when(forward).then(credit).otherwise(debit),
        amount=pl.col("points").abs(),
        reason_code=pl.lit("bench"),
        reason_params=pl.lit("{}"),
        effective_at="at",
        created_at="at",
    )
    for table, frame in (
        (Member, people),
        (Consent, consents),
        (Order, orders),
        (Posting, postings),
    ):
        _copy(app, table.__table__, frame)
    return people.height + consents.height + orders.height + postings.height


def _share(seed: int) -> pl.Expr:
    """A member's pseudo-random percentile (0..99) for one trait (``seed``: which
    members have an e-mail address, a phone, the ``vip`` segment, a consent; polars' hash,
    stable for one version of polars)."""
    return pl.col("member_id").hash(seed) % 100


def owner_client(app: Loyalist) -> TestClient:
    """A client signed in to the console as an owner (password, then two factors)."""
    staff = app.settings.staff
    hasher = Hasher(staff.password_time_cost, staff.password_memory_kib, staff.password_parallelism)
    data = StaffUserCreate(
        email="owner@shop.example", name="Olga", roles=["owner"], password=PASSWORD
    )
    hashed = users.new_password_hash(hasher, PASSWORD, email=data.email, name=data.name)
    app.db.write(lambda uow: users.create_user(uow, data, hashed, SYSTEM))
    client = TestClient(create_app(app, embedded_worker=False), base_url="https://bench")
    started = client.post("/api/v1/auth/sign-in", json={"email": data.email, "password": PASSWORD})
    body = started.json()
    csrf = {"X-CSRF-Token": body["csrf_token"]}
    if body["stage"] == "enrolment":
        enrolment = client.post(
            "/api/v1/auth/two-factor/enrolment", json={"password": PASSWORD}, headers=csrf
        )
        code = pyotp.TOTP(enrolment.json()["secret"]).now()
        done = client.post(
            "/api/v1/auth/two-factor/enrolment/confirm", json={"code": code}, headers=csrf
        )
        assert done.status_code == 200, done.text
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200
    # As the console's hx-headers send it (the session's token after the two factors).
    client.headers["X-CSRF-Token"] = me.json()["csrf_token"]
    return client


# -- timing ---------------------------------------------------------------------------------
def timed(
    client: TestClient, path: str, count: int, form: dict[str, str] | None = None
) -> dict[str, Any]:
    """ms per request of ``path`` (a GET, or with ``form`` a POST of it): median and p95 of
    up to ``count`` (after a warm-up), and the median CPU time of this process (the
    application runs in it; PostgreSQL's own work is not counted)."""

    def send() -> Any:
        if form is None:
            return client.get(path)
        return client.post(path, data=form)

    first = send()
    if first.status_code != 200:
        return {"status": first.status_code}
    times: list[float] = []
    cpu: list[float] = []
    started = time.monotonic()
    while len(times) < count and time.monotonic() - started < MAX_SECONDS:
        t0, c0 = time.perf_counter(), time.process_time()
        answer = send()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)
    ordered = sorted(times)
    return {
        "status": 200,
        "runs": len(times),
        "median_ms": round(percentile(ordered, 50), 2),
        "p95_ms": round(percentile(ordered, 95), 2),
        "cpu_median_ms": round(percentile(sorted(cpu), 50), 2),
    }


def samples(app: Loyalist, client: TestClient) -> dict[str, str]:
    """The first member, rule, coupon campaign and campaign of the database, for the pages
    of one of each (found from the list pages' links, the member from the table)."""
    found: dict[str, str] = {}
    member = app.db.read(
        lambda uow: uow.session.scalar(select(Member.external_id).order_by(Member.id).limit(1))
    )
    if member is not None:
        found["member"] = member
    for name, listed, path in (
        ("rule", "/console/program", "/console/program/rules/"),
        ("coupon", "/console/coupons", "/console/coupons/"),
        ("campaign", "/console/campaigns", "/console/campaigns/"),
    ):
        html = client.get(listed).text
        keys = re.findall(rf'href="{re.escape(path)}([^"/?#]+)"', html)
        keys = [k for k in keys if k not in {"new", "redemptions"}]
        if keys:
            found[name] = keys[0]
    return found


def portal_client(app: Loyalist, member: str) -> TestClient:
    """A client signed in to the portal as ``member`` through the shop's signed link."""
    client = TestClient(create_app(app, embedded_worker=False), base_url="https://bench")
    expires = int(time.time()) + 600
    query = urlencode(
        {
            "member": member,
            "expires": str(expires),
            "signature": link_signature(PORTAL_SECRET, member, expires),
        }
    )
    entered = client.get(f"/portal/enter?{query}")
    assert entered.status_code == 200, entered.status_code
    return client


def _timed_line(
    report: Report, path: str, found: dict[str, Any], base: float, target: Target
) -> None:
    if found["status"] != 200:
        report.line(f"     {path}: answered {found['status']}, not timed")
        return
    median = found["median_ms"]
    found["over_healthz"] = round(median / base, 1)
    found.update(target.as_json(median))
    report.line(
        f"     {path:<44} median {median:>8} ms, p95 {found['p95_ms']:>8} ms, "
        f"CPU {found['cpu_median_ms']:>8} ms, ×{found['over_healthz']} /healthz; "
        f"{target.describe(median)}"
    )


def measure(
    app: Loyalist, kind: str, paths: list[str], estimates: list[str], count: int, report: Report
) -> dict[str, Any]:
    client = owner_client(app)
    with client:
        base = timed(client, "/healthz", count)
        results: dict[str, Any] = {"healthz": base, "pages": {}}
        report.line(
            f"     /healthz (baseline)  median {base['median_ms']:>8} ms, "
            f"CPU {base['cpu_median_ms']:>8} ms"
        )
        known = samples(app, client)
        for pattern in paths:
            try:
                path = pattern.format(**known)
            except KeyError:
                report.line(f"     {pattern}: nothing of that kind in this database, skipped")
                continue
            found = timed(client, path, count)
            results["pages"][pattern] = found
            _timed_line(report, path, found, base["median_ms"], TARGETS[kind])
        for name in estimates:
            found = timed(client, ESTIMATE, count, form=ESTIMATE_FORMS[name])
            results["pages"][f"{ESTIMATE} ({name})"] = found
            label = f"POST {ESTIMATE} ({name})"
            _timed_line(report, label, found, base["median_ms"], TARGETS[kind])
    if "member" in known:
        with portal_client(app, known["member"]) as member:
            found = timed(member, PORTAL_HOME, count)
            results["pages"][PORTAL_HOME] = found
            _timed_line(report, PORTAL_HOME, found, base["median_ms"], TARGETS["portal"])
    return results


def live_dashboard_seconds(app: Loyalist) -> float:
    """Seconds to compute one custom 30-day dashboard on the spot (what the stored
    figures spare a view)."""
    program = app.program

    def op(uow: UnitOfWork) -> None:
        today = uow.now.astimezone(program.zone).date()
        period = DashboardPeriod(CUSTOM, today - timedelta(days=29), today)
        insights.compute_dashboards(uow, program, [period])

    started = time.perf_counter()
    app.db.read(op)
    return time.perf_counter() - started


def run(backend: str, kind: str, args: argparse.Namespace, report: Report) -> None:
    with scratch_database(backend, f"web_{kind}") as url:
        if url is None:
            return
        settings = Settings(
            database_url=url, portal=PortalSettings(link_secret=SecretStr(PORTAL_SECRET))
        )
        app = bootstrap(settings, keyring=Keyring.from_secrets(new_master_key()))
        try:
            migrate(app)
            started = time.perf_counter()
            if kind == "demo":
                load_demo_shop(app, args.demo_members)
                size = f"demo shop, {args.demo_members:,} members"
            else:
                end = datetime.now(UTC).replace(microsecond=0)
                rows = load_big_shop(app, args.members, args.orders_per_member, end)
                size = f"{args.members:,} members, {rows:,} rows bulk inserted"
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            stored = 0
            if not args.no_job:
                app.db.write(insights.want_dashboards)  # as a first view of the dashboard would
                stored = app.run_due_work(limit=1000).done.get("insights_dashboards", 0)
            job = time.perf_counter() - started
            live = live_dashboard_seconds(app) if args.live else float("nan")
            report.line(f"-- {backend}, {size} (set-up {loaded:.1f} s)")
            report.line(
                f"     due work with the dashboard job ({stored} presets stored) {job:.1f} s; "
                f"one custom dashboard computed live {number(live * 1000)} ms"
            )
            results = measure(
                app,
                kind,
                list(DEFAULT_PATHS) if args.path is None else args.path,
                list(ESTIMATE_FORMS) if args.estimate is None else args.estimate,
                args.count,
                report,
            )
            results.update(
                {"setup_seconds": round(loaded, 1), "job_seconds": round(job, 1)},
                live_dashboard_ms=None if live != live else round(live * 1000, 1),
            )
            report.data.setdefault("results", {}).setdefault(backend, {})[kind] = results
        finally:
            app.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument("--members", type=int, default=1_000_000, help="big database (1000000)")
    parser.add_argument("--orders-per-member", type=float, default=3.0, help="about (3)")
    parser.add_argument("--demo-members", type=int, default=5_000, help="demo shop (5000)")
    parser.add_argument("--only", choices=("demo", "big"), help="one database only")
    parser.add_argument("--path", action="append", help="a page to time (repeatable)")
    parser.add_argument(
        "--estimate",
        action="append",
        choices=list(ESTIMATE_FORMS),
        help="an audience to time the builder's estimate with (repeatable; default: all)",
    )
    parser.add_argument(
        "--live", action="store_true", help="also time one custom dashboard computed live"
    )
    parser.add_argument(
        "--no-job",
        action="store_true",
        help="no due-work pass after the set-up (time the other pages of a big shop "
        "without waiting for the dashboard's figures; leave the dashboard out of --path)",
    )
    parser.add_argument("--count", type=int, default=20, help="requests per page (20)")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args(argv)
    if not 1 <= args.members <= 5_000_000 or not 1 <= args.demo_members <= 100_000:
        parser.error("--members must be 1..5,000,000 and --demo-members 1..100,000")
    report = Report("web", args.json)
    report.header({k: v for k, v in vars(args).items() if k != "json"})
    backends = ("sqlite", "postgresql") if args.backend == "all" else (args.backend,)
    kinds = (args.only,) if args.only else ("demo", "big")
    for backend in backends:
        for kind in kinds:
            run(backend, kind, args, report)
    report.finish()


if __name__ == "__main__":
    main()
