"""The daily scores job on a real database: member_scores rows, member segments, rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.insights import jobs, repository, scoring
from loyalist.insights.models import InsightsRun, MemberScore
from loyalist.members import service as members
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile
from tests.conftest import START, event, order_body
from tests.integration.helpers import member_pk, run_jobs, send

#: Member → days before START of each order (10,000 minor units each unless said).
HISTORY: dict[str, tuple[int, ...]] = {
    "M1": (100,),
    "M2": (80, 50),
    "M3": (60, 40, 20),
    "M4": (70, 50, 30, 10),
    "M5": (9, 7, 5, 3, 1),
}
RFM_SEGMENT = {
    "M1": "lost",
    "M2": "hibernating",
    "M3": "potential_loyalists",
    "M4": "loyal",
    "M5": "champions",
}


def paid(order_id: str, member: str, days_ago: float, amount: int = 10000) -> dict[str, Any]:
    at = START - timedelta(days=days_ago)
    return event(
        f"{order_id}-paid", "order.paid", member, at, **order_body(order_id, ("sku", 1, amount))
    )


def seed(app: Loyalist) -> None:
    rank = {m: n for n, m in enumerate(HISTORY, start=1)}
    send(
        app,
        *(
            paid(f"{m}-{i}", m, days, amount=1000 * rank[m])
            for m, history in HISTORY.items()
            for i, days in enumerate(history)
        ),
        event("M6-enrol", "member.enrolled", "M6", START - timedelta(days=3)),
    )


def stored(app: Loyalist) -> dict[str, MemberScore]:
    """The members' scores readers see (the current generation's)."""

    def op(uow: UnitOfWork) -> dict[str, MemberScore]:
        current = repository.GENERATIONS.is_current(MemberScore.generation)
        rows = list(uow.session.scalars(select(MemberScore).where(current)))
        ids = members.external_ids(uow, [r.member_id for r in rows])
        uow.session.expunge_all()
        return {ids[r.member_id]: r for r in rows}

    return app.db.read(op)


def segments_of(app: Loyalist, *external_ids: str) -> dict[str, list[str]]:
    def op(uow: UnitOfWork) -> dict[str, list[str]]:
        return {m: members.get_member(uow, m).segments or [] for m in external_ids}

    return app.db.read(op)


class TestDailyJob:
    def test_scores_buyers_sets_their_segments_and_leaves_members_without_orders_out(
        self, app: Loyalist
    ) -> None:
        seed(app)

        run_jobs(app)

        scores = stored(app)
        assert {m: s.segment for m, s in scores.items()} == RFM_SEGMENT
        assert {m: (s.r_score, s.f_score, s.m_score) for m, s in scores.items()} == {
            m: (n, n, n) for n, m in enumerate(HISTORY, start=1)
        }
        assert {m: (s.recency_days, s.frequency, s.monetary) for m, s in scores.items()} == {
            "M1": (100, 1, 1000),
            "M2": (50, 2, 4000),
            "M3": (20, 3, 9000),
            "M4": (10, 4, 16000),
            "M5": (1, 5, 25000),
        }
        assert {s.computed_at for s in scores.values()} == {START}
        assert {s.currency for s in scores.values()} == {"EUR"}
        for s in scores.values():
            assert s.p_alive is not None
            assert s.churn_risk is not None
            assert s.clv is not None
            assert s.churn_risk == pytest.approx(1 - s.p_alive)
        held = segments_of(app, *HISTORY, "M6")
        assert held == {
            m: sorted(
                [RFM_SEGMENT[m]]
                + ([scoring.CHURN_RISK_HIGH] if scores[m].churn_risk >= 0.7 else [])  # type: ignore[operator]
            )
            for m in HISTORY
        } | {"M6": []}

    def test_runs_once_per_local_day_and_again_the_next_day(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        seed(app)
        run_jobs(app)

        again = app.run_due_work()
        clock.advance(timedelta(days=1))
        next_day = app.run_due_work()

        assert again.done["insights_scores"] == 0
        assert next_day.done["insights_scores"] == 5

        def last(uow: UnitOfWork) -> tuple[object, ...] | None:
            run = uow.session.get(InsightsRun, jobs.SCORES_JOB)
            return None if run is None else (run.last_run_at, run.members_scored)

        assert app.db.read(last) == (START + timedelta(days=1), 5)
        assert {s.computed_at for s in stored(app).values()} == {START + timedelta(days=1)}

    def test_is_not_due_before_two_in_the_morning_local_time(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        seed(app)
        clock.advance(timedelta(hours=13, minutes=30))  # 01:30 the next day (UTC program)

        report = app.run_due_work()

        assert report.done["insights_scores"] == 0
        assert stored(app) == {}

    def test_a_failing_run_keeps_yesterdays_scores_and_is_not_retried_the_same_day(
        self, app: Loyalist, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        seed(app)
        run_jobs(app)
        clock.advance(timedelta(days=1))

        def broken(*_args: object, **_kwargs: object) -> pl.DataFrame:
            raise RuntimeError("broken analytics")

        monkeypatch.setattr(scoring, "score_members", broken)
        failed = app.run_due_work()
        again = app.run_due_work()

        assert (failed.done["insights_scores"], again.done["insights_scores"]) == (0, 0)
        assert {s.computed_at for s in stored(app).values()} == {START}
        assert segments_of(app, "M5") == {"M5": ["champions"]}

    def test_a_member_whose_orders_are_all_cancelled_loses_scores_and_owned_segments(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        seed(app)
        run_jobs(app)
        app.db.write(lambda uow: members.set_segments(uow, {member_pk(app, "M1"): ["lost", "vip"]}))
        send(app, event("cancel", "order.cancelled", "M1", START, order_id="M1-0"))
        clock.advance(timedelta(days=1))

        run_jobs(app)

        assert "M1" not in stored(app)
        assert segments_of(app, "M1") == {"M1": ["vip"]}


class TestSegmentsInRules:
    def test_a_rule_targeting_champions_rewards_the_champion_only(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        seed(app)
        program = ProgramFile.model_validate(
            {
                "rules": [
                    {
                        "key": "champions-bonus",
                        "name": {"en": "Champions bonus", "ru": "Бонус чемпионам"},
                        "on": "order.paid",
                        "targeting": {"segments": ["champions"]},
                        "effects": [{"type": "fixed", "points": 7}],
                    }
                ]
            }
        )
        app.db.write(lambda uow: programs.apply_program(uow, program, actor="test"))
        run_jobs(app)
        clock.advance(timedelta(hours=1))

        send(app, paid("M5-new", "M5", 0), paid("M4-new", "M4", 0))

        def rules_of(uow: UnitOfWork) -> dict[str, list[str]]:
            return {
                order: [e["rule"] for e in programs.order_points(uow, order, "en")["entries"]]
                for order in ("M5-new", "M4-new")
            }

        rules = app.db.read(rules_of)
        assert rules == {"M5-new": ["champions-bonus"], "M4-new": []}


def test_save_lifetime_scores_keeps_rfm_columns_and_skips_unknown_customers(
    app: Loyalist,
) -> None:
    seed(app)
    run_jobs(app)
    frame = pl.DataFrame(
        {
            "customer_id": ["M1", "M6", "nobody"],
            "x": [1.0, 0.0, 2.0],
            "p_alive": [0.25, 1.0, 0.5],
            "expected_purchases_90": [0.1, 0.2, 0.3],
            "expected_purchases_365": [0.4, 0.8, 1.2],
            "expected_spend": [12.5, 20.0, 30.0],
            "clv": [5.0, 16.0, 36.0],
        }
    )

    written = app.db.write(
        lambda uow: scoring.save_lifetime_scores(uow, frame, computed_at=START + timedelta(hours=1))
    )

    scores = stored(app)
    assert written == 2
    lifetime = {
        m: (s.p_alive, s.churn_risk, s.expected_spend, s.clv, s.segment, s.frequency)
        for m, s in scores.items()
        if m in ("M1", "M6")
    }
    assert lifetime == {
        "M1": (0.25, 0.75, 12.5, 5.0, "lost", 1),
        "M6": (1.0, 0.0, 20.0, 16.0, None, None),
    }
    assert scores["M1"].computed_at == START + timedelta(hours=1)
