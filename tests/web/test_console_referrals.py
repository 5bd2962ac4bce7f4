"""The console's referrals in a real browser: the funnel (chart and table) and leaderboard,
and the review queue, where a referral the fraud rules held is approved with a reason code
and the decision is audited; a user who may only read sees the queue without decisions."""

from __future__ import annotations

import json
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select

from loyalist.audit.models import AuditRecord
from loyalist.db.uow import UnitOfWork
from loyalist.referrals import service as referrals
from loyalist.referrals.models import Referral
from loyalist.referrals.schemas import ReferralProgramIn
from tests.conftest import START, event
from tests.integration.helpers import member_pk, points, send
from tests.web.conftest import Live, assert_accessible
from tests.web.staff import enrolled_staff, sign_in_page


def held_referral(live: Live) -> int:
    """Anna refers Ann Lee and Robert Stone by her code at their sign-up; Ann's name is
    close enough to Anna Lee's for the similar-identity rule (set to review) to hold her.
    Answers the held referral's id."""
    program = ReferralProgramIn.model_validate(
        {
            "friend_reward": {"points": 100, "on": "enrolled"},
            "referrer_reward": {"points": 500},
            "fraud": {"similar_identity": {"action": "review", "threshold": 80}},
        }
    )
    app = live.app
    app.db.write(lambda uow: referrals.put_program(uow, program, who="test"))
    send(app, event("e-anna", "member.enrolled", "ANNA", START, first_name="Anna", last_name="Lee"))
    code = app.db.write(lambda uow: referrals.member_referral(uow, "ANNA"))["code"]
    for member, first, last in (("ANN", "Ann", "Lee"), ("BOB", "Robert", "Stone")):
        send(
            app,
            event(
                f"e-{member}",
                "member.enrolled",
                member,
                START,
                first_name=first,
                last_name=last,
                referral={"code": code},
            ),
        )
    return status_of(live, "ANN")[0]


def status_of(live: Live, friend: str) -> tuple[int, str]:
    friend_id = member_pk(live.app, friend)

    def op(uow: UnitOfWork) -> tuple[int, str]:
        row = uow.session.execute(
            select(Referral.id, Referral.status).where(Referral.friend_id == friend_id)
        ).one()
        return int(row[0]), str(row[1])

    return live.app.db.read(op)


def decisions(live: Live) -> list[tuple[Any, ...]]:
    def op(uow: UnitOfWork) -> list[tuple[Any, ...]]:
        rows = uow.session.execute(
            select(
                AuditRecord.action,
                AuditRecord.actor_kind,
                AuditRecord.target_id,
                AuditRecord.after,
            ).where(AuditRecord.target_type == "referral")
        ).all()
        return [tuple(row) for row in rows]

    return live.app.db.read(op)


def signed_in(page: Page, live: Live, role: str, path: str) -> None:
    email = f"{role}@shop.example"
    sign_in_page(page, live, email, enrolled_staff(live, email, role), path)


def test_funnel_and_leaderboard_with_a_table_for_the_chart(
    page: Page, live: Live, axe: Axe
) -> None:
    held_referral(live)
    signed_in(page, live, "marketer", "/console/referrals?period=all")
    expect(page.get_by_role("heading", name="Referrals", exact=True)).to_be_visible()
    expect(page.locator("canvas[data-chart='funnel-chart']")).to_be_visible()
    page.get_by_text("Table", exact=True).click()
    expect(page.locator("tr[data-stage='attributed'] td")).to_have_text("2")
    expect(page.locator("[data-review-count]")).to_have_text("1 held")
    expect(page.get_by_text("No converted referral in this period.")).to_be_visible()
    assert_accessible(axe, page)


def test_approves_a_held_referral_with_a_reason_code(page: Page, live: Live, axe: Axe) -> None:
    held = held_referral(live)
    assert status_of(live, "BOB")[1] == "pending"
    signed_in(page, live, "fraud_analyst", "/console/referrals/review")
    card = page.locator(f"#referral-{held}")
    expect(card).to_contain_text("ANN referred by ANNA")
    expect(card.get_by_role("table", name="Fraud signals")).to_contain_text("names")
    expect(page.locator("[data-referral]")).to_have_count(1)
    assert_accessible(axe, page)

    card.get_by_label("Approve: reason").select_option("signals_explained")
    card.get_by_label("Note (optional)").first.fill("cousins, checked by phone")
    card.get_by_role("button", name="Approve").click()
    expect(card).to_have_attribute("data-status", "pending")
    expect(card.get_by_role("status")).to_contain_text("Signals explained")
    assert_accessible(axe, page)

    assert status_of(live, "ANN") == (held, "pending")
    assert points(live.app, "ANN")["available"] == 100
    assert decisions(live) == [
        (
            "referral.approved",
            "staff",
            str(held),
            {"status": "pending", "reason": "signals_explained"},
        )
    ]
    page.reload()
    expect(page.get_by_text("Nothing is held for review.")).to_be_visible()


def test_a_reader_sees_the_queue_but_cannot_decide(page: Page, live: Live) -> None:
    held = held_referral(live)
    signed_in(page, live, "support", "/console/referrals/review")
    card = page.locator(f"#referral-{held}")
    expect(card.get_by_role("table", name="Fraud signals")).to_be_visible()
    expect(card.get_by_role("button", name="Approve")).to_have_count(0)
    expect(card.get_by_role("button", name="Reject")).to_have_count(0)
    headers = json.loads(page.locator("body").get_attribute("hx-headers") or "{}")
    refused = page.request.post(
        live.at(f"/console/referrals/review/{held}/approve"),
        form={"reason": "signals_explained"},
        headers=headers,
    )
    assert refused.status == 403
    assert status_of(live, "ANN") == (held, "review")


def test_rejects_a_held_referral_and_the_note_defaults_to_the_reason(
    page: Page, live: Live
) -> None:
    held = held_referral(live)
    signed_in(page, live, "owner", "/console/referrals/review")
    card = page.locator(f"#referral-{held}")
    card.get_by_label("Reject: reason").select_option("same_person")
    card.get_by_role("button", name="Reject").click()
    expect(card).to_have_attribute("data-status", "rejected")
    expect(card.get_by_role("status")).to_contain_text("Same person as the referrer")
    assert status_of(live, "ANN") == (held, "rejected")
    assert points(live.app, "ANN")["available"] == 0
    assert decisions(live) == [
        ("referral.rejected", "staff", str(held), {"status": "rejected", "reason": "same_person"})
    ]
