"""The bulk writes of ``db.bulk`` on both backends: every column type round-trips, and a
frame's upsert changes stored rows and adds the others."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import polars as pl
from sqlalchemy import Table, select

from loyalist.bootstrap import Loyalist
from loyalist.db import bulk
from loyalist.db.uow import UnitOfWork
from loyalist.recommendations.models import ItemNeighbour, ItemPopularity, RecommendationRun

AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
RUNS = cast(Table, RecommendationRun.__table__)
NEIGHBOURS = cast(Table, ItemNeighbour.__table__)
POPULARITY = cast(Table, ItemPopularity.__table__)


def test_rows_with_floats_bytes_and_documents_round_trip(app: Loyalist) -> None:
    row: dict[str, Any] = {
        "id": 7,
        "token": "t" * 32,
        "computed_at": AT,
        "line_count": 3,
        "basket_count": 2,
        "member_count": 1,
        "item_count": 4,
        "pair_count": 5,
        "seconds": 0.1 + 0.2,
        "settings": {"top_n": 20, "name": "всё"},
        "als_model": bytes(range(256)),
        "published_at": None,
    }
    app.db.write(lambda uow: bulk.insert_rows(uow.session, RUNS, [row]))
    app.db.write(
        lambda uow: bulk.update_rows(
            uow.session, RUNS, ["id"], ["seconds", "als_model"], [row | {"seconds": 1e-300}]
        )
    )

    stored = app.db.read(lambda uow: uow.session.execute(select(RUNS)).one()._asdict())

    assert stored == row | {"seconds": 1e-300}


def _run(app: Loyalist) -> int:
    """A refresh the rows of ``item_neighbours`` and ``item_popularity`` belong to."""
    row = {
        "id": 1,
        "token": "r" * 32,
        "computed_at": AT,
        "line_count": 0,
        "basket_count": 0,
        "member_count": 0,
        "item_count": 0,
        "pair_count": 0,
        "seconds": 0.0,
        "settings": {},
    }
    app.db.write(lambda uow: bulk.insert_rows(uow.session, RUNS, [row]))
    return 1


def _neighbours(uow: UnitOfWork) -> list[tuple[Any, ...]]:
    query = select(NEIGHBOURS).order_by(NEIGHBOURS.c.sku, NEIGHBOURS.c.neighbour_sku)
    return [tuple(r) for r in uow.session.execute(query)]


def test_a_frame_is_copied_as_it_is(app: Loyalist) -> None:
    frame = pl.DataFrame(
        {
            "sku": ["A", "A", 'B "quoted", with comma'],
            "neighbour_sku": ["", "C\nnext line", "A"],
            "support": [3, 2**31 - 1, 1],
            "lift": [1.5, 0.1 + 0.2, 1e-12],
            "cosine": [0.25, 1 / 3, 2.0],
            "computed_at": [AT, AT, AT],
        }
    ).with_columns(pl.col("computed_at").cast(pl.Datetime("us", "UTC")), run_id=_run(app))

    app.db.write(lambda uow: bulk.copy_frame(uow.session, NEIGHBOURS, frame))

    assert app.db.read(_neighbours) == sorted(frame.select(NEIGHBOURS.c.keys()).iter_rows())


def test_an_upsert_changes_stored_rows_and_adds_new_ones(app: Loyalist) -> None:
    later = AT.replace(day=2)
    run = _run(app)

    def frame(rows: list[tuple[int, str, int, int, datetime]]) -> pl.DataFrame:
        schema: dict[str, pl.DataType] = {
            "run_id": pl.Int64(),
            "sku": pl.String(),
            "buyers": pl.Int64(),
            "rank": pl.Int64(),
            "computed_at": pl.Datetime("us", "UTC"),
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    first = frame([(run, "A", 9, 1, AT), (run, "B", 5, 2, AT)])
    app.db.write(lambda uow: bulk.copy_frame(uow.session, POPULARITY, first))
    second = frame([(run, "B", 7, 1, later), (run, "C", 1, 3, later)])
    app.db.write(
        lambda uow: bulk.copy_frame(uow.session, POPULARITY, second, upsert_key=("run_id", "sku"))
    )

    stored = app.db.read(
        lambda uow: [
            tuple(r) for r in uow.session.execute(select(POPULARITY).order_by(POPULARITY.c.sku))
        ]
    )
    assert stored == [(run, "A", 9, 1, AT), (run, "B", 7, 1, later), (run, "C", 1, 3, later)]
