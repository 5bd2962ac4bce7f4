"""``loyalist insights recommend-refresh`` and ``recommend-eval`` as real commands."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
import typer

from loyalist.bootstrap import Loyalist
from loyalist.cli.insights_recommend import _methods, read_orders_csv
from loyalist.errors import InvalidRequestError
from loyalist.recommendations import service
from loyalist.recommendations.schemas import PairScore
from tests.cli.conftest import Cli, needs_sqlite
from tests.integration.test_recommendations import load
from tests.synthetic import planted_purchases

FAST = ("--factors", "8", "--iterations", "5")


def _planted_csv(path: Path) -> Path:
    planted_purchases(members=200).select(
        pl.col("member_id").cast(pl.String).alias("customer_id"),
        pl.col("order_key").cast(pl.String).alias("order_id"),
        pl.col("paid_at").dt.date().alias("date"),
        "sku",
        "quantity",
    ).write_csv(path)
    return path


@needs_sqlite
class TestEvalOnAFile:
    def test_json_reports_recall_and_map_per_method_with_the_baseline(
        self, bare_cli: Cli, tmp_path: Path
    ) -> None:
        orders = _planted_csv(tmp_path / "orders.csv")
        result = bare_cli.run(
            "insights", "recommend-eval", "--orders", str(orders), "--methods", "item_knn",
            "--json", *FAST,
        )  # fmt: skip
        assert result.code == 0, result.stderr
        body = json.loads(result.stdout)
        assert set(body["methods"]) == {"item_knn", "popular"}
        assert (body["k"], body["members"]) == (10, 200)
        assert body["members_evaluated"] > 50
        knn, popular = body["methods"]["item_knn"], body["methods"]["popular"]
        assert knn["recall@10"] > 2 * popular["recall@10"]
        assert 0 < popular["map@10"] <= popular["recall@10"] <= 1

    def test_a_bad_line_exits_2_naming_file_and_line(self, bare_cli: Cli, tmp_path: Path) -> None:
        orders = tmp_path / "orders.csv"
        orders.write_text("customer_id,order_id,date,sku\nc1,o1,2026-01-02,A\nc1,o2,yesterday,B\n")
        result = bare_cli.run("insights", "recommend-eval", "--orders", str(orders))
        assert result.code == 2
        assert f"error[orders_file_invalid]: {orders}:3: date 'yesterday'" in result.stderr

    def test_a_missing_column_or_method_is_refused(self, tmp_path: Path) -> None:
        orders = tmp_path / "orders.csv"
        orders.write_text("customer_id,date,sku\nc1,2026-01-02,A\n")
        with pytest.raises(InvalidRequestError, match="the header lacks order_id"):
            read_orders_csv(orders)
        with pytest.raises(typer.BadParameter, match="'magic' is not one of"):
            _methods("item_knn,magic")


class TestRefresh:
    def test_refresh_stores_what_the_api_serves(self, cli: Cli, app: Loyalist) -> None:
        load(app)
        result = cli.run("insights", "recommend-refresh", "--json", *FAST)
        assert result.code == 0, result.stderr
        body = json.loads(result.stdout)
        assert (body["lines"], body["items"], body["pairs"], body["has_als"]) == (17, 3, 2, True)
        found = app.db.read(lambda uow: service.also_bought(uow, "A", by=PairScore.LIFT, limit=5))
        assert [(i.sku, i.support) for i in found.items] == [("B", 4)]
