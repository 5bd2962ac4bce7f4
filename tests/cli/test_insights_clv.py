"""``loyalist insights clv``: fits on a transaction file, diagnostics, stored member scores."""

from __future__ import annotations

import json
import struct
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.insights.models import MemberScore
from loyalist.members import service as members
from tests.cli.conftest import Cli, sqlite_only
from tests.conftest import START, event, order_body
from tests.integration.helpers import send

CDNOW = Path(__file__).resolve().parents[1] / "data" / "cdnow" / "CDNOW_sample.txt"
CDNOW_ARGS = ("--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30")


@pytest.fixture(scope="module")
def cdnow_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CDNOW sample as ``customer_id,date,amount`` (dates as YYYYMMDD, as shipped)."""
    path = tmp_path_factory.mktemp("cdnow") / "cdnow.csv"
    lines = ["customer_id,date,amount"]
    for row in CDNOW.read_text().splitlines():
        if row.strip():
            _, customer, day, _, amount = row.split()
            lines.append(f"{customer},{day},{amount}")
    path.write_text("\n".join(lines) + "\n")
    return path


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@sqlite_only
class TestFile:
    def test_json_has_the_published_cdnow_estimates_and_the_holdout(
        self, cli: Cli, cdnow_csv: Path
    ) -> None:
        result = cli.run(
            "insights",
            "clv",
            "--orders",
            str(cdnow_csv),
            *CDNOW_ARGS,
            "--time-unit",
            "week",
            "--json",
        )
        assert result.code == 0, result.stderr
        body = json.loads(result.stdout)
        assert body["customers"] == 2357
        bg = body["bgnbd"]
        assert [round(bg[k], 3) for k in ("r", "alpha", "a", "b")] == [0.243, 4.414, 0.793, 2.426]
        assert round(bg["log_likelihood"], 1) == -9582.4
        gg = body["gamma_gamma"]
        assert [round(gg[k], 2) for k in ("p", "q", "v")] == [6.25, 3.74, 15.44]
        assert gg["customers"] == 946
        assert body["holdout"]["actual_repeat_transactions"] == 1882
        assert body["holdout"]["predicted_repeat_transactions"] == pytest.approx(1653.41, abs=0.05)
        assert [row["x"] for row in body["holdout"]["by_frequency"]][-1] == "7+"
        assert set(body["seconds"]) >= {"read", "prepare", "bgnbd", "gamma_gamma", "forecast"}
        assert body["seconds"]["total"] >= body["seconds"]["bgnbd"] > 0

    def test_table_compares_holdout_purchases_by_frequency_and_plot_is_a_png(
        self, cli: Cli, cdnow_csv: Path, tmp_path: Path
    ) -> None:
        plot = tmp_path / "holdout.png"
        result = cli.run(
            "insights",
            "clv",
            "--orders",
            str(cdnow_csv),
            *CDNOW_ARGS,
            "--time-unit",
            "week",
            "--plot",
            str(plot),
        )
        assert result.code == 0, result.stderr
        lines = [" ".join(line.replace("│", " ").split()) for line in result.stdout.splitlines()]
        assert "0 1,411 334 317.6 0.237 0.225" in lines
        assert "total 2,357 1,882 1,653.4" in lines
        assert png_size(plot) == (800, 500)

    def test_a_bad_amount_is_reported_with_file_and_line(self, cli: Cli, tmp_path: Path) -> None:
        orders = write(
            tmp_path / "orders.csv",
            "customer_id,date,amount",
            "a,2025-01-01,10",
            "",
            "a,2025-01-05,abc",
        )
        result = cli.run(
            "insights", "clv", "--orders", str(orders), "--calibration-end", "2025-02-01"
        )
        assert result.code == 2
        assert f"{orders}:4: amount 'abc' is not a number" in result.stderr
        assert "error[orders_file_invalid]" in result.stderr

    def test_a_bad_date_is_reported_with_file_and_line(self, cli: Cli, tmp_path: Path) -> None:
        orders = write(tmp_path / "o.csv", "amount,customer_id,date", "1,a,2025-13-01")
        result = cli.run("insights", "clv", "--orders", str(orders))
        assert result.code == 2
        assert f"{orders}:2: date '2025-13-01' is not YYYY-MM-DD or YYYYMMDD" in result.stderr

    def test_missing_columns_are_named(self, cli: Cli, tmp_path: Path) -> None:
        orders = write(tmp_path / "o.csv", "customer,date,total", "a,2025-01-01,1")
        result = cli.run("insights", "clv", "--orders", str(orders))
        assert result.code == 2
        assert "the header lacks customer_id, amount" in result.stderr

    def test_a_plot_needs_a_holdout(self, cli: Cli, cdnow_csv: Path, tmp_path: Path) -> None:
        plot = tmp_path / "p.png"
        result = cli.run("insights", "clv", "--orders", str(cdnow_csv), "--plot", str(plot))
        assert result.code == 2
        assert "needs --holdout-end" in result.stderr
        assert not plot.exists()

    def test_no_repeat_purchase_cannot_be_fitted(self, cli: Cli, tmp_path: Path) -> None:
        orders = write(
            tmp_path / "o.csv", "customer_id,date,amount", "a,20250101,1", "b,20250102,2"
        )
        result = cli.run(
            "insights", "clv", "--orders", str(orders), "--calibration-end", "2025-02-01"
        )
        assert result.code == 2
        assert "error[clv_not_fittable]" in result.stderr


def stored(app: Loyalist) -> dict[str, dict[str, Any]]:
    """Each stored score row by member external id, as plain values."""

    def op(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
        rows = uow.session.scalars(select(MemberScore)).all()
        external = members.external_ids(uow, [row.member_id for row in rows])
        columns = ("p_alive", "churn_risk", "expected_spend", "clv", "currency")
        return {external[row.member_id]: {c: getattr(row, c) for c in columns} for row in rows}

    return app.db.read(op)


def paid(order_id: str, member: str, days_ago: int, amount: int) -> dict[str, Any]:
    at = START - timedelta(days=days_ago)
    return event(
        f"{order_id}-paid", "order.paid", member, at, **order_body(order_id, ("sku", 1, amount))
    )


class TestScores:
    def test_scores_of_a_file_are_stored_for_known_members(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        send(
            app,
            *(event(f"e{m}", "member.enrolled", m, START) for m in ("M1", "M2", "M3")),
        )
        orders = write(
            tmp_path / "orders.csv",
            "customer_id,date,amount",
            "M1,2025-01-01,10.5",
            "M1,2025-02-01,20",
            "M1,2025-06-01,30",
            "M2,2025-01-10,5",
            "M2,2025-01-11,7",
            "M3,2025-03-01,100",
            "X9,2025-01-01,10",
            "X9,2025-04-01,10",
        )
        result = cli.run("insights", "clv", "--orders", str(orders), "--json")
        assert result.code == 0, result.stderr
        body = json.loads(result.stdout)
        assert body["scores"] == {"members_scored": 3, "unknown_customers": 1}
        assert body["calibration_end"] == "2025-06-01"
        scores = stored(app)
        assert set(scores) == {"M1", "M2", "M3"}
        m1, m2, m3 = scores["M1"], scores["M2"], scores["M3"]
        assert m3["p_alive"] == 1.0  # no repeat purchase: alive by the model's assumption
        assert m2["p_alive"] < m1["p_alive"]  # M2 went silent long ago, M1 bought last
        assert m1["churn_risk"] == pytest.approx(1 - m1["p_alive"])
        assert m1["clv"] > 0
        assert m1["currency"] is None

    def test_without_a_file_the_programs_own_orders_are_scored(
        self, cli: Cli, app: Loyalist
    ) -> None:
        send(
            app,
            paid("a1", "M1", 200, 2000),
            paid("a2", "M1", 120, 3000),
            paid("a3", "M1", 10, 4000),
            paid("b1", "M2", 300, 1500),
            paid("b2", "M2", 290, 2500),
            paid("c1", "M3", 50, 9900),
        )
        result = cli.run("insights", "clv", "--json")
        assert result.code == 0, result.stderr
        body = json.loads(result.stdout)
        assert body["customers"] == 3
        assert body["scores"] == {"members_scored": 3, "unknown_customers": 0}
        scores = stored(app)
        assert scores["M1"]["currency"] == "EUR"
        assert scores["M3"]["expected_spend"] > 0
