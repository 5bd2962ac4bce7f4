"""``loyalist export members|ledger|balances|orders``: what the files hold, in CSV and
Parquet, masked unless asked otherwise, and nothing written when the export is refused."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.db.uow import UnitOfWork
from loyalist.members import export
from loyalist.members import service as members
from tests.auditing import audit_rows
from tests.cli.conftest import Cli, sqlite_only
from tests.conftest import event, order_body
from tests.integration.helpers import assert_ledger_consistent, points


def _recent(days_ago: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)


def _shop(app: Loyalist) -> None:
    """X1 (vip, at_risk) pays €110 of goods; X2 (vip) pays €50; X3 enrols only."""
    batch = [
        event("x1", "member.enrolled", "X1", _recent(9), email="one@example.org", first_name="Uno"),
        event("x2", "member.enrolled", "X2", _recent(9), email="two@example.org"),
        event("x3", "member.enrolled", "X3", _recent(9), phone="+79123456789"),
        event("o1", "order.placed", "X1", _recent(8), **order_body("XO1", ("shoe", 2, 5500))),
        event("p1", "order.paid", "X1", _recent(7.9), order_id="XO1"),
        event("o2", "order.placed", "X2", _recent(3), **order_body("XO2", ("hat", 1, 5000))),
        event("p2", "order.paid", "X2", _recent(2.9), order_id="XO2"),
    ]
    app.db.write(lambda uow: ingest_events(uow, parse_events(batch)))

    def op(uow: UnitOfWork) -> None:
        ids = members.member_ids(uow, ["X1", "X2"])
        members.set_segments(uow, {ids["X1"]: ["at_risk", "vip"], ids["X2"]: ["vip"]})

    app.db.write(op)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class TestExportMembers:
    def test_parquet_is_masked_by_default(self, cli: Cli, app: Loyalist, tmp_path: Path) -> None:
        _shop(app)
        path = tmp_path / "members.parquet"

        result = cli.run("export", "members", "--out", str(path))

        assert result.code == 0, result.stderr
        assert "exported 3 members" in result.stdout
        frame = pl.read_parquet(path).sort("member_id")
        assert frame.schema == export.MASKED
        assert frame["member_id"].to_list() == ["X1", "X2", "X3"]
        assert frame["has_email"].to_list() == [True, True, False]
        assert frame["has_phone"].to_list() == [False, False, True]
        assert frame["segments"].to_list() == [["at_risk", "vip"], ["vip"], []]
        assert frame["enrolled_at"].dt.date().to_list() == [_recent(9).date()] * 3
        raw = path.read_bytes()
        assert b"one@example.org" not in raw
        assert b"Uno" not in raw
        assert audit_rows(app, "members.exported") == []

    def test_personal_csv_has_the_values_in_full_and_is_audited(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        _shop(app)
        path = tmp_path / "members.csv"

        result = cli.run("export", "members", "--out", str(path), "--personal")

        assert result.code == 0, result.stderr
        rows = {r["member_id"]: r for r in _csv(path)}
        assert rows["X1"]["email"] == "one@example.org"
        assert rows["X1"]["first_name"] == "Uno"
        assert rows["X3"]["phone"] == "+79123456789"
        assert rows["X1"]["segments"] == "at_risk;vip"
        (audited,) = audit_rows(app, "members.exported")
        assert audited["after"]["rows"] == 3
        assert audited["after"]["personal"] is True

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            pytest.param(("--segment", "at_risk"), ["X1"], id="segment"),
            pytest.param(("--segment", "vip"), ["X1", "X2"], id="segment-vip"),
            pytest.param(("--where", "member.order_count >= 1"), ["X1", "X2"], id="cel"),
            pytest.param(
                ("--segment", "vip", "--where", "member.lifetime_spend > 10000"),
                ["X1"],
                id="both",
            ),
        ],
    )
    def test_an_audience_narrows_it(
        self, cli: Cli, app: Loyalist, tmp_path: Path, args: tuple[str, ...], expected: list[str]
    ) -> None:
        _shop(app)
        path = tmp_path / "audience.csv"

        result = cli.run("export", "members", "--out", str(path), *args)

        assert result.code == 0, result.stderr
        assert [r["member_id"] for r in _csv(path)] == expected

    @sqlite_only
    def test_a_bad_condition_writes_nothing(self, cli: Cli, app: Loyalist, tmp_path: Path) -> None:
        path = tmp_path / "audience.parquet"

        result = cli.run("export", "members", "--out", str(path), "--where", "member.nope > 1")

        assert result.code == 2
        assert "error[rule_invalid]" in result.stderr
        assert not path.exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


class TestExportBooks:
    def test_ledger_postings_of_a_period(self, cli: Cli, app: Loyalist, tmp_path: Path) -> None:
        _shop(app)
        whole = tmp_path / "ledger.parquet"
        that_day = tmp_path / "day.csv"
        later = tmp_path / "later.csv"
        # The postings are effective when they were booked: the app's clock.
        day = app.clock.now().date()
        after = (day + timedelta(days=1)).isoformat()

        first = cli.run("export", "ledger", "--out", str(whole))
        second = cli.run(
            "export", "ledger", "-o", str(that_day), "--from", day.isoformat(), "--to", str(day)
        )
        third = cli.run("export", "ledger", "--out", str(later), "--from", after)

        assert first.code == 0, first.stderr
        assert second.code == 0, second.stderr
        assert third.code == 0, third.stderr
        frame = pl.read_parquet(whole)
        earned = frame.filter(pl.col("credit_account") == "member.pending")
        assert sorted(zip(earned["member_id"], earned["amount"], strict=True)) == [
            ("X1", 110),
            ("X2", 50),
        ]
        assert sorted(r["member_id"] for r in _csv(that_day)) == ["X1", "X2"]
        assert _csv(later) == []
        assert_ledger_consistent(app)

    def test_balances_now_and_before_anything_happened(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        _shop(app)
        now = tmp_path / "now.csv"
        before = tmp_path / "before.parquet"
        day_before = (app.clock.now().date() - timedelta(days=1)).isoformat()

        first = cli.run("export", "balances", "--out", str(now))
        second = cli.run("export", "balances", "--out", str(before), "--at", day_before)

        assert first.code == 0, first.stderr
        assert second.code == 0, second.stderr
        rows = {r["member_id"]: r for r in _csv(now)}
        for member in ("X1", "X2"):
            summary = points(app, member)
            assert int(rows[member]["pending"]) == summary["pending"]
            assert int(rows[member]["available"]) == summary["available"]
        assert "X3" not in rows
        empty = pl.read_parquet(before)
        assert empty.height == 0
        assert empty.columns == ["member_id", "available", "pending", "held"]

    @sqlite_only
    def test_orders_in_csv(self, cli: Cli, app: Loyalist, tmp_path: Path) -> None:
        _shop(app)
        path = tmp_path / "orders.csv"

        result = cli.run("export", "orders", "--out", str(path), "--format", "csv")

        assert result.code == 0, result.stderr
        rows = {r["order_id"]: r for r in _csv(path)}
        assert set(rows) == {"XO1", "XO2"}
        assert (rows["XO1"]["member_id"], rows["XO1"]["net_amount"]) == ("X1", "11000")
        assert rows["XO1"]["lines"] == "1"
        assert rows["XO2"]["paid_at"].endswith("Z")
