"""Recommendation tables: item neighbours, popularity and the last refresh (with its model)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Double, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId


class Method(StrEnum):
    """How a personal recommendation was chosen."""

    ALS = "als"
    ITEM_KNN = "item_knn"
    POPULAR = "popular"


class ItemNeighbour(Base):
    """ "Bought this, also bought": one scored pair of a refresh (``run_id``).

    A pair is stored when its support reaches the minimum and the neighbour is among the
    item's top N by lift or by cosine (so both orders are served from one table).
    """

    __tablename__ = "item_neighbours"
    __table_args__ = (
        CheckConstraint("support > 0", name="support_positive"),
        CheckConstraint("lift > 0 AND cosine > 0", name="scores_positive"),
    )

    run_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("recommendation_runs.id"), primary_key=True
    )
    sku: Mapped[str] = mapped_column(String(128), primary_key=True)
    neighbour_sku: Mapped[str] = mapped_column(String(128), primary_key=True)
    support: Mapped[int] = mapped_column(Integer)
    lift: Mapped[float] = mapped_column(Double)
    cosine: Mapped[float] = mapped_column(Double)
    computed_at: Mapped[datetime]


class ItemPopularity(Base):
    """Distinct buyers of an item over the popularity window, ranked (1 = most bought), in
    a refresh (``run_id``)."""

    __tablename__ = "item_popularity"
    __table_args__ = (
        CheckConstraint("buyers > 0", name="buyers_positive"),
        Index("ix_item_popularity_rank", "run_id", "rank"),
    )

    run_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("recommendation_runs.id"), primary_key=True
    )
    sku: Mapped[str] = mapped_column(String(128), primary_key=True)
    buyers: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime]


class RecommendationRun(Base):
    """A refresh: when, what it read, its settings and the ALS item factors.

    ``token`` names the model for caches in API processes (ids repeat across databases);
    ``als_model`` is an ``.npz`` of ``skus`` and ``item_factors`` (absent without data).
    A refresh's rows are staged in short units, then published at once (``published_at``);
    readers see the *current* refresh only: the published one with the greatest id. Older
    refreshes are deleted in chunks after a newer one is published (docs/decisions.md,
    "Issue 14: jobs write in short units").
    """

    __tablename__ = "recommendation_runs"
    __table_args__ = (Index("ix_recommendation_runs_computed_at", "computed_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    computed_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    line_count: Mapped[int] = mapped_column(Integer)
    basket_count: Mapped[int] = mapped_column(Integer)
    member_count: Mapped[int] = mapped_column(Integer)
    item_count: Mapped[int] = mapped_column(Integer)
    pair_count: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Double)
    settings: Mapped[dict[str, Any]]
    als_model: Mapped[bytes | None] = mapped_column(LargeBinary)
