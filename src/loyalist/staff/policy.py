"""Roles: the built-in ones (permissions they grant) and who must use two factors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from loyalist.staff.models import Permission as P


@dataclass(frozen=True, slots=True)
class RoleSpec:
    name: str
    permissions: frozenset[P]


def _role(name: str, *permissions: P) -> RoleSpec:
    return RoleSpec(name, frozenset(permissions))


_EVERYTHING = tuple(P)

#: The seeded roles by slug (custom roles are data beside them).
BUILTIN_ROLES: dict[str, RoleSpec] = {
    "owner": _role("Owner", *_EVERYTHING),
    "admin": _role("Admin", *_EVERYTHING),
    "marketer": _role(
        "Marketer",
        *(P.MEMBERS_READ, P.PROGRAM_READ, P.RULES_WRITE, P.COUPONS_WRITE, P.COUPONS_EXPORT),
        *(P.REFERRALS_READ, P.MESSAGES_READ, P.MESSAGES_SEND, P.MESSAGES_WRITE),
        P.ANALYTICS_READ,
    ),
    "support": _role(
        "Support",
        *(P.MEMBERS_READ, P.MEMBERS_REVEAL, P.MEMBERS_WRITE, P.POINTS_READ, P.POINTS_ADJUST),
        *(P.PROGRAM_READ, P.REFERRALS_READ, P.MESSAGES_READ, P.MESSAGES_SEND),
    ),
    "fraud_analyst": _role(
        "Fraud analyst",
        *(P.MEMBERS_READ, P.MEMBERS_REVEAL, P.POINTS_READ, P.POINTS_APPROVE),
        *(P.PROGRAM_READ, P.REFERRALS_READ, P.REFERRALS_REVIEW, P.ANALYTICS_READ, P.AUDIT_READ),
    ),
    "analyst": _role("Analyst", P.MEMBERS_READ, P.POINTS_READ, P.PROGRAM_READ, P.ANALYTICS_READ),
    "cashier": _role("Cashier", P.MEMBERS_READ, P.CHECKOUT, P.EVENTS_WRITE),
    "privacy_officer": _role(
        "Privacy officer",
        *(P.MEMBERS_READ, P.MEMBERS_READ_PII, P.PRIVACY_REQUESTS, P.AUDIT_READ),
    ),
    "auditor": _role("Auditor", P.MEMBERS_READ, P.PROGRAM_READ, P.ANALYTICS_READ, P.AUDIT_READ),
}

#: Holding any of these makes two factors compulsory: managing staff or keys, and seeing
#: personal data (in full or by reveal).
_NEEDS_TWO_FACTORS = frozenset(
    {P.STAFF_MANAGE, P.KEYS_MANAGE, P.MEMBERS_READ_PII, P.MEMBERS_REVEAL}
)


def needs_two_factors(permissions: Iterable[P]) -> bool:
    return not _NEEDS_TWO_FACTORS.isdisjoint(permissions)
