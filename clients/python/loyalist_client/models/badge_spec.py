from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.name import Name


T = TypeVar("T", bound="BadgeSpec")


@_attrs_define
class BadgeSpec:
    """A badge: awarded once, the first time ``criteria`` holds for a member.

    Attributes:
        name (Name): A text members may read, in English and Russian.
        criteria (str): CEL over `member`, `event` and `now`.
        description (Name | None | Unset):
        on (list[str] | Unset): Event types that evaluate the badge; empty: every fact of the member.
        is_active (bool | Unset):  Default: True.
    """

    name: Name
    criteria: str
    description: Name | None | Unset = UNSET
    on: list[str] | Unset = UNSET
    is_active: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        from ..models.name import Name  # noqa: PLC0415

        name = self.name.to_dict()

        criteria = self.criteria

        description: dict[str, Any] | None | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        elif isinstance(self.description, Name):
            description = self.description.to_dict()
        else:
            description = self.description

        on: list[str] | Unset = UNSET
        if not isinstance(self.on, Unset):
            on = self.on

        is_active = self.is_active

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "criteria": criteria,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if on is not UNSET:
            field_dict["on"] = on
        if is_active is not UNSET:
            field_dict["is_active"] = is_active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.name import Name  # noqa: PLC0415

        d = dict(src_dict)
        name = Name.from_dict(d.pop("name"))

        criteria = d.pop("criteria")

        def _parse_description(data: object) -> Name | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                description_type_0 = Name.from_dict(data)

                return description_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Name | None | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        on = cast(list[str], d.pop("on", UNSET))

        is_active = d.pop("is_active", UNSET)

        badge_spec = cls(
            name=name,
            criteria=criteria,
            description=description,
            on=on,
            is_active=is_active,
        )

        return badge_spec
