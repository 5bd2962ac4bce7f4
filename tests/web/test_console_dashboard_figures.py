"""The dashboard page over HTTP (no browser): its figures are the KPI report's and the
ledger's, stored presets are what the hourly job computed, custom periods are computed on
the spot, bad periods are problems at their field, and only ``analytics.read`` may look."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.insights import service
from loyalist.ledger.balances import liability
from loyalist.settings import ProgramPolicy
from loyalist.web.app import create_app
from tests.api.staff_helpers import add_staff, enrol, sign_in
from tests.integration.test_insights_export import at, load_shop, shop_program

PAGE = "/console/dashboard"


@pytest.fixture
def program() -> ProgramPolicy:
    return shop_program()


def signed_in(app: Loyalist, clock: ManualClock, role: str) -> TestClient:
    """A console session of a new staff user with ``role`` (two factors enrolled)."""
    email = f"{role}@shop.example"
    add_staff(app, email, role)
    client = TestClient(create_app(app, embedded_worker=False), base_url="https://testserver")
    enrol(client, clock, sign_in(client, email))
    return client


def tile(html: str, label: str) -> str:
    """The value shown on the tile ``label``."""
    found = re.search(
        rf'data-tile="{re.escape(label)}">\s*<div class="label">[^<]*</div>\s*'
        r'<div class="value">([^<]*)</div>',
        html,
    )
    assert found, label
    return found.group(1)


def change(html: str, label: str) -> str:
    found = re.search(
        rf'data-tile="{re.escape(label)}">.*?<div class="change[^"]*">(.*?)</div>', html, re.S
    )
    assert found, label
    return re.sub(r"<[^>]+>", "", found.group(1)).replace(
        "Change against the previous period: ", ""
    )


class TestDashboardPage:
    def test_tiles_are_the_kpi_reports_and_the_ledgers_figures(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        load_shop(app, clock)  # its due work stores the presets as of 20 March
        client = signed_in(app, clock, "analyst")
        answer = client.get(PAGE)
        assert answer.status_code == 200, answer.text
        html = answer.text
        # 19 Feb – 20 Mar against 21 Jan – 18 Feb (30 days each, program zone UTC).
        assert "Feb 19, 2026 – Mar 20, 2026" in html
        assert tile(html, "Members") == "4"
        assert change(html, "Members") == "+0 (+0.0%)"
        # D (15.00 after its returned sock) and E (50.00); before: none.
        assert tile(html, "Active members") == "2"
        assert tile(html, "Average order value") == "€32.50"
        outstanding = app.db.read(liability)["outstanding_points"]
        assert tile(html, "Points liability") == f"{outstanding:,}" == "102"
        assert tile(html, "Points liability (money)") == "€1.02"
        # Expired 60 of 220 issued to date.
        assert tile(html, "Breakage") == "27.3%"
        report = app.db.read(
            lambda uow: service.kpi_report(
                uow, app.program, start=date(2026, 2, 19), end=date(2026, 3, 20)
            )
        )
        orders = sum(r.orders for r in report.rows)
        assert orders == 2
        assert html.count('<th scope="row">2026-') >= 30 * 4  # four charts' tables by day

    def test_a_custom_period_is_computed_now_and_changes_the_figures(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        load_shop(app, clock)
        client = signed_in(app, clock, "analyst")
        answer = client.get(
            PAGE, params={"period": "custom", "from": "2026-01-01", "to": "2026-01-31"}
        )
        assert answer.status_code == 200, answer.text
        html = answer.text
        # January: A (100.00) and B (30.00); C was cancelled.
        assert tile(html, "Active members") == "2"
        assert tile(html, "Average order value") == "€65.00"
        assert tile(html, "Members") == "3"
        assert change(html, "Members") == "+3"  # nobody before January
        assert '<th scope="row">2026-01-15</th>' in html

    def test_stored_presets_are_shown_until_the_job_refreshes_them(
        self, app: Loyalist, clock: ManualClock
    ) -> None:
        load_shop(app, clock)
        stored = app.db.read(lambda uow: service.stored_dashboard(uow, "7d"))
        assert stored is not None
        assert stored.computed_at == at(3, 20)
        clock.advance(timedelta(minutes=30))
        assert app.run_due_work().done["insights_dashboards"] == 0
        clock.advance(timedelta(minutes=31))
        assert app.run_due_work().done["insights_dashboards"] == 4
        again = app.db.read(lambda uow: service.stored_dashboard(uow, "7d"))
        assert again is not None
        assert again.computed_at == clock.now()
        client = signed_in(app, clock, "analyst")
        assert "Figures as of" in client.get(PAGE, params={"period": "7d"}).text
        custom = {"period": "custom", "from": "2026-03-14", "to": "2026-03-20"}
        assert "Figures computed just now." in client.get(PAGE, params=custom).text

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"period": "custom", "from": "2026-02-01"}, "to"),
            ({"period": "custom", "from": "2026-03-01", "to": "2026-02-01"}, "from"),
            ({"period": "custom", "from": "0001-01-01", "to": "2026-02-01"}, "from"),
            ({"period": "custom", "from": "2000-01-01", "to": "2026-02-01"}, "from"),
            ({"period": "custom", "from": "2026-02-30", "to": "2026-03-01"}, "from"),
            ({"period": "decade"}, "period"),
        ],
    )
    def test_a_bad_period_is_a_problem_at_its_field(
        self, app: Loyalist, clock: ManualClock, params: dict[str, str], field: str
    ) -> None:
        client = signed_in(app, clock, "analyst")
        answer = client.get(PAGE, params=params)
        assert answer.status_code == 422, answer.text
        assert field in answer.text

    def test_support_may_not_open_the_dashboard(self, app: Loyalist, clock: ManualClock) -> None:
        client = signed_in(app, clock, "support")
        answer = client.get(PAGE)
        assert answer.status_code == 403
        assert "analytics.read" in answer.text or "permission" in answer.text.lower()

    def test_an_empty_shop_shows_dashes_not_errors(self, app: Loyalist, clock: ManualClock) -> None:
        client = signed_in(app, clock, "owner")
        answer = client.get(PAGE, params={"period": "365d"})
        assert answer.status_code == 200, answer.text
        assert tile(answer.text, "Members") == "0"
        assert tile(answer.text, "NPS") == "–"
        assert "No orders yet." in answer.text
