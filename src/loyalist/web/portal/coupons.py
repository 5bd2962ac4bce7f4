"""``/portal/coupons``: the member's own coupon codes (rewards taken, codes a rule gave),
usable ones first with what each gives and until when, then the used and expired."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from loyalist.api.deps import read
from loyalist.coupons import service as coupons
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.web.portal import kit
from loyalist.web.portal.features import localized, offer

router = kit.portal_router()


@router.get("/coupons")
async def coupons_page(request: Request) -> HTMLResponse:
    """The member's codes in full (their own), newest first within each group."""
    who = await kit.visitor(request)

    def op(uow: UnitOfWork) -> list[dict[str, Any]]:
        member_pk = members.get_member_id(uow, who.member_id)
        return coupons.member_coupons(uow, member_pk, usable_only=False)

    shown = [
        {**c, "name": localized(c["name"], who.locale), "offer": offer(c["discount"], who.locale)}
        for c in await read(request, op)
    ]
    return await kit.member_page(
        request,
        "portal/coupons.html.j2",
        {
            "usable": [c for c in shown if c["usable"]],
            "spent": [c for c in shown if not c["usable"]],
        },
    )
