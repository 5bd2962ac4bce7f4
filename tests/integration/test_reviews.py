"""Reviews and surveys on a real database: verified purchases, once per product, photo
extras, removals that reverse exactly what a review earned, survey points once per survey."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from loyalist.activities.models import Activity, Review, ReviewStatus, SurveyAnswer
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.errors import ConflictError
from loyalist.ledger import service as ledger
from loyalist.ledger.models import Posting
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile
from loyalist.settings import NegativeBalancePolicy, ProgramPolicy
from loyalist.tiers.service import TierBook
from tests.conftest import START, event, order_body
from tests.integration.helpers import assert_ledger_consistent, member_pk, points, send

HOUR = timedelta(hours=1)


def rule(key: str, **spec: Any) -> dict[str, Any]:
    return {"key": key, "name": {"en": key.title(), "ru": key.upper()}, **spec}


REVIEW = rule("review", on="review.published", effects=[{"type": "fixed", "points": 20}])
PHOTO = rule(
    "review-photo",
    on="review.published",
    condition="event.data.has_photo",
    effects=[{"type": "fixed", "points": 15}],
)
SURVEY = rule("survey", on="survey.answered", effects=[{"type": "fixed", "points": 10}])


@pytest.fixture
def rules(app: Loyalist) -> Loyalist:
    program = ProgramFile.model_validate({"rules": [REVIEW, PHOTO, SURVEY]})
    app.db.write(lambda uow: programs.apply_program(uow, program, actor="test"))
    return app


def paid(order_id: str, member: str, at: datetime, *lines: tuple[str, int, int]) -> dict[str, Any]:
    body = order_body(order_id, *(lines or (("sku-1", 1, 1000),)))
    return event(f"{order_id}-paid", "order.paid", member, at, **body)


def review(
    review_id: str, member: str, at: datetime, sku: str = "sku-1", **data: Any
) -> dict[str, Any]:
    return event(
        f"ev-{review_id}-{at.timestamp()}",
        "review.published",
        member,
        at,
        review_id=review_id,
        sku=sku,
        rating=data.pop("rating", 5),
        **data,
    )


def removed(
    review_id: str, member: str, at: datetime, event_id: str | None = None
) -> dict[str, Any]:
    return event(
        event_id or f"rm-{review_id}",
        "review.removed",
        member,
        at,
        review_id=review_id,
        reason="spam",
    )


def answer(
    event_id: str, member: str, at: datetime, survey: str = "nps-1", score: int = 9
) -> dict[str, Any]:
    return event(event_id, "survey.answered", member, at, survey_id=survey, score=score)


def available(app: Loyalist, member: str = "M1") -> int:
    return int(points(app, member)["available"])


def stored_review(app: Loyalist, review_id: str) -> Review:
    def op(uow: UnitOfWork) -> Review:
        found = uow.session.scalar(select(Review).where(Review.review_id == review_id))
        assert found is not None
        uow.session.expunge(found)
        return found

    return app.db.read(op)


def activity_data(app: Loyalist, event_id: str) -> dict[str, Any]:
    def op(uow: UnitOfWork) -> dict[str, Any]:
        found = uow.session.scalar(select(Activity).where(Activity.event_id == event_id))
        assert found is not None
        return dict(found.data)

    return app.db.read(op)


def review_postings(app: Loyalist, review_id: str) -> list[tuple[str, str, int]]:
    def op(uow: UnitOfWork) -> list[tuple[str, str, int]]:
        rows = uow.session.execute(
            select(Posting.kind, Posting.reason_code, Posting.amount)
            .where(Posting.order_ref == f"review:{review_id}")
            .order_by(Posting.id)
        )
        return [(str(k), str(c), int(a)) for k, c, a in rows]

    return app.db.read(op)


class TestVerifiedPurchase:
    def test_a_verified_review_earns_and_an_unverified_one_does_not(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR, ("sku-1", 1, 1000)))
        send(rules, event("e2", "member.enrolled", "M2", START))
        send(rules, review("r1", "M1", START), review("r2", "M2", START))
        assert available(rules, "M1") == 20
        assert available(rules, "M2") == 0
        one, two = stored_review(rules, "r1"), stored_review(rules, "r2")
        assert (one.is_verified_purchase, one.verified_order_id, one.holds_slot) == (
            True,
            "o1",
            True,
        )
        assert (two.is_verified_purchase, two.is_first_for_product, two.holds_slot) == (
            False,
            True,
            False,
        )
        assert one.points == 20
        assert review_postings(rules, "r1") == [("earn", "earn_rule", 20)]
        flags = activity_data(rules, f"ev-r2-{START.timestamp()}")
        assert (flags["verified_purchase"], flags["first_for_product"]) == (False, True)
        assert_ledger_consistent(rules)

    def test_a_review_before_the_order_is_paid_is_not_verified(self, rules: Loyalist) -> None:
        placed = event(
            "o1-placed", "order.placed", "M1", START - HOUR, **order_body("o1", ("sku-1", 1, 1000))
        )
        send(rules, placed)
        send(rules, review("r1", "M1", START))
        send(rules, event("o1-paid", "order.paid", "M1", START + HOUR, order_id="o1"))
        assert stored_review(rules, "r1").is_verified_purchase is False
        assert available(rules) == 0

    def test_a_payment_reported_later_for_an_earlier_moment_does_not_verify_afterwards(
        self, rules: Loyalist
    ) -> None:
        send(rules, event("m", "member.enrolled", "M1", START))
        send(rules, review("r1", "M1", START))
        send(rules, paid("o1", "M1", START - HOUR))
        assert stored_review(rules, "r1").is_verified_purchase is False  # decided once

    def test_a_returned_line_does_not_verify(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - 2 * HOUR, ("sku-1", 2, 1000), ("sku-2", 1, 500)))
        send(
            rules,
            event(
                "ret1",
                "order.returned",
                "M1",
                START - HOUR,
                order_id="o1",
                lines=[{"sku": "sku-1", "quantity": 2}],
            ),
        )
        send(rules, review("r1", "M1", START, "sku-1"), review("r2", "M1", START, "sku-2"))
        assert stored_review(rules, "r1").is_verified_purchase is False
        assert stored_review(rules, "r2").is_verified_purchase is True
        assert available(rules) == 20

    def test_a_partly_returned_line_still_verifies(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - 2 * HOUR, ("sku-1", 2, 1000)))
        send(
            rules,
            event(
                "ret1",
                "order.returned",
                "M1",
                START - HOUR,
                order_id="o1",
                lines=[{"sku": "sku-1", "quantity": 1}],
            ),
        )
        send(rules, review("r1", "M1", START))
        assert stored_review(rules, "r1").is_verified_purchase is True

    def test_a_cancelled_order_does_not_verify(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - 2 * HOUR))
        send(rules, event("c1", "order.cancelled", "M1", START - HOUR, order_id="o1"))
        send(rules, review("r1", "M1", START))
        assert stored_review(rules, "r1").is_verified_purchase is False
        assert available(rules) == 0

    def test_an_order_paid_in_the_same_batch_verifies(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR), review("r1", "M1", START))
        assert stored_review(rules, "r1").is_verified_purchase is True
        assert available(rules) == 20

    def test_another_members_order_does_not_verify(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M2", START - HOUR), event("m", "member.enrolled", "M1", START))
        send(rules, review("r1", "M1", START, order_id="o1"))
        assert stored_review(rules, "r1").is_verified_purchase is False


class TestOncePerProduct:
    def test_a_second_review_of_the_same_product_earns_nothing(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR), paid("o2", "M1", START - HOUR))
        send(rules, review("r1", "M1", START))
        send(rules, review("r2", "M1", START + HOUR, has_photo=True))
        assert available(rules) == 20
        second = stored_review(rules, "r2")
        assert (second.is_verified_purchase, second.is_first_for_product) == (True, False)
        assert review_postings(rules, "r2") == []

    def test_two_reviews_of_one_product_in_one_batch_earn_once(self, rules: Loyalist) -> None:
        send(
            rules,
            paid("o1", "M1", START - HOUR),
            review("r1", "M1", START),
            review("r2", "M1", START),
        )
        assert available(rules) == 20

    def test_the_same_review_id_again_is_a_no_op(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR))
        send(rules, review("r1", "M1", START))
        send(rules, review("r1", "M1", START + HOUR, has_photo=True))  # another event id
        assert available(rules) == 20
        assert stored_review(rules, "r1").has_photo is False

    def test_a_review_id_of_another_member_is_a_conflict(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR), event("m2", "member.enrolled", "M2", START))
        send(rules, review("r1", "M1", START))
        with pytest.raises(ConflictError) as exc:
            send(rules, review("r1", "M2", START + HOUR))
        assert exc.value.code == "review_member_mismatch"

    def test_a_photo_earns_the_extra_rule(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR, ("a", 1, 100), ("b", 1, 100)))
        send(rules, review("r1", "M1", START, "a", has_photo=True), review("r2", "M1", START, "b"))
        assert available(rules) == 20 + 15 + 20
        assert stored_review(rules, "r1").points == 35
        assert sorted(review_postings(rules, "r1")) == [
            ("earn", "earn_rule", 15),
            ("earn", "earn_rule", 20),
        ]


class TestRemoval:
    def test_removal_reverses_every_point_the_review_earned_once(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR), review("r1", "M1", START, has_photo=True))
        assert available(rules) == 35
        first = send(rules, removed("r1", "M1", START + HOUR))
        send(rules, removed("r1", "M1", START + HOUR))  # the same event replayed
        send(rules, removed("r1", "M1", START + 2 * HOUR, event_id="rm-again"))  # resent
        assert first[0].result["status"] == "accepted"
        assert available(rules) == 0
        reversals = [p for p in review_postings(rules, "r1") if p[0] == "reverse"]
        assert sum(a for _, _, a in reversals) == 35
        assert {code for _, code, _ in reversals} == {"reverse_review"}
        gone = stored_review(rules, "r1")
        assert (gone.status, gone.holds_slot, gone.removal_reason) == (
            ReviewStatus.REMOVED,
            False,
            "spam",
        )
        data = activity_data(rules, "rm-r1")
        assert data["verified_purchase"] is True
        assert data["first_for_product"] is True
        assert data["sku"] == "sku-1"
        assert_ledger_consistent(rules)

    def test_a_removal_in_the_same_batch_as_the_review_reverses_it(self, rules: Loyalist) -> None:
        send(
            rules,
            paid("o1", "M1", START - HOUR),
            review("r1", "M1", START),
            removed("r1", "M1", START + HOUR),
        )
        assert available(rules) == 0
        assert_ledger_consistent(rules)

    def test_a_removed_review_frees_the_product_for_a_new_review(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR), review("r1", "M1", START))
        send(rules, removed("r1", "M1", START + HOUR))
        send(rules, review("r2", "M1", START + 2 * HOUR))
        assert stored_review(rules, "r2").is_first_for_product is True
        assert available(rules) == 20
        assert_ledger_consistent(rules)

    def test_removing_an_unrewarded_review_moves_no_points(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR), review("r1", "M1", START))
        send(rules, review("r2", "M1", START + HOUR))  # not first: earned nothing
        send(rules, removed("r2", "M1", START + 2 * HOUR))
        assert available(rules) == 20
        assert stored_review(rules, "r1").holds_slot is True

    def test_an_unknown_review_removal_is_stored_and_does_nothing(self, rules: Loyalist) -> None:
        send(rules, event("m", "member.enrolled", "M1", START))
        outcome = send(rules, removed("nope", "M1", START))
        assert outcome[0].result["status"] == "accepted"
        assert activity_data(rules, "rm-nope") == {"review_id": "nope", "reason": "spam"}
        assert available(rules) == 0


class TestConcurrency:
    def test_concurrent_reviews_of_one_product_earn_once(self, rules: Loyalist) -> None:
        send(rules, paid("o1", "M1", START - HOUR))
        bodies = [review(f"r{n}", "M1", START) for n in range(6)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(lambda body: send(rules, body), bodies))
        assert available(rules) == 20

        def holders(uow: UnitOfWork) -> int:
            return len(uow.session.scalars(select(Review).where(Review.holds_slot)).all())

        assert rules.db.read(holders) == 1
        assert_ledger_consistent(rules)

    def test_concurrent_answers_to_one_survey_earn_once(self, rules: Loyalist) -> None:
        send(rules, event("m", "member.enrolled", "M1", START))
        bodies = [answer(f"a{n}", "M1", START) for n in range(6)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(lambda body: send(rules, body), bodies))
        assert available(rules) == 10


class TestTierQualification:
    def test_removal_takes_back_the_qualifying_points(self, app: Loyalist) -> None:
        tiers = {
            "levels": [
                {"key": "member", "name": {"en": "Member", "ru": "Участник"}},
                {
                    "key": "silver",
                    "name": {"en": "Silver", "ru": "Серебро"},
                    "threshold": {"points": 30},
                },
            ]
        }
        program = ProgramFile.model_validate({"rules": [REVIEW, PHOTO], "tiers": tiers})
        app.db.write(lambda uow: programs.apply_program(uow, program, actor="test"))
        send(app, paid("o1", "M1", START - HOUR), review("r1", "M1", START, has_photo=True))
        pk = member_pk(app, "M1")

        def qualifying(uow: UnitOfWork) -> tuple[int, str | None]:
            book = TierBook(uow, UTC, lock=False)
            book.prepare([pk])
            return book.window_totals(pk, uow.now).points, book.status(pk).key

        assert app.db.read(qualifying) == (35, "silver")
        send(app, removed("r1", "M1", START + HOUR))
        assert app.db.read(qualifying)[0] == 0


class TestRemovalAfterSpending:
    @pytest.fixture(params=[NegativeBalancePolicy.ALLOW_DEBT, NegativeBalancePolicy.CLAW_BACK])
    def program(self, request: pytest.FixtureRequest) -> ProgramPolicy:
        return ProgramPolicy(negative_balance=request.param)

    def test_spent_points_become_debt_or_are_clawed_back(
        self, rules: Loyalist, program: ProgramPolicy
    ) -> None:
        send(rules, paid("o1", "M1", START - HOUR, ("a", 1, 100), ("b", 1, 100)))
        send(rules, review("r1", "M1", START, "a"), review("r2", "M1", START, "b", has_photo=True))
        assert available(rules) == 55
        pk = member_pk(rules, "M1")

        def spend(uow: UnitOfWork) -> None:
            ledger.lock(uow, [pk])
            ledger.spend_points(uow, pk, 50)

        rules.db.write(spend)
        send(rules, removed("r2", "M1", START + HOUR))  # earned 35, only 5 left
        summary = points(rules, "M1")
        if program.negative_balance == NegativeBalancePolicy.ALLOW_DEBT:
            assert (summary["available"], summary["debt"], summary["reversed"]) == (-30, 30, 35)
            # The next points earned pay the debt first.
            send(rules, paid("o2", "M1", START + HOUR, ("c", 1, 100)))
            send(rules, review("r3", "M1", START + 2 * HOUR, "c"))
            after = points(rules, "M1")
            assert (after["available"], after["debt"]) == (-10, 10)
        else:
            # Only what was left is taken back; the rest is written off.
            assert (summary["available"], summary["debt"], summary["reversed"]) == (0, 0, 5)
        send(rules, removed("r2", "M1", START + 3 * HOUR, event_id="rm-again"))
        assert points(rules, "M1")["reversed"] == summary["reversed"]  # once
        assert_ledger_consistent(rules)


class TestSurveys:
    def test_a_survey_earns_once_per_member(self, rules: Loyalist) -> None:
        send(rules, event("m", "member.enrolled", "M1", START))
        send(rules, answer("a1", "M1", START, score=9))
        send(rules, answer("a2", "M1", START + HOUR, score=3))
        send(rules, answer("a3", "M1", START + HOUR, survey="nps-2", score=7))
        assert available(rules) == 20
        assert activity_data(rules, "a1")["first_answer"] is True
        assert activity_data(rules, "a2")["first_answer"] is False

        def op(uow: UnitOfWork) -> list[tuple[str, int | None, bool]]:
            rows = uow.session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id))
            return [(r.survey_id, r.score, r.is_first) for r in rows]

        assert rules.db.read(op) == [("nps-1", 9, True), ("nps-1", 3, False), ("nps-2", 7, True)]

    def test_two_answers_in_one_batch_earn_once(self, rules: Loyalist) -> None:
        send(rules, event("m", "member.enrolled", "M1", START))
        send(rules, answer("a1", "M1", START), answer("a2", "M1", START))
        assert available(rules) == 10

    def test_the_comment_is_not_copied_into_the_answer_row(self, rules: Loyalist) -> None:
        send(rules, event("m", "member.enrolled", "M1", START))
        body = event(
            "a1",
            "survey.answered",
            "M1",
            START,
            survey_id="nps-1",
            score=10,
            comment="Call me at +44 20 7946 0000",
            channel="email",
        )
        send(rules, body)

        def op(uow: UnitOfWork) -> tuple[int, str | None]:
            row = uow.session.scalar(select(SurveyAnswer))
            assert row is not None
            return row.comment_length, row.channel

        assert rules.db.read(op) == (27, "email")
