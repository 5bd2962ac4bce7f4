"""The console's coupons in a real browser: campaigns with their usage, generating codes in
the background with a progress bar, exporting them as CSV, looking a redemption up and
rolling it back; Support may read campaigns but not export their codes."""

from __future__ import annotations

import csv
import io
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from loyalist.audit.models import AuditRecord
from loyalist.coupons import service as coupons
from loyalist.coupons.models import CouponBatch, CouponCode, CouponRedemption
from loyalist.coupons.schemas import CampaignIn, Cart
from loyalist.coupons.validation import audience_of
from loyalist.db.uow import UnitOfWork
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.staff import enrolled_staff, sign_in_page

NAME = {"en": "Spring sale", "ru": "Весенняя распродажа"}
CART = {
    "currency": "EUR",
    "lines": [{"sku": "SHOE", "category": "shoes", "quantity": 1, "unit_price": 8000}],
}


def put_campaign(live: Live, key: str, **spec: Any) -> None:
    body = CampaignIn.model_validate(
        {"name": NAME, "discount": {"type": "percent", "percent": "10"}, **spec}
    )
    live.app.db.write(lambda uow: coupons.put_campaign(uow, key, body))


def redeem(live: Live, code: str, order_id: str) -> str:
    """Redeem ``code`` for an anonymous cart of 80 EUR; answers the redemption's id."""
    cart = Cart.model_validate(CART)

    def op(uow: UnitOfWork) -> str:
        audience = audience_of(uow, None, live.app.program.zone)
        return str(coupons.redeem(uow, code, cart, audience, order_id=order_id)["id"])

    return live.app.db.write(op)


def signed_in(page: Page, live: Live, role: str, path: str) -> None:
    email = f"{role}@shop.example"
    sign_in_page(page, live, email, enrolled_staff(live, email, role), path)


