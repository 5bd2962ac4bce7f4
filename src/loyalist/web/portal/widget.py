"""The storefront widget's panel: what ``static/js/widget.js`` shows in a frame on the
shop's pages for its logged-in customer — balance, tier progress and referral link — from
the same signed link as ``/portal/enter`` (checked on every request: a frame on another
site gets no cookie, so the panel keeps no session). Only the shop's origins
(``LOYALIST_PORTAL__WIDGET_ORIGINS``) may frame it (``api.edge``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from loyalist.api.deps import app_of, write
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import balances
from loyalist.members import service as members
from loyalist.members.errors import MemberErasedError
from loyalist.referrals import service as referrals
from loyalist.tiers import service as tiers
from loyalist.web.portal import access, kit

router = kit.portal_router()


@router.get("/widget")
async def widget(request: Request) -> Response:
    """The panel for the signed link's customer (enrolled if new, as ``/portal/enter``)."""
    member, reason = access.checked_member(request)
    if member is None:
        return access.refused(request, reason, 403 if reason != "expired" else 410)
    program = app_of(request).program
    locale = kit.page_locale(request)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_id = members.ensure_members(uow, [member])[member]
        summary = balances.points_summary(uow, member_id, program)
        standing = None
        if tiers.export_program(uow).levels:
            found = tiers.read_tier(uow, member, program.zone, locale)
            standing = (found, tiers.percent_to_next(uow, found))
        shared = referrals.share_codes(uow, {member_id: None})
        return {"summary": summary, "standing": standing, "referral": shared.get(member_id)}

    try:
        shown = await write(request, op)
    except MemberErasedError:
        return access.refused(request, "erased", 403)
    query = {k: request.query_params.get(k, "") for k in ("member", "expires", "signature")}
    shown |= {"portal_url": "/portal/enter?" + urlencode(query)}
    return kit.public_page(request, "portal/widget.html.j2", shown, locale=locale)
