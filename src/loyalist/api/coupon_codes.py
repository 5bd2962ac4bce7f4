"""Coupon code routes: generate a campaign's unique codes in bulk, export them as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from loyalist.api.deps import GuardedRoute, app_of, refuse_nul, require
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.coupons import generation
from loyalist.coupons.errors import (
    BatchKeyReusedError,
    CampaignNotFoundError,
    CampaignNotUniqueError,
    CodeSpaceTooSmallError,
)
from loyalist.coupons.schemas import BatchRead, GenerateIn, Key
from loyalist.staff.models import Permission

router = APIRouter(
    prefix="/api/v1", tags=["coupons"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute
)


@router.post(
    "/coupon-campaigns/{key}/codes",
    status_code=201,
    response_model=BatchRead,
    responses=problem_responses(
        CampaignNotFoundError,
        CampaignNotUniqueError,
        BatchKeyReusedError,
        CodeSpaceTooSmallError,
        success={
            200: {"model": BatchRead, "description": "the batch of this request_key existed"},
            201: {"description": "a new batch, generated"},
        },
    ),
    dependencies=[Depends(require(Permission.COUPONS_WRITE))],
)
async def generate_codes(key: Key, spec: GenerateIn, request: Request) -> Response:
    """Generate ``count`` unique codes for a campaign with unique codes, and answer when
    they are all stored (a million takes seconds: keep the client's timeout generous).

    ``request_key`` names the batch: the same body again answers 200 with the batch, adding
    nothing; after a dropped connection it resumes the batch where it stopped. Codes are
    valid only once the batch is ``ready``.
    """
    run = await run_in_threadpool(generation.generate, app_of(request).db, key, spec)
    return JsonResponse(
        {**run.batch.as_json(), "added": run.added}, status_code=201 if run.created else 200
    )


@router.get(
    "/coupon-campaigns/{key}/codes.csv",
    response_class=StreamingResponse,
    responses=problem_responses(
        CampaignNotFoundError,
        success={
            200: {
                "content": {
                    "text/csv": {
                        "schema": {"type": "string"},
                        "example": "code,uses,max_uses,member_id,valid_until\n"
                        "SPRING-7QX2-M4KD,0,1,,2026-05-31T21:00:00Z\n",
                    }
                },
                "description": "the codes, streamed",
            }
        },
    ),
    dependencies=[Depends(require(Permission.COUPONS_EXPORT))],
)
async def export_codes(key: Key, request: Request) -> Response:
    """The campaign's usable codes as CSV (``code,uses,max_uses,member_id,valid_until``),
    streamed in pages: codes of ready batches in their display form, the shared code and
    personal codes. Empty cells: no limit, no owner, no expiry."""
    rows = await run_in_threadpool(generation.export_codes, app_of(request).db, key)
    return StreamingResponse(
        generation.csv_chunks(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{key}-codes.csv"'},
    )
