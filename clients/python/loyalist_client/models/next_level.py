from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NextLevel")


@_attrs_define
class NextLevel:
    """
    Attributes:
        key (str):
        name (None | str):
        points (int): lifetime earned points the level starts at
        points_to_go (int):
    """

    key: str
    name: None | str
    points: int
    points_to_go: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        name: None | str
        name = self.name

        points = self.points

        points_to_go = self.points_to_go

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "name": name,
                "points": points,
                "points_to_go": points_to_go,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        points = d.pop("points")

        points_to_go = d.pop("points_to_go")

        next_level = cls(
            key=key,
            name=name,
            points=points,
            points_to_go=points_to_go,
        )

        next_level.additional_properties = d
        return next_level

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
