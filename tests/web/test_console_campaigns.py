"""The console's campaigns in a real browser: a campaign built with A/B variants and a
control group (its audience estimated as it is built, problems at their field), launched,
paused and resumed, measured from real paid orders, and its report matching the API's;
a Support user cannot open the builder."""

from __future__ import annotations

from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.audit.models import SYSTEM
from loyalist.campaigns import service as campaigns
from loyalist.campaigns.models import CONTROL, CampaignState, SendStatus
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from tests.api.staff_helpers import audit_actions
from tests.campaigning import campaign, enrol_many, sends, spec
from tests.integration.messaging import pay_order
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.messaging import settle, sign_in_as

MEMBERS = 40


def _build(page: Page, control: str) -> None:
    page.get_by_label("Campaign key").fill("spring")
    page.get_by_label("Name (English)").fill("Spring sale")
    page.get_by_label("Name (Russian)").fill("Весенняя распродажа")
    page.get_by_label("Subject (English)").first.fill("Spring is here, {{ member.first_name }}")
    page.get_by_label("Subject (Russian)").first.fill("Весна пришла")
    page.get_by_label("Body (English)").first.fill("Our spring sale is on.")
    page.get_by_label("Body (Russian)").first.fill("Весенняя распродажа началась.")
    variants = page.locator("fieldset.variant")
    variants.nth(0).get_by_label("Key").fill("a")
    variants.nth(0).get_by_label("Weight").fill("1")
    variants.nth(1).get_by_label("Key").fill("b")
    variants.nth(1).get_by_label("Weight").fill("1")
    variants.nth(1).get_by_label("Subject (English)").fill("B: spring deals")
    variants.nth(1).get_by_label("Subject (Russian)").fill("Б: весенние скидки")
    variants.nth(1).get_by_label("Body (English)").fill("Deals for you.")
    variants.nth(1).get_by_label("Body (Russian)").fill("Скидки для вас.")
    page.get_by_label("Control group (% of the audience, held out and measured)").fill(control)


def test_build_launch_and_measure_a_campaign_with_a_control_group(
    page: Page, live: Live, axe: Axe, watch: Watch
) -> None:
    enrol_many(live.app, MEMBERS)
    sign_in_as(page, live, "marketer", "/console/campaigns/new")
    expect(page.locator("[data-estimate]")).to_have_attribute("data-estimate", str(MEMBERS))
    assert_accessible(axe, page)

    page.get_by_label("Condition (CEL over member)").fill("member.order_count >= 1")
    page.get_by_label("Name (English)").click()  # the condition's change estimates again
    expect(page.locator("[data-estimate]")).to_have_attribute("data-estimate", "0")
    page.get_by_label("Condition (CEL over member)").fill("")
    page.get_by_label("Name (English)").click()
    expect(page.locator("[data-estimate]")).to_have_attribute("data-estimate", str(MEMBERS))

    _build(page, control="80")
    watch.expect_error("422")  # the control group is too large: refused at its field
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator('[data-error-for="/control_percent"]')).to_contain_text("50")
    expect(
        page.get_by_label("Control group (% of the audience, held out and measured)")
    ).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Control group (% of the audience, held out and measured)").fill("25")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(live.at("/console/campaigns/spring"))
    expect(page.locator("[data-state]").first).to_have_text("draft")

    for action, state in (("Launch", "running"), ("Pause", "paused"), ("Resume", "running")):
        page.wait_for_load_state("load")  # the page's script is wired
        page.get_by_role("button", name=action).click()
        expect(page.locator("[data-state]").first).to_have_text(state)
    actions = [a for a, t, _ in audit_actions(live.app) if t == "spring"]
    assert actions == [
        "campaign.changed",
        "campaign.launched",
        "campaign.paused",
        "campaign.resumed",
    ]

    settle(live.app)
    rows = sends(live.app, "spring", "main")
    assert len(rows) == MEMBERS
    arms = {r.member_id: r.arm for r in rows}
    assert {r.status for r in rows if r.arm == CONTROL} == {SendStatus.HELD_OUT}
    assert {"a", "b", CONTROL} <= set(arms.values())
    external = live.app.db.read(lambda uow: members.external_ids(uow, set(arms)))
    live.clock.advance(timedelta(minutes=5))
    buyers = {arm: [m for m, a in sorted(arms.items()) if a == arm][:2] for arm in ("a", "b")}
    buyers[CONTROL] = [m for m, a in sorted(arms.items()) if a == CONTROL][:1]
    for arm, ids in buyers.items():
        for n, member_id in enumerate(ids):
            pay_order(live.app, external[member_id], f"o-{arm}-{n}", live.clock.now())

    page.reload()
    api = page.request.get(live.at("/api/v1/campaigns/spring/report"))
    assert api.ok, api.text()
    body = api.json()
    for arm in body["arms"]:
        row = page.locator(f'#arms tr[data-arm="{arm["key"]}"]')
        expect(row.locator("[data-members]")).to_have_text(str(arm["members"]))
        expect(row.locator("[data-converted]")).to_have_text(str(arm["converted"]))
        expect(row.locator("[data-rate]")).to_have_text(
            f"{100 * arm['conversion_rate']:.1f}%".replace(".0%", ".0%")
        )
    assert {a["key"]: a["converted"] for a in body["arms"]} == {"control": 1, "a": 2, "b": 2}
    for uplift in body["uplift"]:
        row = page.locator(f'#uplift tr[data-uplift="{uplift["key"]}"]')
        expect(row.locator("[data-absolute]")).to_have_text(f"{100 * uplift['absolute']:.2f}")
        expect(row.locator("[data-interval]")).to_have_text(
            f"{100 * uplift['low']:.2f} to {100 * uplift['high']:.2f}"
        )
    expect(page.locator('canvas[data-chart="uplift-chart"]')).to_be_visible()
    assert_accessible(axe, page)

    page.goto(live.at("/console/campaigns"))
    expect(page.locator('tr[data-campaign="spring"] [data-state]')).to_have_text("finished")
    assert campaign(live.app, "spring").state == CampaignState.FINISHED
    assert_accessible(axe, page)


