"""Roles (the built-in ones and the permissions they grant, what API key scopes grant,
custom roles' slugs, who must use two factors), how far a sign-in got, when a session ends,
and which time step a TOTP code belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import pyotp

from loyalist.errors import FieldError
from loyalist.staff.models import Permission as P
from loyalist.staff.models import Scope, SessionStage


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
        *(P.ANALYTICS_READ, P.RECOMMENDATIONS_READ, P.CAMPAIGNS_READ, P.CAMPAIGNS_WRITE),
    ),
    "support": _role(
        "Support",
        *(P.MEMBERS_READ, P.MEMBERS_REVEAL, P.MEMBERS_WRITE, P.POINTS_READ, P.POINTS_ADJUST),
        *(P.PROGRAM_READ, P.REFERRALS_READ, P.MESSAGES_READ, P.MESSAGES_SEND),
        *(P.RECOMMENDATIONS_READ, P.CHECKOUT_READ),
    ),
    "fraud_analyst": _role(
        "Fraud analyst",
        *(P.MEMBERS_READ, P.MEMBERS_REVEAL, P.POINTS_READ, P.POINTS_APPROVE),
        *(P.PROGRAM_READ, P.REFERRALS_READ, P.REFERRALS_REVIEW, P.ANALYTICS_READ, P.AUDIT_READ),
    ),
    "analyst": _role(
        "Analyst",
        *(P.MEMBERS_READ, P.POINTS_READ, P.PROGRAM_READ, P.ANALYTICS_READ, P.RECOMMENDATIONS_READ),
        P.CAMPAIGNS_READ,
    ),
    "cashier": _role("Cashier", P.MEMBERS_READ, P.CHECKOUT_READ, P.CHECKOUT, P.EVENTS_WRITE),
    "privacy_officer": _role(
        "Privacy officer",
        *(P.MEMBERS_READ, P.MEMBERS_READ_PII, P.PRIVACY_REQUESTS, P.AUDIT_READ),
    ),
    "auditor": _role(
        "Auditor",
        *(P.MEMBERS_READ, P.PROGRAM_READ, P.ANALYTICS_READ, P.AUDIT_READ, P.CAMPAIGNS_READ),
    ),
}

#: Holding any of these makes two factors compulsory: managing staff or keys, and seeing
#: personal data (in full or by reveal).
_NEEDS_TWO_FACTORS = frozenset(
    {P.STAFF_MANAGE, P.KEYS_MANAGE, P.MEMBERS_READ_PII, P.MEMBERS_REVEAL}
)


def needs_two_factors(permissions: Iterable[P]) -> bool:
    return not _NEEDS_TWO_FACTORS.isdisjoint(permissions)


#: What each API key scope grants: the permissions of the routes the scope guarded before
#: routes were guarded by permissions, so no key lost a route (docs/decisions.md, issue 16,
#: lists where a scope now reaches more). ``admin`` grants every permission.
SCOPE_PERMISSIONS: Final[dict[Scope, frozenset[P]]] = {
    Scope.EVENTS_WRITE: frozenset({P.EVENTS_WRITE}),
    # The shop's own back end reads its customers in full (masking is for staff roles).
    Scope.MEMBERS_READ: frozenset({P.MEMBERS_READ, P.MEMBERS_READ_PII}),
    Scope.MEMBERS_WRITE: frozenset({P.MEMBERS_WRITE}),
    Scope.POINTS_READ: frozenset({P.POINTS_READ}),
    Scope.POINTS_WRITE: frozenset({P.CHECKOUT, P.POINTS_ADJUST}),
    Scope.PROGRAM_READ: frozenset({P.PROGRAM_READ, P.COUPONS_EXPORT, P.CAMPAIGNS_READ}),
    Scope.PROGRAM_WRITE: frozenset({P.RULES_WRITE, P.COUPONS_WRITE, P.CAMPAIGNS_WRITE}),
    Scope.CHECKOUT_READ: frozenset({P.CHECKOUT_READ}),
    Scope.CHECKOUT_WRITE: frozenset({P.CHECKOUT}),
    Scope.REFERRALS_READ: frozenset({P.REFERRALS_READ}),
    Scope.REFERRALS_WRITE: frozenset({P.REFERRALS_REVIEW}),
    Scope.INSIGHTS_READ: frozenset({P.ANALYTICS_READ}),
    Scope.RECOMMENDATIONS_READ: frozenset({P.RECOMMENDATIONS_READ}),
    Scope.MESSAGES_READ: frozenset({P.MESSAGES_READ}),
    Scope.MESSAGES_WRITE: frozenset({P.MESSAGES_WRITE, P.MESSAGES_SEND}),
    Scope.ADMIN: frozenset(P),
}


_SCOPES: Final = frozenset(s.value for s in Scope)


def scope_permissions(scopes: Iterable[str]) -> frozenset[P]:
    """The permissions a key's scopes grant (a scope no longer known grants nothing)."""
    granted: set[P] = set()
    for scope in scopes:
        if scope in _SCOPES:
            granted |= SCOPE_PERMISSIONS[Scope(scope)]
    return frozenset(granted)


_PERMISSIONS: Final = frozenset(p.value for p in P)


def permission_problems(values: Iterable[str], pointer: str) -> list[FieldError]:
    """A field error for each value that is not a permission, pointing at its index."""
    return [
        FieldError(f"{pointer}/{index}", f"unknown permission {value!r}")
        for index, value in enumerate(values)
        if value not in _PERMISSIONS
    ]


def beyond(granted: Iterable[P], held: frozenset[P]) -> list[P]:
    """What ``granted`` holds that ``held`` does not, sorted: nobody grants (to a key or a
    role) a permission they do not hold themselves."""
    return sorted(set(granted) - held)


def known_permissions(values: Iterable[str]) -> frozenset[P]:
    """The permissions among stored values (one a later version dropped grants nothing)."""
    return frozenset(P(value) for value in values if value in _PERMISSIONS)


def stage_after_password(*, has_two_factors: bool, needs_two_factors: bool) -> SessionStage:
    """Where a session stands once the password passed: a code is due when two factors are
    enrolled; enrolment is due when the roles need them and none are; else signed in."""
    if has_two_factors:
        return SessionStage.TWO_FACTOR
    return SessionStage.ENROLMENT if needs_two_factors else SessionStage.COMPLETE


def session_ended(
    now: datetime, *, last_seen_at: datetime, expires_at: datetime, idle: timedelta
) -> bool:
    """A session ends at its absolute expiry or after ``idle`` without a request."""
    return now >= expires_at or now - last_seen_at >= idle


#: How often a session's ``last_seen_at`` is written: the idle timeout is exact to this.
SEEN_EVERY = timedelta(minutes=1)

#: Codes of the time steps next to the current one are accepted too (clocks drift).
TOTP_WINDOW = 1


def totp_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step (RFC 6238 counter) of the current one or its neighbours that ``code``
    is the code of, if that step is later than ``last_step``; None otherwise. A code once
    accepted is refused again (its step is not later than the last accepted one), and so
    is any code of an earlier step."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    for offset in range(-TOTP_WINDOW, TOTP_WINDOW + 1):
        when = now + timedelta(seconds=offset * totp.interval)
        step = totp.timecode(when)
        if last_step is not None and step <= last_step:
            continue
        if totp.verify(code, for_time=when):
            return step
    return None
