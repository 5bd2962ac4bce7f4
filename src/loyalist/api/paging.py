"""Keyset paging cursors: ``<ISO time>~<id>`` of the last item of a page."""

from __future__ import annotations

from datetime import UTC, datetime

from loyalist.api.errors import CursorInvalidError
from loyalist.errors import FieldError


def parse_cursor(before: str | None) -> tuple[datetime, int] | None:
    """Raises InvalidRequestError (``cursor_invalid``) for a malformed cursor."""
    if not before:
        return None
    try:
        at, _, ident = before.rpartition("~")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, int(ident)
    except ValueError:
        raise CursorInvalidError(
            "bad paging cursor",
            errors=[FieldError("#query/before", "use next_before from the last page")],
        ) from None


def make_cursor(at: datetime, ident: int) -> str:
    """``<UTC time>Z~<id>``: no ``+`` in it, so it survives a query string unencoded."""
    return f"{at.astimezone(UTC).isoformat().replace('+00:00', 'Z')}~{ident}"
