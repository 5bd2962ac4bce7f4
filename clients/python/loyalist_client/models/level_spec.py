from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.name import Name


T = TypeVar("T", bound="LevelSpec")


@_attrs_define
class LevelSpec:
    """A gamified level reached at ``points`` lifetime earned points.

    Attributes:
        name (Name): A text members may read, in English and Russian.
        points (int):
        description (Name | None | Unset):
        is_active (bool | Unset):  Default: True.
    """

    name: Name
    points: int
    description: Name | None | Unset = UNSET
    is_active: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        from ..models.name import Name  # noqa: PLC0415

        name = self.name.to_dict()

        points = self.points

        description: dict[str, Any] | None | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        elif isinstance(self.description, Name):
            description = self.description.to_dict()
        else:
            description = self.description

        is_active = self.is_active

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "points": points,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if is_active is not UNSET:
            field_dict["is_active"] = is_active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.name import Name  # noqa: PLC0415

        d = dict(src_dict)
        name = Name.from_dict(d.pop("name"))

        points = d.pop("points")

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

        is_active = d.pop("is_active", UNSET)

        level_spec = cls(
            name=name,
            points=points,
            description=description,
            is_active=is_active,
        )

        return level_spec
