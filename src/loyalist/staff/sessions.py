"""Staff sign-in and browser sessions: the password step, the session a step opens (its id
rotated at every step), the session a request carries, sign-out.

The password is checked outside any unit of work (argon2id takes tens of milliseconds and
must not hold the SQLite writer): ``credentials`` reads what the check needs, the caller
verifies, then ``open_session`` or ``record_failed_sign_in`` writes the outcome. A session's
id is 256 random bits, sent only in the cookie; the table keeps its SHA-256 digest.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalist.audit.models import Actor
from loyalist.db.uow import UnitOfWork
from loyalist.errors import DomainError
from loyalist.staff import repository
from loyalist.staff.errors import SignInFailedError
from loyalist.staff.models import Permission, SessionStage, StaffSession, StaffUser
from loyalist.staff.policy import SEEN_EVERY, needs_two_factors, session_ended, stage_after_password
from loyalist.staff.service import permissions_of, record_staff_act, staff_email_index


@dataclass(frozen=True, slots=True)
class SessionConfig:
    """Timeouts and two-factor limits (from ``LOYALIST_STAFF__*``)."""

    idle: timedelta
    absolute: timedelta
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    issuer: str = "Loyalist"


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the password check needs: ``user_id`` and ``password_hash`` are None for an
    unknown email (the caller then checks a dummy hash, taking the same time)."""

    user_id: int | None
    password_hash: str | None
    is_active: bool


@dataclass(frozen=True, slots=True)
class Opened:
    """A session just opened: its id (for the cookie only), its CSRF token and stage."""

    session_id: str
    csrf_token: str
    stage: SessionStage
    user_id: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an attempt did. ``refusal`` is raised by the caller once the unit has committed
    (what the failure recorded, counters and audit rows, must stay)."""

    opened: Opened | None = None
    refusal: DomainError | None = None


@dataclass(frozen=True, slots=True)
class Current:
    """The live session a request carries, with its user."""

    id_hash: str
    user_id: int
    name: str
    stage: SessionStage
    csrf_token: str
    expires_at: datetime
    permissions: frozenset[Permission]
    #: Its ``last_seen_at`` is older than ``SEEN_EVERY``: the caller records the request.
    is_stale: bool


def session_digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def credentials(uow: UnitOfWork, email: str) -> Credentials:
    user = repository.user_by_email_index(uow.session, staff_email_index(email))
    if user is None:
        return Credentials(None, None, is_active=False)
    return Credentials(user.id, user.password_hash, is_active=user.is_active)


def open_session(
    uow: UnitOfWork,
    user_id: int,
    config: SessionConfig,
    actor: Actor,
    *,
    replaces: str | None = None,
    new_hash: str | None = None,
) -> Outcome:
    """After the password passed: open a session at the stage the user's two factors call
    for, ending the session the request came with (``replaces``, its id), so the id always
    changes at sign-in. ``new_hash`` replaces the stored password hash (its parameters
    changed). A user disabled meanwhile is refused like a wrong password.

    Audit: ``staff.sign_in`` when signed in at once, else ``staff.password_verified``.
    """
    if replaces is not None:
        repository.delete_session(uow.session, session_digest(replaces))
    user = repository.user_by_id(uow.session, user_id)
    if user is None or not user.is_active:
        record_failed_sign_in(uow, user_id, actor)
        return Outcome(refusal=SignInFailedError(FAILED))
    if new_hash is not None:
        user.password_hash = new_hash
    stage = stage_after_password(
        has_two_factors=user.totp_secret is not None,
        needs_two_factors=needs_two_factors(permissions_of(uow, user.roles)),
    )
    opened = _create(uow, user, stage, uow.now + config.absolute, actor.ip)
    action = "staff.sign_in" if stage == SessionStage.COMPLETE else "staff.password_verified"
    record_staff_act(
        uow, actor, action, user.id, after={"stage": stage.value, "method": "password"}
    )
    return Outcome(opened=opened)


#: The one answer to every failed sign-in (unknown email, wrong password, disabled user).
FAILED = "the email or password is wrong"


def record_failed_sign_in(uow: UnitOfWork, user_id: int | None, actor: Actor) -> None:
    """Audit a failed password step: the user's id when the email is known, never the email
    or the password."""
    record_staff_act(uow, actor, "staff.sign_in_failed", user_id)


def _create(
    uow: UnitOfWork, user: StaffUser, stage: SessionStage, expires_at: datetime, ip: str | None
) -> Opened:
    session_id = secrets.token_urlsafe(32)
    row = StaffSession(
        id_hash=session_digest(session_id),
        user_id=user.id,
        stage=stage,
        csrf_token=secrets.token_urlsafe(32),
        created_at=uow.now,
        last_seen_at=uow.now,
        expires_at=expires_at,
        ip=ip,
    )
    repository.add(uow.session, row)
    return Opened(session_id, row.csrf_token, stage, user.id, row.expires_at)


def rotate(uow: UnitOfWork, user: StaffUser, id_hash: str, stage: SessionStage) -> Opened:
    """End ``user``'s session ``id_hash`` and open one at ``stage`` (a new id after every
    step); the absolute timeout still counts from the first step."""
    old = repository.session_by_hash(uow.session, id_hash)
    expires_at = old.expires_at if old is not None else uow.now
    repository.delete_session(uow.session, id_hash)
    return _create(uow, user, stage, expires_at, old.ip if old is not None else None)


def current_session(uow: UnitOfWork, session_id: str, config: SessionConfig) -> Current | None:
    """The live session with this id, or None: unknown, ended (idle or absolute timeout),
    or its user disabled."""
    id_hash = session_digest(session_id)
    row = repository.session_by_hash(uow.session, id_hash)
    if row is None or session_ended(
        uow.now, last_seen_at=row.last_seen_at, expires_at=row.expires_at, idle=config.idle
    ):
        return None
    user = repository.user_by_id(uow.session, row.user_id)
    if user is None or not user.is_active:
        return None
    return Current(
        id_hash=id_hash,
        user_id=user.id,
        name=user.name,
        stage=row.stage,
        csrf_token=row.csrf_token,
        expires_at=row.expires_at,
        permissions=permissions_of(uow, user.roles),
        is_stale=uow.now - row.last_seen_at >= SEEN_EVERY,
    )


def see_session(uow: UnitOfWork, id_hash: str) -> None:
    """Record a request of the session now (the idle timeout counts from it)."""
    repository.touch_session(uow.session, id_hash, uow.now)


def end_session(uow: UnitOfWork, id_hash: str, actor: Actor) -> None:
    """Sign out: the session ends at once. Audit: ``staff.sign_out``."""
    row = repository.session_by_hash(uow.session, id_hash)
    if row is None:
        return
    repository.delete_session(uow.session, id_hash)
    record_staff_act(uow, actor, "staff.sign_out", row.user_id)


def end_expired_sessions(uow: UnitOfWork, limit: int) -> int:
    """Delete up to ``limit`` sessions past their absolute expiry (idle ones are refused
    when met and go at their expiry)."""
    return repository.delete_sessions_expired(uow.session, uow.now, limit)
