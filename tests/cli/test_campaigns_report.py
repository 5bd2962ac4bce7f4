"""``loyalist campaigns report KEY``: the API's JSON, the tables with the uplift chart, and
an unknown key (each subprocess costs seconds: one run per output)."""

from __future__ import annotations

import json

from loyalist.bootstrap import Loyalist
from tests.api.test_campaign_reports import seeded
from tests.cli.conftest import Cli, sqlite_only


def test_json_and_tables(cli: Cli, app: Loyalist) -> None:
    seeded(app)
    result = cli.run("campaigns", "report", "spring", "--json")
    assert result.code == 0, result.stderr
    body = json.loads(result.stdout)
    assert [(a["key"], a["members"], a["converted"]) for a in body["arms"]] == [
        ("control", 1, 0),
        ("b", 1, 1),
    ]
    assert body["uplift"][0]["absolute"] == 1.0

    result = cli.run("campaigns", "report", "spring")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "money in EUR" in result.stdout
    (rate,) = [line for line in lines if "conversion rate" in line]
    assert [cell.strip() for cell in rate.split("│")[2:4]] == ["0.0%", "100.0%"]
    revenue = next(line for line in lines if line.startswith("│ revenue per member"))
    assert [cell.strip() for cell in revenue.split("│")[2:4]] == ["0.00", "25.00"]
    (chart,) = [line for line in lines if line.startswith("b ")]
    assert "●" in chart
    assert "│" in chart
    assert "winner: none declared" in result.stdout


@sqlite_only
def test_an_unknown_campaign_exits_3(cli: Cli, app: Loyalist) -> None:
    result = cli.run("campaigns", "report", "nope")
    assert result.code == 3
    assert "error[marketing_campaign_not_found]" in result.stderr
