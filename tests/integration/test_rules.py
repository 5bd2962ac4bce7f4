"""Earning rules on a real database: versions on ledger entries, limits and budgets under
concurrency, action rules, the birthday job, dry runs that write nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from loyalist.activities.schemas import parse_event
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.models import Posting
from loyalist.rules import programs
from loyalist.rules.jobs import award_birthdays
from loyalist.rules.models import RuleCounter, RuleTrigger, RuleVersion
from loyalist.rules.schemas import ProgramFile
from loyalist.settings import ProgramPolicy
from loyalist.tiers.service import TierBook
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, points, send

BASE = {
    "key": "base",
    "name": {"en": "Base points", "ru": "Базовые баллы"},
    "on": "order.paid",
    "effects": [{"type": "per_unit", "base": True, "rates": {"EUR": 1}}],
}


def rule(key: str, **spec: Any) -> dict[str, Any]:
    return {"key": key, "name": {"en": key.title(), "ru": key.upper()}, **spec}


def apply(app: Loyalist, *rules: dict[str, Any], tiers: dict[str, Any] | None = None) -> None:
    program = ProgramFile.model_validate({"rules": list(rules), "tiers": tiers})
    app.db.write(lambda uow: programs.apply_program(uow, program, actor="test"))


def paid_order(
    order_id: str, member: str, at: datetime, *lines: tuple[str, int, int], **extra: Any
) -> dict[str, Any]:
    body = order_body(order_id, *(lines or (("sku-1", 1, 10000),)), **extra)
    return event(f"{order_id}-paid", "order.paid", member, at, **body)


def rule_points(app: Loyalist, member: str) -> dict[str, int]:
    """Points earned per rule key (from the ledger's rule versions)."""

    def op(uow: UnitOfWork) -> dict[str, int]:
        rows = uow.session.execute(
            select(RuleVersion.key, func.sum(Posting.amount))
            .join(RuleVersion, RuleVersion.id == Posting.rule_version_id)
            .where(Posting.kind == "earn", Posting.member_id == member_pk(app, member))
            .group_by(RuleVersion.key)
        )
        return {key: int(total) for key, total in rows}

    return app.db.read(op)


class TestVersions:
    def test_each_entry_records_the_rule_version_that_produced_it(self, app: Loyalist) -> None:
        bonus = rule(
            "shoes",
            on="order.paid",
            effects=[
                {
                    "type": "per_unit",
                    "of": "lines",
                    "lines": {"categories": ["shoes"]},
                    "rates": {"EUR": 0.5},
                }
            ],
        )
        apply(app, BASE, bonus)
        send(app, paid_order("o1", "M1", START, ("boot", 1, 8000), ("sock", 1, 2000)))
        body = order_body("o2", ("boot", 1, 8000))
        body["lines"][0]["category"] = "shoes"
        send(app, event("o2-paid", "order.paid", "M1", START, **body))
        apply(app, BASE, {**bonus, "effects": [{**bonus["effects"][0], "rates": {"EUR": 1}}]})
        send(app, event("o3-paid", "order.paid", "M1", START, **{**body, "order_id": "o3"}))

        explained = app.db.read(lambda uow: programs.order_points(uow, "o2", "en"))
        later = app.db.read(lambda uow: programs.order_points(uow, "o3", "ru"))
        assert [(e["rule"], e["rule_version"], e["points"]) for e in explained["entries"]] == [
            ("base", 1, 80),
            ("shoes", 1, 40),
        ]
        assert [(e["rule"], e["rule_version"], e["points"]) for e in later["entries"]] == [
            ("base", 1, 80),
            ("shoes", 2, 80),
        ]
        assert explained["entries"][1]["text"] == "+40 points: Shoes"
        assert later["entries"][0]["text"] == "+80 баллов: Базовые баллы"
        versions = app.db.read(lambda uow: programs.get_rule(uow, "shoes"))
        assert [(v.version, v.retired_at is None) for v in versions] == [(2, True), (1, False)]
        assert_ledger_consistent(app)

    def test_applying_the_same_program_twice_creates_no_version(self, app: Loyalist) -> None:
        apply(app, BASE)
        program = ProgramFile.model_validate({"rules": [BASE]})
        report = app.db.write(lambda uow: programs.apply_program(uow, program, actor="t"))
        assert (report.created, report.unchanged) == ([], ["base"])

    def test_rules_missing_from_the_file_are_retired(self, app: Loyalist) -> None:
        apply(app, BASE, rule("extra", on="order.paid", effects=[{"type": "fixed", "points": 5}]))
        apply(app, BASE)
        send(app, paid_order("o1", "M1", START))
        assert rule_points(app, "M1") == {"base": 100}

    def test_empty_program_earns_nothing_once_rules_were_applied(self, app: Loyalist) -> None:
        apply(app, BASE)
        apply(app)
        send(app, paid_order("o1", "M1", START))
        assert points(app, "M1")["pending"] == 0


class TestStacking:
    def test_exclusive_group_grants_only_the_highest_priority_rule(self, app: Loyalist) -> None:
        saturday = datetime(2026, 1, 17, 19, 0, tzinfo=UTC)
        apply(
            app,
            BASE,
            rule(
                "weekend",
                on="order.paid",
                group="promo",
                priority=50,
                validity={"days_of_week": ["sat", "sun"]},
                effects=[{"type": "multiplier", "factor": 2}],
            ),
            rule(
                "happy",
                on="order.paid",
                group="promo",
                priority=40,
                validity={"hours": [{"from": "18:00", "to": "21:00"}]},
                effects=[{"type": "multiplier", "factor": 3}],
            ),
            rule("bonus", on="order.paid", effects=[{"type": "fixed", "points": 7}]),
        )
        send(app, paid_order("o1", "M1", saturday))
        send(app, paid_order("o2", "M2", saturday + timedelta(days=2)))  # Monday 19:00
        assert rule_points(app, "M1") == {"base": 100, "weekend": 100, "bonus": 7}
        assert rule_points(app, "M2") == {"base": 100, "happy": 200, "bonus": 7}

    def test_first_order_condition_reads_orders_before_this_one(self, app: Loyalist) -> None:
        apply(
            app,
            BASE,
            rule(
                "first",
                on="order.paid",
                condition="member.order_count == 0",
                effects=[{"type": "fixed", "points": 100}],
            ),
        )
        send(app, paid_order("o1", "M1", START), paid_order("o2", "M1", START + timedelta(hours=1)))
        assert rule_points(app, "M1") == {"base": 200, "first": 100}


class TestLimits:
    def test_member_daily_cap_holds_across_batches(self, app: Loyalist) -> None:
        apply(
            app,
            rule(
                "review",
                on="review.published",
                effects=[{"type": "fixed", "points": 30}],
                limits={"per_member": {"day": 50}},
            ),
        )
        # Reviews earn only for verified purchases, once per product: four products bought.
        skus = [(f"s{n}", 1, 100) for n in (0, 1, 2, 9)]
        send(app, paid_order("o1", "M1", START - timedelta(hours=1), *skus))
        for n in range(3):
            send(
                app,
                event(
                    f"r{n}",
                    "review.published",
                    "M1",
                    START + timedelta(minutes=n),
                    review_id=f"r{n}",
                    sku=f"s{n}",
                    rating=5,
                ),
            )
        send(
            app,
            event(
                "r9",
                "review.published",
                "M1",
                START + timedelta(days=1),
                review_id="r9",
                sku="s9",
                rating=5,
            ),
        )
        assert rule_points(app, "M1") == {"review": 30 + 20 + 30}

    def test_budget_stops_the_rule_exactly_under_concurrent_events(self, app: Loyalist) -> None:
        apply(
            app,
            BASE,
            rule(
                "promo",
                on="order.paid",
                effects=[{"type": "fixed", "points": 70}],
                limits={"budget": 1000},
            ),
        )
        orders = [paid_order(f"o{n}", f"M{n}", START) for n in range(40)]

        def one(body: dict[str, Any]) -> None:
            send(app, body)

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(one, orders))

        def op(uow: UnitOfWork) -> tuple[int, int, int]:
            counter = uow.session.get(RuleCounter, "promo")
            assert counter is not None
            issued = uow.session.scalar(
                select(func.sum(Posting.amount))
                .join(RuleVersion, RuleVersion.id == Posting.rule_version_id)
                .where(RuleVersion.key == "promo")
            )
            return counter.points, counter.uses, int(issued or 0)

        assert app.db.read(op) == (1000, 15, 1000)  # 14 × 70 + 20
        assert_ledger_consistent(app)

    def test_uses_per_member_counts_across_versions(self, app: Loyalist) -> None:
        welcome = rule(
            "once",
            on="x.app_installed",
            effects=[{"type": "fixed", "points": 5}],
            limits={"uses_per_member": 1},
        )
        apply(app, welcome)
        send(app, event("m", "member.enrolled", "M1", START))
        send(app, event("a1", "x.app_installed", "M1", START))
        apply(app, {**welcome, "effects": [{"type": "fixed", "points": 9}]})
        send(app, event("a2", "x.app_installed", "M1", START))
        assert rule_points(app, "M1") == {"once": 5}


