"""Consent routes: purposes, versioned consent texts, and a member's consents with their
evidence (grant and withdraw per purpose)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from loyalist.api.deps import GuardedRoute, MemberId, read, refuse_nul, require, write
from loyalist.api.masking import addresses_for
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.db.uow import UnitOfWork
from loyalist.members import consents
from loyalist.members import service as members
from loyalist.members.errors import (
    ConsentPurposeExistsError,
    ConsentPurposeNotFoundError,
    ConsentTextMismatchError,
    ConsentTextNotFoundError,
    MemberNotFoundError,
)
from loyalist.members.models import Locale
from loyalist.members.schemas import (
    PURPOSE_PATTERN,
    ConsentTextIn,
    ConsentTextRead,
    ConsentUpdate,
    MemberConsentsRead,
    PurposeConsentRead,
    PurposeIn,
    PurposeRead,
)
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

router = APIRouter(tags=["consents"], dependencies=[Depends(refuse_nul)], route_class=GuardedRoute)

PurposeCode = Annotated[
    str,
    Path(max_length=64, pattern=PURPOSE_PATTERN, description="processing, email, sms, push, …"),
]
#: Publishing purposes and consent texts is the privacy officer's (or an admin's) work.
ConsentManager = Annotated[Principal, Depends(require(Permission.PRIVACY_REQUESTS))]


@router.get(
    "/api/v1/consent-purposes",
    response_model=list[PurposeRead],
    dependencies=[Depends(require(Permission.MEMBERS_READ))],
)
async def list_purposes(request: Request) -> list[PurposeRead]:
    """What members consent to: processing of their personal data, marketing per channel
    (the purpose's code is the channel), and transfer to each processor added."""
    return await read(request, consents.list_purposes)


@router.post(
    "/api/v1/consent-purposes",
    response_model=PurposeRead,
    status_code=201,
    responses=problem_responses(ConsentPurposeExistsError),
)
async def add_purpose(body: PurposeIn, request: Request, who: ConsentManager) -> PurposeRead:
    """Add the purpose "transfer of personal data to a processor" (``transfer.<processor>``),
    which the send-time check asks for when ``require_transfer_consent`` is on and a
    channel's provider is that processor."""
    actor = who.actor
    return await write(request, lambda uow: consents.add_purpose(uow, body, actor=actor))


@router.get(
    "/api/v1/consent-texts",
    response_model=list[ConsentTextRead],
    dependencies=[Depends(require(Permission.MEMBERS_READ))],
)
async def list_texts(
    request: Request,
    purpose: Annotated[str | None, Query(max_length=64, pattern=PURPOSE_PATTERN)] = None,
    locale: Locale | None = None,
) -> list[ConsentTextRead]:
    """Every published version of the consent texts (of one purpose, one language), by
    purpose and language, newest version first; each with its SHA-256."""
    return await read(request, lambda uow: consents.list_texts(uow, purpose, locale))


@router.post(
    "/api/v1/consent-texts",
    response_model=ConsentTextRead,
    responses={
        201: {"model": ConsentTextRead, "description": "published as a new version"},
        **problem_responses(ConsentPurposeNotFoundError),
    },
)
async def publish_text(body: ConsentTextIn, request: Request, who: ConsentManager) -> Response:
    """Publish a new version of a purpose's consent text in one language (201); a text
    equal to the newest version answers that version (200). Published versions never
    change: grants and withdrawals name the version and its SHA-256."""
    actor = who.actor
    found, created = await write(request, lambda uow: consents.publish_text(uow, body, actor=actor))
    return JsonResponse(found.model_dump(mode="json"), status_code=201 if created else 200)


@router.get(
    "/api/v1/members/{member_id}/consents",
    response_model=MemberConsentsRead,
    responses=problem_responses(MemberNotFoundError),
)
async def member_consents(
    member_id: MemberId,
    request: Request,
    who: Annotated[Principal, Depends(require(Permission.MEMBERS_READ))],
    limit: Annotated[int, Query(ge=1, le=1000, description="trail entries")] = 100,
) -> Any:
    """The member's consent for every purpose with the evidence of the change that set it
    (time, source, IP address — cut to its network without ``members.read_pii`` —, the
    text version and its SHA-256), and the consent trail, newest first."""

    def op(uow: UnitOfWork) -> MemberConsentsRead:
        internal = members.get_member_id(uow, member_id)
        return consents.member_consents(uow, internal, member_id, limit=limit)

    found = await read(request, op)
    return addresses_for(who, found.model_dump(mode="json"))


@router.put(
    "/api/v1/members/{member_id}/consents/{purpose}",
    response_model=PurposeConsentRead,
    dependencies=[Depends(require(Permission.MEMBERS_WRITE))],
    responses=problem_responses(
        MemberNotFoundError,
        ConsentPurposeNotFoundError,
        ConsentTextNotFoundError,
        ConsentTextMismatchError,
    ),
)
async def put_consent(
    member_id: MemberId, purpose: PurposeCode, body: ConsentUpdate, request: Request
) -> PurposeConsentRead:
    """Grant or withdraw the member's consent for a purpose, with its evidence: ``source``
    (where the member gave it), ``ip`` (the member's address, when the shop knows it),
    ``text`` (the version they were shown; in the member's language unless ``locale`` is
    given). Marketing consent is the purpose named by the channel (``email``, ``sms``,
    ``push``). Saying again what is held records nothing."""

    def op(uow: UnitOfWork) -> PurposeConsentRead:
        member = members.get_member(uow, member_id)
        return consents.change_consent(uow, member, purpose, body)

    return await write(request, op)
