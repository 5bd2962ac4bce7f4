"""The personalised context of a campaign's messages, for a chunk of members at once:
right for members with and without orders, favourites, tiers, codes and offers, in their
language, and read in a number of queries that does not grow with the chunk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from loyalist.bootstrap import Loyalist
from loyalist.campaigns import offers, personal
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.members import service as members
from loyalist.members.schemas import MemberProfile
from loyalist.messages.contexts import CampaignContext, TemplateKey, validate_context
from loyalist.messages.journeys_kit import Setup
from loyalist.settings import ExpiryKind, ExpiryPolicy, ProgramPolicy
from tests.conftest import START
from tests.integration.helpers import member_pk, send
from tests.integration.test_campaign_offers import (
    DEADLINE,
    campaign,
    prepare_and_grant,
    put_coupon_campaign,
    spec,
)
from tests.integration.test_rules import BASE, SILVER_AFTER_TWO_ORDERS, apply, paid_order


@pytest.fixture
def program() -> ProgramPolicy:
    return ProgramPolicy(expiry=ExpiryPolicy(kind=ExpiryKind.DAYS_AFTER_AVAILABLE, days=40))


SETUP = Setup("https://shop.example", "https://shop.example/p/{sku}")


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements run inside the block (every engine)."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def profile(app: Loyalist, external: str, **fields: Any) -> int:
    body = MemberProfile.model_validate(fields)
    app.db.write(lambda uow: members.upsert_member(uow, external, body, source="test"))
    return member_pk(app, external)


def build(
    app: Loyalist, row: Any, body: Any, chunk: list[tuple[int, str]], program: ProgramPolicy
) -> dict[int, CampaignContext]:
    def op(uow: UnitOfWork) -> dict[int, CampaignContext]:
        return personal.contexts(uow, row, body, chunk, program, step="main", setup=SETUP)

    return app.db.write(op)


def test_contexts_of_a_chunk(app: Loyalist, program: ProgramPolicy) -> None:
    apply(app, BASE, tiers=SILVER_AFTER_TWO_ORDERS)
    put_coupon_campaign(app, "spring-15")
    buyer = profile(app, "M1", first_name="Anna", locale="ru")
    newcomer = profile(app, "M2", first_name="Bob", locale="en")
    held_out = profile(app, "M3")
    for n in (1, 2):
        send(app, paid_order(f"O{n}", "M1", START - timedelta(days=n), ("beans", 2, 5_000)))
    body = spec(
        offer={
            "coupon": {"campaign": "spring-15"},
            "points": {"multiplier": "2"},
            "description": {"en": "Double points", "ru": "Двойные баллы"},
        },
        ends_at=DEADLINE,
    )
    row = campaign(app, "spring", body)
    chunk = [(buyer, "default"), (newcomer, "default"), (held_out, "control")]
    prepare_and_grant(app, row, body, chunk)

    found = build(app, row, body, chunk, program)
    assert set(found) == {buyer, newcomer, held_out}
    for context in found.values():  # the shape the campaign template expects
        assert validate_context(TemplateKey.CAMPAIGN, context) == context

    anna = found[buyer]
    assert anna["member"]["first_name"] == "Anna"
    assert anna["member"]["tier"] == "Серебро"
    assert anna["campaign"] == {"name": "Весна", "ends_at": DEADLINE, "step": "main"}
    assert anna["offer"] is not None
    assert anna["offer"]["description"] == "Двойные баллы"
    assert anna["offer"]["multiplier"] == "2"
    assert anna["offer"]["points"] is None
    coupon = anna["offer"]["coupon"]
    assert coupon is not None
    assert coupon["expires_on"] == DEADLINE.date()
    assert coupon["code"].replace("-", "") == coupon["code"].replace("-", "").upper()
    assert anna["favourites"]["categories"] == ["cat"]
    assert [p["url"] for p in anna["favourites"]["products"]] == ["https://shop.example/p/beans"]
    assert anna["points"]["balance"] == anna["member"]["points_balance"]
    assert anna["shop_url"] == "https://shop.example"
    assert anna["tier_progress"] is not None
    assert anna["tier_progress"]["tier"] == "Серебро"

    bob = found[newcomer]
    assert bob["campaign"]["name"] == "Spring"
    assert bob["favourites"] == {"categories": [], "products": []}
    assert bob["recommendations"] == []
    assert bob["points"] == {"balance": 0, "expiring": 0, "expiring_on": None}
    assert bob["clv"] is None
    assert bob["offer"] is not None
    assert bob["offer"]["coupon"] is not None
    assert bob["offer"]["coupon"]["code"] != coupon["code"]

    # The control group's message (a "would have sent" entry) has no offer.
    assert found[held_out]["offer"] is None
    assert found[held_out]["member"]["first_name"] == ""


def test_points_expiring_soon_are_in_the_context(
    app: Loyalist, program: ProgramPolicy, clock: ManualClock
) -> None:
    buyer = profile(app, "M1")
    # Available at once, expiring 40 days later: within the 30 days' notice after 20 days.
    app.db.write(
        lambda uow: ledger.award_points(uow, buyer, [ledger.Award(100, "adjust")], program)
    )
    clock.advance(timedelta(days=20))
    body = spec()
    row = campaign(app, "plain", body)
    found = build(app, row, body, [(buyer, "default")], program)[buyer]
    assert found["offer"] is None
    points = found["points"]
    assert points["balance"] == points["expiring"] == 100
    assert points["expiring_on"] is not None
    assert points["expiring_on"] == (START + timedelta(days=40)).date()


def test_the_queries_do_not_grow_with_the_chunk(app: Loyalist, program: ProgramPolicy) -> None:
    apply(app, BASE, tiers=SILVER_AFTER_TWO_ORDERS)
    put_coupon_campaign(app, "spring-15")
    ids = [profile(app, f"M{i}", first_name=f"N{i}") for i in range(40)]
    for i in range(0, 40, 3):
        send(app, paid_order(f"O{i}", f"M{i}", START - timedelta(days=1), ("beans", 1, 5_000)))
    body = spec(offer={"coupon": {"campaign": "spring-15"}}, ends_at=DEADLINE)
    row = campaign(app, "chunk", body)
    chunk = [(m, "default") for m in ids]
    prepare_and_grant(app, row, body, chunk)

    with counted() as small:
        build(app, row, body, chunk[:4], program)
    with counted() as large:
        found = build(app, row, body, chunk, program)
    assert len(found) == 40
    assert len(large) <= len(small) + 2, (len(small), len(large))
    assert len({c["offer"]["coupon"]["code"] for c in found.values() if c["offer"]}) == 40  # type: ignore[index]
    assert offers.code_source("chunk", ids[0]) == f"campaign:chunk:{ids[0]}"
