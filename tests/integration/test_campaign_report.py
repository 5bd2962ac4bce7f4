"""A campaign's report on both databases: arms from the send plan, conversions and revenue
from real orders, messages sent and delivered, the points its rule awarded and its codes'
discounts as costs, uplift against the control group; the winner judged once the
measurement is complete; the program's global holdout report."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

import numpy as np
import pytest
from sqlalchemy import Table, select, update

from loyalist.bootstrap import Loyalist
from loyalist.campaigns import offers, report, service
from loyalist.campaigns.errors import MarketingCampaignNotFoundError
from loyalist.campaigns.jobs import judge_winners
from loyalist.campaigns.models import (
    Campaign,
    CampaignChange,
    CampaignConversion,
    CampaignState,
    ChangeAction,
    SendStatus,
)
from loyalist.campaigns.schemas import CouponOffer, Offer, PointsOffer, Variant
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons import validation
from loyalist.coupons.schemas import CampaignIn, Cart
from loyalist.db import bulk
from loyalist.db.uow import UnitOfWork
from loyalist.members.models import Member
from loyalist.members.policy import in_global_holdout
from loyalist.messages.models import Message, MessageStatus
from loyalist.settings import CampaignPolicy, ProgramPolicy
from tests.campaigning import add_campaign, add_sends, spec
from tests.conftest import START, event
from tests.integration.helpers import member_pk, send
from tests.integration.messaging import marketing_draft
from tests.integration.test_rules import paid_order

DAY = timedelta(days=1)
Q, H = SendStatus.QUEUED, SendStatus.HELD_OUT
ARMS = {"control": "C", "a": "A", "b": "B"}
CART = Cart.model_validate(
    {"currency": "EUR", "lines": [{"sku": "A", "quantity": 1, "unit_price": 5000}]}
)


def build(app: Loyalist, per_arm: int = 4) -> dict[str, int]:
    """Campaign ``spring`` sent at START + 1 day to ``per_arm`` members per arm (``A1``…,
    ``B1``…, ``C1``…): variant a's offer is 50 points on each paid order (its rule
    ``cmp-spring-a``), variant b's a personal code of coupon campaign ``spring-codes``
    (10% off), the control group gets nothing."""
    arms = {arm: [f"{p}{n}" for n in range(1, per_arm + 1)] for arm, p in ARMS.items()}
    names = [m for ms in arms.values() for m in ms]
    for m in names:
        send(app, event(f"enrol-{m}", "member.enrolled", m, START - 30 * DAY))
    ids = {m: member_pk(app, m) for m in names}
    codes = CampaignIn.model_validate(
        {
            "name": {"en": "10% off", "ru": "Скидка 10%"},
            "discount": {"type": "percent", "percent": "10"},
        }
    )
    app.db.write(lambda uow: coupons.put_campaign(uow, "spring-codes", codes))
    body = spec("a", "b", days=7).model_copy(
        update={
            "variants": [
                Variant(key="a", offer=Offer(points=PointsOffer(points=50))),
                Variant(key="b", offer=Offer(coupon=CouponOffer(campaign="spring-codes"))),
            ]
        }
    )

    def setup(uow: UnitOfWork) -> None:
        c = add_campaign(uow, "spring", body, launched_at=START)
        add_sends(
            uow,
            c,
            [
                (ids[m], arm, H if arm == "control" else Q, START + DAY)
                for arm, ms in arms.items()
                for m in ms
            ],
        )
        campaign = service.get(uow, "spring")
        offers.prepare(uow, campaign, body)
        offers.grant(uow, campaign, body, [(ids[m], arm) for arm, ms in arms.items() for m in ms])

    app.db.write(setup)
    return ids


def queue_messages(
    app: Loyalist,
    ids: dict[str, int],
    statuses: dict[str, MessageStatus],
    engaged: dict[str, bool],
) -> None:
    """Campaign messages of these members in these statuses; ``engaged``: opened, and
    whether clicked too."""
    from loyalist.messages import service as messages

    drafts = [
        dataclasses.replace(marketing_draft(ids[m], "spring:main"), journey="campaign")
        for m in statuses
    ]
    app.db.write(lambda uow: messages.queue_messages(uow, drafts))

    def mark(uow: UnitOfWork) -> None:
        for m, status in statuses.items():
            uow.session.execute(
                update(Message).where(Message.member_id == ids[m]).values(status=status.value)
            )
        # What an email provider reported (a click counts as an open too).
        for m, clicked in engaged.items():
            uow.session.execute(
                update(Message)
                .where(Message.member_id == ids[m])
                .values(opened_at=START + DAY, clicked_at=START + DAY if clicked else None)
            )

    app.db.write(mark)


def redeem_code(app: Loyalist, member_id: int) -> None:
    """The member uses the personal code the campaign gave them."""

    def use(uow: UnitOfWork) -> None:
        (code,) = coupons.member_coupons(uow, member_id, usable_only=True)
        audience = validation.audience_of(uow, member_id, app.program.zone)
        coupons.redeem(uow, code["code"], CART, audience, order_id="ob1")

    app.db.write(use)


def arms_of(found: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["key"]: a for a in found["arms"]}


def test_the_report_per_arm_and_uplift(app: Loyalist) -> None:
    ids = build(app)
    queue_messages(
        app,
        ids,
        {
            "A1": MessageStatus.DELIVERED,
            "A2": MessageStatus.SENT,
            "A3": MessageStatus.FAILED,
            "B1": MessageStatus.DELIVERED,
        },
        {"A1": True, "A2": False, "B1": False},
    )
    redeem_code(app, ids["B1"])
    orders = [("A1", 3_000, 2), ("A2", 2_000, 3), ("B1", 5_000, 2), ("C1", 1_000, 4)]
    for m, amount, days in orders:
        send(app, paid_order(f"o-{m}", m, START + days * DAY, ("sku", 1, amount)))
    send(app, paid_order("late", "C2", START + 9 * DAY, ("sku", 1, 700)))  # after the window

    found = app.db.read(lambda uow: report.report(uow, "spring", app.program))

    arms = arms_of(found)
    assert list(arms) == ["control", "a", "b"]
    assert {k: (a["members"], a["converted"], a["revenue"]) for k, a in arms.items()} == {
        "control": (4, 1, 1_000),
        "a": (4, 2, 5_000),
        "b": (4, 1, 5_000),
    }
    assert (arms["a"]["sent"], arms["a"]["delivered"]) == (2, 1)
    assert (arms["b"]["sent"], arms["b"]["delivered"]) == (1, 1)
    assert (arms["control"]["sent"], arms["control"]["opened"]) == (0, None)
    assert {k: (a["opened"], a["clicked"]) for k, a in arms.items()} == {
        "control": (None, None),
        "a": (2, 1),
        "b": (1, 0),
    }
    assert arms["a"]["conversion_rate"] == 0.5
    assert arms["b"]["revenue_per_member"] == 1_250
    # Variant a's rule gave 50 points on each of its members' two paid orders (worth
    # 0.01 EUR each); only b's members hold codes.
    assert (arms["a"]["points_awarded"], arms["a"]["points_cost"]) == (100, 100)
    assert (arms["b"]["points_cost"], arms["b"]["discount_cost"]) == (0, 500)
    uplift = {u["key"]: u for u in found["uplift"]}
    a = uplift["a"]
    assert a["absolute"] == 0.25
    assert a["low"] < 0.25 < a["high"]
    assert a["relative"] == 1.0
    assert a["p_value"] <= a["p_value_adjusted"] <= 1
    assert a["revenue_per_member"]["difference"] == 1_000
    assert a["incremental_revenue"] == 4_000
    assert a["incremental_profit"] == 4_000 - 100
    assert uplift["b"]["incremental_profit"] == 4_000 - 500
    assert (found["winner"], found["leader"]) == (None, None)  # four members per arm
    assert found["measurement_complete"] is False


@pytest.mark.parametrize(
    "program",
    [ProgramPolicy(campaigns=CampaignPolicy(winner_min_members=10))],
)
def test_the_winner_is_declared_once_when_the_measurement_is_complete(
    app: Loyalist, clock: ManualClock
) -> None:
    """Variant a converts every member, b and the control group none: a is the leader
    at once, and declared the winner once, after the last window closed."""
    build(app, per_arm=10)
    for n in range(1, 11):
        send(app, paid_order(f"o-a{n}", f"A{n}", START + 2 * DAY, ("sku", 1, 3_000)))
    found = app.db.read(lambda uow: report.report(uow, "spring", app.program))
    assert (found["leader"], found["winner"]) == ("a", None)
    assert judge_winners(app.db, app.program, 20) == 0
    clock.advance(9 * DAY)
    assert judge_winners(app.db, app.program, 20) == 1
    assert judge_winners(app.db, app.program, 20) == 0

    def judged(uow: UnitOfWork) -> list[tuple[str, str | None]]:
        rows = uow.session.execute(
            select(CampaignChange.action, CampaignChange.detail).where(
                CampaignChange.action == ChangeAction.WINNER
            )
        )
        return [(str(a), d) for a, d in rows]

    assert app.db.read(judged) == [("winner", "winner: a")]
    assert app.db.read(lambda uow: uow.session.scalar(select(Campaign.winner))) == "a"
    found = app.db.read(lambda uow: report.report(uow, "spring", app.program))
    assert (found["measurement_complete"], found["winner"]) == (True, "a")


def test_no_winner_below_the_minimum_sample(app: Loyalist, clock: ManualClock) -> None:
    """With four members per arm (the minimum is 1,000) the judgement, recorded once, is
    that no variant beat the control group."""
    build(app)
    send(app, paid_order("o-a1", "A1", START + 2 * DAY, ("sku", 1, 3_000)))
    clock.advance(9 * DAY)
    assert judge_winners(app.db, app.program, 20) == 1
    details = app.db.read(
        lambda uow: list(
            uow.session.scalars(
                select(CampaignChange.detail).where(CampaignChange.action == ChangeAction.WINNER)
            )
        )
    )
    assert details == ["no variant beat the control group"]


def test_finished_campaigns_that_sent_nothing_are_judged_and_do_not_hold_up_the_others(
    app: Loyalist, clock: ManualClock
) -> None:
    """Campaigns whose audience was empty (or all skipped) have nothing to measure: they
    are judged (no winner) and the judging job reaches the campaigns after them."""

    def empty(uow: UnitOfWork) -> None:
        for n in range(3):
            add_campaign(
                uow,
                f"empty{n}",
                spec("a"),
                launched_at=START,
                state=CampaignState.FINISHED,
                finished_at=START,
            )

    app.db.write(empty)
    build(app)
    clock.advance(9 * DAY)

    judged = [judge_winners(app.db, app.program, 3)]
    judged.append(judge_winners(app.db, app.program, 3))

    assert judged == [3, 1]
    found = app.db.read(lambda uow: report.report(uow, "empty0", app.program))
    assert (found["measurement_complete"], found["winner"]) == (True, None)


def test_campaigns_still_measuring_take_no_place_in_the_judging(
    app: Loyalist, clock: ManualClock
) -> None:
    """Campaigns launched earlier whose measurement goes on do not hold up a complete one
    after them, however small the pass's limit."""

    def measuring(uow: UnitOfWork) -> None:
        for n in range(3):
            add_campaign(uow, f"long{n}", spec("a"), launched_at=START)

    app.db.write(measuring)
    build(app)
    clock.advance(9 * DAY)

    assert judge_winners(app.db, app.program, 1) == 1
    found = app.db.read(lambda uow: report.report(uow, "spring", app.program))
    assert found["measurement_complete"] is True
    assert judge_winners(app.db, app.program, 1) == 0  # the others are still measuring


