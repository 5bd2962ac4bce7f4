"""The hash chain: pure functions over a row's fields."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

#: The chain's first ``prev_hash``.
GENESIS = "0" * 64


def row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the row's canonical JSON (sorted keys; times in
    UTC ISO 8601 with microseconds, so both databases hash the same bytes)."""
    canonical = {
        key: (value.astimezone(UTC).isoformat(timespec="microseconds"))
        if isinstance(value, datetime)
        else value
        for key, value in fields.items()
    }
    body = orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + b"\n" + body).hexdigest()
