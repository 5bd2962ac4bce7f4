"""Two factors (TOTP, RFC 6238): enrolment (after the password again), the second step of
a sign-in with a code or a recovery code, and the lockout after repeated wrong codes.

A code is accepted for the current time step or a neighbour, and only for a step later
than the last one accepted (no replay). Wrong codes and recovery codes count together;
at ``SessionConfig.max_failures`` the second step locks for ``lockout``, the user is told
by email (``TwoFactorLockedOut``, which messages turns into a notice) and it is audited.
"""

from __future__ import annotations

import base64
import hashlib
import math
import secrets
from dataclasses import dataclass

import pyotp
import segno

from loyalist.audit.models import Actor
from loyalist.db.uow import UnitOfWork
from loyalist.staff import repository
from loyalist.staff.errors import (
    StaffUserNotFoundError,
    TwoFactorAlreadyEnrolledError,
    TwoFactorCodeInvalidError,
    TwoFactorEnrolmentNotStartedError,
    TwoFactorLockedError,
    TwoFactorNotPendingError,
)
from loyalist.staff.events import TwoFactorLockedOut
from loyalist.staff.models import SessionStage, StaffUser
from loyalist.staff.policy import totp_step
from loyalist.staff.schemas import EnrolmentRead
from loyalist.staff.service import record_staff_act
from loyalist.staff.sessions import Current, Opened, Outcome, SessionConfig, rotate

RECOVERY_CODES = 10
#: 80 random bits per recovery code: 16 base32 characters in four groups of four.
_RECOVERY_BYTES = 10
#: 160-bit TOTP secrets (RFC 4226's recommended length).
_SECRET_BYTES = 20


@dataclass(frozen=True, slots=True)
class Confirmed:
    """An activated enrolment: the recovery codes (shown once) and, when the session was
    waiting for enrolment, the session it became (signed in)."""

    recovery_codes: list[str]
    opened: Opened | None


def _user(uow: UnitOfWork, user_id: int, *, lock: bool = False) -> StaffUser:
    user = repository.user_by_id(uow.session, user_id, lock=lock)
    if user is None:
        raise StaffUserNotFoundError(f"no staff user {user_id}")
    return user


def start_enrolment(uow: UnitOfWork, user_id: int, config: SessionConfig) -> EnrolmentRead:
    """A new secret for the user, pending until a code of it is confirmed (the caller
    checked the password again first). Starting again replaces a pending secret.

    Raises:
        TwoFactorAlreadyEnrolledError: two factors are active already.
    """
    user = _user(uow, user_id)
    if user.totp_secret is not None:
        raise TwoFactorAlreadyEnrolledError("two factors are enrolled already")
    secret = pyotp.random_base32(length=_SECRET_BYTES * 8 // 5)
    user.totp_pending_secret = secret
    user.updated_at = uow.now
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=config.issuer)
    svg = segno.make(uri, error="m").svg_inline(scale=4, omitsize=True)
    return EnrolmentRead(secret=secret, otpauth_uri=uri, qr_svg=svg)


