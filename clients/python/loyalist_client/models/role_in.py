from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="RoleIn")


@_attrs_define
class RoleIn:
    """A new custom role; ``slug`` names it in keys and staff accounts.

    Attributes:
        name (str):
        permissions (list[str]):
        slug (str):
    """

    name: str
    permissions: list[str]
    slug: str

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        permissions = self.permissions

        slug = self.slug

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "permissions": permissions,
                "slug": slug,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        permissions = cast(list[str], d.pop("permissions"))

        slug = d.pop("slug")

        role_in = cls(
            name=name,
            permissions=permissions,
            slug=slug,
        )

        return role_in
