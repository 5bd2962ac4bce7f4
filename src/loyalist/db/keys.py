"""Keys kept in the database, wrapped by the master key: the blind-index key (one row,
``index``), stored once by ``loyalist init``/``migrate`` and rewrapped by ``loyalist keys
rotate``; its value never changes, so neither do the index values made with it."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from loyalist.db.base import Base
from loyalist.db.crypto import Keyring
from loyalist.db.uow import UnitOfWork

INDEX: Final = "index"
_TABLE = "crypto_keys"


class StoredKey(Base):
    """A key of the whole installation, wrapped by a master key (``<key id>:<base64>``)."""

    __tablename__ = _TABLE

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    wrapped: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    rotated_at: Mapped[datetime | None]


def wrapped_index_key(uow: UnitOfWork) -> str | None:
    row = uow.one(f"SELECT wrapped FROM {_TABLE} WHERE name = ?", (INDEX,))  # noqa: S608
    return None if row is None else str(row[0])


def store_index_key(uow: UnitOfWork, keyring: Keyring) -> bool:
    """Store the index key, wrapped, unless one is stored; True when it was stored now.

    The key stored is the one every blind index was made with until now (derived from the
    active master key), so existing index values stay valid: migrate before changing the
    master key, never in the same step.
    """
    if wrapped_index_key(uow) is not None:
        return False
    uow.change(
        f"INSERT INTO {_TABLE} (name, wrapped, created_at) VALUES (?, ?, ?)",  # noqa: S608
        (INDEX, keyring.wrap_index_key(keyring.adopted_index_key()), uow.stamp(uow.now)),
    )
    return True


def rewrap_index_key(uow: UnitOfWork, keyring: Keyring) -> int:
    """Rewrap the index key under the active master key (the key itself stays); returns 1
    if it was under another one, else 0.

    Raises:
        MasterKeyMissingError: it is wrapped by a master key that is not in the keyring.
    """
    found = uow.one(
        f"SELECT wrapped FROM {_TABLE} WHERE name = ? FOR UPDATE"  # noqa: S608
        if uow.dialect == "postgresql"
        else f"SELECT wrapped FROM {_TABLE} WHERE name = ?",  # noqa: S608
        (INDEX,),
    )
    if found is None or keyring.is_current(str(found[0])):
        return 0
    uow.change(
        f"UPDATE {_TABLE} SET wrapped = ?, rotated_at = ? WHERE name = ?",  # noqa: S608
        (keyring.rewrap_index_key(str(found[0])), uow.stamp(uow.now), INDEX),
    )
    return 1