class TestActionRules:
    def test_signup_and_completed_profile_earn_once(self, app: Loyalist) -> None:
        apply(
            app,
            rule("welcome", on="member.enrolled", effects=[{"type": "fixed", "points": 50}]),
            rule("profile", on="profile.completed", effects=[{"type": "fixed", "points": 30}]),
        )
        send(app, event("e1", "member.enrolled", "M1", START, email="ann@example.com"))
        full = {
            "phone": "+44 20 7946 0000",
            "first_name": "Ann",
            "last_name": "Lee",
            "birthday": "1990-05-17",
        }
        send(app, event("e2", "member.updated", "M1", START, **full))
        send(app, event("e3", "member.updated", "M1", START, first_name="Anna"))
        assert rule_points(app, "M1") == {"welcome": 50, "profile": 30}
        assert points(app, "M1")["available"] == 80

    def test_review_condition_reads_event_data(self, app: Loyalist) -> None:
        apply(
            app,
            rule(
                "review",
                on="review.published",
                condition="event.data.text_length >= 100 || event.data.has_photo",
                effects=[{"type": "fixed", "points": 20}],
            ),
        )
        send(app, paid_order("o1", "M1", START - timedelta(hours=1), ("s", 1, 100), ("t", 1, 100)))
        send(
            app,
            event(
                "r1",
                "review.published",
                "M1",
                START,
                review_id="r1",
                sku="s",
                rating=4,
                text_length=20,
            ),
        )
        send(
            app,
            event(
                "r2",
                "review.published",
                "M1",
                START,
                review_id="r2",
                sku="t",
                rating=4,
                has_photo=True,
            ),
        )
        assert rule_points(app, "M1") == {"review": 20}


