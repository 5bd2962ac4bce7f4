"""Rewards on a real database: redeeming for points, gating, limits and stock under
concurrency, refunds of unused expired rewards, and surprise rewards granted by rules."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from loyalist.activities.schemas import parse_event
from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons import validation
from loyalist.coupons.models import CouponCode
from loyalist.coupons.schemas import Cart
from loyalist.db.uow import UnitOfWork
from loyalist.errors import ConflictError, DomainError, NotFoundError
from loyalist.ledger import service as ledger
from loyalist.ledger.balances import history
from loyalist.ledger.models import Posting, PostingKind
from loyalist.ledger.service import Award
from loyalist.members import service as members
from loyalist.rewards import catalogue
from loyalist.rewards import jobs as reward_jobs
from loyalist.rewards import service as rewards
from loyalist.rewards.errors import (
    RewardLimitReachedError,
    RewardNotAvailableError,
    RewardNotEligibleError,
    RewardNotFoundError,
    RewardOutOfStockError,
)
from loyalist.rewards.models import Reward, RewardRedemption, RewardRedemptionStatus
from loyalist.rewards.schemas import RewardIn
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile
from loyalist.tiers.schemas import Perks, Threshold, TierLevel, TierProgram
from loyalist.tiers.service import apply_program as apply_tiers
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, points, run_jobs, send

T = TypeVar("T")
BARRIER_TIMEOUT = 60.0
CART = Cart.model_validate(
    {"currency": "EUR", "lines": [{"sku": "mug", "quantity": 1, "unit_price": 2000}]}
)


def reward_spec(**overrides: Any) -> RewardIn:
    spec: dict[str, Any] = {
        "name": {"en": "Five euros off", "ru": "Скидка пять евро"},
        "description": {"en": "On your next order", "ru": "На следующий заказ"},
        "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
        "cost_points": 300,
        **overrides,
    }
    return RewardIn.model_validate(spec)


def put(app: Loyalist, key: str = "fiver", **overrides: Any) -> None:
    app.db.write(lambda uow: catalogue.put_reward(uow, key, reward_spec(**overrides)))


def funded(app: Loyalist, external_id: str, amount: int = 1000) -> int:
    def op(uow: UnitOfWork) -> int:
        member_id = members.ensure_members(uow, [external_id])[external_id]
        if amount:
            ledger.award_points(uow, member_id, [Award(amount, "adjust")], app.program)
        return member_id

    return app.db.write(op)


def redeem(app: Loyalist, member_id: int, key: str = "fiver", **kw: Any) -> RewardRedemption:
    return app.db.write(lambda uow: rewards.redeem(uow, member_id, key, app.program, **kw))


def detached(op: Callable[[UnitOfWork], T]) -> Callable[[UnitOfWork], T]:
    """``op`` with its rows detached before the read commits, so they stay readable."""

    def run(uow: UnitOfWork) -> T:
        found = op(uow)
        uow.session.expunge_all()
        return found

    return run


def code_of(app: Loyalist, redemption: RewardRedemption) -> CouponCode:
    def op(uow: UnitOfWork) -> CouponCode:
        return coupons.codes_by_id(uow, [redemption.code_id])[redemption.code_id]

    return app.db.read(detached(op))


def redemptions(app: Loyalist) -> list[RewardRedemption]:
    def op(uow: UnitOfWork) -> list[RewardRedemption]:
        return list(uow.session.scalars(select(RewardRedemption).order_by(RewardRedemption.id)))

    return app.db.read(detached(op))


def issued(app: Loyalist, key: str = "fiver") -> int:
    return app.db.read(
        lambda uow: int(uow.session.scalar(select(Reward.issued).where(Reward.key == key)) or 0)
    )


def refused(app: Loyalist, op: Callable[[], object]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        op()
    return caught.value


def run_at_once(count: int, task: Callable[[int], T]) -> list[T]:
    """Run ``task(i)`` on ``count`` threads released together by a barrier."""
    barrier = threading.Barrier(count)

    def started(i: int) -> T:
        barrier.wait(timeout=BARRIER_TIMEOUT)
        return task(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(started, range(count)))


class TestRedeem:
    def test_spends_exactly_the_cost_and_issues_a_coupon_only_that_member_can_use(
        self, app: Loyalist
    ) -> None:
        put(app)
        ann, bob = funded(app, "ann"), funded(app, "bob")

        redemption = redeem(app, ann)

        balance = points(app, "ann")
        assert (balance["available"], balance["spent"]) == (700, 300)
        assert (redemption.points, redemption.status) == (300, RewardRedemptionStatus.ISSUED)
        assert redemption.id.startswith("rwd_")
        code = code_of(app, redemption)
        assert (code.member_id, code.max_uses, code.uses) == (ann, 1, 0)
        assert code.valid_until == START + timedelta(days=30) == redemption.expires_at

        def validate(member_id: int) -> dict[str, Any]:
            def op(uow: UnitOfWork) -> dict[str, Any]:
                audience = validation.audience_of(uow, member_id, app.program.zone)
                return validation.validate(uow, uow.now, coupons.show(code.code), CART, audience)

            return app.db.read(op)

        assert (validate(ann)["valid"], validate(ann)["discount"]) == (True, 500)
        with pytest.raises(NotFoundError) as caught:
            validate(bob)
        assert caught.value.code == "coupon_not_found"
        texts = app.db.read(lambda uow: [e["text"] for e in history(uow, ann, "en", limit=5)])
        assert texts[0] == "−300 points for the reward “Five euros off”"
        ru = app.db.read(lambda uow: [e["text"] for e in history(uow, ann, "ru", limit=5)])
        assert ru[0] == "−300 баллов: награда «Скидка пять евро»"
        assert issued(app) == 1
        assert_ledger_consistent(app)

    def test_a_free_reward_writes_no_posting(self, app: Loyalist) -> None:
        put(app, "sample", cost_points=0, discount=gift())
        ann = funded(app, "ann", 0)

        redemption = redeem(app, ann, "sample")

        assert (redemption.points, redemption.posting_id) == (0, None)
        spends = app.db.read(
            lambda uow: uow.session.scalar(
                select(func.count()).select_from(Posting).where(Posting.kind == PostingKind.SPEND)
            )
        )
        assert spends == 0

    def test_refuses_when_points_are_short_and_leaves_stock_and_codes_alone(
        self, app: Loyalist
    ) -> None:
        put(app, stock=3)
        ann = funded(app, "ann", 299)

        error = refused(app, lambda: redeem(app, ann))

        assert isinstance(error, ConflictError)
        assert error.code == "insufficient_points"
        assert issued(app) == 0
        assert redemptions(app) == []
        assert points(app, "ann")["available"] == 299

    def test_unknown_reward_is_404(self, app: Loyalist) -> None:
        ann = funded(app, "ann")
        error = refused(app, lambda: redeem(app, ann, "nope"))
        assert (type(error), error.code, error.status) == (
            RewardNotFoundError,
            "reward_not_found",
            404,
        )

    def test_replaying_a_source_returns_the_first_redemption(self, app: Loyalist) -> None:
        put(app)
        ann = funded(app, "ann")

        first = redeem(app, ann, source="points:k1")
        again = redeem(app, ann, source="points:k1")

        assert again.id == first.id
        assert points(app, "ann")["spent"] == 300
        assert len(redemptions(app)) == 1
        bob = funded(app, "bob")
        error = refused(app, lambda: redeem(app, bob, source="points:k1"))
        assert error.code == "idempotency_key_reused"

    def test_a_long_source_is_kept_distinct_within_the_column(self, app: Loyalist) -> None:
        put(app)
        ann = funded(app, "ann")
        a, b = "points:" + "a" * 250, "points:" + "a" * 249 + "b"

        first, second = redeem(app, ann, source=a), redeem(app, ann, source=b)

        assert first.id != second.id
        assert len(first.source) == len(second.source) == 200


class TestLimits:
    def test_refuses_a_second_reward_past_the_per_member_limit(self, app: Loyalist) -> None:
        put(app, per_member_limit=1)
        ann, bob = funded(app, "ann"), funded(app, "bob")
        redeem(app, ann)

        error = refused(app, lambda: redeem(app, ann))

        assert (type(error), error.code, error.status) == (
            RewardLimitReachedError,
            "reward_limit_reached",
            409,
        )
        assert redeem(app, bob).member_id == bob
        assert points(app, "ann")["spent"] == 300

    def test_refuses_once_the_stock_is_issued(self, app: Loyalist) -> None:
        put(app, stock=1)
        ann, bob = funded(app, "ann"), funded(app, "bob")
        redeem(app, ann)

        error = refused(app, lambda: redeem(app, bob))

        assert (type(error), error.code, error.status) == (
            RewardOutOfStockError,
            "reward_out_of_stock",
            409,
        )
        assert points(app, "bob")["available"] == 1000

    def test_stock_cannot_be_set_below_what_was_issued(self, app: Loyalist) -> None:
        put(app, stock=5)
        ann = funded(app, "ann")
        redeem(app, ann)
        redeem(app, ann)

        error = refused(app, lambda: put(app, stock=1))

        assert error.code == "reward_stock_below_issued"
        put(app, stock=2)
        assert refused(app, lambda: redeem(app, ann)).code == "reward_out_of_stock"


class TestGatingAndValidity:
    @pytest.mark.parametrize("gated_by", ["reward", "tier_perks"])
    def test_a_gold_only_reward_is_refused_below_gold_and_granted_at_gold(
        self, app: Loyalist, gated_by: str
    ) -> None:
        perks = Perks(rewards=["fiver"] if gated_by == "tier_perks" else [])
        tiers = TierProgram(
            currency="EUR",
            levels=[
                TierLevel(key="member", name={"en": "Member", "ru": "Участник"}),
                TierLevel(
                    key="gold",
                    name={"en": "Gold", "ru": "Золото"},
                    threshold=Threshold(spend=10000),
                    perks=perks,
                ),
            ],
        )
        app.db.write(lambda uow: apply_tiers(uow, tiers))
        put(app, tiers=["gold"] if gated_by == "reward" else [])
        ann = funded(app, "ann")

        error = refused(app, lambda: redeem(app, ann))
        assert (type(error), error.code, error.status) == (
            RewardNotEligibleError,
            "reward_not_eligible",
            422,
        )
        listed = app.db.read(lambda uow: catalogue.catalogue(uow, ann, app.program, locale="en"))
        assert [(i["tiers"], i["eligible"]) for i in listed] == [(["gold"], False)]
        body = order_body("o1", ("boot", 1, 15000))
        send(app, event("o1-paid", "order.paid", "ann", START, **body))

        assert redeem(app, ann).points == 300

    def test_a_segment_gated_reward_needs_one_of_its_segments(self, app: Loyalist) -> None:
        put(app, segments=["vip", "staff"])
        ann = funded(app, "ann")
        assert refused(app, lambda: redeem(app, ann)).code == "reward_not_eligible"

        app.db.write(lambda uow: members.set_segments(uow, {ann: ["staff"]}))

        assert redeem(app, ann).points == 300

    def test_is_offered_only_between_its_dates(self, app: Loyalist, clock: ManualClock) -> None:
        put(app, valid_from=START + timedelta(days=1), valid_until=START + timedelta(days=2))
        ann = funded(app, "ann")
        assert refused(app, lambda: redeem(app, ann)).code == "reward_not_available"

        clock.advance(timedelta(days=1))
        redeem(app, ann)
        clock.advance(timedelta(days=1))

        error = refused(app, lambda: redeem(app, ann))
        assert (type(error), error.code, error.status) == (
            RewardNotAvailableError,
            "reward_not_available",
            422,
        )

    def test_a_paused_reward_leaves_the_catalogue_and_its_coupons_stay_valid(
        self, app: Loyalist
    ) -> None:
        put(app)
        ann = funded(app, "ann")
        redemption = redeem(app, ann)

        app.db.write(lambda uow: catalogue.pause_reward(uow, "fiver"))

        assert refused(app, lambda: redeem(app, ann)).code == "reward_not_available"
        listed = app.db.read(lambda uow: catalogue.catalogue(uow, ann, app.program, locale="en"))
        assert listed == []
        mine = app.db.read(lambda uow: coupons.member_coupons(uow, ann, usable_only=True))
        assert [c["code"] for c in mine] == [code_of(app, redemption).code]


class TestCatalogue:
    def test_says_per_reward_whether_the_member_can_redeem_it_and_why_not(
        self, app: Loyalist
    ) -> None:
        put(app, "cheap", cost_points=100)
        put(app, "dear", cost_points=5000)
        put(app, "gone", cost_points=50, stock=0)
        put(app, "gold", cost_points=10, tiers=["gold"])
        put(app, "once", cost_points=200, per_member_limit=1)
        ann = funded(app, "ann", 1000)
        redeem(app, ann, "once")

        items = app.db.read(lambda uow: catalogue.catalogue(uow, ann, app.program, locale="ru"))

        assert [(i["key"], [r["code"] for r in i["reasons"]]) for i in items] == [
            ("gold", ["reward_not_eligible"]),
            ("gone", ["reward_out_of_stock"]),
            ("cheap", []),
            ("once", ["reward_limit_reached"]),
            ("dear", ["insufficient_points"]),
        ]
        cheap = items[2]
        assert (cheap["name"], cheap["redeemable"], cheap["affordable"]) == (
            "Скидка пять евро",
            True,
            True,
        )
        only = app.db.read(
            lambda uow: catalogue.catalogue(
                uow, ann, app.program, locale="en", redeemable_only=True
            )
        )
        assert [(i["key"], i["name"]) for i in only] == [("cheap", "Five euros off")]


class TestConcurrency:
    def test_twelve_members_racing_for_a_stock_of_five_get_exactly_five(
        self, app: Loyalist
    ) -> None:
        put(app, stock=5)
        ids = [funded(app, f"racer-{i}") for i in range(12)]

        def attempt(i: int) -> RewardRedemption | DomainError:
            try:
                return redeem(app, ids[i])
            except DomainError as exc:
                return exc

        results = run_at_once(12, attempt)

        won = [r for r in results if isinstance(r, RewardRedemption)]
        lost = [r for r in results if isinstance(r, DomainError)]
        assert len(won) == 5
        assert {(type(e), e.code, e.status) for e in lost} == {
            (RewardOutOfStockError, "reward_out_of_stock", 409)
        }
        assert issued(app) == 5
        assert len(redemptions(app)) == 5
        spent = sorted(points(app, f"racer-{i}")["spent"] for i in range(12))
        assert spent == [0] * 7 + [300] * 5
        assert_ledger_consistent(app)

    def test_one_member_racing_against_a_limit_of_one_gets_one(self, app: Loyalist) -> None:
        put(app, per_member_limit=1)
        ann = funded(app, "ann", 10_000)

        def attempt(_i: int) -> RewardRedemption | DomainError:
            try:
                return redeem(app, ann)
            except DomainError as exc:
                return exc

        results = run_at_once(12, attempt)

        won = [r for r in results if isinstance(r, RewardRedemption)]
        lost = [r for r in results if isinstance(r, DomainError)]
        assert len(won) == 1
        assert {(type(e), e.code, e.status) for e in lost} == {
            (RewardLimitReachedError, "reward_limit_reached", 409)
        }
        assert points(app, "ann")["spent"] == 300
        assert_ledger_consistent(app)


def gift() -> dict[str, Any]:
    return {"type": "gift", "sku": "sample", "description": {"en": "A sample", "ru": "Пробник"}}


class TestRefunds:
    def test_refunds_only_unused_expired_rewards_that_refund_and_only_once(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        put(app, "refunds", refund_unused=True, coupon_valid_days=10)
        put(app, "keeps", refund_unused=False, coupon_valid_days=10)
        ann = funded(app, "ann", 1000)
        unused = redeem(app, ann, "refunds")
        used = redeem(app, ann, "refunds")
        kept = redeem(app, ann, "keeps")

        def use(uow: UnitOfWork) -> object:
            audience = validation.audience_of(uow, ann, app.program.zone)
            text = coupons.show(code_of(app, used).code)
            return coupons.redeem(uow, text, CART, audience, order_id="o1")

        app.db.write(use)
        clock.advance(timedelta(days=9))
        run_jobs(app)
        assert {r.status for r in redemptions(app)} == {RewardRedemptionStatus.ISSUED}

        clock.advance(timedelta(days=1))
        run_jobs(app)
        run_jobs(app)

        status = {r.id: (r.status, r.refunded_at) for r in redemptions(app)}
        assert status == {
            unused.id: (RewardRedemptionStatus.REFUNDED, START + timedelta(days=10)),
            used.id: (RewardRedemptionStatus.EXPIRED, None),
            kept.id: (RewardRedemptionStatus.EXPIRED, None),
        }
        balance = points(app, "ann")
        assert (balance["available"], balance["spent"]) == (400, 600)
        texts = app.db.read(lambda uow: [e["text"] for e in history(uow, ann, "en", limit=1)])
        assert texts == ["+300 points back: the reward “Five euros off” expired unused"]
        assert issued(app, "refunds") == 2
        assert_ledger_consistent(app)

    def test_returns_the_number_settled_and_zero_when_nothing_is_due(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        put(app, refund_unused=True, coupon_valid_days=1)
        ann = funded(app, "ann")
        redeem(app, ann)
        redeem(app, ann)
        clock.advance(timedelta(days=1))

        def settle(uow: UnitOfWork) -> int:
            return reward_jobs.refund_expired(uow, app.program, limit=1)

        assert [app.db.write(settle) for _ in range(3)] == [1, 1, 0]
        assert points(app, "ann")["available"] == 1000


SURPRISE_RULE = {
    "key": "first-order-gift",
    "name": {"en": "A gift for your order", "ru": "Подарок к заказу"},
    "on": "order.paid",
    "effects": [{"type": "reward", "reward": "sample"}],
}


def apply_rules(app: Loyalist, *rules: dict[str, Any]) -> None:
    program = ProgramFile.model_validate({"rules": list(rules)})
    app.db.write(lambda uow: programs.apply_program(uow, program, actor="test"))


def paid(order_id: str, member: str, event_id: str | None = None) -> dict[str, Any]:
    body = order_body(order_id, ("boot", 1, 8000))
    return event(event_id or f"{order_id}-paid", "order.paid", member, START, **body)


def member_codes(app: Loyalist, external_id: str) -> list[dict[str, Any]]:
    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        member_id = members.get_member_id(uow, external_id)
        return coupons.member_coupons(uow, member_id, usable_only=False)

    return app.db.read(op)


class TestSurpriseRewards:
    def test_an_order_paid_rule_issues_one_coupon_even_when_the_event_is_replayed(
        self, app: Loyalist
    ) -> None:
        put(app, "sample", cost_points=500, discount=gift())
        apply_rules(app, SURPRISE_RULE)

        send(app, paid("o1", "ann"))
        send(app, paid("o1", "ann"))
        send(app, paid("o1", "ann", event_id="o1-paid-again"))

        codes = member_codes(app, "ann")
        assert [c["campaign"] for c in codes] == ["reward-sample"]
        (granted,) = redemptions(app)
        assert (granted.points, granted.posting_id) == (0, None)
        assert granted.source == "rule:first-order-gift:order:o1:sample"
        assert points(app, "ann")["spent"] == 0
        views = app.db.read(
            lambda uow: rewards.member_redemptions(uow, members.get_member_id(uow, "ann"))
        )
        assert [v["granted_by_rule"] for v in views] == ["first-order-gift"]
        assert_ledger_consistent(app)

    def test_grants_nothing_when_the_reward_is_out_of_stock_missing_or_paused(
        self, app: Loyalist
    ) -> None:
        put(app, "sample", cost_points=0, discount=gift(), stock=1)
        apply_rules(
            app,
            SURPRISE_RULE,
            {**SURPRISE_RULE, "key": "ghost", "effects": [{"type": "reward", "reward": "nope"}]},
        )

        send(app, paid("o1", "ann"), paid("o2", "bob"))
        app.db.write(lambda uow: catalogue.pause_reward(uow, "sample"))
        send(app, paid("o3", "cat"))

        assert [len(member_codes(app, m)) for m in ("ann", "bob", "cat")] == [1, 0, 0]
        assert issued(app, "sample") == 1

    def test_a_batch_grants_as_one_by_one_would_within_limit_and_stock(self, app: Loyalist) -> None:
        put(app, "sample", cost_points=0, discount=gift(), stock=3, per_member_limit=2)
        ann, bob = funded(app, "ann", 0), funded(app, "bob", 0)
        grants = [
            rewards.Grant(member, "sample", f"rule:gift:{ref}:{member}")
            for member in (bob, ann)
            for ref in ("o3", "o1", "o2")
        ] + [rewards.Grant(ann, "sample", f"rule:gift:o1:{ann}")]  # a replay in the batch

        issued_now = app.db.write(lambda uow: rewards.grant_rewards(uow, grants))
        replayed = app.db.write(lambda uow: rewards.grant_rewards(uow, grants))

        # ann, then bob (member order), each's sources in order: ann's third is over her
        # limit, bob's second finds the stock gone.
        first, second = sorted([ann, bob])
        assert [(r.member_id, r.source) for r in issued_now] == [
            (first, f"rule:gift:o1:{first}"),
            (first, f"rule:gift:o2:{first}"),
            (second, f"rule:gift:o1:{second}"),
        ]
        assert replayed == []
        assert issued(app, "sample") == 3

        def owners(uow: UnitOfWork) -> list[tuple[int | None, Any]]:
            found = coupons.codes_by_id(uow, [r.code_id for r in issued_now])
            return [(found[r.code_id].member_id, found[r.code_id].valid_until) for r in issued_now]

        assert app.db.read(owners) == [(r.member_id, r.expires_at) for r in issued_now]
        assert all(r.expires_at == START + timedelta(days=30) for r in issued_now)

    def test_a_dry_run_lists_the_rules_rewards(self, app: Loyalist) -> None:
        apply_rules(app, SURPRISE_RULE)

        result = app.db.read(
            lambda uow: programs.evaluate_event(
                uow, parse_event(paid("o1", "ann")), app.program, None
            )
        )

        assert [r["rewards"] for r in result["rules"]] == [["sample"]]
