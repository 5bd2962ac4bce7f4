"""A member with activity in every domain, built through the real API and ingest paths (for
the privacy tests): enrolment with a referral and signals, consents, a device, paid,
delivered and returned orders, a pending one, a review, a survey answer with a comment,
a reward, a coupon redemption, an open checkout hold, a referral code and a share, an order
confirmation email sent, a badge, a quest and a streak, scores and segments."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from tests.conftest import START, event, keyed, order_body
from tests.integration.helpers import run_jobs

V1 = "/api/v1"
MEMBER = "PRIV-7731"
EMAIL = "Zelda.Quirinal@Example.org"
PHONE = "+7 912 777-31-52"
FIRST_NAME = "Ottoline"
LAST_NAME = "Brackenbury"
DEVICE_TOKEN = "fcm:Qx7vTzKk0pLmN3bVc8rW2yUh5gJd"
#: The member's address kept as evidence of their SMS consent.
CONSENT_IP = "198.51.100.231"
COMMENT = f"Please call {FIRST_NAME} {LAST_NAME} on {PHONE} or write to {EMAIL.lower()}"
#: What must not be found anywhere once the member is erased (any case).
NEEDLES = (
    EMAIL,
    FIRST_NAME,
    LAST_NAME,
    PHONE,
    "79127773152",
    "9127773152",
    "777-31-52",
    DEVICE_TOKEN,
    CONSENT_IP,
)


@dataclass(frozen=True, slots=True)
class Built:
    """What the build left open: the checkout hold, the member's points."""

    checkout_id: str
    available: int
    pending: int
    held: int


def _ok(response: Any) -> Any:
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def _events(client: TestClient, admin: dict[str, str], *events: dict[str, Any]) -> None:
    _ok(client.post(f"{V1}/events", json=list(events), headers=admin))