def test_unknown_campaign(app: Loyalist) -> None:
    with pytest.raises(MarketingCampaignNotFoundError):
        app.db.read(lambda uow: report.report(uow, "nope", app.program))


@pytest.mark.parametrize(
    "program", [ProgramPolicy(campaigns=CampaignPolicy(global_holdout_percent=Decimal(30)))]
)
def test_the_global_holdout_report(app: Loyalist) -> None:
    """Members in the program's holdout against the rest over a period: members, buyers
    and revenue per group, orders outside the period or in another currency left out."""
    names = [f"H{n}" for n in range(20)]
    for m in names:
        send(app, event(f"enrol-{m}", "member.enrolled", m, START - 30 * DAY))
    ids = {m: member_pk(app, m) for m in names}
    held = {m for m in names if in_global_holdout(ids[m], Decimal(30))}
    assert 0 < len(held) < len(names)
    for n, m in enumerate(names):
        send(app, paid_order(f"p-{m}", m, START + DAY, ("sku", 1, 1_000 + n)))
    send(app, paid_order("old", names[0], START - 10 * DAY, ("sku", 1, 99_999)))
    send(app, paid_order("usd", names[1], START + DAY, ("sku", 1, 99_999), currency="USD"))

    found = app.db.read(
        lambda uow: report.holdout_report(
            uow, app.program, START.date(), START.date() + timedelta(days=6)
        )
    )

    groups = {g["key"]: g for g in found["groups"]}
    expected_held = sum(1_000 + n for n, m in enumerate(names) if m in held)
    assert (groups["holdout"]["members"], groups["holdout"]["buyers"]) == (len(held), len(held))
    assert groups["holdout"]["revenue"] == expected_held
    assert groups["rest"]["members"] == len(names) - len(held)
    assert groups["rest"]["revenue"] == sum(1_000 + n for n in range(20)) - expected_held
    assert found["uplift"]["absolute"] == 0.0
    assert (found["from"], found["to"]) == ("2026-01-15", "2026-01-21")
    assert date.fromisoformat(found["to"]) - date.fromisoformat(found["from"]) == 6 * DAY


