"""Keyset paging cursors: ``<ISO time>~<id>`` of the last item of a page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Final

from loyalist.api.errors import CursorInvalidError
from loyalist.errors import FieldError

_MESSAGE_ID: Final = re.compile(r"msg_[0-9a-f]{1,36}")


def parse_cursor(before: str | None) -> tuple[datetime, int] | None:
    """Raises InvalidRequestError (``cursor_invalid``) for a malformed cursor."""
    found = parse_timeline_cursor(before)
    if found is None:
        return None
    at, ident = found
    if isinstance(ident, str):
        raise _invalid()
    return at, ident


def parse_timeline_cursor(before: str | None) -> tuple[datetime, int | str] | None:
    """A cursor whose id is a row's number or a message id (``msg_<hex>``): the member
    timeline pages over activities and messages together.

    Raises InvalidRequestError (``cursor_invalid``) for a malformed cursor."""
    if not before:
        return None
    try:
        at, _, ident = before.rpartition("~")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError("naive")
        moment = moment.astimezone(UTC)  # OverflowError before year 1 or after 9999
        if _MESSAGE_ID.fullmatch(ident):
            return moment, ident
        number = int(ident)
        if not 0 <= number < 2**63:  # ids are 64-bit keys
            raise ValueError("not an id")
        return moment, number
    except (ValueError, OverflowError):
        raise _invalid() from None


def _invalid() -> CursorInvalidError:
    return CursorInvalidError(
        "bad paging cursor",
        errors=[FieldError("#query/before", "use next_before from the last page")],
    )


def make_cursor(at: datetime, ident: int | str) -> str:
    """``<UTC time>Z~<id>``: no ``+`` in it, so it survives a query string unencoded."""
    return f"{at.astimezone(UTC).isoformat().replace('+00:00', 'Z')}~{ident}"
