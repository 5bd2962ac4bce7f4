"""``/portal/privacy``: the member's own data rights — "download my data" (the GDPR export
bundle the privacy officer's API route gives, as a file) and "delete my account" (the
erasure service, as on a subject request), with a warning of the points that will be lost
and a typed confirmation. Both are audited with the member as the actor."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from loyalist.api.deps import app_of, read, write
from loyalist.api.responses import JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError, RequestInvalidError
from loyalist.ledger.balances import points_summary
from loyalist.members import service as members
from loyalist.privacy import service as privacy
from loyalist.privacy.models import LegalBasis
from loyalist.privacy.schemas import ErasureIn
from loyalist.web.portal import kit
from loyalist.web.portal.features import member_actor, posted

router = kit.portal_router()

#: The word a member types to confirm the deletion, in the page's language.
CONFIRM_WORDS = {"en": "DELETE", "ru": "УДАЛИТЬ"}
#: Where a member lands once their account is deleted (no session is left to show more).
DELETED = "/portal/privacy/deleted"


def forfeited(summary: dict[str, Any]) -> dict[str, int]:
    """The points a deletion closes: available, pending and on hold (a hold is released
    first, then closed with the rest)."""
    parts = {k: int(summary[k]) for k in ("available", "pending", "on_hold")}
    return {**parts, "total": sum(parts.values())}


@router.get("/privacy")
async def privacy_page(request: Request) -> HTMLResponse:
    who = await kit.visitor(request)
    program = app_of(request).program

    def op(uow: UnitOfWork) -> dict[str, int]:
        return forfeited(points_summary(uow, members.get_member_id(uow, who.member_id), program))

    return await kit.member_page(
        request,
        "portal/privacy.html.j2",
        {"forfeited": await read(request, op), "confirm_word": CONFIRM_WORDS[who.locale]},
    )


@router.get("/privacy/export")
async def export_my_data(request: Request) -> Response:
    """Everything held about the member (``loyalist.member-export``, version 1) as a file
    to save; recorded in the audit trail as ``privacy.export`` by the member."""
    who = await kit.visitor(request)
    actor = member_actor(request, who)
    document = await write(request, lambda uow: privacy.export_member(uow, who.member_id, actor))
    day = app_of(request).clock.now().date().isoformat()
    return JsonResponse(
        document,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="my-data-{day}.json"',
        },
    )


@router.post("/privacy/erasure")
async def delete_my_account(request: Request) -> Response:
    """Erase the member (a subject request) once they typed the confirmation word; then
    send them to a page saying it is done (``HX-Redirect``)."""
    who = await kit.visitor(request)
    typed = (await posted(request)).get("confirm", [""])
    if len(typed) != 1 or typed[0].strip().casefold() not in {
        w.casefold() for w in CONFIRM_WORDS.values()
    }:
        raise RequestInvalidError(
            "type the confirmation word to delete your account",
            errors=[FieldError("/confirm", f"type {CONFIRM_WORDS[who.locale]}")],
        )
    actor = member_actor(request, who)
    request_in = ErasureIn(
        legal_basis=LegalBasis.SUBJECT_REQUEST, note="asked for in the member portal"
    )
    _record, created = await write(
        request, lambda uow: privacy.erase_member(uow, who.member_id, request_in, actor)
    )
    if created:
        await run_in_threadpool(app_of(request).db.checkpoint)
    target = f"{DELETED}?lang={who.locale}"
    return Response(status_code=204, headers={"HX-Redirect": target})


@router.get("/privacy/deleted")
async def deleted(request: Request) -> HTMLResponse:
    """Said once the account is gone: public, as no member is signed in any more."""
    return kit.public_page(request, "portal/privacy_deleted.html.j2")