@pytest.mark.parametrize(
    "program", [ProgramPolicy(campaigns=CampaignPolicy(winner_min_members=1_000))]
)
def test_a_planted_effect_is_found_through_the_tables(app: Loyalist) -> None:
    """4,500 members (written as rows), variant b converting twice as often as the
    control group and a like it: the report's interval covers b's true uplift, a's
    covers none, and b leads."""
    rng = np.random.default_rng(3)
    arms = ["control"] * 1_500 + ["a"] * 1_500 + ["b"] * 1_500
    rates = {"control": 0.1, "a": 0.1, "b": 0.2}

    def setup(uow: UnitOfWork) -> None:
        bulk.insert_rows(
            uow.session,
            cast(Table, Member.__table__),
            [
                {
                    "id": n,
                    "external_id": f"P{n}",
                    "locale": "en",
                    "created_at": START,
                    "updated_at": START,
                }
                for n in range(1, len(arms) + 1)
            ],
        )
        c = add_campaign(uow, "planted", spec("a", "b"), launched_at=START)
        add_sends(
            uow,
            c,
            [(n, arm, H if arm == "control" else Q, START) for n, arm in enumerate(arms, 1)],
        )
        bulk.insert_rows(
            uow.session,
            cast(Table, CampaignConversion.__table__),
            [
                {
                    "campaign_id": c,
                    "member_id": n,
                    "arm": arm,
                    "event_id": f"o{n}",
                    "converted_at": START + DAY,
                    "revenue_minor": 5_000,
                    "currency": "EUR",
                }
                for n, arm in enumerate(arms, 1)
                if rng.random() < rates[arm]
            ],
        )

    app.db.write(setup)
    found = app.db.read(lambda uow: report.report(uow, "planted", app.program))
    uplift = {u["key"]: u for u in found["uplift"]}
    assert uplift["b"]["low"] <= 0.1 <= uplift["b"]["high"]
    assert uplift["a"]["low"] <= 0.0 <= uplift["a"]["high"]
    assert (
        uplift["b"]["revenue_per_member"]["low"] <= 500 <= uplift["b"]["revenue_per_member"]["high"]
    )
    assert found["leader"] == "b"
    assert [a["members"] for a in found["arms"]] == [1_500, 1_500, 1_500]
