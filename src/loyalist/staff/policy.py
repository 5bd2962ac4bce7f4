"""Roles (the built-in ones and the permissions they grant, who must use two factors), how
far a sign-in got, when a session ends, and which time step a TOTP code belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

from loyalist.staff.models import Permission as P
from loyalist.staff.models import SessionStage


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
