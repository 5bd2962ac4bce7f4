"""The console's program section in a real browser: the rules list, the rule editor (form and
YAML in sync, problems at the field), a dry run, a backtest over seeded orders, publishing
a new version (audited), and the role matrix (Support reads the program, cannot edit it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.audit.models import Actor, ActorKind
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.rewards import catalogue
from loyalist.rewards.schemas import RewardIn
from loyalist.rules import programs
from loyalist.rules.schemas import ProgramFile, RuleSpec
from tests.api.staff_helpers import audit_actions
from tests.conftest import START, event, order_body
from tests.integration.helpers import send
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.staff import enrolled_staff, sign_in_page

BASE: dict[str, Any] = {
    "key": "base",
    "name": {"en": "Points for every euro", "ru": "Баллы за каждый евро"},
    "on": ["order.paid"],
    "effects": [{"type": "per_unit", "rates": {"EUR": "1"}, "base": True}],
}


def publish(app: Loyalist, rule: dict[str, Any]) -> None:
    def op(uow: UnitOfWork) -> None:
        programs.publish_rule(
            uow, RuleSpec.model_validate(rule), actor="setup", by=Actor(ActorKind.SYSTEM, "test")
        )

    app.db.write(op)


def seed_orders(app: Loyalist) -> None:
    """Two paid orders in the last month: €100 and €50 (150 points at the base rate)."""
    send(
        app,
        event(
            "o1-paid",
            "order.paid",
            "M1",
            START - timedelta(days=10),
            **order_body("o1", ("boot", 1, 10_000)),
        ),
        event(
            "o2-paid",
            "order.paid",
            "M2",
            START - timedelta(days=3),
            **order_body("o2", ("sock", 5, 1_000)),
        ),
    )


def console_as(page: Page, live: Live, role: str) -> None:
    """Signed in as a new staff user with ``role``, straight to the program section."""
    email = f"{role}@shop.example"
    sign_in_page(page, live, email, enrolled_staff(live, email, role), "/console/program")


def settled(page: Page) -> None:
    """Wait until no request of the page is on its way and every swap has settled."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
    )


def change(page: Page, selector: str, value: str) -> None:
    """Type ``value`` into a field of the editor and leave it (a change: the editor syncs)."""
    with page.expect_response(lambda r: r.url.endswith("/console/program/rules/sync")):
        page.locator(selector).fill(value)
        page.locator(selector).press("Tab")
    settled(page)


def rule_versions(app: Loyalist, key: str) -> list[int]:
    return [r.version for r in app.db.read(lambda uow: programs.get_rule(uow, key))]


