"""``loyalist import shopify-orders`` and ``import woocommerce-orders``: history from the
platforms' export files, members found by email, re-runs that book nothing twice, bad rows
reported with file and line."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loyalist.activities.schemas import parse_events
from loyalist.activities.service import ingest_events
from loyalist.bootstrap import Loyalist
from loyalist.members import service as members
from tests.cli.conftest import Cli
from tests.cli.helpers import activity_count, activity_ids
from tests.conftest import event
from tests.integration.helpers import assert_ledger_consistent, points

DATA = Path(__file__).resolve().parents[1] / "data" / "connectors" / "backfill"
_SUMMARY = re.compile(r"imported (\d+) orders \((\d+) events; (\d+) orders already present\)")


def _copy(tmp_path: Path, name: str) -> Path:
    """The data file in the test's directory (the reports are written beside it)."""
    return Path(shutil.copy(DATA / name, tmp_path / name))


def _summary(stdout: str) -> tuple[int, int, int]:
    found = _SUMMARY.search(stdout)
    assert found, f"no import summary in {stdout!r}"
    return int(found[1]), int(found[2]), int(found[3])


def _members_with(app: Loyalist, email: str) -> list[str]:
    return app.db.read(
        lambda uow: [m.external_id for m in members.find_members_by_email(uow, email)]
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class TestShopifyOrders:
    def test_imports_the_export_and_a_rerun_books_nothing_twice(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = _copy(tmp_path, "shopify_orders_export.csv")

        first = cli.run("import", "shopify-orders", str(path))
        booked = activity_ids(app)
        again = cli.run("import", "shopify-orders", str(path))

        assert first.code == 0, first.stderr
        assert _summary(first.stdout) == (6, 17, 0)
        assert "skipped 1 orders with nobody to credit" in first.stdout
        assert again.code == 0, again.stderr
        assert _summary(again.stdout) == (0, 0, 6)
        assert activity_ids(app) == booked
        assert "shopify:order:7410991464714:placed" in booked
        assert "shopify:order:7410991464717:refunded" in booked
        # one member per customer, found by email, enrolled once with its first order
        (sophie,) = _members_with(app, "sophie.martin@example.com")
        assert sophie.startswith("shopify:guest:")
        assert len(_members_with(app, "guest.buyer@example.com")) == 1
        assert points(app, sophie)["lifetime_earned"] > 0
        assert_ledger_consistent(app)
        adjusted = _rows(tmp_path / "shopify_orders_export.csv.adjusted.csv")
        legacy = [row for row in adjusted if row["order_id"] == "shopify:7410991464720"]
        assert [(r["line"], r["pointer"], r["platform_total"]) for r in legacy] == [
            ("10", "/total", "5700")
        ]

    def test_credits_the_member_who_already_has_the_customers_email(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        enrolled = event(
            "e-c42",
            "member.enrolled",
            "C42",
            datetime(2025, 1, 1, tzinfo=UTC),
            email="Sophie.Martin@example.com",
        )
        app.db.write(lambda uow: ingest_events(uow, parse_events([enrolled])))
        path = _copy(tmp_path, "shopify_orders_export.csv")

        result = cli.run("import", "shopify-orders", str(path))

        assert result.code == 0, result.stderr
        assert _members_with(app, "sophie.martin@example.com") == ["C42"]
        assert "shopify:customer:guest" not in " ".join(
            ev for ev in activity_ids(app) if "7410991464714" in ev
        )
        assert points(app, "C42")["lifetime_earned"] > 0

    def test_a_bad_row_stops_the_import_at_its_file_and_line(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = _copy(tmp_path, "shopify_orders_bad_rows.csv")

        result = cli.run("import", "shopify-orders", str(path), "--batch-size", "1")

        assert result.code == 2
        assert (
            f"{path}:4: error[export_row_invalid]: order #1002: Lineitem quantity 'two' "
            "is not a whole number"
        ) in result.stderr
        assert "the 1 orders before them were" in result.stderr
        # the order before the bad one (its own batch) stays applied, nothing after it is
        assert {ev.split(":")[2] for ev in activity_ids(app)} == {"guest", "7410991464714"}

    def test_skip_imports_every_good_order_and_reports_the_rejected_ones(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = _copy(tmp_path, "shopify_orders_bad_rows.csv")

        result = cli.run("import", "shopify-orders", str(path), "--on-error", "skip")

        assert result.code == 0, result.stderr
        assert _summary(result.stdout)[0] == 2
        rejected = _rows(tmp_path / "shopify_orders_bad_rows.csv.rejected.csv")
        assert [(r["line"], r["code"]) for r in rejected] == [
            ("4", "export_row_invalid"),
            ("6", "export_row_invalid"),
        ]
        assert f"{path}:6: error[export_row_invalid]" in result.stderr
        orders = {ev.split(":")[2] for ev in activity_ids(app) if ":order:" in ev}
        assert orders == {"7410991464714", "7410991464720"}

    def test_a_refused_order_is_rejected_alone_and_the_rest_of_its_batch_applied(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        # Shopify's own export of an order whose customer email is not an address: the
        # enrolment is refused by validation, so the order goes, its neighbours stay.
        source = (DATA / "shopify_orders_export.csv").read_text(encoding="utf-8")
        path = tmp_path / "orders.csv"
        path.write_text(source.replace("marc.petit@example.com", "marc.petit(at)example"))

        result = cli.run("import", "shopify-orders", str(path), "--on-error", "skip")

        assert result.code == 0, result.stderr
        rejected = _rows(tmp_path / "orders.csv.rejected.csv")
        assert {r["line"] for r in rejected} == {"8", "9"}  # Marc's #1005 and #1006
        assert {r["pointer"] for r in rejected} == {"/data/email"}
        assert _summary(result.stdout)[0] == 4

    def test_a_file_that_is_not_a_shopify_export_is_refused_whole(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        path = _copy(tmp_path, "woocommerce_orders.json")

        result = cli.run("import", "shopify-orders", str(path))

        assert result.code == 2
        assert "error[export_header_invalid]" in result.stderr
        assert activity_count(app) == 0


class TestWooCommerceOrders:
    def test_imports_the_documented_orders_and_then_their_refunds(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        orders = _copy(tmp_path, "woocommerce_orders.json")
        refunds = _copy(tmp_path, "woocommerce_orders_with_refunds.jsonl")

        first = cli.run("import", "woocommerce-orders", str(orders))
        second = cli.run("import", "woocommerce-orders", str(refunds))

        assert first.code == 0, first.stderr
        assert _summary(first.stdout) == (2, 7, 0)
        assert second.code == 0, second.stderr
        assert _summary(second.stdout) == (1, 1, 0)  # only the refund with lines is new
        assert _members_with(app, "joao.silva@example.com") == ["woocommerce:26"]
        (guest,) = _members_with(app, "john.doe@example.com")
        assert guest.startswith("woocommerce:guest:")
        assert "woocommerce:refund:724" in activity_ids(app)
        assert_ledger_consistent(app)

    def test_a_later_export_of_a_booked_order_books_nothing_more(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        order = {
            "id": 41,
            "status": "cancelled",
            "currency": "GBP",
            "date_created_gmt": "2024-01-01T10:00:00",
            "date_modified_gmt": "2024-01-02T10:00:00",
            "customer_id": 9,
            "billing": {"email": "nina@example.com", "first_name": "Nina"},
            "line_items": [{"product_id": 5, "quantity": 1, "subtotal": "5.00", "total": "5.00"}],
        }
        path = tmp_path / "orders.jsonl"
        path.write_text(json.dumps(order) + "\n")
        first = cli.run("import", "woocommerce-orders", str(path))
        # exported again a year on: the order was touched since (a note), so it says
        # another modification time, which the cancellation was booked at
        order["date_modified_gmt"] = "2025-01-02T10:00:00"
        path.write_text(json.dumps(order) + "\n")

        again = cli.run("import", "woocommerce-orders", str(path))

        assert _summary(first.stdout) == (1, 3, 0), first.stderr
        assert again.code == 0, again.stderr
        assert _summary(again.stdout) == (0, 0, 1)


def _large_export(path: Path, count: int) -> Path:
    """``count`` one-row orders of distinct customers in Shopify's export format."""
    with (DATA / "shopify_orders_export.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        template = dict(zip(header, next(reader), strict=True))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(count):
            row: dict[str, Any] = template | {
                "Name": f"#{5000 + n}",
                "Id": str(900000 + n),
                "Email": f"buyer{n}@example.com",
                "Total": "74.70",
                "Subtotal": "69.80",
                "Taxes": "0.00",
                "Discount Amount": "0.00",
            }
            writer.writerow([row[column] for column in header])
    return path


class TestResume:
    def test_a_rerun_after_sigkill_completes_without_booking_anything_twice(
        self, cli: Cli, app: Loyalist, tmp_path: Path
    ) -> None:
        count = 600
        path = _large_export(tmp_path / "orders.csv", count)
        with (tmp_path / "killed.log").open("wb") as log:
            process = cli.start(
                "import", "shopify-orders", str(path), "--batch-size", "10", output=log
            )
            try:
                deadline = time.monotonic() + 90
                while activity_count(app) == 0:
                    assert process.poll() is None, (tmp_path / "killed.log").read_text()
                    assert time.monotonic() < deadline
                    time.sleep(0.02)
                os.kill(process.pid, signal.SIGKILL)
            finally:
                process.kill()
                process.wait(timeout=30)
        committed = activity_count(app)
        assert 0 < committed < 3 * count, "the kill must land in the middle of the import"

        rerun = cli.run("import", "shopify-orders", str(path), timeout=180)

        assert rerun.code == 0, rerun.stderr
        booked, _, present = _summary(rerun.stdout)
        assert booked + present == count
        assert present >= committed // 3
        # enrolment, placed and paid per order, each once
        assert activity_count(app) == 3 * count
        assert_ledger_consistent(app)
