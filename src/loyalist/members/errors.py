"""Problems of the members domain."""

from __future__ import annotations

from loyalist.errors import NotFoundError


class MemberNotFoundError(NotFoundError):
    """No member has the external id a request or an event names."""

    code = "member_not_found"


class DeviceNotFoundError(NotFoundError):
    """The member has no device with this id."""

    code = "device_not_found"
