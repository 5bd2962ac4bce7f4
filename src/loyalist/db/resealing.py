"""Rotation of secrets that belong to no member, sealed under the master key
(``EncryptedString`` columns: staff users' emails and TOTP secrets, the staff outbox's
content): rows with a value under another master key than the active one are read in
chunks by primary key, opened and written again (sealed under the active key on the way)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, String, Table, and_, func, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from loyalist.db.base import Base
from loyalist.db.crypto import EncryptedString, active_keyring


def _stale(table: Table, columns: tuple[str, ...], active_key_id: str) -> ColumnElement[bool]:
    return or_(
        *(
            and_(
                table.c[name].is_not(None),
                type_coerce(table.c[name], String).not_like(active_key_id + ":%"),
            )
            for name in columns
        )
    )


def count_stale(session: Session, entity: type[Base], columns: tuple[str, ...]) -> int:
    """Rows of ``entity`` with one of ``columns`` under another master key than the active."""
    table = cast(Table, entity.__table__)
    statement = (
        select(func.count())
        .select_from(table)
        .where(_stale(table, columns, active_keyring().active.key_id))
    )
    return int(session.scalar(statement) or 0)


def reseal_stale(
    session: Session, entity: type[Base], key: str, columns: tuple[str, ...], after: Any, limit: int
) -> tuple[Any, int]:
    """Seal ``columns`` of the next ``limit`` rows of ``entity`` above ``after`` (by its
    primary key column ``key``) that are under another master key under the active one.
    Returns the last key done (None: none left) and how many rows changed.

    Raises:
        MasterKeyMissingError: a value is sealed by a master key that is not in the keyring.
    """
    keyring = active_keyring()
    table = cast(Table, entity.__table__)
    statement = (
        select(table.c[key], *(type_coerce(table.c[name], String) for name in columns))
        .where(table.c[key] > after, _stale(table, columns, keyring.active.key_id))
        .order_by(table.c[key])
        .limit(limit)
        .with_for_update()
    )
    rows = list(session.execute(statement))
    for row_key, *values in rows:
        opened = {
            name: None
            if value is None
            else keyring.decrypt(value, cast(EncryptedString, table.c[name].type).purpose)
            for name, value in zip(columns, values, strict=True)
        }
        session.execute(
            update(table).where(table.c[key] == row_key).values(**opened),
            execution_options={"synchronize_session": False},
        )
    return (rows[-1][0] if rows else None), len(rows)
