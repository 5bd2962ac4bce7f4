from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="StaffUserCreate")


@_attrs_define
class StaffUserCreate:
    """
    Attributes:
        email (str):
        name (str):
        roles (list[str]):
        password (str):
        locale (str | Unset):  Default: 'en'.
    """

    email: str
    name: str
    roles: list[str]
    password: str
    locale: str | Unset = "en"

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        name = self.name

        roles = self.roles

        password = self.password

        locale = self.locale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "name": name,
                "roles": roles,
                "password": password,
            }
        )
        if locale is not UNSET:
            field_dict["locale"] = locale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        name = d.pop("name")

        roles = cast(list[str], d.pop("roles"))

        password = d.pop("password")

        locale = d.pop("locale", UNSET)

        staff_user_create = cls(
            email=email,
            name=name,
            roles=roles,
            password=password,
            locale=locale,
        )

        return staff_user_create