def _recovery_code() -> str:
    text = base64.b32encode(secrets.token_bytes(_RECOVERY_BYTES)).decode()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _code_digest(code: str) -> str:
    """Recovery codes are compared without case, spaces or dashes."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()


def confirm_enrolment(uow: UnitOfWork, current: Current, code: str, actor: Actor) -> Confirmed:
    """Activate the pending secret with one valid code of it, make ten recovery codes, and
    sign the session in if it was waiting for enrolment. Audit: ``staff.two_factor_enrolled``
    (and ``staff.sign_in``).

    Raises:
        TwoFactorEnrolmentNotStartedError: no enrolment is pending.
        TwoFactorAlreadyEnrolledError: two factors are active already.
        TwoFactorCodeInvalidError: the code is not one of the pending secret now.
    """
    user = _user(uow, current.user_id, lock=True)
    if user.totp_secret is not None:
        raise TwoFactorAlreadyEnrolledError("two factors are enrolled already")
    if user.totp_pending_secret is None:
        raise TwoFactorEnrolmentNotStartedError("start the enrolment first")
    step = totp_step(user.totp_pending_secret, code.strip(), uow.now, None)
    if step is None:
        raise TwoFactorCodeInvalidError("the code is not the authenticator's current one")
    user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    user.totp_enabled_at = uow.now
    user.totp_last_step = step
    user.totp_failure_count = 0
    user.updated_at = uow.now
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    repository.replace_recovery_codes(uow.session, user.id, [_code_digest(c) for c in codes])
    record_staff_act(uow, actor, "staff.two_factor_enrolled", user.id)
    opened = None
    if current.stage == SessionStage.ENROLMENT:
        opened = rotate(uow, user, current.id_hash, SessionStage.COMPLETE)
        record_staff_act(
            uow,
            actor,
            "staff.sign_in",
            user.id,
            after={"stage": SessionStage.COMPLETE.value, "method": "password+totp_enrolment"},
        )
    return Confirmed(codes, opened)


def verify_second_step(
    uow: UnitOfWork,
    current: Current,
    config: SessionConfig,
    actor: Actor,
    *,
    code: str | None = None,
    recovery_code: str | None = None,
) -> Outcome:
    """The second step of a sign-in: a code (or an unused recovery code) signs the session
    in under a new id. A wrong one counts towards the lockout, which is recorded even
    though the request is refused (the refusal is in the outcome).

    Audit: ``staff.two_factor_verified`` or ``staff.recovery_code_used``, then
    ``staff.sign_in``; ``staff.two_factor_failed``; ``staff.two_factor_lockout``.

    Raises:
        TwoFactorNotPendingError: the session is not waiting for a code.
    """
    if current.stage != SessionStage.TWO_FACTOR:
        raise TwoFactorNotPendingError("this session is not waiting for a two-factor code")
    user = _user(uow, current.user_id, lock=True)
    locked = _locked(uow, user)
    if locked is not None:
        return Outcome(refusal=locked)
    assert user.totp_secret is not None
    if code is not None:
        step = totp_step(user.totp_secret, code.strip(), uow.now, user.totp_last_step)
        passed = step is not None
        if step is not None:
            user.totp_last_step = step
            record_staff_act(uow, actor, "staff.two_factor_verified", user.id)
    else:
        assert recovery_code is not None
        passed = repository.use_recovery_code(
            uow.session, user.id, _code_digest(recovery_code), uow.now
        )
        if passed:
            left = repository.recovery_codes_left(uow.session, user.id)
            record_staff_act(uow, actor, "staff.recovery_code_used", user.id, after={"left": left})
    if not passed:
        return Outcome(refusal=_failed(uow, user, config, actor))
    user.totp_failure_count = 0
    opened = rotate(uow, user, current.id_hash, SessionStage.COMPLETE)
    method = "password+totp" if code is not None else "password+recovery_code"
    after = {"stage": SessionStage.COMPLETE.value, "method": method}
    record_staff_act(uow, actor, "staff.sign_in", user.id, after=after)
    return Outcome(opened=opened)


def _locked(uow: UnitOfWork, user: StaffUser) -> TwoFactorLockedError | None:
    until = user.totp_locked_until
    if until is None or until <= uow.now:
        return None
    wait = max(1, math.ceil((until - uow.now).total_seconds()))
    return TwoFactorLockedError(
        f"too many wrong codes: the second step is locked for {wait} s", retry_after=wait
    )


def _failed(
    uow: UnitOfWork, user: StaffUser, config: SessionConfig, actor: Actor
) -> TwoFactorCodeInvalidError | TwoFactorLockedError:
    user.totp_failure_count += 1
    failed = {"failures": user.totp_failure_count}
    record_staff_act(uow, actor, "staff.two_factor_failed", user.id, after=failed)
    if user.totp_failure_count < config.max_failures:
        return TwoFactorCodeInvalidError("the code is wrong, expired or already used")
    failures, user.totp_failure_count = user.totp_failure_count, 0
    user.totp_locked_until = uow.now + config.lockout
    lockout = {"failures": failures, "locked_until": user.totp_locked_until.isoformat()}
    record_staff_act(uow, actor, "staff.two_factor_lockout", user.id, after=lockout)
    uow.emit(TwoFactorLockedOut(user.id, user.totp_locked_until, failures, actor.ip))
    locked = _locked(uow, user)
    assert locked is not None
    return locked
