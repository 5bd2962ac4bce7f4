"""The console's approvals page (maker-checker): a Support user asks on the member 360 for
an adjustment above the threshold, a fraud analyst approves or rejects it on
``/console/members/adjustments`` (booked once, audited); nobody decides their own request."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from loyalist.db.uow import UnitOfWork
from loyalist.ledger import approvals
from loyalist.ledger.models import AdjustmentState
from tests.auditing import audit_rows
from tests.web.conftest import Live, Watch, assert_accessible
from tests.web.staff import console_as
from tests.web.test_console_members import THRESHOLD, _available, _seed

APPROVALS = "/console/members/adjustments"


def _ask(page: Page, live: Live, points: int, reason: str) -> None:
    """Ask on the member 360 for an adjustment above the threshold (a pending request)."""
    page.goto(live.at("/console/members/M-1043"))
    adjust = page.locator("form", has=page.get_by_role("heading", name="Adjust points"))
    adjust.get_by_label("Points (negative to deduct)").fill(str(points))
    adjust.get_by_label("Reason for the adjustment").fill(reason)
    adjust.get_by_role("button", name="Adjust").click()
    expect(page.locator("[data-adjustment=pending]")).to_contain_text("waits for another")


def _states(live: Live) -> list[tuple[int, str]]:
    def op(uow: UnitOfWork) -> list[tuple[int, str]]:
        return [(r.points, r.state) for r in approvals.list_adjustment_requests(uow, None)]

    return live.app.db.read(op)


def test_a_fraud_analyst_approves_and_rejects_a_support_users_requests(
    page: Page, live: Live, axe: Axe
) -> None:
    _seed(live.app)
    console_as(page, live, "support", email="sam@shop.example")
    page.goto(live.at("/console/members"))
    expect(page.get_by_role("link", name="Adjustments waiting for approval")).to_have_count(0)
    _ask(page, live, THRESHOLD + 1, "goodwill after a lost order")
    _ask(page, live, THRESHOLD + 5, "goodwill again, by mistake")
    assert _available(live.app, "M-1043") == 120

    page.context.clear_cookies()
    console_as(page, live, "fraud_analyst", email="fay@shop.example")
    page.goto(live.at("/console/members"))
    page.get_by_role("link", name="Adjustments waiting for approval").click()
    page.wait_for_url(live.at(APPROVALS))
    expect(page.get_by_role("heading", name="Adjustments waiting for approval")).to_be_visible()
    first, second = page.locator("tr[data-request]").all()
    expect(first).to_contain_text(f"+{THRESHOLD + 1}")
    expect(first).to_contain_text("goodwill after a lost order")
    expect(first).to_contain_text("staff:Anna")
    expect(first.get_by_role("link", name="M-1043")).to_be_visible()
    assert_accessible(axe, page)

    first.get_by_role("button", name="Approve").click()
    expect(first.locator("[data-decision=approved]")).to_contain_text(f"+{THRESHOLD + 1} points")
    assert _available(live.app, "M-1043") == 120 + THRESHOLD + 1

    second.get_by_label("Reason for rejecting").fill("duplicate of the first request")
    second.get_by_role("button", name="Reject").click()
    expect(second.locator("[data-decision=rejected]")).to_contain_text("duplicate of the first")
    assert _available(live.app, "M-1043") == 120 + THRESHOLD + 1
    assert _states(live) == [(THRESHOLD + 1, "approved"), (THRESHOLD + 5, "rejected")]
    assert_accessible(axe, page)

    [approved] = audit_rows(live.app, "points.adjustment_approved")
    assert approved["after"]["points"] == THRESHOLD + 1
    assert approved["after"]["posting_id"] is not None
    [rejected] = audit_rows(live.app, "points.adjustment_rejected")
    assert rejected["reason"] == "duplicate of the first request"
    assert approved["actor_id"] == rejected["actor_id"]
    asked = audit_rows(live.app, "points.adjustment_requested")
    maker = asked[0]["actor_id"]
    assert [r["actor_id"] for r in asked] == [maker, maker]
    assert maker != approved["actor_id"]

    page.reload()
    expect(page.locator("[data-approvals=none]")).to_be_visible()


def test_the_maker_may_not_approve_or_reject_their_own_request(
    page: Page, live: Live, watch: Watch
) -> None:
    _seed(live.app)
    console_as(page, live, "support", "fraud_analyst", email="max@shop.example")
    _ask(page, live, THRESHOLD + 1, "goodwill after a lost order")

    page.goto(live.at(APPROVALS))
    row = page.locator("tr[data-request]")
    watch.expect_error("403")
    row.get_by_role("button", name="Approve").click()
    refused = row.locator("[data-problem=approval_by_requester]")
    expect(refused).to_contain_text("another person must approve or reject it")
    row.get_by_label("Reason for rejecting").fill("changed my mind")
    row.get_by_role("button", name="Reject").click()
    expect(refused).to_contain_text("another person must approve or reject it")

    assert _available(live.app, "M-1043") == 120
    assert _states(live) == [(THRESHOLD + 1, AdjustmentState.PENDING)]
    assert not audit_rows(live.app, "points.adjustment_approved", "points.adjustment_rejected")
