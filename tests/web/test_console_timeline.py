"""The member 360's unified timeline in the browser: a point movement with the name of the
rule that earned it, a tier move and a reward given sit in one newest-first list with the
member's activities, and "Older entries" loads the next page below them."""

from __future__ import annotations

from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.coupons import service as coupons
from loyalist.coupons import validation
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import service as ledger
from loyalist.ledger.service import Award
from loyalist.members import service as members
from loyalist.rewards import catalogue
from loyalist.rewards import service as rewards
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile
from tests.conftest import START, event, order_body
from tests.integration.helpers import run_jobs, send
from tests.integration.test_rewards import CART, code_of, reward_spec
from tests.web.conftest import Live, assert_accessible
from tests.web.staff import console_as

PROGRAM = {
    "rules": [
        {
            "key": "base",
            "name": {"en": "One point per euro", "ru": "Балл за евро"},
            "on": "order.paid",
            "effects": [{"type": "per_unit", "base": True, "rates": {"EUR": 1}}],
        }
    ],
    "tiers": {
        "levels": [
            {"key": "member", "name": {"en": "Member", "ru": "Участник"}},
            {"key": "gold", "name": {"en": "Gold", "ru": "Золото"}, "threshold": {"spend": 50_000}},
        ]
    },
}
VIEWS = 30


def _member_with_history(live: Live) -> None:
    """M-7: 30 page views over the last 30 hours, then an order that earns points under the
    base rule and lifts them to Gold, a goodwill credit, a reward bought with points and its
    coupon used on order A-2."""
    app = live.app
    program = ProgramFile.model_validate(PROGRAM)
    app.db.write(lambda uow: programs.apply_program(uow, program, actor="test"))
    app.db.write(lambda uow: catalogue.put_reward(uow, "fiver", reward_spec(cost_points=300)))
    pk = app.db.write(lambda uow: members.ensure_members(uow, ["M-7"])["M-7"])
    views = [
        event(f"v{i:02d}", "x.page_viewed", "M-7", START - timedelta(hours=i + 1), page=f"/p{i}")
        for i in range(VIEWS)
    ]
    paid = START - timedelta(minutes=5)
    send(
        app,
        *views,
        event(
            "A-1-placed", "order.placed", "M-7", paid, **order_body("A-1", ("teapot", 1, 60_000))
        ),
        event("A-1-paid", "order.paid", "M-7", paid, order_id="A-1"),
    )
    app.db.write(lambda uow: ledger.award_points(uow, pk, [Award(1_000, "adjust")], app.program))
    given = app.db.write(lambda uow: rewards.redeem(uow, pk, "fiver", app.program))
    code = code_of(app, given).code

    def use(uow: UnitOfWork) -> object:
        audience = validation.audience_of(uow, pk, app.program.zone)
        return coupons.redeem(uow, coupons.show(code), CART, audience, order_id="A-2")

    app.db.write(use)
    run_jobs(app)


def test_the_360_shows_points_with_their_rule_a_tier_move_and_a_reward_in_one_list(
    page: Page, live: Live, axe: Axe
) -> None:
    _member_with_history(live)
    console_as(page, live, "owner")

    page.goto(live.at("/console/members/M-7"))

    timeline = page.locator("table.timeline")
    earned = timeline.locator("tr", has_text="One point per euro")
    expect(earned).to_have_count(1)
    expect(earned).to_contain_text("+600")
    expect(earned.get_by_role("link", name="One point per euro")).to_have_attribute(
        "href", "/console/program/rules/base/versions"
    )
    expect(timeline.locator("tr", has_text="Tier Member → Gold")).to_have_count(1)
    expect(timeline.locator("tr", has_text="Reward Five euros off")).to_contain_text("300")
    expect(timeline.locator("tr", has_text="Coupon Five euros off")).to_contain_text("order A-2")
    expect(timeline.locator("tr", has_text="page: /p0")).to_have_count(1)
    expect(timeline.locator("tr", has_text=f"page: /p{VIEWS - 1}")).to_have_count(0)
    assert_accessible(axe, page)

    page.get_by_role("button", name="Older entries").click()

    expect(timeline.locator("tr", has_text=f"page: /p{VIEWS - 1}")).to_have_count(1)
    expect(timeline.locator("tr", has_text="page: /p0")).to_have_count(1)  # no repeats
    expect(page.get_by_role("button", name="Older entries")).to_have_count(0)
    rows = timeline.locator("tbody tr")
    texts = rows.all_inner_texts()
    assert sum("page: /p" in text for text in texts) == VIEWS
    assert_accessible(axe, page)
