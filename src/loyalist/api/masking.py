"""What a caller may see of members' personal data and of codes: routes pass what they
answer through these, so every member-bearing answer is masked the same way (issue 16)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from loyalist.audit.policy import truncated_ip
from loyalist.members import policy
from loyalist.members.schemas import MemberRead
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal

T = TypeVar("T")


def sees_pii(who: Principal) -> bool:
    return Permission.MEMBERS_READ_PII in who.permissions


def sees_codes(who: Principal) -> bool:
    return Permission.COUPONS_EXPORT in who.permissions


def member_for(who: Principal, member: MemberRead) -> MemberRead:
    """``member`` in full for holders of ``members.read_pii``, else masked."""
    return member if sees_pii(who) else policy.mask_member(member)


#: Where answers carry text written to a member.
_CONTENT_KEYS = frozenset({"subject", "text", "html"})


def content_for(who: Principal, payload: T, secrets: Iterable[str]) -> T:
    """``payload`` with the member's personal data (``secrets``) starred out of every
    message text in it (``subject``, ``text``, ``html``) for callers without
    ``members.read_pii``."""
    if sees_pii(who):
        return payload
    found = list(secrets)
    return cast(T, _walk(payload, _CONTENT_KEYS, lambda v: policy.mask_text(v, found)))


def codes_for(who: Principal, payload: T) -> T:
    """``payload`` (an answer's JSON: dicts and lists) with every string under a ``code``
    key masked for callers without ``coupons.export``. Only for answers whose ``code``
    keys hold coupon or referral codes (not reason codes)."""
    if sees_codes(who):
        return payload
    return cast(T, _walk(payload, frozenset({"code"}), policy.mask_code))


def addresses_for(who: Principal, payload: T) -> T:
    """``payload`` with every IP address under an ``ip`` key cut to its network (IPv4 /24,
    IPv6 /48, as the audit trail shows them) for callers without ``members.read_pii``."""
    if sees_pii(who):
        return payload
    return cast(T, _walk(payload, frozenset({"ip"}), lambda v: truncated_ip(v) or ""))


def _walk(value: Any, keys: frozenset[str], mask: Callable[[str], str]) -> Any:
    """``value`` with ``mask`` applied to every string under one of ``keys``."""
    if isinstance(value, dict):
        return {
            k: mask(v) if k in keys and isinstance(v, str) else _walk(v, keys, mask)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_walk(v, keys, mask) for v in value]
    return value
