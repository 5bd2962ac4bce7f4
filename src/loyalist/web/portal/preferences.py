"""``/portal/preferences``: how and about what the shop may write to the member (marketing
consent per channel, a switch per topic) and their other consents (processing of personal
data, transfers to named processors), each change recorded as the API and the preference
centre record it: source ``portal``, the member's address, and the version of the consent
text the page showed (``member_consent_changes`` is the trail)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path
from starlette.requests import Request
from starlette.responses import HTMLResponse

from loyalist.api.deps import client_ip, read, write
from loyalist.db.uow import UnitOfWork
from loyalist.members import consents
from loyalist.members import service as members
from loyalist.members.models import Channel, Locale
from loyalist.members.schemas import PURPOSE_PATTERN, ConsentUpdate, TextShown
from loyalist.messages import preferences
from loyalist.web.portal import kit
from loyalist.web.portal.features import PORTAL, one_field, posted

router = kit.portal_router()

PurposeCode = Annotated[str, Path(max_length=80, pattern=PURPOSE_PATTERN)]
_CHANNELS = {c.value for c in Channel}
_YES_NO = re.compile(r"[01]")
_VERSION = re.compile(r"[1-9][0-9]{0,8}")


def _shown(uow: UnitOfWork, member_id: str, locale: str) -> dict[str, Any]:
    """The page's context: the choices, the consents that are not a channel's, and the
    newest consent text of each purpose in the page's language."""
    member_pk = members.get_member_id(uow, member_id)
    held = consents.member_consents(uow, member_pk, member_id, limit=1)
    return {
        "choices": preferences.read_preferences(uow, member_pk),
        "purposes": held.purposes,
        "others": [p for p in held.purposes if p.purpose not in _CHANNELS],
        "titles": {p.code: p.title for p in consents.list_purposes(uow)},
        "texts": consents.current_texts(uow, [p.purpose for p in held.purposes], locale),
    }


@router.get("/preferences")
async def preferences_page(request: Request) -> HTMLResponse:
    who = await kit.visitor(request)
    shown = await read(request, lambda uow: _shown(uow, who.member_id, who.locale))
    return await kit.member_page(request, "portal/preferences.html.j2", {**shown, "saved": False})


@router.post("/preferences")
async def save_preferences(request: Request) -> HTMLResponse:
    """Save the channels and topics form (boxes not ticked are off), each channel's consent
    with the text version shown under it; answers the form anew, saying it is saved."""
    who = await kit.visitor(request)
    choices = preferences.form_choices(await posted(request))
    ip = client_ip(request)

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member_pk = members.get_member_id(uow, who.member_id)
        preferences.save_choices(uow, member_pk, who.locale, choices, source=PORTAL, ip=ip)
        return _shown(uow, who.member_id, who.locale)

    shown = await write(request, op)
    return await kit.member_page(
        request, "portal/preferences_form.html.j2", {**shown, "saved": True}
    )


@router.post("/preferences/consents/{purpose}")
async def change_consent(purpose: PurposeCode, request: Request) -> HTMLResponse:
    """Grant (``grant=1``) or withdraw (``grant=0``) one consent, on the text version the
    page showed (``text``, when the purpose has one); answers the consent's line anew."""
    who = await kit.visitor(request)
    form = await posted(request)
    granted = one_field(form, "grant", _YES_NO) == "1"
    version = one_field(form, "text", _VERSION) if "text" in form else None
    body = ConsentUpdate(
        is_granted=granted,
        source=PORTAL,
        ip=client_ip(request),
        text=TextShown(version=int(version), locale=Locale(who.locale)) if version else None,
    )

    def op(uow: UnitOfWork) -> dict[str, Any]:
        member = members.get_member(uow, who.member_id)
        consents.change_consent(uow, member, purpose, body)
        return _shown(uow, who.member_id, who.locale)

    shown = await write(request, op)
    consent = next(p for p in shown["purposes"] if p.purpose == purpose)
    return await kit.member_page(
        request, "portal/preferences_consent.html.j2", {**shown, "consent": consent, "saved": True}
    )
