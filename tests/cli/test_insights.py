"""``loyalist insights nps``: the API's figures as a Rich table or as JSON."""

from __future__ import annotations

import json

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from tests.cli.conftest import Cli
from tests.integration.nps_dataset import load


class TestNps:
    def test_json_has_the_apis_figures(self, cli: Cli, app: Loyalist, clock: ManualClock) -> None:
        load(app, clock)
        result = cli.run("insights", "nps", "--period", "month", "--json")
        assert result.code == 0, result.stderr
        body = json.loads(result.stdout)
        assert [(r["period"], r["responses"], r["nps"]) for r in body["rows"]] == [
            ("2026-01", 3, 66.7),
            ("2026-02", 2, -100.0),
        ]
        assert body["total"]["nps"] == 0.0

    def test_table_by_tier_with_a_total(self, cli: Cli, app: Loyalist, clock: ManualClock) -> None:
        load(app, clock)
        result = cli.run("insights", "nps", "--by", "tier")
        assert result.code == 0, result.stderr
        lines = [" ".join(line.replace("│", " ").split()) for line in result.stdout.splitlines()]
        assert "gold 1 1 0 0 +100.0" in lines
        assert "member 4 1 1 2 -25.0" in lines
        assert "total 5 2 1 2 0.0" in lines

    def test_a_reversed_range_exits_2(self, cli: Cli, app: Loyalist) -> None:
        result = cli.run("insights", "nps", "--from", "2026-02-01", "--to", "2026-01-01")
        assert result.code == 2
        assert "error[date_range_invalid]" in result.stderr
