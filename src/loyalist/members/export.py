"""Members as frames for an export file: read by id in chunks (one statement each, nothing
locked or written), personal data only when asked for.

Masked (the default) a member's row carries no personal value at all, only whether an
e-mail address and a phone number are known: masking a value (``a***@e***.ru``) needs it
opened with the member's data key, which would cost more than the rest of the export
together. With ``personal`` the values are opened and given in full.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, Final

import polars as pl
from polars._typing import PolarsDataType

from loyalist.db.crypto import active_keyring
from loyalist.db.frames import UTC_US, by_id, frame_schema
from loyalist.db.uow import UnitOfWork
from loyalist.members import repository
from loyalist.members.models import BIRTHDAY, EMAIL, FIRST_NAME, LAST_NAME, PHONE

#: Members read per statement (and per frame) of an export.
CHUNK: Final = 50_000


#: The columns of a masked export, in file order.
MASKED: Final = frame_schema(
    {
        "member_id": pl.String,
        "locale": pl.String,
        "timezone": pl.String,
        "enrolled_at": UTC_US,
        "created_at": UTC_US,
        "updated_at": UTC_US,
        "erased_at": UTC_US,
        "has_email": pl.Boolean,
        "has_phone": pl.Boolean,
        "segments": pl.List(pl.String),
        "attributes": pl.String,
    }
)
#: The personal columns ``personal`` adds (opened, in full).
PERSONAL: Final = frame_schema(
    {
        "email": pl.String,
        "phone": pl.String,
        "first_name": pl.String,
        "last_name": pl.String,
        "birthday": pl.String,
    }
)
_READ: Final[dict[str, PolarsDataType]] = {**MASKED, "segments": pl.String}
_TIMES: Final = ("enrolled_at", "created_at", "updated_at", "erased_at")
_READ_TEXT: Final[dict[str, PolarsDataType]] = {**_READ, **dict.fromkeys(_TIMES, pl.String)}
#: ``has_email`` and ``has_phone`` are read as 0 or 1.
_FLAGS: Final[dict[str, PolarsDataType]] = {"has_email": pl.Int8, "has_phone": pl.Int8}
#: How ``UtcDateTime`` stores a time on SQLite.
_STORED: Final = "%Y-%m-%d %H:%M:%S%.f"
_SEALED: Final = (EMAIL, PHONE, FIRST_NAME, LAST_NAME, BIRTHDAY)

#: ``keep(uow, ids)``: which members of a chunk (ids ascending) go into the file.
Keep = Callable[[UnitOfWork, Sequence[int]], Collection[int]]


def schema(*, personal: bool) -> pl.Schema:
    return pl.Schema({**MASKED, **PERSONAL}) if personal else MASKED


def frames(
    uow: UnitOfWork,
    *,
    personal: bool = False,
    keep: Keep | None = None,
    chunk: int = CHUNK,
    walked: Callable[[int], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """Every member (with ``keep``: those it keeps of each chunk's members not erased),
    by id, a frame of :func:`schema` per chunk; ``walked(members read)`` after each
    chunk."""
    texts = uow.session.get_bind().dialect.name == "sqlite"
    for rows in by_id(
        lambda after: repository.export_rows(
            uow.session, after=after, limit=chunk, personal=personal
        ),
        walked,
    ):
        if keep is not None:
            kept = set(keep(uow, [int(r[0]) for r in rows if r[7] is None]))
            rows = [r for r in rows if r[0] in kept]
        if rows:
            yield _frame(rows, personal=personal, texts=texts)


def _frame(rows: Sequence[Any], *, personal: bool, texts: bool) -> pl.DataFrame:
    """``texts``: the times are SQLite's stored UTC text, parsed here all at once."""
    read = {"_id": pl.Int64, **(_READ_TEXT if texts else _READ), **_FLAGS}
    if personal:
        read |= {f"_sealed{i}": pl.String for i in range(len(_SEALED) + 1)}
    base = (
        pl.DataFrame(rows, schema=read, orient="row")
        .select(MASKED.names())
        .with_columns(
            pl.col("segments").str.json_decode(pl.List(pl.String)),
            pl.col(*_FLAGS).cast(pl.Boolean),
        )
    )
    if texts:
        base = base.with_columns(
            pl.col(_TIMES).str.to_datetime(_STORED, time_unit="us", time_zone="UTC")
        )
    if not personal:
        return base
    return pl.concat([base, _opened(rows)], how="horizontal")


def _opened(rows: Sequence[Any]) -> pl.DataFrame:
    """The personal values of the rows (sealed at 12–16, the wrapped key at 17), opened."""
    keyring = active_keyring()
    opened = []
    for row in rows:
        cipher = keyring.cipher(int(row[0]), row[17])
        opened.append(tuple(cipher.open(field, row[12 + i]) for i, field in enumerate(_SEALED)))
    return pl.DataFrame(opened, schema=PERSONAL, orient="row")
