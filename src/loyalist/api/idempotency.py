"""Replay-safe writes: the ``Idempotency-Key`` header and the runner that honours it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Header, Request
from starlette.responses import Response

from loyalist.api.deps import read, write
from loyalist.api.responses import JsonResponse, json_safe
from loyalist.db import idempotency
from loyalist.db.uow import UnitOfWork
from loyalist.errors import ConflictError

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=255,
        description="replaying a key returns the first answer; another body is a 409",
    ),
]
#: Required on every write that must not apply twice (points spent, held or adjusted, a
#: coupon or reward redeemed, a code given), so a blind retry replays the first answer; a
#: missing key is 428 ``idempotency_key_missing``.
RequiredIdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="required: one unique value per operation, sent again on every retry; "
        "replaying it returns the first answer, another body is a 409",
    ),
]


async def idempotent(
    request: Request,
    scope: str,
    target: str,
    key: str | None,
    body: dict[str, Any],
    status: int,
    op: Callable[[UnitOfWork], dict[str, Any]],
) -> Response:
    """Run ``op`` once per ``Idempotency-Key`` within ``scope`` (the operation): see
    :func:`run_once`. A replay is answered with ``Idempotent-Replayed: true``."""
    return answer(*await run_once(request, scope, target, key, body, status, op))


def answer(code: int, content: dict[str, Any], replayed: bool) -> Response:
    """The JSON answer of :func:`run_once`'s result."""
    return JsonResponse(
        content, status_code=code, headers={"Idempotent-Replayed": "true"} if replayed else None
    )


async def run_once(
    request: Request,
    scope: str,
    target: str,
    key: str | None,
    body: dict[str, Any],
    status: int,
    op: Callable[[UnitOfWork], dict[str, Any]],
) -> tuple[int, dict[str, Any], bool]:
    """Run ``op`` once per ``key`` within ``scope``; returns the status, the content and
    whether it is a replay of the first answer (the member portal's pages answer it as
    HTML, the API as JSON).

    The target (member or hold id) is hashed with the body rather than put in the scope, so
    the scope fits its column whatever the id's length; the same key sent for another
    target is a different request, hence a 409.
    """
    digest = idempotency.request_hash({"target": target, "body": body})

    def run(uow: UnitOfWork) -> tuple[int, dict[str, Any], bool]:
        if key is not None:
            stored = idempotency.find_replay(uow, scope, key, digest)
            if stored is not None:
                return stored.status_code, stored.response, True
        content = json_safe(op(uow))
        if key is not None:
            idempotency.remember(uow, scope, key, digest, status, content)
        return status, content, False

    try:
        code, content, replayed = await write(request, run)
    except ConflictError:
        # A concurrent request with the same key may have won the race this one lost (the
        # code it used up, the hold it confirmed): once that one committed, answer as a
        # replay of it. Looked up in a fresh read, never in the failed unit.
        if key is None:
            raise

        def winner(uow: UnitOfWork) -> tuple[int, dict[str, Any]] | None:
            assert key is not None
            stored = idempotency.find_replay(uow, scope, key, digest)
            return None if stored is None else (stored.status_code, stored.response)

        found = await read(request, winner)
        if found is None:
            raise
        (code, content), replayed = found, True
    return code, content, replayed
