"""Reveal: one member's personal field in full, with a reason, rate-limited per caller
and recorded as a ``pii.read`` audit row in the same transaction as the read."""

from __future__ import annotations

import logging
import math
import time

from fastapi import APIRouter, Depends, Request
from limits import parse, storage, strategies

from loyalist.api.deps import GuardedRoute, MemberId, refuse_nul, require, write
from loyalist.api.errors import RevealsLimitedError
from loyalist.api.problems import problem_responses
from loyalist.api.responses import success
from loyalist.db.uow import UnitOfWork
from loyalist.members import service as members
from loyalist.members.errors import MemberNotFoundError
from loyalist.members.schemas import RevealIn, RevealRead
from loyalist.settings import RevealSettings
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

log = logging.getLogger("loyalist.api.reveals")
router = APIRouter(
    prefix="/api/v1/members",
    tags=["members"],
    dependencies=[Depends(refuse_nul)],
    route_class=GuardedRoute,
)


class RevealLimit:
    """Reveals per caller in a moving window (``reveal.per_caller``)."""

    def __init__(self, settings: RevealSettings) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(
            storage.storage_from_string(settings.storage)
        )
        self._item = parse(settings.per_caller)

    def admit(self, who: Principal) -> None:
        """Count one reveal by ``who``.

        Raises:
            RateLimitedError: ``reveals_limited`` with the seconds to wait.
        """
        if self._limiter.hit(self._item, "reveal", who.ref):
            return
        reset = self._limiter.get_window_stats(self._item, "reveal", who.ref).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        log.warning("reveals refused for %s (limit %s)", who.ref, self._item)
        raise RevealsLimitedError(
            f"too many reveals by this caller (limit {self._item}); retry in {wait} s",
            retry_after=wait,
        )


@router.post(
    "/{member_id}/reveal",
    response_model=RevealRead,
    responses=problem_responses(
        MemberNotFoundError,
        RevealsLimitedError,
        success={
            200: success(
                None, {"member_id": "M1", "field": "phone", "value": "+79161234567"}, "Shown"
            )
        },
    ),
)
async def reveal(
    member_id: MemberId,
    body: RevealIn,
    request: Request,
    who: Principal = Depends(require(Permission.MEMBERS_REVEAL)),
) -> RevealRead:
    """One personal field (``email``, ``phone``, ``name``, ``birthday``) of the member in
    full, for a stated reason: recorded as a ``pii.read`` audit row with the caller, the
    field and the reason, in the same transaction as the read. Limited per caller
    (``LOYALIST_REVEAL__PER_CALLER``): beyond it 429 ``reveals_limited`` with Retry-After."""
    limit: RevealLimit = request.app.state.reveal_limit
    limit.admit(who)

    def op(uow: UnitOfWork) -> RevealRead:
        return members.reveal(uow, member_id, body, who.actor)

    return await write(request, op)
