from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="FixedPoints")


@_attrs_define
class FixedPoints:
    """A fixed number of points each time the rule fires.

    Attributes:
        type_ (Literal['fixed']):
        points (int):
    """

    type_: Literal["fixed"]
    points: int

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        points = self.points

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "points": points,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["fixed"], d.pop("type"))
        if type_ != "fixed":
            raise ValueError(f"type must match const 'fixed', got '{type_}'")

        points = d.pop("points")

        fixed_points = cls(
            type_=type_,
            points=points,
        )

        return fixed_points