def build_member(app: Loyalist, client: TestClient, admin: dict[str, str]) -> Built:
    """The member ``MEMBER``, active in every domain (the clock stays at ``START``)."""
    day = timedelta(days=1)
    _ok(
        client.put(
            f"{V1}/referral-program",
            json={
                "friend_reward": {"points": 100, "on": "enrolled"},
                "referrer_reward": {"points": 50},
            },
            headers=admin,
        )
    )
    for key, body in (
        (
            "badges/first-order",
            {
                "name": {"en": "First order", "ru": "Первый заказ"},
                "description": {"en": "You ordered", "ru": "Вы заказали"},
                "criteria": "member.orders >= 1",
            },
        ),
        (
            "quests/two-orders",
            {
                "name": {"en": "Two orders", "ru": "Два заказа"},
                "steps": [{"event": "order.paid", "count": 2}],
                "period": {"type": "month"},
                "reward": {"points": 10},
            },
        ),
        (
            "streaks/monthly",
            {
                "name": {"en": "Monthly", "ru": "Каждый месяц"},
                "period": "month",
                "on": ["order.paid"],
            },
        ),
        (
            "rewards/fiver",
            {
                "name": {"en": "Five euros off", "ru": "Скидка пять евро"},
                "description": {"en": "On your next order", "ru": "На следующий заказ"},
                "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
                "cost_points": 300,
                "coupon_valid_days": 14,
            },
        ),
        (
            "coupon-campaigns/tenoff",
            {
                "name": {"en": "Ten off", "ru": "Минус десять"},
                "discount": {"type": "fixed", "amount": 1000, "currency": "EUR"},
                "code_mode": "generic",
                "code": "TENOFF",
            },
        ),
    ):
        _ok(client.put(f"{V1}/{key}", json=body, headers=admin))

    _events(client, admin, event("ev-ref-1", "member.enrolled", "REFERRER", START - 90 * day))
    code = _ok(client.get(f"{V1}/members/REFERRER/referral", headers=admin))["code"]
    _events(
        client,
        admin,
        event(
            "ev-1",
            "member.enrolled",
            MEMBER,
            START - 60 * day,
            email=EMAIL,
            phone=PHONE,
            first_name=FIRST_NAME,
            last_name=LAST_NAME,
            birthday="1990-04-12",
            timezone="Europe/Moscow",
            attributes={"favourite_shop": "Tverskaya"},
            consents={"email": True},
            referral={"code": code},
            signals={"ip": "203.0.113.77", "device_id": "device-7731"},
        ),
    )
    _ok(
        client.put(
            f"{V1}/members/{MEMBER}/consents/sms",
            json={"is_granted": True, "source": "checkout", "ip": CONSENT_IP},
            headers=admin,
        )
    )
    _ok(
        client.post(
            f"{V1}/members/{MEMBER}/devices",
            json={"token": DEVICE_TOKEN, "platform": "fcm"},
            headers=admin,
        )
    )
    first = order_body("PO-1", ("BOOK", 2, 3000), ("LAMP", 1, 4000))
    _events(
        client,
        admin,
        event("ev-2", "order.paid", MEMBER, START - 50 * day, **first),
        event("ev-3", "order.delivered", MEMBER, START - 45 * day, order_id="PO-1"),
        event(
            "ev-4",
            "order.returned",
            MEMBER,
            START - 40 * day,
            order_id="PO-1",
            lines=[{"sku": "LAMP", "quantity": 1}],
        ),
        event(
            "ev-5",
            "review.published",
            MEMBER,
            START - 39 * day,
            review_id="RV-1",
            sku="BOOK",
            rating=5,
            text_length=120,
        ),
        event(
            "ev-6",
            "survey.answered",
            MEMBER,
            START - 38 * day,
            survey_id="nps-2026",
            score=9,
            comment=COMMENT,
            channel="web",
        ),
        event(
            "ev-7",
            "order.paid",
            MEMBER,
            START - day,
            **order_body("PO-2", ("BOOK", 1, 3000)),
        ),
    )
    _ok(
        client.post(
            f"{V1}/members/{MEMBER}/points/adjustments",
            json={"points": 1000, "reason": "goodwill"},
            headers=keyed(admin),
        )
    )
    run_jobs(app)  # matures PO-1's points, sends the order confirmations, scores
    _ok(client.post(f"{V1}/members/{MEMBER}/rewards/fiver/redemptions", headers=keyed(admin)))
    _ok(client.get(f"{V1}/members/{MEMBER}/referral", headers=admin))
    _ok(
        client.post(
            f"{V1}/members/{MEMBER}/referral/shares", json={"channel": "whatsapp"}, headers=admin
        )
    )
    cart = {
        "currency": "EUR",
        "lines": [{"sku": "BOOK", "category": "books", "quantity": 1, "unit_price": 3000}],
    }
    _ok(
        client.post(
            f"{V1}/coupons/redemptions",
            json={"code": "TENOFF", "member_id": MEMBER, "order_id": "PO-9", "cart": cart},
            headers=admin | {"Idempotency-Key": "redeem-PO-9"},
        )
    )
    checkout = _ok(
        client.post(
            f"{V1}/checkout/holds",
            json={"member_id": MEMBER, "cart": cart, "points": 200},
            headers=keyed(admin),
        )
    )
    app.recompute_scores()
    points = _ok(client.get(f"{V1}/members/{MEMBER}/points", headers=admin))
    return Built(checkout["id"], points["available"], points["pending"], points["on_hold"])


def stored_text(app: Loyalist) -> str:
    """Every byte the database keeps: the SQLite file and its write-ahead log, or a
    ``pg_dump`` of the test's schema (its rows as text when ``pg_dump`` is missing)."""
    url = make_url(app.settings.effective_database_url)
    if app.db.is_sqlite:
        path = Path(url.database or "")
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists()).decode("latin-1")
    schema = str(url.query["options"]).removeprefix("-csearch_path=")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is not None:
        done = subprocess.run(  # noqa: S603 (a fixed program and arguments)
            [
                pg_dump,
                "--data-only",
                "--schema",
                schema,
                "--host",
                url.host or "127.0.0.1",
                "--port",
                str(url.port or 5432),
                "--username",
                url.username or "postgres",
                url.database or "test",
            ],
            capture_output=True,
            check=True,
        )
        return done.stdout.decode()

    def rows(uow: UnitOfWork) -> str:
        tables = uow.session.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
        )
        return "\n".join(
            row
            for table in list(tables)
            for row in uow.session.scalars(text(f'SELECT t::text FROM "{table}" t'))
        )

    return app.db.read(rows)


def found_needles(haystack: str) -> list[str]:
    lowered = haystack.lower()
    return [needle for needle in NEEDLES if needle.lower() in lowered]
