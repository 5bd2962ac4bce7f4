"""Keyset paging cursors: ``<ISO time>~<id>`` of the last item of a page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Final

from loyalist.api.errors import CursorInvalidError
from loyalist.db.keyset import Key
from loyalist.errors import FieldError

_MESSAGE_ID: Final = re.compile(r"msg_[0-9a-f]{1,36}")
#: Ids that name their kind: a reward given, a use of a coupon code.
_OWN_IDS: Final = {
    "reward": re.compile(r"rwd_[0-9a-f]{1,36}"),
    "coupon": re.compile(r"cpr_[0-9a-f]{1,36}"),
}

#: The member timeline's kinds in their order among entries of one instant (higher first):
#: coupon uses, messages, rewards, activities, tier moves, point movements.
TIMELINE_RANKS: Final = {
    "points": 0,
    "tier": 1,
    "activity": 2,
    "reward": 3,
    "message": 4,
    "coupon": 5,
}
#: Kinds whose cursor id is a bare number of their own (an activity's has no prefix).
_PREFIXED: Final = ("points", "tier")


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


def parse_timeline_key(before: str | None) -> Key | None:
    """The member timeline's cursor: ``<time>~<id>`` where the id is an activity's number,
    a message's, a reward's or a coupon use's id (``msg_…``, ``rwd_…``, ``cpr_…``), or
    ``points.<n>`` / ``tier.<n>``.

    Raises InvalidRequestError (``cursor_invalid``) for a malformed cursor."""
    if not before:
        return None
    at, _, ident = before.rpartition("~")
    kind, dot, number = ident.partition(".")
    if dot and kind in _PREFIXED:
        found = parse_cursor(f"{at}~{number}")
        assert found is not None
        return Key(found[0], TIMELINE_RANKS[kind], found[1])
    for named, pattern in _OWN_IDS.items():
        if pattern.fullmatch(ident):
            moment = parse_cursor(f"{at}~0")
            assert moment is not None
            return Key(moment[0], TIMELINE_RANKS[named], ident)
    found_any = parse_timeline_cursor(before)
    assert found_any is not None
    moment_at, value = found_any
    return Key(
        moment_at, TIMELINE_RANKS["message" if isinstance(value, str) else "activity"], value
    )


def timeline_cursor(key: Key) -> str:
    """The cursor :func:`parse_timeline_key` reads back (activities' and messages' as
    before the timeline had other kinds)."""
    kind = next(name for name, rank in TIMELINE_RANKS.items() if rank == key.rank)
    return make_cursor(key.at, f"{kind}.{key.ident}" if kind in _PREFIXED else key.ident)


def _invalid() -> CursorInvalidError:
    return CursorInvalidError(
        "bad paging cursor",
        errors=[FieldError("#query/before", "use next_before from the last page")],
    )


def make_cursor(at: datetime, ident: int | str) -> str:
    """``<UTC time>Z~<id>``: no ``+`` in it, so it survives a query string unencoded."""
    return f"{at.astimezone(UTC).isoformat().replace('+00:00', 'Z')}~{ident}"
