"""The packing note route: a personalised note for each order, for the warehouse to print."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from loyalist.activities.errors import OrderNotFoundError
from loyalist.api.deps import GuardedRoute, app_of, read, refuse_nul, require
from loyalist.api.problems import problem_responses
from loyalist.db.uow import UnitOfWork
from loyalist.messages import packing
from loyalist.messages.service import brand_kit
from loyalist.staff.models import Permission

router = APIRouter(
    prefix="/api/v1",
    tags=["messages"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)


@router.get(
    "/orders/{order_id}/packing-note",
    response_class=HTMLResponse,
    dependencies=[Depends(require(Permission.MESSAGES_READ))],
    responses={
        **problem_responses(OrderNotFoundError),
        200: {
            "description": "The note: a printable A5 page (HTML), or a PDF of it.",
            "content": {
                "text/html": {"example": '<!DOCTYPE html><html lang="ru">…</html>'},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        },
    },
)
async def packing_note(
    order_id: str,
    request: Request,
    format: Annotated[
        Literal["html", "pdf"], Query(description="html (a printable page) or pdf")
    ] = "html",
) -> Response:
    """A personalised packing note for the order, in the member's language: their name, a
    thank-you, the points the order earned, their tier progress, one usage tip for what
    they bought and one recommendation (A5, for the warehouse to print and put in the
    parcel)."""
    app = app_of(request)
    brand = brand_kit(app.settings)

    def op(uow: UnitOfWork) -> str:
        return packing.packing_note_html(uow, order_id, program=app.program, brand=brand)

    html = await read(request, op)
    if format == "pdf":
        pdf = await run_in_threadpool(packing.to_pdf, html, brand.logo_url)
        return Response(pdf, media_type="application/pdf")
    return Response(html, media_type="text/html; charset=utf-8")
