"""Declarative base, column types shared by every domain, and constraint naming."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, Integer, MetaData, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: 64-bit keys on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the rowid alias.
BigId = BigInteger().with_variant(Integer(), "sqlite")
JsonDoc = JSON().with_variant(JSONB(), "postgresql")


_STAMPS: dict[datetime, str] = {}
_STAMPS_MAX = 65_536


def sqlite_stamp(value: datetime | None) -> str | None:
    """An aware datetime as the UTC text ``UtcDateTime`` stores on SQLite (``YYYY-MM-DD
    HH:MM:SS.ffffff``, which sorts and compares correctly).

    Recent instants are remembered: a batch writes the same few (its unit's ``now``, an
    event's time) into many rows.

    Raises:
        ValueError: a naive datetime.
    """
    if value is None:
        return None
    found = _STAMPS.get(value)
    if found is not None:
        return found
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("naive datetime given to a UTC column")
    text = (value.astimezone(UTC) if offset else value).isoformat(" ", "microseconds")[:26]
    if len(_STAMPS) >= _STAMPS_MAX:
        _STAMPS.clear()
    _STAMPS[value] = text
    return text


_INSTANTS: dict[str, datetime] = {}


def sqlite_instant(text: str) -> datetime:
    """The aware UTC datetime of a timestamp stored by ``sqlite_stamp`` (recent ones are
    remembered: a batch reads the same few in many rows)."""
    found = _INSTANTS.get(text)
    if found is None:
        found = datetime.fromisoformat(text).replace(tzinfo=UTC)
        if len(_INSTANTS) >= _STAMPS_MAX:
            _INSTANTS.clear()
        _INSTANTS[text] = found
    return found


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out, on every dialect.

    SQLite keeps no zone: values are stored as UTC text in SQLAlchemy's own layout
    (``YYYY-MM-DD HH:MM:SS.ffffff``, which sorts and compares correctly), formatted and
    parsed here directly because the generic processor is a hot spot of batch ingest.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return sqlite_stamp(value)
        if value is not None and value.utcoffset() is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return sqlite_instant(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012
        datetime: UtcDateTime(),
        date: Date(),
        str: String(),
        dict[str, Any]: JsonDoc,
        list[Any]: JsonDoc,
    }
