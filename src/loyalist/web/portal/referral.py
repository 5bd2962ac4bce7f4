"""``/portal/referral``: the member's referral code and share link (made on the first
visit, as the API makes it), share buttons that are plain links (an e-mail, WhatsApp and
Telegram share URL: nothing is loaded from those hosts), a copy-link button
(``data-copy``, wired by ``static/js/portal.js``) and how each invited friend is getting on."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse

from loyalist.api.deps import write
from loyalist.db.uow import UnitOfWork
from loyalist.referrals import service as referrals
from loyalist.web.portal import kit
from loyalist.web.portal.features import localized, when

router = kit.portal_router()

#: The friends shown (oldest first, as the referrals list reads).
FRIENDS = 100


@router.get("/referral")
async def referral_page(request: Request) -> HTMLResponse:
    """The code, the link with its share buttons and the friends' status."""
    who = await kit.visitor(request)

    def op(uow: UnitOfWork) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
        mine = referrals.member_referral(uow, who.member_id)
        friends = referrals.list_referrals(
            uow, status=None, referrer=who.member_id, after_id=None, limit=FRIENDS
        )
        return mine, referrals.resolve_token(uow, mine["token"]), friends

    mine, seen, friends = await write(request, op)
    invitation = localized(seen.get("offer"), who.locale) or ""
    url = str(mine["share_url"])
    message = f"{invitation} {url}".strip()
    return await kit.member_page(
        request,
        "portal/referral.html.j2",
        {
            "referral": mine,
            "invitation": invitation,
            "share": {
                "email": "mailto:?" + urlencode({"body": message}, quote_via=quote),
                "whatsapp": "https://wa.me/?" + urlencode({"text": message}, quote_via=quote),
                "telegram": "https://t.me/share/url?"
                + urlencode({"url": url, "text": invitation}, quote_via=quote),
            },
            "friends": [
                {
                    "status": f["status"],
                    "joined": when(f["attributed_at"]),
                    "matures": when(f["matures_at"]),
                    "converted": when(f["converted_at"]),
                    "rewarded": f["is_rewarded"],
                }
                for f in reversed(friends)
            ],
        },
    )
