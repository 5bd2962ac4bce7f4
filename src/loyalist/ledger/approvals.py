"""Maker-checker for manual adjustments: one above the program's threshold is recorded as
a request and booked (through ``service.adjust_points``) only when a second person
approves it; nobody decides their own request. Each step audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.db.uow import UnitOfWork
from loyalist.ledger import repository, service
from loyalist.ledger.errors import (
    AdjustmentDecidedError,
    AdjustmentInvalidError,
    AdjustmentRequestNotFoundError,
    ApprovalByRequesterError,
)
from loyalist.ledger.models import AdjustmentRequest, AdjustmentState
from loyalist.ledger.policy import needs_approval
from loyalist.settings import ProgramPolicy


def _ref(actor: Actor) -> str:
    return f"{actor.kind}:{actor.id}"


def request_adjustment(
    uow: UnitOfWork,
    member_id: int,
    points: int,
    *,
    reason: str,
    actor: Actor,
    name: str,
    target: str,
    idempotency_key: str | None,
) -> AdjustmentRequest:
    """Record an adjustment waiting for approval (nothing is booked). Audited as
    ``points.adjustment_requested`` on the member ``target`` (their external id).

    Raises:
        InvalidRequestError: zero points or an empty reason.
    """
    if points == 0 or not reason.strip():
        raise AdjustmentInvalidError("an adjustment needs a non-zero amount and a reason")
    request = AdjustmentRequest(
        member_id=member_id,
        points=points,
        reason=reason.strip(),
        state=AdjustmentState.PENDING,
        requested_by=_ref(actor),
        requested_by_name=name,
        idempotency_key=idempotency_key,
        created_at=uow.now,
    )
    repository.add_adjustment_request(uow.session, request)
    audit.record(
        uow, actor, "points.adjustment_requested", target_type="adjustment_request",
        target_id=str(request.id), member_id=member_id,
        after={"points": points, "member": target}, reason=request.reason,
    )  # fmt: skip
    return request


@dataclass(frozen=True, slots=True)
class Adjusted:
    """What a manual adjustment did: booked (``posting_id``) or, above the approval
    threshold, asked for a second person's approval (``request``)."""

    posting_id: int | None = None
    request: AdjustmentRequest | None = None


def adjust_or_request(
    uow: UnitOfWork,
    member_id: int,
    points: int,
    *,
    reason: str,
    actor: Actor,
    name: str,
    target: str,
    idempotency_key: str | None,
    program: ProgramPolicy,
) -> Adjusted:
    """A manual correction by ``actor`` (recorded as issued by ``name``): booked at once
    and audited as ``points.adjusted`` on the member, or — larger either way than the
    program's ``adjustment_approval_threshold`` — recorded as a pending request
    (:func:`request_adjustment`) that another person approves or rejects.

    Raises:
        InvalidRequestError: zero points or an empty reason.
        ConflictError: a debit larger than the available balance.
    """
    if needs_approval(points, program):
        return Adjusted(
            request=request_adjustment(
                uow, member_id, points, reason=reason, actor=actor, name=name, target=target,
                idempotency_key=idempotency_key,
            )
        )  # fmt: skip
    posting_id = service.adjust_points(
        uow, member_id, points, reason=reason, issuer=name, program=program
    )
    audit.record(
        uow, actor, "points.adjusted", target_type="member",
        # The internal id: audit rows outlive an erasure, the shop's id must not.
        target_id=str(member_id), member_id=member_id,
        after={"points": points, "posting_id": posting_id}, reason=reason,
    )  # fmt: skip
    return Adjusted(posting_id=posting_id)


def get_adjustment_request(uow: UnitOfWork, request_id: int) -> AdjustmentRequest:
    """Raises NotFoundError."""
    found = repository.find_adjustment_request(uow.session, request_id)
    if found is None:
        raise AdjustmentRequestNotFoundError(f"no adjustment request {request_id}")
    return found


def list_adjustment_requests(
    uow: UnitOfWork, state: AdjustmentState | None, *, limit: int = 100
) -> Sequence[AdjustmentRequest]:
    """Oldest first."""
    return repository.adjustment_requests(uow.session, state, limit)


def _decidable(uow: UnitOfWork, request_id: int, actor: Actor) -> AdjustmentRequest:
    request = get_adjustment_request(uow, request_id)
    if request.requested_by == _ref(actor):
        raise ApprovalByRequesterError(
            "you asked for this adjustment: another person must approve or reject it"
        )
    if request.state != AdjustmentState.PENDING:
        raise AdjustmentDecidedError(f"adjustment request {request_id} is {request.state}")
    return request


def approve_adjustment(
    uow: UnitOfWork, request_id: int, *, actor: Actor, program: ProgramPolicy
) -> AdjustmentRequest:
    """Book the requested adjustment (issuer: the requester) and mark the request
    approved, in one transaction; of concurrent approvals exactly one books, the others
    fail with ``adjustment_decided`` and roll back. Audited as
    ``points.adjustment_approved``.

    Raises:
        NotFoundError: no such request.
        PermissionDeniedError: ``approval_by_requester``.
        ConflictError: decided already; a debit larger than the available balance.
    """
    request = _decidable(uow, request_id, actor)
    posting_id = service.adjust_points(
        uow,
        request.member_id,
        request.points,
        reason=request.reason,
        issuer=f"{request.requested_by_name} (approved by {actor.label or _ref(actor)})",
        program=program,
    )
    _decide(uow, request, AdjustmentState.APPROVED, actor, None, posting_id)
    return request


def reject_adjustment(
    uow: UnitOfWork, request_id: int, *, actor: Actor, reason: str
) -> AdjustmentRequest:
    """Mark the request rejected; nothing is booked. Audited as
    ``points.adjustment_rejected`` with the reason.

    Raises:
        NotFoundError: no such request.
        PermissionDeniedError: ``approval_by_requester``.
        ConflictError: decided already.
    """
    request = _decidable(uow, request_id, actor)
    _decide(uow, request, AdjustmentState.REJECTED, actor, reason, None)
    return request


def _decide(
    uow: UnitOfWork,
    request: AdjustmentRequest,
    state: AdjustmentState,
    actor: Actor,
    reason: str | None,
    posting_id: int | None,
) -> None:
    decided = repository.decide_adjustment_request(
        uow.session, request.id, state, _ref(actor), uow.now, reason, posting_id
    )
    if not decided:
        raise AdjustmentDecidedError(f"adjustment request {request.id} was decided meanwhile")
    uow.session.refresh(request)
    audit.record(
        uow, actor, f"points.adjustment_{state}", target_type="adjustment_request",
        target_id=str(request.id), member_id=request.member_id,
        after={"points": request.points, "posting_id": posting_id}, reason=reason,
    )  # fmt: skip
