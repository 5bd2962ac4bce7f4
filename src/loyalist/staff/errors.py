"""Problems of staff access: API keys and roles (creating, authenticating, rotating,
revoking; granting what one does not hold), staff users and their passwords, sign-in and
sessions, two factors."""

from __future__ import annotations

from loyalist.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UnauthorizedError,
)


class ApiKeyNameMissingError(InvalidRequestError):
    """An API key is created without a name."""

    code = "api_key_name_missing"


class ApiKeyScopeInvalidError(InvalidRequestError):
    """An API key is created with an unknown scope, with neither scopes nor a role, or both."""

    code = "api_key_scope_invalid"


class ApiKeyOwnerInvalidError(InvalidRequestError):
    """An API key is given both a staff owner and a named integration as its owner."""

    code = "api_key_owner_invalid"


class ApiKeyRoleUnknownError(InvalidRequestError):
    """An API key is created with a role that does not exist."""

    code = "api_key_role_unknown"


class ApiKeyInvalidError(UnauthorizedError):
    """The API key sent is malformed or unknown."""

    code = "api_key_invalid"


class ApiKeyRevokedError(UnauthorizedError):
    """The API key sent was revoked."""

    code = "api_key_revoked"


class ApiKeyNotFoundError(NotFoundError):
    """No API key has the id or prefix given."""

    code = "api_key_not_found"


class ApiKeyRevokedAlreadyError(ConflictError):
    """A revoked API key is rotated: a revoked key stays revoked."""

    code = "api_key_revoked_already"


class PermissionUnknownError(InvalidRequestError):
    """A role is given a permission that does not exist."""

    code = "permission_unknown"


class RoleNotFoundError(NotFoundError):
    """No role has the slug given."""

    code = "role_not_found"


class RoleExistsError(ConflictError):
    """A role is created with the slug of an existing role."""

    code = "role_exists"


class RoleBuiltinError(ConflictError):
    """A built-in role is changed or deleted: only custom roles are."""

    code = "role_builtin"


class RoleInUseError(ConflictError):
    """A role that API keys act with is deleted."""

    code = "role_in_use"


class GrantBeyondOwnError(PermissionDeniedError):
    """A key or role would grant a permission its creator does not hold."""

    code = "grant_beyond_own"


# -- staff users and passwords -------------------------------------------------------------
class PasswordTooShortError(InvalidRequestError):
    """A new password has fewer than 8 characters."""

    code = "password_too_short"


class PasswordTooLongError(InvalidRequestError):
    """A new password has more than 128 characters."""

    code = "password_too_long"


class PasswordTooCommonError(InvalidRequestError):
    """A new password is a common one or an easy variant of one (or of the user's email or name)."""

    code = "password_too_common"


class StaffRoleUnknownError(InvalidRequestError):
    """A staff user is given a role that does not exist, or no role."""

    code = "staff_role_unknown"


class StaffEmailTakenError(ConflictError):
    """Another staff user has this email."""

    code = "staff_email_taken"


class StaffUserNotFoundError(NotFoundError):
    """No staff user has this id."""

    code = "staff_user_not_found"


class LastOwnerError(ConflictError):
    """The change would leave no active owner."""

    code = "last_owner"


# -- sign-in and sessions ------------------------------------------------------------------
class SignInFailedError(UnauthorizedError):
    """The email and password do not match an active staff user."""

    code = "sign_in_failed"


class SessionMissingError(UnauthorizedError):
    """The request has no live session: none sent, signed out, timed out or user disabled."""

    code = "session_missing"


class ReauthenticationFailedError(UnauthorizedError):
    """The password given again to confirm a sensitive change is not the user's."""

    code = "reauthentication_failed"


# -- two factors ---------------------------------------------------------------------------
class TwoFactorRequiredError(PermissionDeniedError):
    """The session passed the password step only: a two-factor code is due first."""

    code = "two_factor_required"


class TwoFactorEnrolmentRequiredError(PermissionDeniedError):
    """The user's roles need two factors and none is enrolled: only enrolment is open."""

    code = "two_factor_enrolment_required"


class TwoFactorNotPendingError(ConflictError):
    """A two-factor code is sent for a session that is not waiting for one."""

    code = "two_factor_not_pending"


class TwoFactorCodeInvalidError(UnauthorizedError):
    """The two-factor or recovery code is wrong, expired or already used."""

    code = "two_factor_code_invalid"


class TwoFactorLockedError(RateLimitedError):
    """Too many wrong two-factor codes: the account's second step is locked for a while."""

    code = "two_factor_locked"


class TwoFactorAlreadyEnrolledError(ConflictError):
    """The user has two factors enrolled already."""

    code = "two_factor_already_enrolled"


class TwoFactorEnrolmentNotStartedError(ConflictError):
    """An enrolment is confirmed before it was started."""

    code = "two_factor_enrolment_not_started"