def test_marketer_edits_dry_runs_backtests_and_publishes_a_rule(
    page: Page, live: Live, axe: Axe, watch: Watch
) -> None:
    publish(live.app, BASE)
    seed_orders(live.app)
    console_as(page, live, "marketer")

    page.goto(live.at("/console/program"))
    row = page.locator("tr[data-rule='base']")
    expect(row.locator("[data-version]")).to_have_text("v1")
    assert_accessible(axe, page)
    row.get_by_role("link", name="Edit base").click()
    page.wait_for_url(live.at("/console/program/rules/base"))
    expect(page.locator("#f-yaml")).to_have_value(
        "key: base\nname:\n  en: Points for every euro\n  ru: Баллы за каждый евро\n'on':\n"
        "- order.paid\neffects:\n- type: per_unit\n  rates:\n    EUR: '1'\n  base: true\n"
    )
    assert_accessible(axe, page)

    # A bad condition: the problem shows at the form's field and at the YAML's line.
    change(page, "#f-condition", "order.totl > 10")
    expect(page.locator("#f-condition-err")).to_contain_text("order has no field 'totl'")
    expect(page.locator("#f-condition")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#yaml-problems li[data-line='7']")).to_contain_text("/condition")
    assert_accessible(axe, page)
    # A publish of the invalid rule stores nothing.
    watch.expect_error("422")
    with page.expect_response(lambda r: r.url.endswith("/rules/publish")) as refused:
        page.get_by_role("button", name="Publish").click()
    assert refused.value.status == 422
    settled(page)
    expect(page.locator("#f-condition-err")).to_be_visible()
    assert rule_versions(live.app, "base") == [1]

    # The form's change rewrites the YAML; the YAML's change rewrites the form.
    change(page, "#f-condition", "")
    change(page, "#f-effects-0-rates", "EUR 2")
    expect(page.locator("#yaml-ok")).to_be_visible()
    expect(page.locator("#f-yaml")).to_have_value(
        "key: base\nname:\n  en: Points for every euro\n  ru: Баллы за каждый евро\n'on':\n"
        "- order.paid\neffects:\n- type: per_unit\n  rates:\n    EUR: '2'\n  base: true\n"
    )
    yaml_text = page.locator("#f-yaml").input_value()
    change(page, "#f-yaml", yaml_text.replace("every euro", "every euro, twice"))
    expect(page.locator("#f-name-en")).to_have_value("Points for every euro, twice")

    # Dry run: a €40 sample order earns 80 points under the edited rule.
    page.locator("#dry-amount").fill("40.00")
    page.get_by_role("button", name="Dry run").click()
    expect(page.locator("[data-dry-points]")).to_have_text("80 points")
    expect(page.locator("#dry-result tr[data-rule='base']")).to_contain_text("edited")
    # …and M1's stored €100 order earns 200.
    page.locator("#dry-member").fill("M1")
    page.locator("#dry-order").fill("o1")
    page.get_by_role("button", name="Dry run").click()
    expect(page.locator("[data-dry-points]")).to_have_text("200 points")
    page.locator("#dry-order").fill("")

    # Backtest over the seeded month: 150 points more (€1.50 at €0.01 a point).
    page.locator("#bt-from").fill((START - timedelta(days=30)).date().isoformat())
    page.locator("#bt-to").fill(START.date().isoformat())
    page.get_by_role("button", name="Run backtest").click()
    result = page.locator("#bt-result .backtest")
    expect(result).to_have_attribute("data-points-change", "150")
    expect(result.locator("[data-change='cost']")).to_have_text("+1.50")
    expect(result).to_contain_text("2 orders")
    assert_accessible(axe, page)
    assert rule_versions(live.app, "base") == [1]  # nothing is written before publishing

    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/console/program?published=*")
    expect(page.get_by_role("status")).to_contain_text("base v2")
    expect(page.locator("tr[data-rule='base'] [data-version]")).to_have_text("v2")
    assert rule_versions(live.app, "base") == [2, 1]
    changed = [a for a in audit_actions(live.app) if a[0] == "rule.changed"]
    assert changed[-1][1] == "base"
    assert changed[-1][2] is not None  # the staff user who published


def test_marketer_creates_a_rule_with_a_new_effect(page: Page, live: Live, axe: Axe) -> None:
    publish(live.app, BASE)
    console_as(page, live, "marketer")
    page.goto(live.at("/console/program/rules/new"))

    change(page, "#f-key", "Bad Key")
    expect(page.locator("#f-key-err")).to_contain_text("pattern")
    change(page, "#f-key", "reviews")
    change(page, "#f-name-en", "Points for a review")
    change(page, "#f-name-ru", "Баллы за отзыв")
    change(page, "#f-on", "review.published")
    change(page, "#f-effects-0-points", "abc")
    expect(page.locator("#f-effects-0-points-err")).to_contain_text("valid integer")
    change(page, "#f-effects-0-points", "25")
    page.get_by_label("Add an effect").select_option("badge")
    expect(page.locator("#f-effects-1-badge-err")).to_contain_text("Field required")
    settled(page)
    change(page, "#f-effects-1-badge", "critic")
    expect(page.locator("#yaml-ok")).to_be_visible()
    assert "badge: critic" in page.locator("#f-yaml").input_value()
    assert_accessible(axe, page)

    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/console/program?published=*")
    expect(page.locator("tr[data-rule='reviews'] [data-version]")).to_have_text("v1")
    spec = live.app.db.read(lambda uow: programs.get_rule(uow, "reviews"))[0].spec
    assert spec.on == ["review.published"]
    assert [e.type for e in spec.effects] == ["fixed", "badge"]


TIERS: dict[str, Any] = {
    "levels": [
        {"key": "member", "name": {"en": "Member", "ru": "Участник"}},
        {"key": "gold", "name": {"en": "Gold", "ru": "Золото"}, "threshold": {"orders": 1}},
    ]
}
FIVER: dict[str, Any] = {
    "name": {"en": "Five euros off", "ru": "Скидка пять евро"},
    "description": {"en": "On your next order", "ru": "На следующий заказ"},
    "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
    "cost_points": 300,
    "stock": 10,
}


def test_support_reads_the_program_but_cannot_open_the_editor(
    page: Page, live: Live, axe: Axe, watch: Watch
) -> None:
    program = ProgramFile.model_validate({"rules": [BASE], "tiers": TIERS})
    live.app.db.write(
        lambda uow: programs.apply_program(uow, program, actor="t", policy=live.app.program)
    )
    live.app.db.write(
        lambda uow: catalogue.put_reward(uow, "fiver", RewardIn.model_validate(FIVER))
    )
    seed_orders(live.app)  # M1 and M2 reach gold
    console_as(page, live, "support")

    page.goto(live.at("/console/program"))
    expect(page.locator("tr[data-rule='base']")).to_be_visible()
    expect(page.locator("tr[data-tier='member'] td.num").first).to_have_text("0")
    expect(page.locator("tr[data-tier='gold'] td.num").first).to_have_text("2")
    expect(page.locator("tr[data-reward='fiver']")).to_contain_text("300")
    expect(page.locator("tr[data-reward='fiver'] td.num").nth(3)).to_have_text("10")
    expect(page.get_by_role("link", name="Edit base")).to_have_count(0)
    expect(page.get_by_role("link", name="New rule")).to_have_count(0)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Versions of base").click()
    expect(page.get_by_role("heading", name="Rule base: versions")).to_be_visible()
    assert_accessible(axe, page)

    watch.expect_error("403")
    answer = page.goto(live.at("/console/program/rules/base"))
    assert answer is not None
    assert answer.status == 403
    expect(page.locator("main")).to_contain_text("rules.write")
    assert_accessible(axe, page)
    answer = page.goto(live.at("/console/program/rules/new"))
    assert answer is not None
    assert answer.status == 403


def test_the_published_notice_names_only_a_stored_rule_and_its_live_version(
    page: Page, live: Live
) -> None:
    """The notice after publishing comes from the link, so a crafted link must not make the
    console say anything: only a stored rule's key shows, with its real live version."""
    publish(live.app, BASE)
    publish(live.app, {**BASE, "priority": 5})  # base is at v2
    console_as(page, live, "support")
    notice = page.locator("p.notice")
    for crafted in ("Your account is suspended, call +1 555 0100", "base v9", "nope"):
        page.goto(live.at(f"/console/program?{urlencode({'published': crafted})}"))
        expect(page.locator("tr[data-rule='base']")).to_be_visible()
        expect(notice).to_have_count(0)
        page.goto(live.at(f"/console/program?{urlencode({'unchanged': crafted})}"))
        expect(page.locator("tr[data-rule='base']")).to_be_visible()
        expect(notice).to_have_count(0)
    page.goto(live.at("/console/program?published=base"))
    expect(notice).to_have_text("Published: base v2")
    page.goto(live.at("/console/program?unchanged=base"))
    expect(notice).to_have_text("Published: base unchanged (v2)")
