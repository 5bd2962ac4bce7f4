"""Random runs of purchases, reviews, removals and spending against a plain model: a
product earns once per member while its review is live, a removal takes back exactly
what its review earned, and the ledger stays consistent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from loyalist.activities.models import Review
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile
from tests.conftest import START, emptied_tables, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, points, send
from tests.integration.test_reviews import PHOTO, REVIEW

SKUS = ("a", "b", "c")
Op = tuple[Any, ...]

operations = st.lists(
    st.one_of(
        st.tuples(st.just("buy"), st.sampled_from(SKUS)),
        st.tuples(st.just("review"), st.sampled_from(SKUS), st.booleans()),
        st.tuples(st.just("remove"), st.integers(0, 20)),
        st.tuples(st.just("spend"), st.integers(1, 40)),
    ),
    min_size=1,
    max_size=14,
)


@dataclass
class ModelReview:
    review_id: str
    sku: str
    earned: int
    holds_slot: bool
    is_live: bool = True


def _reset(app: Loyalist) -> None:
    def op(uow: UnitOfWork) -> None:
        for table in emptied_tables():
            uow.session.execute(delete(table))
        program = ProgramFile.model_validate({"rules": [REVIEW, PHOTO]})
        programs.apply_program(uow, program, actor="test")

    app.db.write(op)


def test_review_points_follow_the_model(app: Loyalist) -> None:
    @settings(
        max_examples=30 if app.db.is_sqlite else 15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(operations)
    def run(ops: list[Op]) -> None:
        _reset(app)
        send(app, event("enrol", "member.enrolled", "M1", START))
        pk = member_pk(app, "M1")
        bought: set[str] = set()
        reviews: list[ModelReview] = []
        spent = 0
        for step, op in enumerate(ops, start=1):
            at = START + timedelta(minutes=step)
            if op[0] == "buy":
                body = order_body(f"o{step}", (op[1], 1, 100))
                send(app, event(f"pay{step}", "order.paid", "M1", at, **body))
                bought.add(op[1])
            elif op[0] == "review":
                sku, photo = op[1], op[2]
                taken = any(r.holds_slot and r.sku == sku for r in reviews)
                counts = sku in bought and not taken
                reviews.append(
                    ModelReview(f"r{step}", sku, (20 + 15 * photo) if counts else 0, counts)
                )
                send(
                    app,
                    event(
                        f"rev{step}",
                        "review.published",
                        "M1",
                        at,
                        review_id=f"r{step}",
                        sku=sku,
                        rating=5,
                        has_photo=photo,
                    ),
                )
            elif op[0] == "remove" and reviews:
                target = reviews[op[1] % len(reviews)]
                send(
                    app,
                    event(f"rm{step}", "review.removed", "M1", at, review_id=target.review_id),
                )
                target.is_live = target.holds_slot = False
            elif op[0] == "spend":
                live = sum(r.earned for r in reviews if r.is_live) - spent
                if live >= op[1]:

                    def spend(uow: UnitOfWork, amount: int = op[1]) -> None:
                        ledger.lock(uow, [pk])
                        ledger.spend_points(uow, pk, amount)

                    app.db.write(spend)
                    spent += op[1]
            # Debt (the default policy) keeps available = live earnings − spending.
            expected = sum(r.earned for r in reviews if r.is_live) - spent
            assert points(app, "M1")["available"] == expected, ops[:step]

        def stored(uow: UnitOfWork) -> dict[str, tuple[int, bool, str]]:
            rows = uow.session.scalars(select(Review))
            return {r.review_id: (r.points, r.holds_slot, r.status) for r in rows}

        assert app.db.read(stored) == {
            r.review_id: (r.earned, r.holds_slot, "live" if r.is_live else "removed")
            for r in reviews
        }
        assert_ledger_consistent(app)

    run()
