"""Connector throughput (issue 19: ≥ 80% of the plain events rate): Shopify ``orders/paid``
webhooks through ``POST /api/v1/connectors/shopify/{key}`` against ``POST /api/v1/events``
of the same orders, in one run on one database.

**Orders.** ``--orders`` orders built from Shopify's documented ``orders/create`` example
(``tests/data/connectors/shopify/orders_create.json``): each its own order id, customer
(id, e-mail address, names) and 1–4 lines of distinct skus, so every order enrols a new
member and pays one order. Bodies are built, serialised and signed (base64 HMAC-SHA256)
before the clock starts.

**Timed: the connector.** Each order's signed body posted to the webhook route: the
connector's lookup, the signature check, the adapter's mapping and reconciliation, the
validation of its events, and in the write the member resolution (the e-mail lookup of a
customer not yet a member) and the ingest of ``member.enrolled`` + ``order.paid``.

**Baseline: plain events.** The same two events per order — what the adapter maps the
order to, with their own ids and member ids so nothing replays — posted as one batch
``[enrolled, paid]`` to ``POST /api/v1/events`` with an API key: what a shop's own
integration would send for the same order.

Both run in this process over ASGI (no sockets: the application's cost only), with
``--concurrency`` requests in flight, in ``--rounds`` alternating rounds (connector, plain,
connector, …) so both meet the same database size and machine load. The report gives
orders/s of each, µs an order and **connector ÷ plain** (target ≥ 0.80); beside them the
CPU time this process spent per order on each path (``time.process_time``: every thread, the
SQLite writer included; on PostgreSQL the server's own work is not in it) and the same
ratio on CPU time (plain's CPU ÷ the connector's), which a busy machine disturbs far less
than wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import copy
import hashlib
import hmac
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/connectors.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import orjson

from bench.common import Report, Target, number, scratch_database
from loyalist.api.app import create_app
from loyalist.audit.models import SYSTEM
from loyalist.bootstrap import Loyalist, bootstrap, migrate
from loyalist.connectors import service
from loyalist.connectors.adapters.shopify import ADAPTER
from loyalist.connectors.schemas import ConnectorCreate
from loyalist.db.crypto import Keyring, new_master_key
from loyalist.settings import Settings
from loyalist.staff.service import create_api_key

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "tests/data/connectors/shopify/orders_create.json"
)
SECRET = "bench-connector-secret"  # noqa: S105 (a benchmark's own secret)
KEY = "bench-shop"
TARGET = Target(0.80, "connector ÷ plain")


def shopify_orders(count: int, seed: str) -> list[dict[str, Any]]:
    """``count`` distinct paid orders shaped as Shopify's example."""
    example = orjson.loads(EXAMPLE.read_bytes())
    line = example["line_items"][0]
    orders = []
    for n in range(count):
        order = copy.deepcopy(example)
        order["id"] = 10**15 + n
        order.update(
            financial_status="paid",
            cancelled_at=None,
            cancel_reason=None,
            email=f"{seed}{n}@b.example",
        )
        order["customer"].update(
            id=2 * 10**15 + n,
            email=f"{seed}{n}@shop.example",
            first_name=f"Anna{n}",
            updated_at="2026-01-10T10:00:00+01:00",
        )
        order["line_items"] = [
            {**line, "id": n * 10 + i, "sku": f"SKU-{(n + i) % 50}", "price": f"{19 + i}.90"}
            for i in range(1 + n % 4)
        ]
        order["created_at"] = order["updated_at"] = "2026-01-10T10:00:00+01:00"
        orders.append(order)
    return orders


def signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).digest()
    return {
        "content-type": "application/json",
        "x-shopify-hmac-sha256": base64.b64encode(digest).decode(),
        "x-shopify-topic": "orders/paid",
    }


def plain_batch(order: dict[str, Any], config: Any) -> bytes:
    """The events the adapter maps ``order`` to, under ids and members of their own."""
    events = ADAPTER.map("orders/paid", order, config).events
    renamed = []
    for event in events:
        renamed.append(
            {**event, "id": f"plain:{event['id']}", "member_id": f"plain:{event['member_id']}"}
        )
    renamed[1]["data"] = {
        **renamed[1]["data"],
        "order_id": f"plain:{renamed[1]['data']['order_id']}",
    }
    return orjson.dumps(renamed)


