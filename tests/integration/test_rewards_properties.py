"""Random sequences of redemptions, grants, coupon uses, rollbacks and refund passes keep
stock, per-member limits, statuses and balances equal to an independent model."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, select

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons import validation
from loyalist.coupons.schemas import Cart
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError
from loyalist.ledger import service as ledger
from loyalist.ledger.balances import points_summary
from loyalist.ledger.service import Award
from loyalist.ledger.verification import verify_ledger
from loyalist.members import service as members
from loyalist.rewards import catalogue
from loyalist.rewards import jobs as reward_jobs
from loyalist.rewards import service as rewards
from loyalist.rewards.models import Reward, RewardRedemption
from loyalist.rewards.schemas import RewardIn
from loyalist.settings import ExpiryKind, ExpiryPolicy, ProgramPolicy
from tests.conftest import START, emptied_tables

T = TypeVar("T")
MEMBERS = 2
INITIAL = 1500
CART = Cart.model_validate(
    {"currency": "EUR", "lines": [{"sku": "mug", "quantity": 1, "unit_price": 2000}]}
)


@pytest.fixture
def program() -> ProgramPolicy:
    """Points never expire here, so the model's balance is simply what moved."""
    return ProgramPolicy(expiry=ExpiryPolicy(kind=ExpiryKind.NEVER))


@dataclass(frozen=True)
class RewardModel:
    key: str
    cost: int
    stock: int | None
    limit: int | None
    refund: bool
    days: int


@dataclass
class Taken:
    id: str
    member: int
    reward: str
    points: int
    expires_at: datetime
    status: str = "issued"
    uses: int = 0
    coupon_redemption: str | None = None


reward_st = st.builds(
    RewardModel,
    key=st.just(""),
    cost=st.sampled_from([0, 200, 450]),
    stock=st.one_of(st.none(), st.integers(min_value=0, max_value=4)),
    limit=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
    refund=st.booleans(),
    days=st.integers(min_value=1, max_value=5),
)


def _empty_database(uow: UnitOfWork) -> None:
    for table in emptied_tables():
        uow.session.execute(delete(table))


