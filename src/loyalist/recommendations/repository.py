"""Recommendation queries: neighbours, popularity and the last refresh."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, delete, func, select, text
from sqlalchemy.orm import Session

from loyalist.db.bulk import copy_frame
from loyalist.recommendations.models import ItemNeighbour, ItemPopularity, RecommendationRun

if TYPE_CHECKING:
    import polars as pl

_IN_CHUNK = 500


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
    neighbours: pl.DataFrame,
    popularity: pl.DataFrame,
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
    copy_frame(session, cast(Table, ItemNeighbour.__table__), neighbours)
    copy_frame(session, cast(Table, ItemPopularity.__table__), popularity)
    session.add(run)
    session.flush()


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