async def drive(
    client: httpx.AsyncClient,
    requests: Sequence[tuple[str, bytes, dict[str, str]]],
    concurrency: int,
    expected: int,
) -> tuple[float, float]:
    """Post every request, ``concurrency`` in flight; seconds taken and CPU seconds spent."""
    queue = iter(requests)
    failures: list[str] = []

    async def worker() -> None:
        for path, body, headers in queue:
            response = await client.post(path, content=body, headers=headers)
            if response.status_code != expected:
                failures.append(f"{response.status_code} {response.text[:300]}")

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return elapsed, cpu


def prepare(app: Loyalist) -> str:
    body = ConnectorCreate.model_validate(
        {"platform": "shopify", "key": KEY, "secret": SECRET, "currency": "USD"}
    )
    app.db.write(lambda uow: service.create_connector(uow, body, actor=SYSTEM))
    return app.db.write(lambda uow: create_api_key(uow, "bench", ["admin"])[1])


async def measure(app: Loyalist, args: argparse.Namespace, report: Report) -> dict[str, Any]:
    token = prepare(app)
    config = app.db.read(lambda uow: service.find_receiver(uow, "shopify", KEY))
    assert config is not None
    orders = shopify_orders(args.orders * 2, "m")
    hooks, plains = orders[: args.orders], orders[args.orders :]
    hook_requests = [
        (f"/api/v1/connectors/shopify/{KEY}", body, signed(body))
        for body in (orjson.dumps(order) for order in hooks)
    ]
    auth = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    plain_requests = [("/api/v1/events", plain_batch(o, config.config), auth) for o in plains]
    api = create_app(app, embedded_worker=False)
    per_round = -(-args.orders // args.rounds)
    times = {"connector": 0.0, "plain": 0.0}
    cpus = dict(times)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        # Warm both paths (imports, caches, the first compiled rule) outside the clock.
        warm = shopify_orders(20, "w")
        await drive(
            client,
            [
                (p, b, signed(b))
                for p, b in ((hook_requests[0][0], orjson.dumps(o)) for o in warm[:10])
            ],
            4,
            200,
        )
        await drive(
            client,
            [("/api/v1/events", plain_batch(o, config.config), auth) for o in warm[10:]],
            4,
            202,
        )
        for r in range(args.rounds):
            part = slice(r * per_round, (r + 1) * per_round)
            for name, path, expected in (
                ("connector", hook_requests, 200),
                ("plain", plain_requests, 202),
            ):
                elapsed, cpu = await drive(client, path[part], args.concurrency, expected)
                times[name] += elapsed
                cpus[name] += cpu
    rates = {name: args.orders / seconds for name, seconds in times.items()}
    ratio = rates["connector"] / rates["plain"]
    cpu_ratio = cpus["plain"] / cpus["connector"]
    for name in ("connector", "plain"):
        report.line(
            f"   {name:>9}: {number(rates[name])} orders/s, "
            f"{number(times[name] * 1e6 / args.orders)} µs an order, "
            f"CPU {number(cpus[name] * 1e6 / args.orders)} µs an order"
        )
    report.line(f"   connector ÷ plain: {ratio:.2f} ({TARGET.describe(ratio)})")
    report.line(f"   on CPU time (plain's ÷ connector's, this process): {cpu_ratio:.2f}")
    return {
        "orders_per_s": rates,
        "seconds": times,
        "cpu_seconds": cpus,
        "ratio": TARGET.as_json(ratio),
        "cpu_ratio": cpu_ratio,
    }


def run(backend: str, args: argparse.Namespace, report: Report) -> None:
    with scratch_database(backend, "connectors") as url:
        if url is None:
            return
        keyring = Keyring.from_secrets(new_master_key())
        app = bootstrap(Settings(database_url=url), keyring=keyring)
        try:
            migrate(app)
            report.line(
                f"-- {backend}: {args.orders} orders each way, {args.concurrency} in flight"
            )
            report.data.setdefault("results", {})[backend] = asyncio.run(measure(app, args, report))
        finally:
            app.close()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=2000, help="orders each way")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="sqlite")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report("connectors", args.json)
    report.header(vars(args))
    for backend in ("sqlite", "postgresql") if args.backend == "all" else (args.backend,):
        run(backend, args, report)
    report.finish()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
