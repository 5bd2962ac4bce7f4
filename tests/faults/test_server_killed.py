"""``kill -9`` of a real ``loyalist serve`` under load: client threads post orders, spend
points and redeem a coupon, each write with its event ids or ``Idempotency-Key``; the server
is killed at a seeded moment and started again, and every request left without an answer is
sent again as it was. Afterwards every acknowledged write is there exactly once, the ledger
verifies and each balance is what the acknowledged writes make it."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CouponRedemption
from loyalist.coupons.schemas import CampaignIn
from loyalist.ledger import service as ledger
from loyalist.ledger.balances import earned_by_order
from loyalist.ledger.models import Posting, PostingKind
from loyalist.staff.models import Scope
from tests.api.conftest import bearer, make_key
from tests.cli.conftest import Cli
from tests.cli.helpers import activity_ids
from tests.conftest import event, order_body
from tests.faults.helpers import fault_seeds, replayable, serving, wait_until
from tests.integration.helpers import assert_ledger_consistent, member_pk, points, send

MEMBERS = tuple(f"M{n}" for n in range(6))
GRANT = 100_000
SPENT_PER_REQUEST = 7
ORDER_POINTS = 110  # two shoes at 50.00 and a sock at 10.00, one point per unit of money
THREADS = 4
REQUESTS_PER_THREAD = 30
CODE = "FAULT-10"
CART: dict[str, Any] = {
    "currency": "EUR",
    "lines": [{"sku": "SHOE", "category": "shoes", "quantity": 1, "unit_price": 8000}],
}


@dataclass(frozen=True, slots=True)
class Write:
    """One write a client makes, sent again unchanged until it gets an answer."""

    kind: str
    member: str
    path: str
    body: Any
    #: The ``Idempotency-Key`` (spends, redemptions) or the order id (events carry ids).
    key: str


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Any
    #: Sends until one got an answer (connection refused, reset or a 5xx: sent again).
    sends: int


def _plan(rng: Any) -> list[list[Write]]:
    plans: list[list[Write]] = []
    for thread in range(THREADS):
        writes: list[Write] = []
        for n in range(REQUESTS_PER_THREAD):
            member = rng.choice(MEMBERS)
            key = f"t{thread}-{n}"
            kind = rng.choice(("order", "spend", "coupon"))
            if kind == "order":
                at = datetime.now(UTC)
                body: Any = [
                    event(f"{key}-placed", "order.placed", member, at, **_order(key)),
                    event(f"{key}-paid", "order.paid", member, at, order_id=key),
                ]
                writes.append(Write(kind, member, "/api/v1/events", body, key))
            elif kind == "spend":
                body = {"points": SPENT_PER_REQUEST, "reference": key}
                path = f"/api/v1/members/{member}/points/redemptions"
                writes.append(Write(kind, member, path, body, key))
            else:
                body = {"code": CODE, "member_id": member, "order_id": key, "cart": CART}
                writes.append(Write(kind, member, "/api/v1/coupons/redemptions", body, key))
        plans.append(writes)
    return plans


def _order(order_id: str) -> dict[str, Any]:
    return order_body(order_id, ("shoe", 2, 5000), ("sock", 1, 1000))


class _Clients:
    """Client threads sending their writes in order, each one again until it is answered."""

    def __init__(self, base_url: str, token: str, plans: list[list[Write]]) -> None:
        self.answers: dict[str, Answer] = {}
        self.problems: list[str] = []
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._run, args=(base_url, token, plan), daemon=True)
            for plan in plans
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def answered(self) -> int:
        with self._lock:
            return len(self.answers)

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
            assert not thread.is_alive(), "a client did not finish its writes"

    def _run(self, base_url: str, token: str, plan: list[Write]) -> None:
        with httpx.Client(base_url=base_url, headers=bearer(token), timeout=10) as client:
            for write in plan:
                answer = self._send(client, write)
                with self._lock:
                    if answer is None:
                        self.problems.append(f"{write.key}: no answer within 60 s")
                        return
                    self.answers[write.key] = answer

    def _send(self, client: httpx.Client, write: Write) -> Answer | None:
        headers = {} if write.kind == "order" else {"Idempotency-Key": write.key}
        deadline = time.monotonic() + 60
        sends = 0
        while time.monotonic() < deadline:
            sends += 1
            try:
                response = client.post(write.path, json=write.body, headers=headers)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            if response.status_code >= 500:
                time.sleep(0.05)
                continue
            return Answer(response.status_code, response.json(), sends)
        return None


def _arrange(app: Loyalist, clock: ManualClock) -> str:
    clock.set(datetime.now(UTC))  # the server runs on the wall clock
    send(app, *(event(f"enrol-{m}", "member.enrolled", m, clock.now()) for m in MEMBERS))
    spec = CampaignIn.model_validate(
        {
            "name": {"en": "Ten off", "ru": "Скидка"},
            "discount": {"type": "percent", "percent": "10"},
            "code_mode": "generic",
            "code": CODE,
        }
    )

    ids = [member_pk(app, member) for member in MEMBERS]

    def grant(uow: Any) -> None:
        coupons.put_campaign(uow, "fault", spec)
        for pk in ids:
            ledger.adjust_points(
                uow, pk, GRANT, reason="fault suite", issuer="test", program=app.program
            )

    app.db.write(grant)
    return make_key(app, "fault clients", Scope.ADMIN)


def _spends(app: Loyalist) -> Counter[str]:
    """How many spend postings name each reference."""
    rows = app.db.read(
        lambda uow: uow.session.scalars(
            select(Posting.reason_params).where(Posting.kind == PostingKind.SPEND)
        ).all()
    )
    return Counter(str(params["reference"]) for params in rows)


def _redemptions(app: Loyalist) -> Counter[str]:
    rows = app.db.read(
        lambda uow: uow.session.execute(
            select(CouponRedemption.order_id, func.count()).group_by(CouponRedemption.order_id)
        ).all()
    )
    return Counter({str(order): int(count) for order, count in rows})


@pytest.mark.parametrize("seed", fault_seeds(1, 2))
def test_every_acknowledged_write_survives_kill_9_of_the_server_exactly_once(
    seed: int, cli: Cli, app: Loyalist, clock: ManualClock, tmp_path: Path
) -> None:
    with replayable(seed) as rng:
        token = _arrange(app, clock)
        plans = _plan(rng)
        total = THREADS * REQUESTS_PER_THREAD
        after = rng.randrange(10, total * 2 // 3)  # answers before the kill
        with serving(cli, tmp_path / "serve.log") as server:
            clients = _Clients(server.base_url, token, plans)
            clients.start()
            wait_until(lambda: clients.answered() >= after, timeout=60, what="the load")
            time.sleep(rng.uniform(0, 0.02))
            server.kill()
            server.start()
            clients.join(timeout=90)

        assert clients.problems == []
        writes = [write for plan in plans for write in plan]
        answers = clients.answers
        assert len(answers) == total
        assert {answers[w.key].status for w in writes} <= {201, 202}, [
            (w.key, answers[w.key]) for w in writes if answers[w.key].status not in (201, 202)
        ]
        assert any(a.sends > 1 for a in answers.values()), "no write met the kill"
        orders = [w for w in writes if w.kind == "order"]
        spends = [w for w in writes if w.kind == "spend"]
        redemptions = [w for w in writes if w.kind == "coupon"]
        # every event once, each order earning its points once
        expected_events = {f"{w.key}-{step}" for w in orders for step in ("placed", "paid")}
        assert activity_ids(app) - {f"enrol-{m}" for m in MEMBERS} == expected_events
        earned = app.db.read(lambda uow: earned_by_order(uow, [w.key for w in orders]))
        assert earned == dict.fromkeys((w.key for w in orders), ORDER_POINTS)
        # every spend once, the answers naming the posting that is in the ledger
        assert _spends(app) == Counter(w.key for w in spends)
        # every redemption once, under the id its answer gave
        assert _redemptions(app) == Counter(w.key for w in redemptions)
        stored = app.db.read(
            lambda uow: set(uow.session.scalars(select(CouponRedemption.id)).all())
        )
        assert stored == {answers[w.key].body["id"] for w in redemptions}
        # balances are what the acknowledged writes make them
        for member in MEMBERS:
            balance = points(app, member)
            spent = SPENT_PER_REQUEST * sum(w.member == member for w in spends)
            ordered = ORDER_POINTS * sum(w.member == member for w in orders)
            assert (balance["available"], balance["pending"]) == (GRANT - spent, ordered), member
        assert_ledger_consistent(app)
        verify = cli.run("ledger", "verify")
        assert (verify.code, "ledger consistent" in verify.stdout) == (0, True), verify.stdout
        assert server.starts == 2
