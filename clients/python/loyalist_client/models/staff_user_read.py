from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StaffUserRead")


@_attrs_define
class StaffUserRead:
    """
    Attributes:
        id (int):
        email (str):
        name (str):
        roles (list[str]):
        locale (str):
        is_active (bool):
        has_two_factors (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: int
    email: str
    name: str
    roles: list[str]
    locale: str
    is_active: bool
    has_two_factors: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        name = self.name

        roles = self.roles

        locale = self.locale

        is_active = self.is_active

        has_two_factors = self.has_two_factors

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "name": name,
                "roles": roles,
                "locale": locale,
                "is_active": is_active,
                "has_two_factors": has_two_factors,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        name = d.pop("name")

        roles = cast(list[str], d.pop("roles"))

        locale = d.pop("locale")

        is_active = d.pop("is_active")

        has_two_factors = d.pop("has_two_factors")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        staff_user_read = cls(
            id=id,
            email=email,
            name=name,
            roles=roles,
            locale=locale,
            is_active=is_active,
            has_two_factors=has_two_factors,
            created_at=created_at,
            updated_at=updated_at,
        )

        staff_user_read.additional_properties = d
        return staff_user_read

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
