"""``loyalist program check|apply|export`` and ``loyalist rules backtest``."""

from __future__ import annotations

import getpass
import json
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, select

from loyalist.bootstrap import Loyalist
from loyalist.rules.models import RuleVersion
from tests.auditing import audit_rows
from tests.cli.conftest import Cli, sqlite_only
from tests.conftest import START, event, order_body
from tests.integration.helpers import send

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "program.yaml"

CANDIDATE = """\
version: 1
rules:
  - key: base
    name: {en: Base points, ru: Базовые баллы}
    on: order.paid
    effects:
      - {type: per_unit, base: true, rates: {EUR: 2}}
  - key: shoes
    name: {en: Shoes, ru: Обувь}
    on: order.paid
    effects:
      - {type: per_item, points: 10, lines: {skus: [boot]}}
"""

BAD = """\
version: 1
rules:
  - key: base
    name: {en: Base, ru: База}
    on: order.paid
    condition: order.totl > 100
    effects:
      - {type: per_unit, base: true, rates: {EUR: 1}}
  - key: broken
    name: {en: Broken, ru: Сломано}
    on: order.paid
    condition: "order.total >"
    effects:
      - {type: fixed, points: 0}
"""


def _rule_versions(app: Loyalist) -> int:
    return app.db.read(
        lambda uow: uow.session.scalar(select(func.count()).select_from(RuleVersion)) or 0
    )


@sqlite_only
class TestApply:
    def test_applies_the_example_program_and_exports_it_back(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        applied = cli.run("program", "apply", str(EXAMPLE))
        assert applied.code == 0, applied.stderr
        assert "13 new rule versions" in applied.stdout
        again = cli.run("program", "apply", str(EXAMPLE))
        assert "0 new rule versions" in again.stdout
        assert "13 unchanged" in again.stdout

        exported = cli.run("program", "export", "-o", str(tmp_path / "out.yaml"))
        assert exported.code == 0, exported.stderr
        original = yaml.safe_load(EXAMPLE.read_text().replace("\n    on:", "\n    'on':"))
        back = yaml.safe_load((tmp_path / "out.yaml").read_text())
        assert [r["key"] for r in back["rules"]] == sorted(r["key"] for r in original["rules"])
        assert back["tiers"]["levels"][2]["key"] == "gold"
        reapplied = cli.run("program", "apply", str(tmp_path / "out.yaml"))
        assert "0 new rule versions" in reapplied.stdout, reapplied.stdout + reapplied.stderr
        rows = audit_rows(app, "program.applied")
        assert [len(row["after"]["created"]) for row in rows] == [13, 0, 0]
        assert {(r["actor_kind"], r["actor_label"]) for r in rows} == {
            ("system", f"cli:{getpass.getuser()}")
        }

    def test_bad_file_reports_file_line_and_expression_and_applies_nothing(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = tmp_path / "bad.yaml"
        path.write_text(BAD)

        result = cli.run("program", "apply", str(path))

        assert result.code == 2
        lines = result.stderr.splitlines()
        assert lines[0].startswith("error[program_invalid]")
        assert f"{path}:6: /rules/0/condition: order has no field 'totl'" in result.stderr
        assert "`order.totl > 100`" in result.stderr
        assert any(line.startswith(f"{path}:12: /rules/1/condition") for line in lines)
        assert any(line.startswith(f"{path}:14: /rules/1/effects/0/points") for line in lines)
        assert _rule_versions(app) == 0
        assert audit_rows(app) == []


@sqlite_only
class TestBacktest:
    def test_compares_candidate_with_live_program_without_writing(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        boot = order_body("o1", ("boot", 2, 5000), ("sock", 1, 1000))
        send(
            app,
            event("o1-paid", "order.paid", "M1", START, **boot),
            event(
                "o2-paid",
                "order.paid",
                "M2",
                START + timedelta(days=1),
                **order_body("o2", ("sock", 3, 1000)),
            ),
            event(
                "o2-ret",
                "order.returned",
                "M2",
                START + timedelta(days=2),
                order_id="o2",
                lines=[{"sku": "sock", "quantity": 1}],
            ),
            event(
                "o3-paid",
                "order.paid",
                "M3",
                START + timedelta(days=40),
                **order_body("o3", ("boot", 1, 5000)),
            ),
        )
        path = tmp_path / "candidate.yaml"
        path.write_text(CANDIDATE)
        versions = _rule_versions(app)

        result = cli.run(
            "rules", "backtest", str(path), "--from", "2026-01-01", "--to", "2026-01-31", "--json"
        )

        assert result.code == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["orders"] == 2  # o3 is outside the period
        assert report["current"]["points_issued"] == 110 + 30
        assert report["candidate"]["points_issued"] == 220 + 20 + 60
        assert report["current"]["points_reversed"] == 10
        assert report["candidate"]["points_reversed"] == 20
        assert report["difference"]["liability_change_points"] == (300 - 20) - (140 - 10)
        assert report["difference"]["cost"] == "1.50"  # 150 points at €0.01
        assert report["difference"]["members_affected"] == 2
        assert report["candidate"]["top_rules"][0] == {
            "rule": "base",
            "points": 280,
            "cost": "2.80",
        }
        assert _rule_versions(app) == versions

        table = cli.run(
            "rules", "backtest", str(path), "--from", "2026-01-01", "--to", "2026-01-31"
        )
        assert table.code == 0, table.stderr
        assert "liability change: +150 points" in table.stdout

    def test_refuses_a_period_that_ends_before_it_starts(self, cli: Cli, tmp_path: Path) -> None:
        path = tmp_path / "candidate.yaml"
        path.write_text(CANDIDATE)
        result = cli.run(
            "rules", "backtest", str(path), "--from", "2026-02-01", "--to", "2026-01-01"
        )
        assert result.code == 2
        assert "--to is before --from" in result.stderr
