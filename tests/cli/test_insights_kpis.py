"""``loyalist insights kpis`` and ``cohorts``: the API's figures as JSON and as CSV (each
subprocess costs seconds, so one run per output format)."""

from __future__ import annotations

import json

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from tests.cli.conftest import Cli, sqlite_only
from tests.integration.test_insights_export import load_shop, shop_program


@pytest.fixture
def program() -> ProgramPolicy:
    return shop_program()


class TestInsightsKpis:
    def test_json_csv_and_tables_have_the_shops_figures(
        self, cli: Cli, app: Loyalist, clock: ManualClock
    ) -> None:
        load_shop(app, clock)
        args = ("--from", "2026-01-01", "--to", "2026-03-20")
        result = cli.run("insights", "kpis", *args, "--json")
        assert result.code == 0, result.stderr
        body = json.loads(result.stdout)
        assert [(r["period"], r["orders"], r["revenue"]) for r in body["rows"]] == [
            ("2026-01", 2, 13000),
            ("2026-02", 1, 1500),
            ("2026-03", 1, 5000),
        ]
        result = cli.run("insights", "cohorts", "--csv")
        assert result.code == 0, result.stderr
        assert result.stdout.splitlines()[:3] == [
            "cohort,size,months_since,members,share",
            "2026-01,2,0,2,1.0",
            "2026-01,2,1,1,0.5",
        ]

    @sqlite_only
    def test_a_reversed_range_exits_2(self, cli: Cli, app: Loyalist) -> None:
        result = cli.run("insights", "kpis", "--from", "2026-02-01", "--to", "2026-01-01")
        assert result.code == 2
        assert "error[date_range_invalid]" in result.stderr
