"""Idempotency records: a replayed write returns the first answer; a different body conflicts."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base
from loyalist.db.uow import UnitOfWork
from loyalist.errors import IdempotencyKeyReusedError


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


def request_hash(body: Any) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def find_replay(uow: UnitOfWork, scope: str, key: str, body_hash: str) -> IdempotencyRecord | None:
    """The stored answer for ``key``, or None when the key is new.

    Raises:
        ConflictError: the key was used with a different request body.
    """
    record = uow.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
        )
    )
    if record is not None and record.request_hash != body_hash:
        raise IdempotencyKeyReusedError(
            f"idempotency key {key!r} was already used with a different request"
        )
    return record


def remember(
    uow: UnitOfWork,
    scope: str,
    key: str,
    body_hash: str,
    status_code: int,
    response: dict[str, Any],
) -> None:
    uow.session.add(
        IdempotencyRecord(
            scope=scope,
            key=key,
            request_hash=body_hash,
            status_code=status_code,
            response=response,
            created_at=uow.now,
        )
    )
    uow.session.flush()
