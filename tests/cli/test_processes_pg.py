"""The production layout on PostgreSQL: two ``loyalist serve`` processes and two
``loyalist worker`` processes on one database, with concurrent requests spread over both
servers racing for a single-use coupon, one member's balance, the same event ids and a
reward's stock. Every race has exactly the winners the rules allow, the ledger verifies,
and every process stops with 0 on SIGTERM."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from loyalist.bootstrap import Loyalist
from loyalist.staff.models import Scope
from loyalist.staff.service import create_api_key
from tests.cli.conftest import Cli
from tests.cli.helpers import activity_ids
from tests.cli.serving import wait_healthy
from tests.smtp import free_port

pytestmark = pytest.mark.parametrize(
    "db_url",
    [
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                os.environ.get("LOYALIST_TEST_BACKEND", "all") not in ("all", "postgresql"),
                reason="several processes share a database on PostgreSQL only",
            ),
        )
    ],
    indirect=True,
)

V1 = "/api/v1"
CART = {
    "currency": "EUR",
    "lines": [{"sku": "SHOE", "category": "shoes", "quantity": 1, "unit_price": 8000}],
    "shipping": 500,
}
REWARD = {
    "name": {"en": "Five euros off", "ru": "Скидка пять евро"},
    "description": {"en": "On your next order", "ru": "На следующий заказ"},
    "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
    "cost_points": 10,
    "stock": 5,
    "coupon_valid_days": 14,
}
#: The balance the spends and holds race for, and what each takes.
BALANCE, TAKE = 1000, 40
STOCK_MEMBERS = 8


@dataclass(frozen=True, slots=True)
class Call:
    """One request of a race: which race, the method, path, body and idempotency key."""

    race: str
    method: str
    path: str
    body: Any = None
    key: str | None = None


@contextmanager
def processes(cli: Cli, tmp_path: Path) -> Iterator[tuple[list[str], list[tuple[str, int, str]]]]:
    """Two servers (their base URLs) and two workers; each gets SIGTERM at the end and
    its exit code is collected."""
    running: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    urls: list[str] = []

    def start(name: str, *args: str) -> subprocess.Popen[bytes]:
        log = tmp_path / f"{name}.log"
        with log.open("wb") as out:
            running.append((name, cli.start(*args, output=out), log))
        return running[-1][1]

    exits: list[tuple[str, int, str]] = []
    try:
        for n in range(2):
            port = free_port()
            urls.append(f"http://127.0.0.1:{port}")
            start(f"serve-{n}", "serve", "--port", str(port))
        # The workers start once the servers answer: four processes importing everything
        # at once on a small machine take long to start.
        for (_, process, log), url in zip(running, urls, strict=True):
            wait_healthy(url, process, log)
        for n in range(2):
            start(f"worker-{n}", "worker", "--interval", "0.2")
        yield urls, exits
        for _, process, _ in running:
            process.send_signal(signal.SIGTERM)
        for name, process, log in running:
            exits.append((name, process.wait(30), log.read_text(errors="replace")))
    finally:
        for _, process, _ in running:
            if process.poll() is None:
                process.kill()
                process.wait(10)


def call(clients: list[httpx.Client], n: int, request: Call) -> tuple[str, int, Any]:
    client = clients[n % len(clients)]
    headers = {"Idempotency-Key": request.key} if request.key else {}
    answer = client.request(request.method, request.path, json=request.body, headers=headers)
    body = answer.json() if answer.content else None
    return request.race, answer.status_code, body


def races(now: datetime) -> list[Call]:
    calls: list[Call] = []
    for n in range(20):  # one single-use code, twenty orders
        body = {"code": "ONCE-2026", "member_id": "C1", "order_id": f"O{n}", "cart": CART}
        calls.append(Call("coupon", "POST", f"{V1}/coupons/redemptions", body, uuid.uuid4().hex))
    for n in range(60):  # spends and holds against one balance of 1,000 points
        kind = "redemptions" if n % 2 else "holds"
        spend: dict[str, Any] = {"points": TAKE, "reference": f"cart-{n}"}
        path = f"{V1}/members/S1/points/{kind}"
        calls.append(Call(kind, "POST", path, spend, uuid.uuid4().hex))
    occurred = now.isoformat().replace("+00:00", "Z")
    for n in range(30):  # each event three times, through both servers
        event = {
            "id": f"replayed-{n}",
            "type": "x.page_view",
            "member_id": "S1",
            "occurred_at": occurred,
            "data": {"path": f"/p/{n}"},
        }
        calls.extend(Call("replay", "POST", f"{V1}/events", event) for _ in range(3))
    for n in range(2 * STOCK_MEMBERS):  # a reward with 5 in stock, 16 redemptions
        path = f"{V1}/members/R{n % STOCK_MEMBERS}/rewards/fiver/redemptions"
        calls.append(Call("stock", "POST", path, None, uuid.uuid4().hex))
    random.Random(20).shuffle(calls)
    return calls


def set_up(client: httpx.Client) -> None:
    def ok(answer: httpx.Response) -> None:
        assert answer.status_code in (200, 201), answer.text

    for member in ["C1", "S1", *(f"R{n}" for n in range(STOCK_MEMBERS))]:
        ok(client.put(f"{V1}/members/{member}", json={}))
    credits: dict[str, int] = {"S1": BALANCE, **{f"R{n}": 100 for n in range(STOCK_MEMBERS)}}
    for member, points in credits.items():
        ok(
            client.post(
                f"{V1}/members/{member}/points/adjustments",
                json={"points": points, "reason": "welcome"},
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
        )
    coupon = {
        "name": {"en": "Once", "ru": "Однажды"},
        "discount": {"type": "fixed", "amount": 1000, "currency": "EUR"},
        "code_mode": "generic",
        "code": "ONCE-2026",
        "uses_per_code": 1,
    }
    ok(client.put(f"{V1}/coupon-campaigns/once", json=coupon))
    ok(client.put(f"{V1}/rewards/fiver", json=REWARD))


def test_two_servers_and_two_workers_keep_every_race_exact(
    cli: Cli, app: Loyalist, tmp_path: Path
) -> None:
    token = app.db.write(lambda uow: create_api_key(uow, "layout", [Scope.ADMIN])[1])
    headers = {"Authorization": f"Bearer {token}"}
    with processes(cli, tmp_path) as (urls, exits):
        clients = [httpx.Client(base_url=url, headers=headers, timeout=30.0) for url in urls]
        try:
            set_up(clients[0])
            calls = races(datetime.now(UTC))
            with ThreadPoolExecutor(16) as pool:
                answers = list(pool.map(lambda item: call(clients, *item), list(enumerate(calls))))
            balance = clients[1].get(f"{V1}/members/S1/points").json()
            reward = clients[0].get(f"{V1}/rewards/fiver").json()
        finally:
            for client in clients:
                client.close()
    verified = cli.run("ledger", "verify")

    by_race: dict[str, Counter[int]] = {}
    for race, status, _ in answers:
        by_race.setdefault(race, Counter())[status] += 1
    codes = Counter(
        body.get("code") for _, status, body in answers if status == 409 and isinstance(body, dict)
    )
    assert by_race["coupon"] == Counter({201: 1, 409: 19}), by_race
    spends, holds = by_race["redemptions"], by_race["holds"]
    assert spends[201] + holds[201] == BALANCE // TAKE
    assert spends[409] + holds[409] == 60 - BALANCE // TAKE
    assert spends.total() + holds.total() == 60
    assert balance["available"] == 0
    assert (balance["on_hold"], balance["spent"]) == (TAKE * holds[201], TAKE * spends[201])
    assert by_race["replay"] == Counter({202: 90})
    assert by_race["stock"] == Counter({201: 5, 409: 11}), by_race
    assert codes == Counter(
        {
            "coupon_used_up": 19,
            "insufficient_points": 60 - BALANCE // TAKE,
            "reward_out_of_stock": 11,
        }
    )
    assert reward["stock_left"] == 0
    replayed = {i for i in activity_ids(app) if i.startswith("replayed-")}
    assert len(replayed) == 30
    assert verified.code == 0, verified.stdout + verified.stderr
    assert [(name, code) for name, code, _ in exits] == [
        ("serve-0", 0),
        ("serve-1", 0),
        ("worker-0", 0),
        ("worker-1", 0),
    ], exits
    assert not any("Traceback" in text for _, _, text in exits)
