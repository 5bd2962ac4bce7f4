"""Recommendation queries: neighbours, popularity and the refreshes, kept in generations
(one per refresh; readers see the current one: :mod:`loyalist.db.generations`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from loyalist.db.bulk import copy_frame
from loyalist.db.generations import Generations
from loyalist.recommendations.models import ItemNeighbour, ItemPopularity, RecommendationRun

if TYPE_CHECKING:
    import polars as pl

_IN_CHUNK = 500
_NEIGHBOURS = cast(Table, ItemNeighbour.__table__)
_POPULARITY = cast(Table, ItemPopularity.__table__)
#: Each refresh is a generation of neighbours and popularity.
GENERATIONS = Generations(
    cast(Table, RecommendationRun.__table__), (_NEIGHBOURS, "run_id"), (_POPULARITY, "run_id")
)


def latest_token(session: Session) -> tuple[str, Any, bool, dict[str, Any]] | None:
    """``(token, computed_at, has ALS model, settings)`` of the current refresh, without
    its model."""
    row = session.execute(
        select(
            RecommendationRun.token,
            RecommendationRun.computed_at,
            RecommendationRun.als_model.is_not(None),
            RecommendationRun.settings,
        ).where(RecommendationRun.id == GENERATIONS.current())
    ).first()
    return None if row is None else (row[0], row[1], bool(row[2]), dict(row[3]))


def als_payload(session: Session, token: str) -> bytes | None:
    return session.scalar(
        select(RecommendationRun.als_model).where(RecommendationRun.token == token)
    )


def add_run(session: Session, run: RecommendationRun) -> int:
    """A new, unpublished refresh; returns its id (greater than every earlier one)."""
    session.add(run)
    session.flush()
    return run.id


def insert_neighbours(session: Session, rows: pl.DataFrame) -> None:
    copy_frame(session, _NEIGHBOURS, rows)


def insert_popularity(session: Session, rows: pl.DataFrame) -> None:
    copy_frame(session, _POPULARITY, rows)


def neighbours(session: Session, sku: str, *, by: str, limit: int) -> list[ItemNeighbour]:
    score = ItemNeighbour.lift if by == "lift" else ItemNeighbour.cosine
    return list(
        session.scalars(
            select(ItemNeighbour)
            .where(GENERATIONS.is_current(ItemNeighbour.run_id), ItemNeighbour.sku == sku)
            .order_by(score.desc(), ItemNeighbour.support.desc(), ItemNeighbour.neighbour_sku)
            .limit(limit)
        )
    )


def neighbours_of(session: Session, skus: Collection[str]) -> list[tuple[str, str, float]]:
    """``(sku, neighbour, cosine)`` of every stored pair of the current refresh whose item
    is one of ``skus`` (one query per 500 items)."""
    found: list[tuple[str, str, float]] = []
    wanted = sorted(set(skus))
    for start in range(0, len(wanted), _IN_CHUNK):
        rows = session.execute(
            select(ItemNeighbour.sku, ItemNeighbour.neighbour_sku, ItemNeighbour.cosine).where(
                GENERATIONS.is_current(ItemNeighbour.run_id),
                ItemNeighbour.sku.in_(wanted[start : start + _IN_CHUNK]),
            )
        )
        found.extend((sku, neighbour, float(cosine)) for sku, neighbour, cosine in rows)
    return found


def popular(session: Session, limit: int) -> list[tuple[str, int]]:
    rows = session.execute(
        select(ItemPopularity.sku, ItemPopularity.buyers)
        .where(GENERATIONS.is_current(ItemPopularity.run_id))
        .order_by(ItemPopularity.rank)
        .limit(limit)
    )
    return [(sku, int(buyers)) for sku, buyers in rows]


def cosine_sums(session: Session, skus: Sequence[str]) -> dict[str, float]:
    """Per neighbour, the sum of its stored cosines to any of ``skus``."""
    found: dict[str, float] = {}
    wanted = sorted(set(skus))
    for start in range(0, len(wanted), _IN_CHUNK):
        rows = session.execute(
            select(ItemNeighbour.neighbour_sku, func.sum(ItemNeighbour.cosine))
            .where(
                GENERATIONS.is_current(ItemNeighbour.run_id),
                ItemNeighbour.sku.in_(wanted[start : start + _IN_CHUNK]),
            )
            .group_by(ItemNeighbour.neighbour_sku)
        )
        for sku, total in rows:
            found[sku] = found.get(sku, 0.0) + float(total)
    return found
