"""``/portal/rewards``: the rewards catalogue as the member sees it — what they can take now
and, for the rest, how many points are still needed — and redeeming one for its code.

A redemption goes through the API's own path (``api.rewards.redeem_once``): the form
carries an attempt key made when the page was drawn, used as the ``Idempotency-Key``, so a
double click or a resent form answers the first redemption instead of spending twice.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any

from fastapi import Path
from starlette.requests import Request
from starlette.responses import HTMLResponse

from loyalist.api.deps import app_of, read
from loyalist.api.rewards import redeem_once
from loyalist.db.uow import UnitOfWork
from loyalist.ledger.balances import points_summary
from loyalist.members import service as members
from loyalist.rewards import catalogue
from loyalist.web.portal import kit
from loyalist.web.portal.features import localized, offer, one_field, posted, when

router = kit.portal_router()

RewardKey = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_\-]{0,56}$")]
#: An attempt key as the page makes it (``secrets.token_urlsafe``).
_ATTEMPT = re.compile(r"[A-Za-z0-9_-]{16,64}")


@router.get("/rewards")
async def rewards_page(request: Request) -> HTMLResponse:
    """Every active reward, cheapest first, with the member's balance: a REDEEM button on
    what they can take now, the points still needed (or why not) on the rest."""
    who = await kit.visitor(request)
    program = app_of(request).program

    def op(uow: UnitOfWork) -> tuple[int, list[dict[str, Any]]]:
        member_pk = members.get_member_id(uow, who.member_id)
        items = catalogue.catalogue(uow, member_pk, program, locale=who.locale)
        return int(points_summary(uow, member_pk, program)["available"]), items

    available, items = await read(request, op)
    shown = [
        {
            **item,
            "offer": offer(item["discount"], who.locale),
            "still_needed": max(item["cost_points"] - available, 0),
            "other_reasons": [
                r["code"] for r in item["reasons"] if r["code"] != "insufficient_points"
            ],
        }
        for item in items
    ]
    return await kit.member_page(
        request,
        "portal/rewards.html.j2",
        {"available": available, "rewards": shown, "attempt": secrets.token_urlsafe(18)},
    )


@router.post("/rewards/{key}/redeem")
async def redeem(key: RewardKey, request: Request) -> HTMLResponse:
    """Spend the reward's points and show its code (an HTMX fragment, with the balance
    brought up to date out of band). The form's ``attempt`` makes it happen once."""
    who = await kit.visitor(request)
    attempt = one_field(await posted(request), "attempt", _ATTEMPT)
    _status, redemption, _replayed = await redeem_once(request, who.member_id, key, attempt)
    program = app_of(request).program

    def balance(uow: UnitOfWork) -> int:
        member_pk = members.get_member_id(uow, who.member_id)
        return int(points_summary(uow, member_pk, program)["available"])

    return await kit.member_page(
        request,
        "portal/rewards_redeemed.html.j2",
        {
            "redemption": {
                **redemption,
                "name": localized(redemption["name"], who.locale),
                "valid_until": when(redemption["valid_until"]),
            },
            "available": await read(request, balance),
        },
    )
