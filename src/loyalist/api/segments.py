"""Segments routes: the RFM segment summary, one member's scores, recompute on demand."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request

from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, refuse_nul, require
from loyalist.api.problems import problem_responses
from loyalist.api.responses import success
from loyalist.insights import segments
from loyalist.insights.errors import ScoresNotComputedError
from loyalist.insights.segments import MemberScores, SegmentsSummary
from loyalist.members.errors import MemberNotFoundError
from loyalist.staff.models import Permission

router = APIRouter(
    prefix="/api/v1",
    tags=["segments"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)


_SUMMARY = {
    "computed_at": "2026-01-15T12:00:00Z",
    "currency": "EUR",
    "members_scored": 5,
    "churn_risk_high": 0,
    "segments": [
        {
            "segment": "champions",
            "members": 1,
            "share": 0.2,
            "avg_recency_days": 1.0,
            "avg_frequency": 5.0,
            "avg_monetary": 25000.0,
            "avg_p_alive": 1.0,
            "total_clv": 4162.4532,
        },
        {
            "segment": "lost",
            "members": 1,
            "share": 0.2,
            "avg_recency_days": 100.0,
            "avg_frequency": 1.0,
            "avg_monetary": 1000.0,
            "avg_p_alive": 0.4,
            "total_clv": 62.9842,
        },
    ],
}


@router.get(
    "/insights/segments",
    response_model=SegmentsSummary,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
    responses={200: success(None, _SUMMARY, "The segments")},
)
async def get_segments(request: Request) -> SegmentsSummary:
    """Members per RFM segment (all eight, best first) from the stored scores, with their
    share of the members scored, average recency (days), frequency (purchases), monetary
    (minor units) and probability alive, and total CLV (whole units of `currency`). The
    scores are recomputed daily (see docs/segments.md)."""
    return await read(request, segments.segments_summary)


@router.get(
    "/members/{member_id}/scores",
    response_model=MemberScores,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
    responses=problem_responses(
        MemberNotFoundError,
        ScoresNotComputedError,
        success={
            200: success(
                None,
                {
                    "member_id": "M5",
                    "computed_at": "2026-01-15T12:00:00Z",
                    "recency_days": 1,
                    "frequency": 5,
                    "monetary": 25000,
                    "r_score": 5,
                    "f_score": 5,
                    "m_score": 5,
                    "segment": "champions",
                    "p_alive": 0.99,
                    "churn_risk": 0.01,
                    "expected_purchases_90": 2.7,
                    "expected_purchases_365": 10.95,
                    "expected_spend": 40.0,
                    "clv": 4162.45,
                    "currency": "EUR",
                },
                "The member's scores",
            )
        },
    ),
)
async def get_member_scores(member_id: MemberId, request: Request) -> MemberScores:
    """A member's stored RFM scores and segment, churn risk and lifetime value."""
    return await read(request, lambda uow: segments.member_scores(uow, member_id))


@router.post(
    "/insights/segments/recompute",
    response_model=SegmentsSummary,
    dependencies=[Depends(require(Permission.RULES_WRITE))],
    responses={200: success(None, _SUMMARY, "The new summary")},
)
async def recompute_segments(request: Request) -> SegmentsSummary:
    """Recompute every member's scores and segments now (the daily job's work; it counts
    as the day's run) and answer the new summary."""
    loyalist = app_of(request)
    await asyncio.to_thread(loyalist.recompute_scores)
    return await read(request, segments.segments_summary)
