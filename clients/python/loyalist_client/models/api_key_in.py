from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiKeyIn")


@_attrs_define
class ApiKeyIn:
    """A new key: ``scopes`` or a ``role`` (not both); owned by a staff user
    (``owner_staff_id``) or a named integration (``owner``; default: the key's name).

        Attributes:
            name (str):
            scopes (list[str] | Unset):
            role (None | str | Unset):
            owner (None | str | Unset):
            owner_staff_id (int | None | Unset):
    """

    name: str
    scopes: list[str] | Unset = UNSET
    role: None | str | Unset = UNSET
    owner: None | str | Unset = UNSET
    owner_staff_id: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = self.scopes

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        else:
            role = self.role

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        owner_staff_id: int | None | Unset
        if isinstance(self.owner_staff_id, Unset):
            owner_staff_id = UNSET
        else:
            owner_staff_id = self.owner_staff_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if role is not UNSET:
            field_dict["role"] = role
        if owner is not UNSET:
            field_dict["owner"] = owner
        if owner_staff_id is not UNSET:
            field_dict["owner_staff_id"] = owner_staff_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scopes = cast(list[str], d.pop("scopes", UNSET))

        def _parse_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        def _parse_owner_staff_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        owner_staff_id = _parse_owner_staff_id(d.pop("owner_staff_id", UNSET))

        api_key_in = cls(
            name=name,
            scopes=scopes,
            role=role,
            owner=owner,
            owner_staff_id=owner_staff_id,
        )

        return api_key_in
