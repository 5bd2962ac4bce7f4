"""Problems of the members domain."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError, UnauthorizedError


class MemberNotFoundError(NotFoundError):
    """No member has the external id a request or an event names."""

    code = "member_not_found"


class LookupInvalidError(InvalidRequestError):
    """A member lookup gives not exactly one of member id, e-mail and phone, or a bad value."""

    code = "lookup_invalid"


class DeviceNotFoundError(NotFoundError):
    """The member has no device with this id."""

    code = "device_not_found"


class MemberErasedError(ConflictError):
    """The member an event or request names was erased at their request; the id is refused."""

    code = "member_erased"


class ConsentPurposeNotFoundError(NotFoundError):
    """No consent purpose has this code (built in: processing, email, sms, push; or transfer.*)."""

    code = "consent_purpose_not_found"


class ConsentPurposeExistsError(ConflictError):
    """A consent purpose with this code exists already."""

    code = "consent_purpose_exists"


class ConsentTextNotFoundError(NotFoundError):
    """The purpose has no consent text of this version in this language."""

    code = "consent_text_not_found"


class ConsentTextMismatchError(InvalidRequestError):
    """The SHA-256 sent with a consent text's version is not that version's digest."""

    code = "consent_text_mismatch"


class MemberSessionMissingError(UnauthorizedError):
    """A portal request has no live member session: none sent, signed out or timed out."""

    code = "member_session_missing"


class SignInLinkInvalidError(InvalidRequestError):
    """An emailed portal sign-in link is unknown, used already or expired."""

    code = "sign_in_link_invalid"
