"""The hash chain (pure functions over a row's fields) and how addresses are shown."""

from __future__ import annotations

import hashlib
import ipaddress
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


def truncated_ip(ip: str | None) -> str | None:
    """The network an address belongs to, as views show it: IPv4 /24, IPv6 /48 (what was
    stored in full stays in the row, which its hash covers). Anything not an address is
    shown as stored."""
    if not ip:
        return ip
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6 and address.ipv4_mapped is not None:  # ::ffff:a.b.c.d
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
