"""Review regressions for recommendations: evaluation seeds and external order files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from loyalist.cli.insights_recommend import read_orders_csv
from loyalist.recommendations.evaluation import evaluate, split_last_order
from loyalist.recommendations.models import Method
from tests.synthetic import purchases_frame

T0 = datetime(2026, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def test_evaluation_item_knn_does_not_seed_from_a_fully_returned_item() -> None:
    # A and C are bought together by members 1-4; P is the most popular item (5 buyers).
    # Member 100 returned every unit of A, kept Z, then bought C (held out): a fully
    # returned line is no evidence of liking, so A must not lead item-kNN to C.
    rows: list[tuple[object, ...]] = []
    for member in range(1, 5):
        for sku in ("A", "C"):
            rows.append((member, member, T0, sku, None, 1, 0, 0, None))
    for member in range(5, 10):
        rows.append((member, member, T0, "P", None, 1, 0, 0, None))
    rows.append((100, 10, T0 + DAY, "A", None, 1, 1, 0, None))
    rows.append((100, 10, T0 + DAY, "Z", None, 1, 0, 0, None))
    rows.append((100, 11, T0 + 50 * DAY, "C", None, 1, 0, 0, None))
    result = evaluate(purchases_frame(rows), methods=[Method.ITEM_KNN], k=1)
    assert result.members_evaluated == 1
    assert [m.hits for m in result.methods] == [0]


def test_orders_file_keeps_equal_order_ids_of_different_customers_apart(tmp_path: Path) -> None:
    # Shops number orders per customer: "2" is a's last order but b's first one.
    path = tmp_path / "orders.csv"
    path.write_text(
        "customer_id,order_id,date,sku\n"
        "a,1,2026-01-01,X\n"
        "a,2,2026-01-02,Y\n"
        "b,2,2026-01-01,U\n"
        "b,3,2026-01-05,V\n",
        encoding="utf-8",
    )
    frame = read_orders_csv(path)
    assert frame.get_column("order_key").n_unique() == 4
    _training, held = split_last_order(frame)
    assert sorted(held.get_column("sku").to_list()) == ["V", "Y"]


def test_orders_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Spreadsheet programs save "CSV UTF-8" with a BOM before the first header name.
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\xef\xbb\xbfcustomer_id,order_id,date,sku\nc1,o1,2026-01-01,A\n")
    frame = read_orders_csv(path)
    assert frame.select("member_id", "order_key", "sku").rows() == [(0, 0, "A")]
