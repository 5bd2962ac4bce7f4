from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RoleUpdate")


@_attrs_define
class RoleUpdate:
    """A custom role's name and permissions (replaced whole).

    Attributes:
        name (str):
        permissions (list[str]):
    """

    name: str
    permissions: list[str]

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        permissions = self.permissions

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "permissions": permissions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        permissions = cast(list[str], d.pop("permissions"))

        role_update = cls(
            name=name,
            permissions=permissions,
        )

        return role_update
