"""``loyalist insights segments``: recompute, JSON, CSV and the Rich table."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console

from loyalist.bootstrap import Loyalist
from loyalist.cli.insights_segments import _table
from loyalist.insights.rfm import SEGMENTS
from loyalist.insights.segments import segments_summary
from tests.cli.conftest import Cli
from tests.integration.helpers import run_jobs
from tests.integration.test_insights_scores import RFM_SEGMENT, seed


class TestSegments:
    def test_recompute_with_json_scores_every_buyer_and_prints_one_object(
        self, cli: Cli, app: Loyalist
    ) -> None:
        seed(app)

        result = cli.run("insights", "segments", "--recompute", "--json")

        assert result.code == 0, result.stderr
        body = json.loads(result.stdout)
        assert body["members_scored"] == 5
        assert {s["segment"]: s["members"] for s in body["segments"]} == {
            key: int(key in RFM_SEGMENT.values()) for key in SEGMENTS
        }

    def test_csv_shows_the_stored_summary(self, cli: Cli, app: Loyalist) -> None:
        seed(app)
        run_jobs(app)

        as_csv = cli.run("insights", "segments", "--csv")

        assert as_csv.code == 0, as_csv.stderr
        rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
        assert [(r["segment"], r["members"], r["avg_frequency"]) for r in rows] == [
            ("champions", "1", "5.0"),
            ("loyal", "1", "4.0"),
            ("potential_loyalists", "1", "3.0"),
            ("new", "0", ""),
            ("at_risk", "0", ""),
            ("cant_lose", "0", ""),
            ("hibernating", "1", "2.0"),
            ("lost", "1", "1.0"),
        ]


def test_table_has_a_row_per_segment_and_the_churn_count(app: Loyalist) -> None:
    seed(app)
    run_jobs(app)
    report = app.db.read(segments_summary)
    console = Console(width=160, record=True, file=io.StringIO())

    console.print(_table(report))

    lines = [
        " ".join(line.replace("│", " ").split()) for line in console.export_text().splitlines()
    ]
    assert any(line.startswith("champions 1 20.0% 1.0 5.00 25,000") for line in lines), lines
    assert any(line.startswith("new 0 0.0% — — — — —") for line in lines), lines
    assert any(line.startswith(f"churn risk ≥ 0.7 {report.churn_risk_high}") for line in lines)