class TestRunTimeErrors:
    def test_a_condition_dividing_by_zero_misses_and_ingest_goes_on(self, app: Loyalist) -> None:
        apply(
            app,
            rule(
                "ratio",
                on="x.ping",
                condition="event.data.a / event.data.b > 1",
                effects=[{"type": "fixed", "points": 5}],
            ),
        )
        send(app, event("m", "member.enrolled", "M1", START))
        send(app, event("p1", "x.ping", "M1", START, a=4, b=0))
        send(app, event("p2", "x.ping", "M1", START, a=4, b=1))
        assert rule_points(app, "M1") == {"ratio": 5}


class TestBirthdays:
    @pytest.fixture
    def program(self) -> ProgramPolicy:
        return ProgramPolicy(timezone="Asia/Vladivostok")  # UTC+10

    def _setup(self, app: Loyalist) -> None:
        apply(app, rule("birthday", on="birthday", effects=[{"type": "fixed", "points": 200}]))
        send(
            app,
            event("e1", "member.enrolled", "M1", START, birthday="1990-01-16"),
            event("e2", "member.enrolled", "M2", START, birthday="1992-02-29"),
            event("e3", "member.enrolled", "M3", START, birthday="1985-06-01"),
        )

    def test_awards_on_the_local_day_once_however_often_the_job_runs(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        self._setup(app)
        clock.set(datetime(2026, 1, 15, 13, 59, tzinfo=UTC))  # 23:59 on the 15th locally
        assert app.db.write(lambda uow: award_birthdays(uow, app.program)) == 0
        clock.set(datetime(2026, 1, 15, 14, 0, tzinfo=UTC))  # 00:00 on the 16th locally
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(
                pool.map(
                    lambda _: app.db.write(lambda uow: award_birthdays(uow, app.program)), range(4)
                )
            )
        assert sorted(results) == [0, 0, 0, 1]
        assert rule_points(app, "M1") == {"birthday": 200}
        clock.set(datetime(2027, 1, 16, 3, 0, tzinfo=UTC))
        assert app.db.write(lambda uow: award_birthdays(uow, app.program)) == 1
        assert rule_points(app, "M1") == {"birthday": 400}
        count = app.db.read(
            lambda uow: uow.session.scalar(select(func.count()).select_from(RuleTrigger))
        )
        assert count == 2

    def test_leap_day_birthdays_are_celebrated_on_28_february(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        self._setup(app)
        clock.set(datetime(2027, 2, 28, 1, 0, tzinfo=UTC))
        assert app.db.write(lambda uow: award_birthdays(uow, app.program)) == 1
        assert rule_points(app, "M2") == {"birthday": 200}


class TestDryRun:
    def test_evaluate_explains_without_writing(self, app: Loyalist) -> None:
        apply(
            app,
            BASE,
            rule(
                "big",
                on="order.paid",
                condition="order.total >= 15000",
                effects=[{"type": "fixed", "points": 50}],
                limits={"budget": 10},
            ),
        )
        send(app, event("m", "member.enrolled", "M1", START))
        before = app.db.read(
            lambda uow: uow.session.scalar(select(func.count()).select_from(Posting))
        )
        parsed = parse_event(paid_order("o1", "M1", START, ("tv", 1, 20000)))
        result = app.db.read(lambda uow: programs.evaluate_event(uow, parsed, app.program))
        after = app.db.read(
            lambda uow: uow.session.scalar(select(func.count()).select_from(Posting))
        )
        assert before == after
        assert result["points"] == 210
        assert [(r["rule"], r["points"], r["limited_by"]) for r in result["rules"]] == [
            ("base", 200, None),
            ("big", 10, "budget"),
        ]


SILVER_AFTER_TWO_ORDERS: dict[str, Any] = {
    "levels": [
        {"key": "member", "name": {"en": "Member", "ru": "Участник"}},
        {
            "key": "silver",
            "name": {"en": "Silver", "ru": "Серебро"},
            "threshold": {"orders": 2},
            "perks": {"earning_multiplier": "1.5"},
        },
    ]
}


class TestTiersInRules:
    def test_upgrade_applies_from_the_next_order_of_the_same_batch(self, app: Loyalist) -> None:
        apply(
            app,
            BASE,
            rule(
                "silver-app",
                on="order.paid",
                targeting={"tiers": ["silver"]},
                effects=[{"type": "fixed", "points": 5}],
            ),
            tiers=SILVER_AFTER_TWO_ORDERS,
        )
        send(
            app,
            *(paid_order(f"o{n}", "M1", START + timedelta(hours=n)) for n in range(1, 4)),
        )
        first = app.db.read(lambda uow: programs.order_points(uow, "o2", "en"))
        third = app.db.read(lambda uow: programs.order_points(uow, "o3", "ru"))
        assert [(e["rule"], e["points"]) for e in first["entries"]] == [("base", 100)]
        assert [(e["rule"], e["points"], e["text"]) for e in third["entries"]] == [
            ("base", 100, "+100 баллов: Базовые баллы"),
            ("silver-app", 5, "+5 баллов: SILVER-APP"),
            (None, 50, "+50 баллов: бонус уровня Серебро"),
        ]
        assert_ledger_consistent(app)


class TestTiersIntroducedLater:
    def test_orders_of_the_current_window_count_when_tiers_are_first_applied(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        send(
            app,
            paid_order("old", "M1", START - timedelta(days=30)),  # last year: not counted
            paid_order("o1", "M1", START),
            paid_order("o2", "M1", START + timedelta(hours=1)),
            paid_order("o3", "M2", START),
            event(
                "o3-ret",
                "order.returned",
                "M2",
                START + timedelta(hours=2),
                order_id="o3",
                lines=[{"sku": "sku-1", "quantity": 1}],
            ),
        )
        program = ProgramFile.model_validate({"rules": [BASE], "tiers": SILVER_AFTER_TWO_ORDERS})
        clock.set(START + timedelta(days=1))

        def op(uow: UnitOfWork) -> tuple[int, str | None, str | None]:
            report = programs.apply_program(uow, program, actor="t", policy=app.program)
            book = TierBook.of(uow, app.program.zone)
            m1, m2 = member_pk(app, "M1"), member_pk(app, "M2")
            return report.orders_backfilled, book.status(m1).key, book.status(m2).key

        assert app.db.write(op) == (3, "silver", "member")
        again = app.db.write(op)  # tiers existed already: nothing counted twice
        assert again == (0, "silver", "member")
