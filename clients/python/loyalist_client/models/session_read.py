from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.session_stage import SessionStage

if TYPE_CHECKING:
    from ..models.staff_user_read import StaffUserRead


T = TypeVar("T", bound="SessionRead")


@_attrs_define
class SessionRead:
    """The signed-in user as the console needs it; send ``csrf_token`` back in the
    ``X-CSRF-Token`` header of every unsafe request.

        Attributes:
            user (StaffUserRead):
            stage (SessionStage): How far a session's sign-in went: ``two_factor``: the password passed, a code is
                due; ``enrolment``: the password passed and the user's roles need two factors that are
                not enrolled yet; ``complete``: signed in.
            csrf_token (str):
            permissions (list[str]):
            expires_at (datetime.datetime):
    """

    user: StaffUserRead
    stage: SessionStage
    csrf_token: str
    permissions: list[str]
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user = self.user.to_dict()

        stage = self.stage.value

        csrf_token = self.csrf_token

        permissions = self.permissions

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user": user,
                "stage": stage,
                "csrf_token": csrf_token,
                "permissions": permissions,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.staff_user_read import StaffUserRead  # noqa: PLC0415

        d = dict(src_dict)
        user = StaffUserRead.from_dict(d.pop("user"))

        stage = SessionStage(d.pop("stage"))

        csrf_token = d.pop("csrf_token")

        permissions = cast(list[str], d.pop("permissions"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        session_read = cls(
            user=user,
            stage=stage,
            csrf_token=csrf_token,
            permissions=permissions,
            expires_at=expires_at,
        )

        session_read.additional_properties = d
        return session_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
