"""Problems of the members domain."""

from __future__ import annotations

from loyalist.errors import ConflictError, NotFoundError


class MemberNotFoundError(NotFoundError):
    """No member has the external id a request or an event names."""

    code = "member_not_found"


class DeviceNotFoundError(NotFoundError):
    """The member has no device with this id."""

    code = "device_not_found"


class MemberErasedError(ConflictError):
    """The member an event or request names was erased at their request; the id is refused."""

    code = "member_erased"
