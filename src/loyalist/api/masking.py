"""What a caller may see of members' personal data and of codes: routes pass what they
answer through these, so every member-bearing answer is masked the same way (issue 16)."""

from __future__ import annotations

from collections.abc import Iterable

from loyalist.members import policy
from loyalist.members.schemas import MemberRead
from loyalist.staff.models import Permission
from loyalist.staff.service import Principal


def sees_pii(who: Principal) -> bool:
    return Permission.MEMBERS_READ_PII in who.permissions


def sees_codes(who: Principal) -> bool:
    return Permission.COUPONS_EXPORT in who.permissions


def member_for(who: Principal, member: MemberRead) -> MemberRead:
    """``member`` in full for holders of ``members.read_pii``, else masked."""
    return member if sees_pii(who) else policy.mask_member(member)


def code_for(who: Principal, code: str | None) -> str | None:
    """A coupon or referral code in full for holders of ``coupons.export``, else masked."""
    return code if code is None or sees_codes(who) else policy.mask_code(code)


def text_for(who: Principal, text: str | None, secrets: Iterable[str]) -> str | None:
    """Text addressed to a member with their personal data (``secrets``) starred out for
    callers without ``members.read_pii``."""
    if text is None or sees_pii(who):
        return text
    return policy.mask_text(text, secrets)