def test_generates_codes_with_progress_then_exports_them(page: Page, live: Live, axe: Axe) -> None:
    put_campaign(live, "welcome", code_mode="unique")
    signed_in(page, live, "owner", "/console/coupons/welcome")
    expect(page.get_by_role("heading", name="Spring sale")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_label("How many codes").fill("4500")
    page.get_by_label("Prefix").fill("SPR")
    page.get_by_role("button", name="Generate").click()
    batch = page.locator("[data-batch]").first
    expect(batch.locator("progress")).to_have_attribute("max", "4500")
    # The run goes on in the background; the fragment polls until the batch is ready.
    expect(batch).to_have_attribute("data-status", "ready", timeout=30_000)
    expect(batch.locator("progress")).to_have_attribute("value", "4500")
    expect(batch.get_by_role("status")).to_contain_text("4,500 codes")
    assert_accessible(axe, page)

    stored = live.app.db.read(
        lambda uow: uow.session.scalars(
            select(CouponCode.code).where(CouponCode.batch_id.is_not(None))
        ).all()
    )
    assert len(stored) == len(set(stored)) == 4500

    with page.expect_download() as caught:
        page.get_by_role("link", name="Export codes (CSV)").click()
    rows = list(csv.reader(io.StringIO(caught.value.path().read_text())))
    assert rows[0] == ["code", "uses", "max_uses", "member_id", "valid_until"]
    exported = rows[1:]
    assert len(exported) == 4500
    assert all(code.startswith("SPR-") for code, *_ in exported)
    assert {code.replace("-", "") for code, *_ in exported} == set(stored)
    assert {(uses, limit) for _, uses, limit, _, _ in exported} == {("0", "1")}

    page.reload()
    expect(page.locator("[data-batch]")).to_have_count(1)
    listed = page.locator("[data-batch]").first
    expect(listed).to_have_attribute("data-status", "ready")
    expect(listed).not_to_have_attribute("hx-trigger", "every 1s")


def test_a_bad_count_is_refused_at_its_field_and_stores_nothing(
    page: Page, live: Live, watch: Watch
) -> None:
    put_campaign(live, "welcome", code_mode="unique")
    signed_in(page, live, "owner", "/console/coupons/welcome")
    page.get_by_label("How many codes").evaluate("el => el.removeAttribute('max')")
    page.get_by_label("How many codes").fill("20000000")
    watch.expect_error("status of 422")
    page.get_by_role("button", name="Generate").click()
    problem = page.locator("[data-problem]")
    expect(problem).to_have_attribute("data-problem", "request_invalid")
    expect(problem).to_contain_text("/count")
    stored = live.app.db.read(
        lambda uow: uow.session.scalar(select(func.count()).select_from(CouponBatch))
    )
    assert stored == 0


def test_looks_up_a_redemption_by_order_and_rolls_it_back(page: Page, live: Live, axe: Axe) -> None:
    put_campaign(live, "spring", code_mode="generic", code="SPRING-2026")
    first = redeem(live, "spring-2026", "O-1043")
    redeem(live, "SPRING2026", "O-1044")
    signed_in(page, live, "owner", "/console/coupons")

    row = page.get_by_role("row").filter(has_text="spring")
    expect(row.locator("td").nth(4)).to_have_text("2")  # redeemed
    expect(row.locator("td").nth(6)).to_contain_text("16")  # 2 × 10% of 80 EUR
    assert_accessible(axe, page)

    page.get_by_label("or order").fill("O-1043")
    page.get_by_role("button", name="Look up").click()
    found = page.locator(f"#redemption-{first}")
    expect(found).to_contain_text("O-1043")
    expect(page.locator("[data-found]")).to_have_attribute("data-found", "1")
    found.get_by_role("button", name="Roll back…").click()
    expect(found).to_contain_text("Roll back redemption")
    assert_accessible(axe, page)
    found.get_by_label("Reason").fill("order cancelled before shipping")
    found.get_by_role("button", name="Confirm rollback").click()
    expect(found.locator("[data-status]")).to_have_attribute("data-status", "rolled_back")
    expect(found.get_by_role("status")).to_contain_text("Rolled back")

    def stored(uow: UnitOfWork) -> tuple[Any, ...]:
        redemption = uow.session.get(CouponRedemption, first)
        assert redemption is not None
        uses = uow.session.scalar(select(CouponCode.uses).where(CouponCode.code == "SPRING2026"))
        audited = uow.session.execute(
            select(AuditRecord.actor_kind, AuditRecord.reason).where(
                AuditRecord.action == "coupon_redemption.rolled_back",
                AuditRecord.target_id == first,
            )
        ).all()
        return redemption.status, redemption.reason, uses, [tuple(a) for a in audited]

    assert live.app.db.read(stored) == (
        "rolled_back",
        "order cancelled before shipping",
        1,
        [("staff", "order cancelled before shipping")],
    )


def test_support_sees_no_export_and_is_refused_it(page: Page, live: Live, watch: Watch) -> None:
    put_campaign(live, "welcome", code_mode="unique")
    signed_in(page, live, "support", "/console/coupons/welcome")
    expect(page.get_by_role("heading", name="Spring sale")).to_be_visible()
    expect(page.get_by_role("link", name="Export codes (CSV)")).to_have_count(0)
    expect(page.get_by_role("button", name="Generate")).to_have_count(0)
    watch.expect_error("403")
    answer = page.goto(live.at("/console/coupons/welcome/codes.csv"))
    assert answer is not None
    assert answer.status == 403
    expect(page.locator("[data-problem]")).to_have_attribute("data-problem", "permission_denied")


def test_support_looks_redemptions_up_with_codes_masked_and_cannot_roll_back(
    page: Page, live: Live, axe: Axe
) -> None:
    put_campaign(live, "spring", code_mode="generic", code="SPRING-2026")
    found = redeem(live, "SPRING2026", "O-7")
    signed_in(page, live, "support", "/console/coupons")
    page.goto(live.at("/console/coupons/_redemptions?code=spring-2026"))
    row = page.locator(f"#redemption-{found}")
    expect(row).to_contain_text("O-7")
    expect(row.locator("code").nth(1)).to_have_text("SP******26")
    expect(row.get_by_role("button", name="Roll back…")).to_have_count(0)
    assert_accessible(axe, page)
