"""A campaign's offers on a real database: the arm's rule fires only for members holding
the offer and only inside its window, the program file leaves it alone, personal codes are
issued once per member and refused after the deadline, the gift is granted once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from loyalist.activities.schemas import parse_event
from loyalist.bootstrap import Loyalist
from loyalist.campaigns import offers
from loyalist.campaigns.errors import CampaignOfferInactiveError, CampaignOfferInvalidError
from loyalist.campaigns.models import Campaign, CampaignState
from loyalist.campaigns.schemas import CampaignSpec
from loyalist.clock import ManualClock
from loyalist.coupons import service as coupons
from loyalist.coupons import validation
from loyalist.coupons.errors import CouponExpiredError
from loyalist.coupons.models import CouponCode
from loyalist.coupons.schemas import CampaignIn, Cart
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.rewards import catalogue
from loyalist.rewards.models import RewardRedemption
from loyalist.rewards.schemas import RewardIn
from loyalist.rules import programs
from loyalist.rules.programfile import parse_file, program_problems
from tests.conftest import START
from tests.integration.helpers import member_pk, send
from tests.integration.test_rules import BASE, apply, paid_order, rule_points

DEADLINE = START + timedelta(days=10)
CART = Cart.model_validate(
    {"currency": "EUR", "lines": [{"sku": "A", "quantity": 1, "unit_price": 5000}]}
)


def spec(**extra: Any) -> CampaignSpec:
    return CampaignSpec.model_validate(
        {
            "name": {"en": "Spring", "ru": "Весна"},
            "subject": {"en": "Hi", "ru": "Привет"},
            "body": {"en": "Hello", "ru": "Здравствуйте"},
            "control_percent": 0,
            **extra,
        }
    )


def campaign(app: Loyalist, key: str, body: CampaignSpec) -> Campaign:
    def op(uow: UnitOfWork) -> Campaign:
        row = Campaign(
            key=key,
            name=body.name.model_dump(),
            state=CampaignState.RUNNING,
            spec=body.model_dump(mode="json"),
            revision=1,
            created_at=uow.now,
            updated_at=uow.now,
            updated_by="test",
            launched_at=uow.now,
            ends_at=body.ends_at,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.session.expunge(row)
        return row

    return app.db.write(op)


def prepare_and_grant(
    app: Loyalist, row: Campaign, body: CampaignSpec, grants: list[tuple[int, str]]
) -> None:
    def op(uow: UnitOfWork) -> None:
        offers.prepare(uow, row, body)
        offers.grant(uow, row, body, grants)

    app.db.write(op)


def enrol(app: Loyalist, *externals: str) -> list[int]:
    for external in externals:
        send(app, paid_order(f"{external}-first", external, START - timedelta(days=30)))
    return [member_pk(app, external) for external in externals]


def put_coupon_campaign(app: Loyalist, key: str, **extra: Any) -> None:
    body = CampaignIn.model_validate(
        {
            "name": {"en": key, "ru": key},
            "discount": {"type": "percent", "percent": "15"},
            "code_valid_days": 90,
            **extra,
        }
    )
    app.db.write(lambda uow: coupons.put_campaign(uow, key, body))


def test_the_arm_rule_fires_only_for_holders_inside_the_window(
    app: Loyalist, clock: ManualClock
) -> None:
    apply(app, BASE)
    holder, control, stranger, late = enrol(app, "M1", "M2", "M3", "M4")
    body = spec(offer={"points": {"points": 500, "max_per_member": 2}}, ends_at=DEADLINE)
    row = campaign(app, "spring", body)
    prepare_and_grant(
        app, row, body, [(holder, "default"), (control, "control"), (late, "default")]
    )
    prepare_and_grant(app, row, body, [(holder, "default")])  # a replay changes nothing

    for member in ("M1", "M2", "M3"):
        send(app, paid_order(f"{member}-a", member, START + timedelta(hours=1)))
    assert rule_points(app, "M1")["cmp-spring-default"] == 500
    assert "cmp-spring-default" not in rule_points(app, "M2")
    assert "cmp-spring-default" not in rule_points(app, "M3")
    assert stranger != holder

    # Explained: the order's entry names the campaign rule's version; a dry run for a
    # member without the offer says why the rule did not fire.
    explained = app.db.read(lambda uow: programs.order_points(uow, "M1-a", "en"))
    assert "cmp-spring-default" in {e["rule"] for e in explained["entries"]}
    dry = parse_event(paid_order("M3-b", "M3", START + timedelta(hours=2)))
    result = app.db.read(lambda uow: programs.evaluate_event(uow, dry, app.program))
    assert {"rule": "cmp-spring-default", "reason": "member holds none of the targeted offers"} in (
        result["not_fired"]
    )

    # max_per_member: the rule fires at most twice for a member.
    for n in (1, 2):
        send(app, paid_order(f"M1-more{n}", "M1", START + timedelta(hours=2, minutes=n)))
    assert rule_points(app, "M1")["cmp-spring-default"] == 1000

    # The program file neither retires the campaign's rule nor exports it.
    apply(app, BASE)
    live = {r.key for r in app.db.read(programs.list_rules)}
    assert "cmp-spring-default" in live
    exported = app.db.read(programs.export_program)
    assert [r["key"] for r in exported["rules"]] == ["base"]

    # After the deadline the rule no longer fires (its validity and the offer both ended).
    clock.set(DEADLINE + timedelta(hours=1))
    send(app, paid_order("M4-late", "M4", DEADLINE + timedelta(minutes=30)))
    assert "cmp-spring-default" not in rule_points(app, "M4")
    assert rule_points(app, "M4")["base"] > 0


def test_retiring_stops_an_open_ended_offer(app: Loyalist, clock: ManualClock) -> None:
    apply(app, BASE)
    (holder,) = enrol(app, "M1")
    body = spec(offer={"points": {"multiplier": "2"}})
    row = campaign(app, "always", body)
    prepare_and_grant(app, row, body, [(holder, "default")])
    send(app, paid_order("O1", "M1", START + timedelta(hours=1), ("A", 1, 10_000)))
    assert rule_points(app, "M1")["cmp-always-default"] == 100
    clock.advance(timedelta(days=1))
    app.db.write(lambda uow: offers.retire(uow, row))
    assert "cmp-always-default" not in {r.key for r in app.db.read(programs.list_rules)}
    facts = app.db.read(lambda uow: members.member_facts(uow, [holder], offers=True))
    assert facts[holder].offers == frozenset()
    send(app, paid_order("O2", "M1", START + timedelta(days=1, hours=1), ("A", 1, 10_000)))
    assert rule_points(app, "M1")["cmp-always-default"] == 100
    # The rule's versions stay, so the ledger's earlier entry is still explained.
    assert app.db.read(lambda uow: programs.get_rule(uow, "cmp-always-default"))[0].retired_at


def test_the_program_file_refuses_a_campaign_rule_name() -> None:
    text = "rules:\n  - key: cmp-mine\n    name: {en: A, ru: A}\n    on: order.paid\n" + (
        "    effects: [{type: fixed, points: 5}]\n"
    )
    parsed = parse_file(text)
    _, problems = program_problems(parsed, parsed.data)
    assert any("belong to campaigns" in p.message and p.pointer == "/rules" for p in problems)


def test_codes_are_one_per_member_and_refused_after_the_deadline(
    app: Loyalist, clock: ManualClock
) -> None:
    put_coupon_campaign(app, "spring-15")
    put_coupon_campaign(app, "cat-20")
    ids = enrol(app, *(f"M{i}" for i in range(1, 21)))
    body = spec(
        offer={"coupon": {"campaign": "spring-15", "by_favourite_category": {"cat": "cat-20"}}},
        variants=[{"key": "a"}, {"key": "b"}],
        ends_at=DEADLINE,
    )
    row = campaign(app, "codes", body)
    grants = [(m, ("a", "b", "control")[i % 3]) for i, m in enumerate(ids)]
    prepare_and_grant(app, row, body, grants)
    prepare_and_grant(app, row, body, grants)

    def issued(uow: UnitOfWork) -> list[tuple[str, int, str, datetime, int]]:
        rows = uow.session.execute(
            select(
                CouponCode.code,
                CouponCode.member_id,
                CouponCode.source,
                CouponCode.valid_until,
                CouponCode.campaign_id,
            ).where(CouponCode.member_id.is_not(None))
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]

    codes = app.db.read(issued)
    treated = {m for m, arm in grants if arm != "control"}
    assert sorted(c[1] for c in codes) == sorted(treated)
    assert len({c[0] for c in codes}) == len(codes)
    assert {c[2] for c in codes} == {f"campaign:codes:{m}" for m in treated}
    assert {c[3] for c in codes} == {DEADLINE}
    # Every enrolled member bought in category "cat": the favourite's coupon campaign.
    cat = app.db.read(lambda uow: coupons.get_campaign(uow, "cat-20").id)
    assert {c[4] for c in codes} == {cat}

    code, owner = codes[0][0], codes[0][1]

    def validate(uow: UnitOfWork) -> dict[str, Any]:
        audience = validation.audience_of(uow, owner, UTC)
        return validation.validate(uow, uow.now, code, CART, audience)

    assert app.db.read(validate)["discount"] == 750
    clock.set(DEADLINE)
    with pytest.raises(CouponExpiredError):
        app.db.read(validate)


def test_the_gift_is_granted_once(app: Loyalist) -> None:
    reward = RewardIn.model_validate(
        {
            "name": {"en": "Mug", "ru": "Кружка"},
            "description": {"en": "A mug", "ru": "Кружка"},
            "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
            "cost_points": 1000,
        }
    )
    app.db.write(lambda uow: catalogue.put_reward(uow, "mug", reward))
    ids = enrol(app, "M1", "M2")
    body = spec(offer={"gift": {"reward": "mug"}})
    row = campaign(app, "gift", body)
    grants = [(ids[0], "default"), (ids[1], "control")]
    prepare_and_grant(app, row, body, grants)
    prepare_and_grant(app, row, body, grants)

    def granted(uow: UnitOfWork) -> list[tuple[int, int]]:
        rows = uow.session.execute(select(RewardRedemption.member_id, RewardRedemption.points))
        return [(int(m), int(p)) for m, p in rows]

    assert app.db.read(granted) == [(ids[0], 0)]


def test_prepare_refuses_missing_and_inactive_references(app: Loyalist) -> None:
    body = spec(
        offer={"coupon": {"campaign": "nope"}, "gift": {"reward": "none"}},
        variants=[{"key": "a", "offer": {"coupon": {"campaign": "paused"}}}],
    )
    row = campaign(app, "bad", body)
    with pytest.raises(CampaignOfferInvalidError) as missing:
        app.db.write(lambda uow: offers.prepare(uow, row, body))
    assert {e.pointer for e in missing.value.errors} == {"/variants/0/offer/coupon/campaign"}

    put_coupon_campaign(app, "paused", status="paused")
    with pytest.raises(CampaignOfferInactiveError) as inactive:
        app.db.write(lambda uow: offers.prepare(uow, row, body))
    assert [e.pointer for e in inactive.value.errors] == ["/variants/0/offer/coupon/campaign"]

    ended = spec(offer={"points": {"points": 5}}, ends_at=START - timedelta(days=1))
    with pytest.raises(CampaignOfferInvalidError) as late:
        app.db.write(lambda uow: offers.prepare(uow, row, ended))
    assert [e.pointer for e in late.value.errors] == ["/ends_at"]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rounds=st.lists(st.sets(st.integers(0, 29), max_size=30), min_size=1, max_size=4))
def test_bulk_codes_are_unique_and_once_per_source(app: Loyalist, rounds: list[set[int]]) -> None:
    """Any sequence of overlapping bulk issues: one code per source, all codes distinct,
    each owned by its source's member."""
    put_coupon_campaign(app, "bulk")
    ids = enrol(app, *(f"B{i}" for i in range(30)))
    tag = datetime.now(UTC).timestamp()
    issued = 0
    for chosen in rounds:
        grants = [(ids[i], f"prop:{tag}:{ids[i]}") for i in sorted(chosen)]

        def op(uow: UnitOfWork, grants: list[tuple[int, str]] = grants) -> int:
            found = coupons.get_campaign(uow, "bulk")
            return coupons.issue_personal_many(uow, found, grants, valid_until=DEADLINE)

        issued += app.db.write(op)

    def stored(uow: UnitOfWork) -> list[tuple[str, str | None, int | None]]:
        rows = uow.session.execute(
            select(CouponCode.code, CouponCode.source, CouponCode.member_id).where(
                CouponCode.source.like(f"prop:{tag}:%")
            )
        )
        return [(c, s, m) for c, s, m in rows]

    rows = app.db.read(stored)
    assert issued == len(rows) == len(set().union(*rounds))
    assert len({c for c, _, _ in rows}) == len(rows)
    assert all(s == f"prop:{tag}:{m}" for _, s, m in rows)
