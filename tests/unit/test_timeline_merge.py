"""The member timeline's merged keyset pages: walked from the first page to the last, they
give every entry of every kind exactly once, newest first by (time, kind, id), whatever
the interleaving and however many entries share an instant; the cursor between pages
survives its text form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.api.paging import TIMELINE_RANKS, parse_timeline_key, timeline_cursor
from loyalist.db.keyset import Bound, Key, bound_for, int_before, merge

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _after(key: Key, bound: Bound | None) -> bool:
    """What the repositories' WHERE does with a bound, in Python."""
    if bound is None:
        return True
    if bound.ident is not None:
        return (key.at, key.ident) < (bound.at, bound.ident)
    return key.at <= bound.at if bound.or_equal else key.at < bound.at


def _after_int(key: Key, bound: Bound | None) -> bool:
    """What the activities' and ledger's ``(time, id) < before`` does with a bound."""
    before = int_before(bound)
    return before is None or (key.at, key.ident) < before


def _ident(kind: str, n: int) -> int | str:
    prefix = {"message": "msg", "reward": "rwd", "coupon": "cpr"}.get(kind)
    return n if prefix is None else f"{prefix}_{n:08x}"


rows = st.lists(
    st.tuples(st.sampled_from(sorted(TIMELINE_RANKS)), st.integers(0, 5), st.integers(1, 10**6)),
    max_size=60,
    unique_by=lambda row: (row[0], row[2]),
)


@settings(max_examples=200, deadline=None)
@given(rows=rows, limit=st.integers(1, 7))
def test_walking_the_pages_gives_every_entry_once_in_order(
    rows: list[tuple[str, int, int]], limit: int
) -> None:
    tables: dict[str, list[Key]] = {kind: [] for kind in TIMELINE_RANKS}
    for kind, minutes, n in rows:
        at = T0 + timedelta(minutes=minutes)
        tables[kind].append(Key(at, TIMELINE_RANKS[kind], _ident(kind, n)))
    expected = sorted((k for keys in tables.values() for k in keys), key=Key.sort_key)[::-1]

    walked: list[Key] = []
    cursor: Key | None = None
    for _ in range(len(expected) + 2):
        streams = []
        for kind, keys in tables.items():
            bound = bound_for(cursor, TIMELINE_RANKS[kind])
            kept = _after_int if kind in ("activity", "points", "tier") else _after
            found = sorted((k for k in keys if kept(k, bound)), key=Key.sort_key)[::-1]
            streams.append([(k, k) for k in found[: limit + 1]])
        page = merge(streams, limit)
        walked.extend(key for key, _ in page.rows)
        if page.next_key is None:
            break
        assert len(page.rows) == limit
        cursor = parse_timeline_key(timeline_cursor(page.next_key))
        assert cursor == page.next_key
    else:
        raise AssertionError("the pages never ended")

    assert walked == expected
