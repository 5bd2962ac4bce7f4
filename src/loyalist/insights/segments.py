"""Reading the stored scores: the summary per RFM segment and one member's scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from loyalist.db.uow import UnitOfWork
from loyalist.insights import repository
from loyalist.insights.errors import ScoresNotComputedError
from loyalist.insights.models import InsightsRun
from loyalist.insights.rfm import SEGMENTS
from loyalist.members import service as members


class SegmentFigures(BaseModel):
    segment: str = Field(description="RFM segment key (see docs/segments.md)")
    members: int
    share: float = Field(description="members / members scored, 0–1 (4 decimals)")
    avg_recency_days: float | None = Field(description="null without members")
    avg_frequency: float | None
    avg_monetary: float | None = Field(description="minor units of `currency`")
    avg_p_alive: float | None = Field(description="null when no lifetime score")
    total_clv: float | None = Field(description="whole units of `currency`")


class SegmentsSummary(BaseModel):
    computed_at: datetime | None = Field(description="when the scores were last computed")
    currency: str | None
    members_scored: int = Field(description="members with RFM scores (a purchase)")
    churn_risk_high: int = Field(description="members with churn risk ≥ 0.7")
    segments: list[SegmentFigures] = Field(description="every segment, best first")


class MemberScores(BaseModel):
    member_id: str
    computed_at: datetime
    recency_days: int | None = Field(description="days since the last purchase")
    frequency: int | None = Field(description="purchases")
    monetary: int | None = Field(description="net spend, minor units of `currency`")
    r_score: int | None = Field(description="1–5, 5 = most recent")
    f_score: int | None = Field(description="1–5, 5 = most purchases")
    m_score: int | None = Field(description="1–5, 5 = highest spend")
    segment: str | None = Field(description="RFM segment; null without a purchase")
    p_alive: float | None = Field(description="BG/NBD probability of being alive")
    churn_risk: float | None = Field(description="1 − p_alive")
    expected_purchases_90: float | None
    expected_purchases_365: float | None
    expected_spend: float | None = Field(description="whole units of `currency`")
    clv: float | None = Field(description="discounted 365-day value, whole units of `currency`")
    currency: str | None


def segments_summary(uow: UnitOfWork, *, churn_threshold: float = 0.7) -> SegmentsSummary:
    """Members, share and averages per RFM segment over the current generation's scores."""
    rows = {row[0]: row for row in repository.segment_figures(uow.session)}
    total = sum(int(row[1]) for row in rows.values())
    at_risk = repository.members_at_risk(uow.session, churn_threshold)
    latest = repository.latest_scores(uow.session)
    run = uow.session.get(InsightsRun, "scores")
    # A recompute stamps every row it writes with its run time; a later run with rows left
    # older failed (its savepoint rolled back): the rows' time, not the run's, dates them.
    computed_at: datetime | None = latest[0]
    if computed_at is None and run is not None:
        computed_at = run.last_run_at
    figures = []
    for key in SEGMENTS:
        row = rows.get(key)
        count = int(row[1]) if row else 0
        figures.append(
            SegmentFigures(
                segment=key,
                members=count,
                share=round(count / total, 4) if total else 0.0,
                avg_recency_days=_float(row[2]) if row else None,
                avg_frequency=_float(row[3]) if row else None,
                avg_monetary=_float(row[4]) if row else None,
                avg_p_alive=_float(row[5]) if row else None,
                total_clv=_float(row[6]) if row else None,
            )
        )
    return SegmentsSummary(
        computed_at=computed_at,
        currency=latest[1],
        members_scored=total,
        churn_risk_high=at_risk,
        segments=figures,
    )


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def member_scores(uow: UnitOfWork, external_id: str) -> MemberScores:
    """One member's stored scores.

    Raises:
        NotFoundError: ``member_not_found``; ``scores_not_computed`` when the member has
            no stored scores (no purchase at the last recompute, or none ran yet).
    """
    member_id = members.get_member_id(uow, external_id)
    row = repository.member_score(uow.session, member_id)
    if row is None:
        raise ScoresNotComputedError(
            f"member {external_id!r} has no scores (no purchase when they were last computed)"
        )
    return MemberScores(
        member_id=external_id,
        computed_at=row.computed_at,
        recency_days=row.recency_days,
        frequency=row.frequency,
        monetary=row.monetary,
        r_score=row.r_score,
        f_score=row.f_score,
        m_score=row.m_score,
        segment=row.segment,
        p_alive=row.p_alive,
        churn_risk=row.churn_risk,
        expected_purchases_90=row.expected_purchases_90,
        expected_purchases_365=row.expected_purchases_365,
        expected_spend=row.expected_spend,
        clv=row.clv,
        currency=row.currency,
    )


@dataclass(frozen=True, slots=True)
class ScoreFacts:
    """What audiences read of a member's stored scores (CEL ``member.scores``)."""

    segment: str | None
    r: int | None
    f: int | None
    m: int | None
    churn_risk: float | None
    clv: float | None
    currency: str | None


def score_facts(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, ScoreFacts]:
    """The members' current scores in one read per 500 (members without any are left out)."""
    return {
        int(row[0]): ScoreFacts(*row[1:])
        for row in repository.member_score_facts(uow.session, member_ids)
    }


@dataclass(frozen=True, slots=True)
class AtRisk:
    """Members of the current scores generation at risk of leaving: its id, when it was
    published, and the members in one of the segments asked or with a churn risk at least
    the one asked, ascending."""

    generation: int
    published_at: datetime
    member_ids: list[int]


def clv_of(uow: UnitOfWork, member_ids: Sequence[int]) -> dict[int, tuple[Decimal, str]]:
    """The members' predicted lifetime value (whole units of its currency) and currency,
    for those whose current scores have one: one read for all."""
    return {
        member_id: (Decimal(str(value)), currency)
        for member_id, value, currency in repository.member_clv(uow.session, member_ids)
    }


def members_at_risk(
    uow: UnitOfWork,
    segments: Sequence[str],
    churn_risk_at_least: float,
    *,
    member_ids: Sequence[int] | None = None,
) -> AtRisk | None:
    """The current generation's members (of ``member_ids`` only, when given) in
    ``segments`` or with ``churn_risk ≥ churn_risk_at_least`` (None before the first
    scores are published)."""
    found = repository.at_risk(uow.session, list(segments), churn_risk_at_least, member_ids)
    if found is None:
        return None
    generation, published_at, member_ids = found
    return AtRisk(generation, published_at, member_ids)
