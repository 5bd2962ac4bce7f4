"""Gamification on both databases: badges, quests, streaks and levels, each granted once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from loyalist.activities.events import ActivityRecorded
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CouponCode
from loyalist.coupons.schemas import CampaignIn
from loyalist.db.uow import UnitOfWork
from loyalist.gamification import policy
from loyalist.gamification import service as gamification
from loyalist.gamification.events import BadgeAwarded, QuestCompleted, StreakExtended
from loyalist.gamification.models import DefinitionKind, MemberBadge, QuestProgress
from loyalist.gamification.schemas import BadgeSpec, LevelSpec, QuestSpec, StreakSpec
from loyalist.ledger.models import Posting
from loyalist.members import service as members
from loyalist.referrals.events import ReferralConverted
from loyalist.rules import programs
from loyalist.rules.schemas import RuleSpec
from loyalist.settings import ProgramPolicy
from loyalist.tiers.schemas import Threshold, TierLevel, TierProgram
from loyalist.tiers.service import apply_program as apply_tiers
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, points, run_jobs, send

NAME = {"en": "Name", "ru": "Имя"}
SPECS: dict[DefinitionKind, Any] = {
    DefinitionKind.BADGE: BadgeSpec,
    DefinitionKind.QUEST: QuestSpec,
    DefinitionKind.STREAK: StreakSpec,
    DefinitionKind.LEVEL: LevelSpec,
}


def define(app: Loyalist, kind: DefinitionKind, key: str, **spec: Any) -> None:
    body = SPECS[kind].model_validate({"name": NAME, **spec})
    app.db.write(lambda uow: gamification.put_definition(uow, kind, key, body))


def view(app: Loyalist, member: str, locale: str = "en") -> dict[str, Any]:
    pk = member_pk(app, member)
    return app.db.read(lambda uow: gamification.member_gamification(uow, pk, app.program, locale))


def badges(app: Loyalist, member: str) -> list[str]:
    return [b["key"] for b in view(app, member)["badges"]]


def record(app: Loyalist) -> list[Any]:
    """Every gamification event emitted from now on, in order."""
    seen: list[Any] = []

    def keep(_uow: UnitOfWork, run: Sequence[Any], _program: ProgramPolicy) -> None:
        seen.extend(run)

    app.subscribe((BadgeAwarded, QuestCompleted, StreakExtended), keep)
    return seen


def paid(
    event_id: str, member: str, at: datetime = START, category: str = "cat", amount: int = 10_000
) -> dict[str, Any]:
    body = order_body(f"o-{event_id}", ("SKU", 1, amount))
    body["lines"][0]["category"] = category
    return event(event_id, "order.paid", member, at, **body)


def emit_activity(app: Loyalist, member: str, type_: str, event_id: str, **data: Any) -> None:
    """An activity fact as the activities domain emits it (with the keys it adds)."""

    def op(uow: UnitOfWork) -> None:
        pk = members.ensure_members(uow, [member])[member]
        uow.emit(ActivityRecorded(pk, member, event_id, type_, uow.now, data))

    app.db.write(op)


def count(app: Loyalist, query: Any) -> int:
    return int(app.db.read(lambda uow: uow.session.scalar(query)) or 0)


class TestBadges:
    def test_awards_once_when_two_facts_of_one_batch_both_satisfy_it(self, app: Loyalist) -> None:
        define(app, DefinitionKind.BADGE, "first-order", criteria="member.orders >= 1")
        seen = record(app)
        send(app, paid("e1", "M1"), paid("e2", "M1"))
        send(app, paid("e3", "M1"))

        listed = view(app, "M1")["badges"]
        assert [(b["key"], b["awarded_at"]) for b in listed] == [("first-order", START)]
        assert [(type(e), e.badge) for e in seen] == [(BadgeAwarded, "first-order")]
        assert count(app, select(func.count()).select_from(MemberBadge)) == 1

    def test_bought_in_three_categories_needs_the_third_distinct_one(self, app: Loyalist) -> None:
        define(app, DefinitionKind.BADGE, "explorer", criteria="size(member.categories) >= 3")
        send(app, paid("e1", "M1", category="shoes"), paid("e2", "M1", category="shoes"))
        send(app, paid("e3", "M1", category="hats"))
        assert badges(app, "M1") == []
        send(app, paid("e4", "M1", category="socks"))
        assert badges(app, "M1") == ["explorer"]

    def test_on_restricts_the_event_types_that_evaluate_it(self, app: Loyalist) -> None:
        define(
            app,
            DefinitionKind.BADGE,
            "big-spender",
            criteria="event.data.amount >= 50000",
            on=["order.paid"],
        )
        send(app, paid("e1", "M1", amount=20_000), paid("e2", "M2", amount=60_000))
        assert (badges(app, "M1"), badges(app, "M2")) == ([], ["big-spender"])

    def test_counts_verified_reviews_only_and_a_removal_takes_one_back(self, app: Loyalist) -> None:
        define(
            app,
            DefinitionKind.BADGE,
            "critic",
            criteria="member.reviews >= 2",
            on=["review.published"],
        )
        emit_activity(app, "M1", "review.published", "r1", review_id="R1", verified_purchase=True)
        emit_activity(app, "M1", "review.published", "r2", review_id="R2", verified_purchase=False)
        emit_activity(app, "M1", "review.removed", "r3", review_id="R1")
        emit_activity(app, "M1", "review.published", "r4", review_id="R3", verified_purchase=True)
        assert badges(app, "M1") == []
        assert view(app, "M1")["stats"]["reviews"] == 1
        emit_activity(app, "M1", "review.published", "r5", review_id="R4", verified_purchase=True)
        assert badges(app, "M1") == ["critic"]

    def test_a_rule_badge_effect_awards_it_once(self, app: Loyalist) -> None:
        define(app, DefinitionKind.BADGE, "welcome", criteria="false")
        spec = RuleSpec.model_validate(
            {
                "key": "welcome-badge",
                "name": NAME,
                "on": ["order.paid"],
                "effects": [{"type": "badge", "badge": "welcome"}],
            }
        )
        app.db.write(lambda uow: programs.put_rule(uow, spec, actor="test"))
        seen = record(app)
        send(app, paid("e1", "M1"), paid("e2", "M1"))

        listed = view(app, "M1")["badges"]
        assert [(b["key"], b["name"]) for b in listed] == [("welcome", "Name")]
        assert [e.badge for e in seen if isinstance(e, BadgeAwarded)] == ["welcome"]
        assert view(app, "M1", "ru")["badges"][0]["name"] == "Имя"

    def test_gold_for_a_year_is_awarded_by_the_sweep_after_a_year(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        tiers = TierProgram(
            window="lifetime",
            levels=[
                TierLevel(key="member", name={"en": "Member", "ru": "Участник"}),
                TierLevel(
                    key="gold",
                    name={"en": "Gold", "ru": "Золото"},
                    threshold=Threshold(spend=10000),
                ),
            ],
        )
        app.db.write(lambda uow: apply_tiers(uow, tiers))
        define(
            app,
            DefinitionKind.BADGE,
            "gold-year",
            criteria='member.tier == "gold" && member.days_in_tier >= 365',
        )
        send(app, paid("e1", "M1", amount=15_000), paid("e2", "M2", amount=5_000))
        run_jobs(app)
        assert badges(app, "M1") == []

        clock.advance(timedelta(days=366))
        run_jobs(app)
        assert (badges(app, "M1"), badges(app, "M2")) == (["gold-year"], [])
        awarded = view(app, "M1")["badges"][0]["awarded_at"]
        assert awarded == START + timedelta(days=366)
        run_jobs(app)
        assert count(app, select(func.count()).select_from(MemberBadge)) == 1

    def test_the_sweep_walks_members_in_chunks_from_a_stored_cursor(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        define(
            app,
            DefinitionKind.BADGE,
            "veteran",
            criteria='member.orders >= 1 && now > timestamp("2026-06-01T00:00:00Z")',
        )
        send(app, *(paid(f"e{i}", f"M{i}") for i in range(5)))
        clock.advance(timedelta(days=200))
        swept = [app.run_due_work(limit=2).done["badges_swept"] for _ in range(5)]
        assert swept == [2, 2, 1, 0, 0]
        assert all(badges(app, f"M{i}") == ["veteran"] for i in range(5))


class TestQuests:
    def quest(self, app: Loyalist, reward: dict[str, Any], **extra: Any) -> None:
        define(
            app,
            DefinitionKind.QUEST,
            "three-orders",
            steps=[{"event": "order.paid", "count": 3}],
            period={"type": "month"},
            reward=reward,
            **extra,
        )

    def test_completion_awards_points_once_and_progress_shows(self, app: Loyalist) -> None:
        self.quest(app, {"points": 500})
        seen = record(app)
        send(app, paid("e1", "M1"), paid("e2", "M1"))
        (quest,) = view(app, "M1")["quests"]
        assert (quest["steps"][0]["done"], quest["steps"][0]["needed"]) == (2, 3)
        assert quest["is_completed"] is False
        before = points(app, "M1")["lifetime_earned"]

        send(app, paid("e3", "M1"), paid("e4", "M1"))
        send(app, paid("e5", "M1"))

        (quest,) = view(app, "M1")["quests"]
        assert (quest["steps"][0]["done"], quest["is_completed"]) == (3, True)
        quest_points = app.db.read(
            lambda uow: uow.session.scalars(
                select(Posting.amount).where(Posting.reason_code == "earn_quest")
            ).all()
        )
        assert list(quest_points) == [500]
        assert points(app, "M1")["lifetime_earned"] - before == 500 + 3 * 100
        assert [(type(e), e.period) for e in seen] == [(QuestCompleted, "m2026-01")]
        assert view(app, "M1")["stats"]["quests"] == 1
        assert_ledger_consistent(app)

    def test_a_new_month_is_a_new_period(self, app: Loyalist, clock: ManualClock) -> None:
        self.quest(app, {"points": 500})
        send(app, *(paid(f"e{i}", "M1") for i in range(3)))
        feb = datetime(2026, 2, 3, 12, tzinfo=UTC)
        clock.set(feb)
        send(app, paid("f1", "M1", at=feb))
        (quest,) = view(app, "M1")["quests"]
        assert (quest["period"]["key"], quest["steps"][0]["done"]) == ("m2026-02", 1)
        rows = app.db.read(
            lambda uow: sorted(
                (p.period, p.steps, p.completed_at is not None)
                for p in uow.session.scalars(select(QuestProgress))
            )
        )
        assert rows == [("m2026-01", [3], True), ("m2026-02", [1], False)]

    def test_coupon_and_badge_rewards_are_issued_once(self, app: Loyalist) -> None:
        app.db.write(
            lambda uow: coupons.put_campaign(
                uow,
                "quest-gift",
                CampaignIn.model_validate(
                    {
                        "name": NAME,
                        "discount": {"type": "percent", "percent": 10},
                        "code_mode": "unique",
                    }
                ),
            )
        )
        self.quest(app, {"coupon": "quest-gift", "badge": "quester"})
        send(app, *(paid(f"e{i}", "M1") for i in range(5)))
        codes = app.db.read(lambda uow: uow.session.scalars(select(CouponCode.source)).all())
        assert list(codes) == [f"quest:three-orders:m2026-01:{member_pk(app, 'M1')}"]
        assert badges(app, "M1") == ["quester"]

    def test_steps_with_conditions_and_several_event_types(self, app: Loyalist) -> None:
        define(
            app,
            DefinitionKind.QUEST,
            "ambassador",
            steps=[
                {"event": "x.shared", "condition": 'event.data.channel == "tg"'},
                {"event": "order.paid", "condition": "event.data.amount >= 5000", "count": 2},
            ],
            period={
                "type": "fixed",
                "starts_at": "2026-01-01T00:00:00Z",
                "ends_at": "2026-02-01T00:00:00Z",
            },
            reward={"points": 100},
        )
        send(app, paid("e1", "M1", amount=1000), paid("e2", "M1"), paid("e3", "M1"))
        send(app, event("x1", "x.shared", "M1", START, channel="mail"))
        (quest,) = view(app, "M1")["quests"]
        assert [s["done"] for s in quest["steps"]] == [0, 2]
        send(app, event("x2", "x.shared", "M1", START, channel="tg"))
        (quest,) = view(app, "M1")["quests"]
        assert ([s["done"] for s in quest["steps"]], quest["is_completed"]) == ([1, 2], True)

    def test_events_outside_a_fixed_period_do_not_count(self, app: Loyalist) -> None:
        define(
            app,
            DefinitionKind.QUEST,
            "january",
            steps=[{"event": "order.paid"}],
            period={
                "type": "fixed",
                "starts_at": "2026-01-20T00:00:00Z",
                "ends_at": "2026-02-01T00:00:00Z",
            },
            reward={"points": 100},
        )
        send(app, paid("e1", "M1"))
        assert count(app, select(func.count()).select_from(QuestProgress)) == 0

    def test_a_return_does_not_undo_progress(self, app: Loyalist) -> None:
        self.quest(app, {"points": 500})
        send(app, paid("e1", "M1"))
        send(
            app,
            event(
                "r1",
                "order.returned",
                "M1",
                START,
                order_id="o-e1",
                return_id="R1",
                lines=[{"sku": "SKU", "quantity": 1}],
            ),
        )
        (quest,) = view(app, "M1")["quests"]
        assert quest["steps"][0]["done"] == 1

    def test_refer_a_friend_and_complete_your_profile(self, app: Loyalist) -> None:
        define(
            app,
            DefinitionKind.QUEST,
            "connector",
            steps=[{"event": "referral.converted"}, {"event": "profile.completed"}],
            period={"type": "month"},
            reward={"badge": "connector", "points": 200},
        )
        send(app, event("en1", "member.enrolled", "M1", START, email="ann@example.com"))
        send(app, event("en2", "member.enrolled", "F1", START))
        referrer, friend = member_pk(app, "M1"), member_pk(app, "F1")
        app.db.write(
            lambda uow: uow.emit(ReferralConverted(1, referrer, friend, "o1", START, rewarded=True))
        )
        (quest,) = view(app, "M1")["quests"]
        assert [s["done"] for s in quest["steps"]] == [1, 0]
        profile = {
            "email": "ann@example.com",
            "phone": "+491701234567",
            "first_name": "Ann",
            "last_name": "Lee",
            "birthday": "1990-05-01",
        }
        send(app, event("up1", "member.updated", "M1", START, **profile))
        send(app, event("up2", "member.updated", "M1", START, first_name="Anna"))
        (quest,) = view(app, "M1")["quests"]
        assert ([s["done"] for s in quest["steps"]], quest["is_completed"]) == ([1, 1], True)
        assert badges(app, "M1") == ["connector"]
        assert view(app, "M1")["stats"]["referrals"] == 1


class TestPeriodsInTheProgramZone:
    @pytest.fixture
    def program(self) -> ProgramPolicy:
        return ProgramPolicy(timezone="Europe/Moscow")

    def test_an_order_late_on_the_last_utc_day_counts_for_the_next_local_month(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        define(
            app,
            DefinitionKind.QUEST,
            "monthly",
            steps=[{"event": "order.paid", "count": 2}],
            period={"type": "month"},
            reward={"points": 10},
        )
        late = datetime(2026, 1, 31, 22, 30, tzinfo=UTC)  # 01:30 on 1 February in Moscow
        clock.set(late)
        send(app, paid("e1", "M1", at=late - timedelta(hours=2)), paid("e2", "M1", at=late))
        rows = app.db.read(
            lambda uow: sorted(
                (p.period, p.steps) for p in uow.session.scalars(select(QuestProgress))
            )
        )
        assert rows == [("m2026-01", [1]), ("m2026-02", [1])]
        (quest,) = view(app, "M1")["quests"]
        moscow_feb = datetime(2026, 1, 31, 21, tzinfo=UTC)
        assert quest["period"] == {
            "key": "m2026-02",
            "starts_at": moscow_feb,
            "ends_at": datetime(2026, 2, 28, 21, tzinfo=UTC),
        }


class TestStreaks:
    def test_extends_weekly_resets_after_a_missed_week_and_keeps_the_best(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        define(app, DefinitionKind.STREAK, "weekly", period="week", on=["order.paid"])
        seen = record(app)
        week = timedelta(days=7)

        def order_at(n: int, at: datetime) -> None:
            clock.set(at)
            send(app, paid(f"e{n}", "M1", at=at))

        order_at(1, START)  # Thursday, week 3
        order_at(2, START + timedelta(days=1))  # same week: nothing
        order_at(3, START + week)
        order_at(4, START + 2 * week)
        (streak,) = view(app, "M1")["streaks"]
        assert (streak["current"], streak["best"]) == (3, 3)
        assert [e.current for e in seen] == [1, 2, 3]

        clock.set(START + 4 * week)  # week 5 passed without an order
        (streak,) = view(app, "M1")["streaks"]
        assert (streak["current"], streak["best"]) == (0, 3)
        order_at(5, START + 5 * week)
        (streak,) = view(app, "M1")["streaks"]
        assert (streak["current"], streak["best"], streak["last_period"]) == (1, 3, "w2026-08")
        assert [e.current for e in seen] == [1, 2, 3, 1]

    def test_a_condition_decides_what_qualifies(self, app: Loyalist) -> None:
        define(
            app,
            DefinitionKind.STREAK,
            "big-months",
            period="month",
            on=["order.paid"],
            condition="event.data.amount >= 5000",
        )
        send(app, paid("e1", "M1", amount=1000))
        (streak,) = view(app, "M1")["streaks"]
        assert streak["best"] == 0
        send(app, paid("e2", "M1"))
        (streak,) = view(app, "M1")["streaks"]
        assert (streak["current"], streak["best"]) == (1, 1)


class TestLevels:
    def test_level_follows_lifetime_points(self, app: Loyalist) -> None:
        define(
            app, DefinitionKind.LEVEL, "rookie", points=0, name={"en": "Rookie", "ru": "Новичок"}
        )
        define(app, DefinitionKind.LEVEL, "pro", points=150, name={"en": "Pro", "ru": "Профи"})
        send(app, paid("e1", "M1"))
        level = view(app, "M1", "ru")["level"]
        assert level["points"] == 100
        assert level["current"] == {"key": "rookie", "name": "Новичок", "points": 0}
        assert level["next"] == {"key": "pro", "name": "Профи", "points": 150, "points_to_go": 50}
        send(app, paid("e2", "M1"))
        assert view(app, "M1")["level"]["current"]["key"] == "pro"


class TestNothingDefined:
    def test_facts_write_no_gamification_rows_without_definitions(self, app: Loyalist) -> None:
        send(app, paid("e1", "M1"))
        assert view(app, "M1") == {
            "locale": "en",
            "badges": [],
            "quests": [],
            "streaks": [],
            "level": None,
            "stats": {
                "orders": 0,
                "categories": 0,
                "reviews": 0,
                "surveys": 0,
                "referrals": 0,
                "quests": 0,
                "badges": 0,
            },
        }


class TestStreakPolicy:
    """Pure: the streak after any sequence of qualifying periods (no database)."""

    @given(st.lists(st.integers(min_value=0, max_value=30), max_size=40))
    def test_current_and_best_are_the_last_and_longest_runs_of_consecutive_periods(
        self, periods: list[int]
    ) -> None:
        ordered = sorted(periods)
        state = policy.StreakState(0, 0, None)
        for index in ordered:
            state = policy.extend_streak(state, index) or state
        runs: list[int] = []
        for index in sorted(set(ordered)):
            if runs and index - 1 in ordered:
                runs[-1] += 1
            else:
                runs.append(1)
        assert (state.current, state.best) == ((runs[-1], max(runs)) if runs else (0, 0))

    @given(st.lists(st.integers(min_value=0, max_value=10**6), max_size=8), st.integers(0, 10**6))
    def test_level_is_the_highest_threshold_reached(self, raw: list[int], points: int) -> None:
        thresholds = sorted(raw)
        index = policy.level_index(thresholds, points)
        assert index == len([t for t in thresholds if t <= points]) - 1
