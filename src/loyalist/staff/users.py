"""Staff users: create (by ``loyalist staff create`` or an owner/admin), change roles, name,
language or whether they are active (disabling ends their sessions at once), list.

New passwords are checked and hashed by the caller outside any unit of work
(``new_password_hash``): argon2id must not hold the SQLite writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loyalist.audit.models import Actor
from loyalist.db.uow import UnitOfWork
from loyalist.errors import FieldError
from loyalist.staff import repository
from loyalist.staff.errors import (
    LastOwnerError,
    StaffEmailTakenError,
    StaffRoleUnknownError,
    StaffUserNotFoundError,
)
from loyalist.staff.models import StaffUser
from loyalist.staff.passwords import Hasher, check_password
from loyalist.staff.schemas import StaffUserCreate, StaffUserRead, StaffUserUpdate
from loyalist.staff.service import record_staff_act, staff_email_index, unknown_roles

OWNER = "owner"


def new_password_hash(hasher: Hasher, password: str, *, email: str, name: str) -> str:
    """The argon2id hash of a new password the policy admits (call outside a unit of work).

    Raises:
        PasswordTooShortError, PasswordTooLongError, PasswordTooCommonError.
    """
    return hasher.hash(check_password(password, user_inputs=(email, name)))


def read_user(user: StaffUser) -> StaffUserRead:
    return StaffUserRead(
        id=user.id,
        email=user.email,
        name=user.name,
        roles=list(user.roles),
        locale=user.locale,
        is_active=user.is_active,
        has_two_factors=user.totp_secret is not None,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


def _check_roles(uow: UnitOfWork, roles: Sequence[str]) -> list[str]:
    unknown = unknown_roles(uow, roles)
    if unknown:
        raise StaffRoleUnknownError(
            f"no role {unknown[0]!r}",
            errors=[FieldError("/roles", f"unknown roles: {', '.join(unknown)}")],
        )
    return sorted(set(roles))


def create_user(
    uow: UnitOfWork, data: StaffUserCreate, password_hash: str, actor: Actor
) -> StaffUserRead:
    """Audit: ``staff.user_created`` (name, roles, language; never the email or password).

    Raises:
        StaffRoleUnknownError: a role that does not exist.
        StaffEmailTakenError: another staff user has this email.
    """
    roles = _check_roles(uow, data.roles)
    index = staff_email_index(data.email)
    if repository.user_by_email_index(uow.session, index) is not None:
        raise StaffEmailTakenError(
            "another staff user has this email", errors=[FieldError("/email", "taken")]
        )
    user = StaffUser(
        email=data.email,
        email_index=index,
        name=data.name,
        roles=roles,
        locale=data.locale,
        is_active=True,
        password_hash=password_hash,
        totp_failure_count=0,
        created_at=uow.now,
        updated_at=uow.now,
    )
    repository.add(uow.session, user)
    record_staff_act(uow, actor, "staff.user_created", user.id, after=_audited(user))
    return read_user(user)


def _audited(user: StaffUser) -> dict[str, Any]:
    return {
        "name": user.name,
        "roles": list(user.roles),
        "locale": user.locale,
        "is_active": user.is_active,
    }


def get_user(uow: UnitOfWork, user_id: int) -> StaffUser:
    """Raises:
    StaffUserNotFoundError: no staff user has this id.
    """
    user = repository.user_by_id(uow.session, user_id)
    if user is None:
        raise StaffUserNotFoundError(f"no staff user {user_id}")
    return user


def list_users(uow: UnitOfWork) -> list[StaffUserRead]:
    return [read_user(user) for user in repository.users(uow.session)]


def update_user(
    uow: UnitOfWork, user_id: int, changes: StaffUserUpdate, actor: Actor
) -> StaffUserRead:
    """Change what is given. Disabling ends the user's sessions in the same transaction.
    Audit: ``staff.user_changed`` (before and after), and ``staff.user_disabled``.

    Raises:
        StaffUserNotFoundError, StaffRoleUnknownError.
        LastOwnerError: the change would leave no active owner.
    """
    user = repository.user_by_id(uow.session, user_id, lock=True)
    if user is None:
        raise StaffUserNotFoundError(f"no staff user {user_id}")
    before = _audited(user)
    if changes.roles is not None:
        user.roles = _check_roles(uow, changes.roles)
    if changes.name is not None:
        user.name = changes.name
    if changes.locale is not None:
        user.locale = changes.locale
    if changes.is_active is not None:
        user.is_active = changes.is_active
    after = _audited(user)
    if after == before:
        return read_user(user)
    was_owner = before["is_active"] and OWNER in before["roles"]
    if was_owner and not (user.is_active and OWNER in user.roles) and not _other_owner(uow, user):
        raise LastOwnerError("this would leave no active owner: make another user owner first")
    user.updated_at = uow.now
    record_staff_act(uow, actor, "staff.user_changed", user.id, before=before, after=after)
    if before["is_active"] and not user.is_active:
        ended = repository.delete_sessions_of(uow.session, user.id)
        ended_sessions = {"sessions_ended": ended}
        record_staff_act(uow, actor, "staff.user_disabled", user.id, after=ended_sessions)
    return read_user(user)


def _other_owner(uow: UnitOfWork, user: StaffUser) -> bool:
    return any(
        other.id != user.id and other.is_active and OWNER in other.roles
        for other in repository.users(uow.session)
    )