def test_rewards_match_the_model_after_every_operation(
    app: Loyalist, clock: ManualClock, program: ProgramPolicy
) -> None:
    serial = itertools.count()

    class RewardsMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.example = next(serial)
            clock.set(START)
            self.taken: list[Taken] = []
            self.sources: set[str] = set()
            self.issued: dict[str, int] = {}
            self.balance: dict[int, int] = {}

        def write(self, op: Callable[[UnitOfWork], T]) -> T:
            return app.db.write(op)

        def teardown(self) -> None:
            self.write(_empty_database)

        @initialize(specs=st.lists(reward_st, min_size=2, max_size=2))
        def start(self, specs: list[RewardModel]) -> None:
            self.rewards = {
                f"r{i}": RewardModel(f"r{i}", s.cost, s.stock, s.limit, s.refund, s.days)
                for i, s in enumerate(specs)
            }
            for r in self.rewards.values():
                spec = RewardIn.model_validate(
                    {
                        "name": {"en": r.key, "ru": r.key},
                        "description": {"en": r.key, "ru": r.key},
                        "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
                        "cost_points": r.cost,
                        "stock": r.stock,
                        "per_member_limit": r.limit,
                        "refund_unused": r.refund,
                        "coupon_valid_days": r.days,
                    }
                )
                self.write(partial(catalogue.put_reward, key=r.key, spec=spec))
                self.issued[r.key] = 0
            externals = [f"p{self.example}-{i}" for i in range(MEMBERS)]

            def enrol(uow: UnitOfWork) -> list[int]:
                ids = members.ensure_members(uow, externals)
                for member_id in ids.values():
                    ledger.award_points(uow, member_id, [Award(INITIAL, "adjust")], program)
                return [ids[e] for e in externals]

            self.member_ids = self.write(enrol)
            self.balance = dict.fromkeys(self.member_ids, INITIAL)

        # -- the model's expectations ------------------------------------------------------
        def expected_refusal(self, member: int, reward: RewardModel, *, paid: bool) -> str | None:
            held = sum(
                1
                for t in self.taken
                if t.member == member and t.reward == reward.key and t.status != "refunded"
            )
            if reward.limit is not None and held >= reward.limit:
                return "reward_limit_reached"
            if reward.stock is not None and self.issued[reward.key] >= reward.stock:
                return "reward_out_of_stock"
            if paid and self.balance[member] < reward.cost:
                return "insufficient_points"
            return None

        def record(
            self, redemption: RewardRedemption, member: int, reward: RewardModel, points: int
        ) -> None:
            assert redemption.expires_at == clock.now() + timedelta(days=reward.days)
            self.taken.append(
                Taken(redemption.id, member, reward.key, points, redemption.expires_at)
            )
            self.issued[reward.key] += 1
            self.balance[member] -= points

        # -- operations --------------------------------------------------------------------
        @rule(member=st.integers(0, MEMBERS - 1), which=st.integers(0, 1))
        def redeem(self, member: int, which: int) -> None:
            member_id, reward = self.member_ids[member], self.rewards[f"r{which}"]
            expected = self.expected_refusal(member_id, reward, paid=True)

            def op(uow: UnitOfWork) -> RewardRedemption:
                return rewards.redeem(uow, member_id, reward.key, program)

            if expected is not None:
                with pytest.raises(DomainError) as caught:
                    self.write(op)
                assert caught.value.code == expected
                return
            redemption = self.write(op)
            self.record(redemption, member_id, reward, reward.cost)

        @rule(
            member=st.integers(0, MEMBERS - 1),
            which=st.integers(0, 1),
            ref=st.integers(0, 3),
        )
        def grant(self, member: int, which: int, ref: int) -> None:
            member_id, reward = self.member_ids[member], self.rewards[f"r{which}"]
            source = f"rule:gift:order:{ref}:{member}:{reward.key}"
            expected = (
                "replayed"
                if source in self.sources
                else self.expected_refusal(member_id, reward, paid=False)
            )
            grants = [rewards.Grant(member_id, reward.key, source)]
            issued = self.write(lambda uow: rewards.grant_rewards(uow, grants))
            if expected is not None:
                assert issued == []
                return
            (redemption,) = issued
            self.sources.add(source)
            self.record(redemption, member_id, reward, 0)

        def usable(self) -> list[Taken]:
            now = clock.now()
            return [t for t in self.taken if t.uses == 0 and now < t.expires_at]

        @precondition(lambda self: bool(self.usable()))
        @rule(pick=st.integers(0, 100))
        def use_coupon(self, pick: int) -> None:
            target = self.usable()[pick % len(self.usable())]

            def op(uow: UnitOfWork) -> dict[str, Any]:
                (found,) = uow.session.scalars(
                    select(RewardRedemption).where(RewardRedemption.id == target.id)
                )
                code = coupons.codes_by_id(uow, [found.code_id])[found.code_id]
                audience = validation.audience_of(uow, target.member, program.zone)
                return coupons.redeem(uow, code.code, CART, audience, order_id=None)

            target.coupon_redemption = self.write(op)["id"]
            target.uses = 1

        @precondition(lambda self: any(t.coupon_redemption for t in self.taken))
        @rule(pick=st.integers(0, 100))
        def roll_back_use(self, pick: int) -> None:
            used = [t for t in self.taken if t.coupon_redemption]
            target = used[pick % len(used)]
            redemption_id = target.coupon_redemption
            assert redemption_id is not None
            self.write(lambda uow: coupons.rollback(uow, redemption_id, "returned"))
            target.coupon_redemption, target.uses = None, 0

        @rule(hours=st.integers(1, 72))
        def advance(self, hours: int) -> None:
            clock.advance(timedelta(hours=hours))

        @rule(limit=st.integers(1, 5))
        def settle_expired(self, limit: int) -> None:
            while self.write(lambda uow: reward_jobs.refund_expired(uow, program, limit=limit)):
                pass
            now = clock.now()
            for t in self.taken:
                if t.status != "issued" or t.expires_at > now:
                    continue
                if self.rewards[t.reward].refund and t.uses == 0 and t.points > 0:
                    t.status = "refunded"
                    self.balance[t.member] += t.points
                else:
                    t.status = "expired"

        # -- invariants --------------------------------------------------------------------
        @invariant()
        def matches_the_model(self) -> None:
            if not hasattr(self, "member_ids"):
                return

            def op(uow: UnitOfWork) -> tuple[Any, ...]:
                stock = {r.key: (r.issued, r.stock) for r in uow.session.scalars(select(Reward))}
                rows = uow.session.execute(select(RewardRedemption.id, RewardRedemption.status))
                statuses = {str(rid): str(status) for rid, status in rows}
                balances = {m: points_summary(uow, m)["available"] for m in self.member_ids}
                return stock, statuses, balances, verify_ledger(uow)

            stock, statuses, balances, report = app.db.read(op)
            for key, (issued, limit) in stock.items():
                assert issued == self.issued[key]
                assert limit is None or issued <= limit
            assert statuses == {t.id: t.status for t in self.taken}
            assert balances == self.balance
            assert report.ok, report.problems

    run_state_machine_as_test(
        RewardsMachine,
        settings=settings(
            max_examples=50 if app.db.is_sqlite else 30,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
