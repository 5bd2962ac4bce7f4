"""The console's members section: exact search, the member 360 with its masked profile and
reveal, and its actions (points adjustments below and above the approval threshold), in
Chromium and over HTTP; what an Analyst sees of a member."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import approvals, balances
from loyalist.ledger.models import AdjustmentState
from loyalist.members import service as members
from loyalist.staff.service import create_api_key
from loyalist.web.app import create_app
from tests.api.staff_helpers import add_staff, enrol, sign_in
from tests.auditing import audit_rows
from tests.conftest import START, event
from tests.integration.helpers import run_jobs
from tests.integration.messaging import enrol as enrol_member
from tests.integration.messaging import messages_of, pay_order
from tests.smtp import SmtpSink
from tests.web.conftest import Live, assert_accessible
from tests.web.staff import console_as, enrolled_staff, sign_in_page

EMAIL = "Vera.Lebedeva@example.com"
PHONE = "+7 912 345-67-89"
PROFILE = {
    "email": EMAIL,
    "phone": PHONE,
    "first_name": "Vera",
    "last_name": "Lebedeva",
    "birthday": "1991-03-14",
    "locale": "en",
}
THRESHOLD = 10_000


def _admin(app: Loyalist) -> dict[str, str]:
    def op(uow: UnitOfWork) -> str:
        return create_api_key(uow, "shop admin", ["admin"])[1]

    return {"Authorization": f"Bearer {app.db.write(op)}"}


def _seed(app: Loyalist, member_id: str = "M-1043", points: int = 120) -> None:
    """A member with a full profile and some points, through the API."""
    with TestClient(create_app(app, embedded_worker=False), base_url="https://testserver") as api:
        admin = _admin(app)
        put = api.put(f"/api/v1/members/{member_id}", json=PROFILE, headers=admin)
        assert put.status_code == 201, put.text
        adjusted = api.post(
            f"/api/v1/members/{member_id}/points/adjustments",
            json={"points": points, "reason": "welcome gift"},
            headers=admin | {"Idempotency-Key": uuid.uuid4().hex},
        )
        assert adjusted.status_code == 201, adjusted.text


def _available(app: Loyalist, member_id: str) -> int:
    def op(uow: UnitOfWork) -> int:
        pk = members.get_member_id(uow, member_id)
        return int(balances.points_summary(uow, pk)["available"])

    return app.db.read(op)


def _requests(app: Loyalist) -> list[tuple[int, str]]:
    def op(uow: UnitOfWork) -> list[tuple[int, str]]:
        found = approvals.list_adjustment_requests(uow, AdjustmentState.PENDING)
        return [(r.points, r.requested_by_name) for r in found]

    return app.db.read(op)


# -- in the browser -------------------------------------------------------------------------
def test_support_finds_a_member_reveals_the_email_and_adjusts_points(
    page: Page, live: Live, axe: Axe
) -> None:
    _seed(live.app)
    console_as(page, live, "support", email="sam@shop.example")

    page.goto(live.at("/console/members"))
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("Search by").select_option("email")
    page.get_by_label("Value").fill("  vera.lebedeva@EXAMPLE.com ")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 member found")).to_be_visible()
    expect(page.get_by_role("cell", name="v***@e***.com")).to_be_visible()
    page.get_by_role("link", name="M-1043").click()

    page.wait_for_url(live.at("/console/members/M-1043"))
    expect(page.locator("#pii-email")).to_have_text("v***@e***.com")
    assert EMAIL.lower() not in page.content()
    assert_accessible(axe, page)

    page.get_by_label("Field").select_option("email")
    page.get_by_label("Why you need to see it").fill("ticket 4812: customer lost access")
    page.get_by_role("button", name="Reveal").click()
    expect(page.locator("#pii-email")).to_have_text(EMAIL.lower())
    [row] = audit_rows(live.app, "pii.read")
    assert (row["target_id"], row["after"]) == ("M-1043", {"field": "email"})
    assert row["reason"] == "ticket 4812: customer lost access"

    adjust = page.locator("form", has=page.get_by_role("heading", name="Adjust points"))
    adjust.get_by_label("Points (negative to deduct)").fill("50")
    adjust.get_by_label("Reason for the adjustment").fill("parcel arrived late")
    adjust.get_by_role("button", name="Adjust").click()
    expect(page.locator("[data-adjustment=booked]")).to_contain_text("+50 points")
    assert _available(live.app, "M-1043") == 170

    adjust.get_by_label("Points (negative to deduct)").fill(str(THRESHOLD + 1))
    adjust.get_by_label("Reason for the adjustment").fill("goodwill after a lost order")
    adjust.get_by_role("button", name="Adjust").click()
    expect(page.locator("[data-adjustment=pending]")).to_contain_text("waits for another")
    assert _available(live.app, "M-1043") == 170
    assert _requests(live.app) == [(THRESHOLD + 1, "staff:Anna")]
    assert_accessible(axe, page)


def test_analyst_sees_the_member_without_personal_data(page: Page, live: Live, axe: Axe) -> None:
    _seed(live.app)
    email = "ada@shop.example"
    # Straight to the member (the analyst's first section, the dashboard, is another's).
    sign_in_page(
        page, live, email, enrolled_staff(live, email, "analyst"), "/console/members/M-1043"
    )

    expect(page.get_by_role("heading", name="Member M-1043")).to_be_visible()
    expect(page.locator("#pii-email")).to_have_text("v***@e***.com")
    expect(page.locator("#pii-phone")).to_have_text("+7********89")
    html = page.content()
    for secret in (EMAIL.lower(), "Lebedeva", "1991-03-14", "912 345", "9123456789"):
        assert secret not in html
    expect(page.get_by_role("button", name="Reveal")).to_have_count(0)
    expect(page.get_by_role("heading", name="Adjust points")).to_have_count(0)
    expect(page.locator("#points-available")).to_have_text("120")
    assert_accessible(axe, page)


# -- over HTTP ------------------------------------------------------------------------------
def _console(app: Loyalist, clock: ManualClock, role: str) -> tuple[TestClient, dict[str, str]]:
    """A client signed in to the console as a new user with ``role`` (two factors enrolled),
    and the headers HTMX sends (the session's CSRF token)."""
    email = f"{role}@shop.example"
    add_staff(app, email, role)
    client = TestClient(create_app(app, embedded_worker=False), base_url="https://testserver")
    started = sign_in(client, email)
    assert started.status_code == 200, started.text
    me = enrol(client, clock, started).confirmed if started.json()["stage"] != "complete" else None
    token = (me or started).json()["csrf_token"]
    return client, {"X-CSRF-Token": token, "HX-Request": "true"}


@pytest.fixture
def support(app: Loyalist, clock: ManualClock) -> tuple[TestClient, dict[str, str]]:
    _seed(app)
    return _console(app, clock, "support")


def _search(client: TestClient, by: str, q: str) -> httpx.Response:
    found: httpx.Response = client.get("/console/members", params={"by": by, "q": q})
    return found


class TestSearch:
    def test_unknown_email_finds_nobody(self, support: tuple[TestClient, Any]) -> None:
        client, _ = support
        found = _search(client, "email", "nobody@example.com")
        assert found.status_code == 200, found.text
        assert "0 members found" in found.text
        assert "M-1043" not in found.text

    def test_finds_by_member_id_and_phone_in_another_format(
        self, support: tuple[TestClient, Any]
    ) -> None:
        client, _ = support
        by_id = _search(client, "member_id", "M-1043")
        by_phone = _search(client, "phone", "+7 (912) 345 67 89")
        assert "1 member found" in by_id.text
        assert "/console/members/M-1043" in by_id.text
        assert "1 member found" in by_phone.text
        assert "/console/members/M-1043" in by_phone.text

    @pytest.mark.parametrize(
        ("by", "q"),
        [("email", "vera.lebedeva@example.co"), ("phone", "+7 912 345-67"), ("member_id", "M-104")],
    )
    def test_part_of_a_value_finds_nobody(
        self, support: tuple[TestClient, Any], by: str, q: str
    ) -> None:
        client, _ = support
        found = _search(client, by, q)
        assert found.status_code == 200, found.text
        assert "0 members found" in found.text

    @pytest.mark.parametrize(
        ("by", "q"), [("email", "vera%"), ("email", "lebedeva"), ("phone", "12")]
    )
    def test_malformed_value_is_refused_at_the_field(
        self, support: tuple[TestClient, Any], by: str, q: str
    ) -> None:
        client, _ = support
        refused = _search(client, by, q)
        assert refused.status_code == 422
        assert re.search(
            r'class="error field-error" id="search-q-error" data-pointer="/q"', refused.text
        )
        assert 'aria-invalid="true"' in refused.text


class TestReveal:
    def test_refuses_a_reveal_without_a_reason_at_the_field_and_records_nothing(
        self, app: Loyalist, support: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, headers = support
        refused = client.post(
            "/console/members/M-1043/reveal",
            data={"field": "email", "reason": " "},
            headers=headers,
        )
        assert refused.status_code == 422, refused.text
        assert "<code>/reason</code>" in refused.text
        assert audit_rows(app, "pii.read") == []

    def test_refuses_a_reveal_without_the_csrf_token(
        self, app: Loyalist, support: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, _ = support
        refused = client.post(
            "/console/members/M-1043/reveal",
            data={"field": "email", "reason": "ticket 1"},
            headers={"HX-Request": "true"},
        )
        assert refused.status_code == 403, refused.text
        assert audit_rows(app, "pii.read") == []

    def test_an_analyst_may_not_reveal(self, app: Loyalist, clock: ManualClock) -> None:
        _seed(app)
        client, headers = _console(app, clock, "analyst")
        refused = client.post(
            "/console/members/M-1043/reveal",
            data={"field": "email", "reason": "just curious"},
            headers=headers,
        )
        assert refused.status_code == 403, refused.text
        assert 'data-problem="permission_denied"' in refused.text
        assert audit_rows(app, "pii.read") == []


class TestAdjust:
    def test_refuses_zero_points_or_a_missing_reason_and_books_nothing(
        self, app: Loyalist, support: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, headers = support
        no_reason = client.post(
            "/console/members/M-1043/points",
            data={"points": "10", "reason": "", "form_key": uuid.uuid4().hex},
            headers=headers,
        )
        not_a_number = client.post(
            "/console/members/M-1043/points",
            data={"points": "ten", "reason": "x", "form_key": uuid.uuid4().hex},
            headers=headers,
        )
        assert no_reason.status_code == 422
        assert "<code>/reason</code>" in no_reason.text
        assert not_a_number.status_code == 422
        assert "<code>/points</code>" in not_a_number.text
        assert _available(app, "M-1043") == 120

    def test_a_double_submit_books_once(
        self, app: Loyalist, support: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, headers = support
        form = {"points": "30", "reason": "late parcel", "form_key": uuid.uuid4().hex}
        first = client.post("/console/members/M-1043/points", data=form, headers=headers)
        second = client.post("/console/members/M-1043/points", data=form, headers=headers)
        assert first.status_code == second.status_code == 200, second.text
        assert 'data-adjustment="booked"' in second.text
        assert _available(app, "M-1043") == 150
        assert len(audit_rows(app, "points.adjusted")) == 2  # the seed's and this one


class TestOwnerPage:
    def test_shows_every_section_in_full_and_gives_a_coupon(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        _seed(app)
        client, headers = _console(app, clock, "owner")
        with TestClient(
            create_app(app, embedded_worker=False), base_url="https://testserver"
        ) as api:
            body = {
                "name": {"en": "Sorry for the wait", "ru": "Извините за ожидание"},
                "discount": {"type": "percent", "percent": "10"},
                "code_mode": "unique",
                "code": None,
            }
            put = api.put("/api/v1/coupon-campaigns/sorry", json=body, headers=_admin(app))
            assert put.status_code == 201, put.text

        shown = client.get("/console/members/M-1043")

        assert shown.status_code == 200, shown.text
        for heading in ("Profile", "Tier", "Points", "Segment and value", "Consents", "Timeline"):
            assert f">{heading}</h2>" in shown.text
        assert EMAIL.lower() in shown.text  # members.read_pii: nothing masked
        assert "Give a coupon" in shown.text
        given = client.post(
            "/console/members/M-1043/coupons",
            data={"campaign": "sorry", "reason": "parcel lost", "form_key": uuid.uuid4().hex},
            headers=headers,
        )
        assert given.status_code == 200, given.text
        assert 'data-given="sorry"' in given.text
        [row] = audit_rows(app, "coupon.given")
        assert row["reason"] == "parcel lost"
        assert "<code>" in client.get("/console/members/M-1043").text


class TestTimeline:
    def test_pages_the_timeline_older_entries_after_the_first_page(
        self, app: Loyalist, support: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, _ = support
        views = [
            event(f"e{i:02d}", "x.page_viewed", "M-1043", START - timedelta(hours=i), page=f"/p{i}")
            for i in range(30)
        ]
        with TestClient(
            create_app(app, embedded_worker=False), base_url="https://testserver"
        ) as api:
            sent = api.post("/api/v1/events", json=views, headers=_admin(app))
            assert sent.status_code == 202, sent.text

        first = client.get("/console/members/M-1043").text
        more = re.search(r'hx-get="(/console/members/M-1043/timeline\?before=[^"]+)"', first)
        assert more is not None
        rest = client.get(html.unescape(more.group(1)), headers={"HX-Request": "true"})

        # The welcome adjustment (newest) is one of the 25 entries of the first page.
        assert "welcome gift" in first
        assert "page: /p0" in first
        assert "page: /p23" in first
        assert "page: /p24" not in first
        assert rest.status_code == 200, rest.text
        assert [f"page: /p{i}" in rest.text for i in (24, 29)] == [True, True]
        assert 'id="timeline-more"' not in rest.text

    def test_refuses_a_cursor_it_did_not_give(
        self, support: tuple[TestClient, dict[str, str]]
    ) -> None:
        client, _ = support
        refused = client.get(
            "/console/members/M-1043/timeline",
            params={"before": "nonsense"},
            headers={"HX-Request": "true"},
        )
        assert refused.status_code == 422
        assert 'data-problem="cursor_invalid"' in refused.text


class TestResend:
    def test_support_resends_a_refused_message_from_the_timeline(
        self, mailing_app: Loyalist, clock: ManualClock, sink: SmtpSink
    ) -> None:
        enrol_member(mailing_app, "M1", email="anna@example.com")
        sink.refused.add("anna@example.com")
        pay_order(mailing_app, "M1", "A-1", START)
        run_jobs(mailing_app)
        [failed] = messages_of(mailing_app, "M1")
        sink.refused.clear()
        client, headers = _console(mailing_app, clock, "support")

        shown = client.get("/console/members/M1").text
        resend = f"/console/members/M1/messages/{failed.id}/resend"
        answer = client.post(resend, data={"reason": "mailbox restored"}, headers=headers)
        again = client.post(resend, data={}, headers=headers)

        assert f'hx-post="{resend}"' in shown
        assert answer.status_code == 200, answer.text
        assert "queued again" in answer.text
        [queued] = messages_of(mailing_app, "M1")
        assert queued.status == "queued"
        assert (queued.history[-1].reason or "").startswith("resent by staff ")
        assert again.status_code == 409
        assert 'data-problem="message_not_resendable"' in again.text


class TestRedeem:
    def test_an_owner_redeems_a_reward_for_the_member_once_per_form(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        _seed(app)
        reward = {
            "name": {"en": "Five euros off", "ru": "Скидка пять евро"},
            "description": {"en": "On your next order", "ru": "На следующий заказ"},
            "discount": {"type": "fixed", "amount": 500, "currency": "EUR"},
            "cost_points": 100,
            "stock": 10,
        }
        with TestClient(
            create_app(app, embedded_worker=False), base_url="https://testserver"
        ) as api:
            put = api.put("/api/v1/rewards/fiver", json=reward, headers=_admin(app))
            assert put.status_code == 201, put.text
        client, headers = _console(app, clock, "owner")

        shown = client.get("/console/members/M-1043").text
        form = {"reward": "fiver", "form_key": uuid.uuid4().hex}
        first = client.post("/console/members/M-1043/rewards", data=form, headers=headers)
        again = client.post("/console/members/M-1043/rewards", data=form, headers=headers)
        broke = client.post(
            "/console/members/M-1043/rewards",
            data={"reward": "fiver", "form_key": uuid.uuid4().hex},
            headers=headers,
        )

        assert '<option value="fiver">Five euros off — 100 points</option>' in shown
        assert first.status_code == again.status_code == 200, again.text
        assert "Reward fiver redeemed" in again.text
        assert _available(app, "M-1043") == 20
        assert broke.status_code == 409
        assert 'data-problem="insufficient_points"' in broke.text


def test_the_consents_table_stays_inside_its_card_on_a_laptop(
    page: Page, live: Live, axe: Axe
) -> None:
    """At 1440×900 an owner sees the 360's last cards three abreast; a table wider than its
    card scrolls inside it (``.table-wrap``) instead of running out of it and hiding the
    Source column."""
    _seed(live.app)
    with TestClient(
        create_app(live.app, embedded_worker=False), base_url="https://testserver"
    ) as api:
        for purpose in ("email", "sms"):
            put = api.put(
                f"/api/v1/members/M-1043/consents/{purpose}",
                json={"is_granted": True, "source": "checkout-newsletter-box"},
                headers=_admin(live.app),
            )
            assert put.status_code == 200, put.text
    page.set_viewport_size({"width": 1440, "height": 900})
    console_as(page, live, "owner", email="olga@shop.example")
    page.goto(live.at("/console/members/M-1043"))

    card = page.locator("section", has=page.get_by_role("heading", name="Consents"))
    table = card.locator("table")
    expect(table.get_by_role("cell", name="checkout-newsletter-box").first).to_be_attached()
    # The table's visible right edge: its own, or that of the box that scrolls it.
    right = table.evaluate(
        """table => {
            let box = table;
            for (let up = table.parentElement; up && !up.matches("section");
                 up = up.parentElement) {
                if (["auto", "scroll"].includes(getComputedStyle(up).overflowX)) { box = up; }
            }
            return box.getBoundingClientRect().right;
        }"""
    )
    card_box = card.bounding_box()
    assert card_box is not None
    assert right <= card_box["x"] + card_box["width"], (right, card_box)
    source = table.get_by_role("columnheader", name="Source")
    source.scroll_into_view_if_needed()
    source_box = source.bounding_box()
    assert source_box is not None
    assert source_box["x"] + source_box["width"] <= card_box["x"] + card_box["width"]
    assert_accessible(axe, page)
