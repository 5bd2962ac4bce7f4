"""Idempotency records: a replayed write returns the first answer; a different body conflicts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import String
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


_TABLE = IdempotencyRecord.__tablename__


def request_hash(body: Any) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass(frozen=True, slots=True)
class Replay:
    """The first answer to a key: what a replay of the request answers."""

    status_code: int
    response: dict[str, Any]


def find_replay(uow: UnitOfWork, scope: str, key: str, body_hash: str) -> Replay | None:
    """The stored answer for ``key``, or None when the key is new (one fixed statement:
    this runs before every write that carries a key).

    Raises:
        ConflictError: the key was used with a different request body.
    """
    row = uow.one(
        f"SELECT request_hash, status_code, response FROM {_TABLE} "  # noqa: S608
        "WHERE scope = ? AND key = ?",
        (scope, key),
    )
    if row is None:
        return None
    if row[0] != body_hash:
        raise IdempotencyKeyReusedError(
            f"idempotency key {key!r} was already used with a different request"
        )
    response = row[2] if isinstance(row[2], dict) else orjson.loads(row[2])
    return Replay(int(row[1]), response)


def remember(
    uow: UnitOfWork,
    scope: str,
    key: str,
    body_hash: str,
    status_code: int,
    response: dict[str, Any],
) -> None:
    """Store the first answer to ``key``.

    Raises:
        ConflictError: a concurrent request with the same key stored its answer first (on
        PostgreSQL the insert waits for it to commit); this unit must not apply, and the
        caller answers with the winner's answer (or a conflict if its body differs).
    """
    document = "?::jsonb" if uow.dialect == "postgresql" else "?"
    stored = uow.change(
        f"INSERT INTO {_TABLE} (scope, key, request_hash, status_code, response, "  # noqa: S608
        f"created_at) VALUES (?, ?, ?, ?, {document}, ?) ON CONFLICT (scope, key) DO NOTHING",
        (
            scope,
            key,
            body_hash,
            status_code,
            orjson.dumps(response).decode(),
            uow.stamp(uow.now),
        ),
    )
    if not stored:
        raise IdempotencyKeyReusedError(f"idempotency key {key!r} was used by a concurrent request")