def test_support_cannot_open_the_builder(page: Page, live: Live, watch: Watch) -> None:
    watch.expect_error("403")
    sign_in_as(page, live, "support", "/console/messages")
    response = page.goto(live.at("/console/campaigns/new"))
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("campaigns.write")
    expect(page.get_by_role("navigation", name="Console sections")).not_to_contain_text("Campaigns")
    assert page.request.get(live.at("/console/campaigns")).status == 403


def test_an_analyst_sees_a_campaign_without_its_actions(page: Page, live: Live) -> None:
    enrol_many(live.app, 3)

    def put(uow: UnitOfWork) -> None:
        campaigns.put_campaign(uow, "autumn", spec("a"), SYSTEM)

    live.app.db.write(put)
    sign_in_as(page, live, "analyst", "/console/campaigns")
    page.get_by_role("link", name="autumn").click()
    expect(page.locator("[data-state]").first).to_have_text("draft")
    expect(page.get_by_role("button", name="Launch")).to_have_count(0)
    expect(page.get_by_role("link", name="New campaign")).to_have_count(0)


def test_a_draft_is_changed_in_the_builder(page: Page, live: Live, axe: Axe) -> None:
    live.app.db.write(lambda uow: campaigns.put_campaign(uow, "autumn", spec("a"), SYSTEM))
    sign_in_as(page, live, "marketer", "/console/campaigns/autumn")
    page.get_by_role("link", name="Change this draft in the builder").click()
    control = page.get_by_label("Control group (% of the audience, held out and measured)")
    expect(control).to_have_value("10")
    expect(page.locator("fieldset.variant").nth(0).get_by_label("Key")).to_have_value("a")
    assert_accessible(axe, page)

    control.fill("30")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(live.at("/console/campaigns/autumn"))
    expect(page.locator(".facts")).to_contain_text("30%")
    assert campaign(live.app, "autumn").spec["control_percent"] == "30"
    changed = [a for a, t, _ in audit_actions(live.app) if t == "autumn"]
    assert changed == ["campaign.changed", "campaign.changed"]
