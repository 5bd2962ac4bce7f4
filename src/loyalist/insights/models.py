"""Insights tables: per-member scores (RFM, churn risk, lifetime value) in generations, job
runs, and the console dashboard's pre-computed figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Double,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base, BigId


class ScoreGeneration(Base):
    """One recompute's scores: staged in short units, then published in one.

    Readers see the *current* generation only: the published one with the greatest id
    (``published_at`` set). Rows of a generation not yet (or never) published are
    invisible; older generations are deleted in chunks after a newer one is published.
    ``segments_at``: when the members' computed segments were brought in line with this
    generation (null until then; the scores job resumes it). See docs/decisions.md,
    "Issue 14: jobs write in short units".
    """

    __tablename__ = "score_generations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    computed_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    segments_at: Mapped[datetime | None]


class MemberScore(Base):
    """A member's scores in one generation (see :class:`ScoreGeneration`).

    The RFM columns are set for members with a purchase (see :mod:`loyalist.insights.rfm`);
    the lifetime columns when the BG/NBD and Gamma-Gamma models could be fitted (or were
    loaded from a transaction file). ``expected_spend`` and ``clv`` are in whole units of
    ``currency`` (decimals), ``monetary`` in its minor units.
    """

    __tablename__ = "member_scores"
    __table_args__ = (
        CheckConstraint("r_score BETWEEN 1 AND 5", name="r_score_range"),
        CheckConstraint("f_score BETWEEN 1 AND 5", name="f_score_range"),
        CheckConstraint("m_score BETWEEN 1 AND 5", name="m_score_range"),
        CheckConstraint("p_alive BETWEEN 0 AND 1", name="p_alive_range"),
        CheckConstraint("churn_risk BETWEEN 0 AND 1", name="churn_risk_range"),
    )

    generation: Mapped[int] = mapped_column(
        BigId, ForeignKey("score_generations.id"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    computed_at: Mapped[datetime]
    recency_days: Mapped[int | None] = mapped_column(Integer)
    frequency: Mapped[int | None] = mapped_column(Integer)
    monetary: Mapped[int | None] = mapped_column(BigInteger)
    r_score: Mapped[int | None] = mapped_column(SmallInteger)
    f_score: Mapped[int | None] = mapped_column(SmallInteger)
    m_score: Mapped[int | None] = mapped_column(SmallInteger)
    segment: Mapped[str | None] = mapped_column(String(32))
    p_alive: Mapped[float | None] = mapped_column(Double)
    churn_risk: Mapped[float | None] = mapped_column(Double)
    expected_purchases_90: Mapped[float | None] = mapped_column(Double)
    expected_purchases_365: Mapped[float | None] = mapped_column(Double)
    expected_spend: Mapped[float | None] = mapped_column(Double)
    clv: Mapped[float | None] = mapped_column(Double)
    currency: Mapped[str | None] = mapped_column(String(3))


class InsightsRun(Base):
    """When a scheduled insights job last ran and what it did (one row per job)."""

    __tablename__ = "insights_runs"

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_run_at: Mapped[datetime]
    members_scored: Mapped[int] = mapped_column(Integer)


class DashboardFigures(Base):
    """The console dashboard of a preset period (``7d``, ``30d`` …) as computed at
    ``computed_at`` by the dashboard job: a :class:`~loyalist.insights.schemas.Dashboard`
    as JSON. The page reads it instead of aggregating every member's history on each view."""

    __tablename__ = "dashboard_figures"

    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    computed_at: Mapped[datetime]
    figures: Mapped[dict[str, Any]]
