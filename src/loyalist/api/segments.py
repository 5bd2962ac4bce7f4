"""Segments routes: the RFM segment summary, one member's scores, recompute on demand."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request

from loyalist.api.deps import GuardedRoute, MemberId, app_of, read, refuse_nul, require
from loyalist.api.problems import problem_responses
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


@router.get(
    "/insights/segments",
    response_model=SegmentsSummary,
    dependencies=[Depends(require(Permission.ANALYTICS_READ))],
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
    responses=problem_responses(MemberNotFoundError, ScoresNotComputedError),
)
async def get_member_scores(member_id: MemberId, request: Request) -> MemberScores:
    """A member's stored RFM scores and segment, churn risk and lifetime value."""
    return await read(request, lambda uow: segments.member_scores(uow, member_id))


@router.post(
    "/insights/segments/recompute",
    response_model=SegmentsSummary,
    dependencies=[Depends(require(Permission.RULES_WRITE))],
)
async def recompute_segments(request: Request) -> SegmentsSummary:
    """Recompute every member's scores and segments now (the daily job's work; it counts
    as the day's run) and answer the new summary."""
    loyalist = app_of(request)
    await asyncio.to_thread(loyalist.recompute_scores)
    return await read(request, segments.segments_summary)
