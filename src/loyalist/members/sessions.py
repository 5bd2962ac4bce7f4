"""Members' portal sessions, as staff sessions work: a session's id is 256 random bits sent
only in the cookie (the table keeps its SHA-256 digest), a CSRF token per session, an idle
and an absolute timeout, and a new id at every sign-in (the session the browser came with
ends).

A session begins by the shop's signed link (``enter_by_link``: the shop vouches for its
logged-in customer) or by an emailed sign-in link (``issue_sign_in_token`` then
``redeem_sign_in_token``: single use, a short life). Each sign-in is audited as
``member.sign_in`` with its method.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalist.audit import service as audit
from loyalist.audit.models import Actor
from loyalist.db.uow import UnitOfWork
from loyalist.members import repository
from loyalist.members.errors import SignInLinkInvalidError
from loyalist.members.models import MemberSession, SignInMethod, SignInToken
from loyalist.members.policy import SESSION_SEEN_EVERY, session_ended
from loyalist.members.service import ensure_members


@dataclass(frozen=True, slots=True)
class SessionConfig:
    """Timeouts (from ``LOYALIST_PORTAL__*``)."""

    idle: timedelta
    absolute: timedelta


@dataclass(frozen=True, slots=True)
class Opened:
    """A session just opened: its id (for the cookie only), its CSRF token, its end."""

    session_id: str
    csrf_token: str
    expires_at: datetime
    member_id: int


@dataclass(frozen=True, slots=True)
class Current:
    """The live session a request carries, with its member's ids and language."""

    id_hash: str
    member_id: int
    external_id: str
    locale: str
    csrf_token: str
    #: Its ``last_seen_at`` is older than ``SESSION_SEEN_EVERY``: the caller records it.
    is_stale: bool


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(
    uow: UnitOfWork,
    member_id: int,
    method: SignInMethod,
    config: SessionConfig,
    actor: Actor,
    *,
    replaces: str | None = None,
) -> Opened:
    """Open a session for the member, ending the one the browser came with (``replaces``,
    its id), so the id always changes at sign-in. Audit: ``member.sign_in``."""
    if replaces:
        repository.delete_session(uow.session, digest(replaces))
    session_id = secrets.token_urlsafe(32)
    row = MemberSession(
        id_hash=digest(session_id),
        member_id=member_id,
        method=method,
        csrf_token=secrets.token_urlsafe(32),
        created_at=uow.now,
        last_seen_at=uow.now,
        expires_at=uow.now + config.absolute,
    )
    repository.add_session(uow.session, row)
    audit.record(
        uow,
        actor,
        "member.sign_in",
        target_type="member",
        member_id=member_id,
        after={"method": method.value},
    )
    return Opened(session_id, row.csrf_token, row.expires_at, member_id)


def enter_by_link(
    uow: UnitOfWork,
    external_id: str,
    config: SessionConfig,
    actor: Actor,
    *,
    replaces: str | None = None,
) -> Opened:
    """A session for the shop's customer ``external_id`` (its signed link checked by the
    caller), enrolling them as a member if Loyalist has not heard of them yet.

    Raises:
        MemberErasedError: the id is one of a member erased at their request.
    """
    member_id = ensure_members(uow, [external_id])[external_id]
    return open_session(uow, member_id, SignInMethod.LINK, config, actor, replaces=replaces)


def issue_sign_in_token(uow: UnitOfWork, member_id: int, lifetime: timedelta) -> str:
    """A new emailed sign-in token for the member (only its digest is stored)."""
    token = secrets.token_urlsafe(32)
    repository.add_sign_in_token(
        uow.session,
        SignInToken(
            token_hash=digest(token),
            member_id=member_id,
            created_at=uow.now,
            expires_at=uow.now + lifetime,
            used_at=None,
        ),
    )
    return token


def redeem_sign_in_token(
    uow: UnitOfWork,
    token: str,
    config: SessionConfig,
    actor: Actor,
    *,
    replaces: str | None = None,
) -> Opened:
    """Use an emailed token once and open a session for its member.

    Raises:
        SignInLinkInvalidError: the token is unknown, used already or expired.
    """
    member_id = repository.use_sign_in_token(uow.session, digest(token), uow.now)
    if member_id is None:
        raise SignInLinkInvalidError(
            "this sign-in link is unknown, used already or expired: ask for a new one"
        )
    return open_session(uow, member_id, SignInMethod.EMAIL, config, actor, replaces=replaces)


def current_session(uow: UnitOfWork, session_id: str, config: SessionConfig) -> Current | None:
    """The live session with this id, or None: unknown, ended (idle or absolute timeout),
    or its member erased."""
    id_hash = digest(session_id)
    row = repository.session_with_member(uow.session, id_hash)
    if row is None:
        return None
    member_id, csrf_token, last_seen_at, expires_at, external_id, locale, is_erased = row
    if is_erased or session_ended(
        uow.now, last_seen_at=last_seen_at, expires_at=expires_at, idle=config.idle
    ):
        return None
    return Current(
        id_hash=id_hash,
        member_id=member_id,
        external_id=external_id,
        locale=locale,
        csrf_token=csrf_token,
        is_stale=uow.now - last_seen_at >= SESSION_SEEN_EVERY,
    )


def see_session(uow: UnitOfWork, id_hash: str) -> None:
    """Record a request of the session now (the idle timeout counts from it)."""
    repository.touch_session(uow.session, id_hash, uow.now)


def end_session(uow: UnitOfWork, session_id: str) -> None:
    """Sign out: the session ends at once (nothing happens for an unknown one)."""
    repository.delete_session(uow.session, digest(session_id))


def end_expired_sessions(uow: UnitOfWork, limit: int) -> int:
    """Delete up to ``limit`` sessions and up to ``limit`` sign-in tokens past their
    absolute expiry (idle sessions are refused when met and go at their expiry)."""
    return repository.delete_sessions_expired(uow.session, uow.now, limit)
