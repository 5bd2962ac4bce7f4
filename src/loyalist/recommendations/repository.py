"""Recommendation queries: neighbours, popularity and the last refresh."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, func, select, text
from sqlalchemy.orm import Session

from loyalist.db.bulk import insert_rows
from loyalist.recommendations.models import ItemNeighbour, ItemPopularity, RecommendationRun

_IN_CHUNK = 500


def latest_run(session: Session) -> RecommendationRun | None:
    return session.scalar(
        select(RecommendationRun).order_by(RecommendationRun.computed_at.desc()).limit(1)
    )


def latest_token(session: Session) -> tuple[str, Any, bool, dict[str, Any]] | None:
    """``(token, computed_at, has ALS model, settings)`` of the last refresh, without its
    model."""
    row = session.execute(
        select(
            RecommendationRun.token,
            RecommendationRun.computed_at,
            RecommendationRun.als_model.is_not(None),
            RecommendationRun.settings,
        )
        .order_by(RecommendationRun.computed_at.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1], bool(row[2]), dict(row[3]))


def als_payload(session: Session, token: str) -> bytes | None:
    return session.scalar(
        select(RecommendationRun.als_model).where(RecommendationRun.token == token)
    )


def replace_results(
    session: Session,
    neighbours: Sequence[dict[str, Any]],
    popularity: Sequence[dict[str, Any]],
    run: RecommendationRun,
) -> None:
    """The refresh's results replace the previous ones (in the caller's transaction).

    On PostgreSQL concurrent refreshes (worker and CLI) take turns: without the lock the
    second one's deletes miss the rows the first one inserts and its COPY hits their keys.
    Readers are not blocked (``EXCLUSIVE`` only conflicts with writes).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE recommendation_runs IN EXCLUSIVE MODE"))
    session.execute(delete(ItemNeighbour))
    session.execute(delete(ItemPopularity))
    session.execute(delete(RecommendationRun))
    _insert(session, cast(Table, ItemNeighbour.__table__), neighbours)
    _insert(session, cast(Table, ItemPopularity.__table__), popularity)
    session.add(run)
    session.flush()


def _insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """SQLite: ``executemany``; PostgreSQL: ``COPY`` (the shared bulk helper has no mapping
    for float columns, and COPY is its fastest path for hundreds of thousands of rows)."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        for start in range(0, len(rows), 50_000):
            insert_rows(session, table, rows[start : start + 50_000])
        return
    names = list(rows[0])
    driver = session.connection().connection.driver_connection
    assert driver is not None
    # Identifiers come from the table metadata; values travel in COPY's own format.
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])


def neighbours(session: Session, sku: str, *, by: str, limit: int) -> list[ItemNeighbour]:
    score = ItemNeighbour.lift if by == "lift" else ItemNeighbour.cosine
    return list(
        session.scalars(
            select(ItemNeighbour)
            .where(ItemNeighbour.sku == sku)
            .order_by(score.desc(), ItemNeighbour.support.desc(), ItemNeighbour.neighbour_sku)
            .limit(limit)
        )
    )


def popular(session: Session, limit: int) -> list[tuple[str, int]]:
    rows = session.execute(
        select(ItemPopularity.sku, ItemPopularity.buyers).order_by(ItemPopularity.rank).limit(limit)
    )
    return [(sku, int(buyers)) for sku, buyers in rows]


def cosine_sums(session: Session, skus: Sequence[str]) -> dict[str, float]:
    """Per neighbour, the sum of its stored cosines to any of ``skus``."""
    found: dict[str, float] = {}
    wanted = sorted(set(skus))
    for start in range(0, len(wanted), _IN_CHUNK):
        rows = session.execute(
            select(ItemNeighbour.neighbour_sku, func.sum(ItemNeighbour.cosine))
            .where(ItemNeighbour.sku.in_(wanted[start : start + _IN_CHUNK]))
            .group_by(ItemNeighbour.neighbour_sku)
        )
        for sku, total in rows:
            found[sku] = found.get(sku, 0.0) + float(total)
    return found
