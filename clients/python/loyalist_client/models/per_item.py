from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.line_match import LineMatch


T = TypeVar("T", bound="PerItem")


@_attrs_define
class PerItem:
    """A bonus per matching item (quantity) of the order.

    Attributes:
        type_ (Literal['per_item']):
        points (int):
        lines (LineMatch): Which order lines an effect counts: any listed SKU or category, and the condition.
    """

    type_: Literal["per_item"]
    points: int
    lines: LineMatch

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        points = self.points

        lines = self.lines.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "points": points,
                "lines": lines,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.line_match import LineMatch  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["per_item"], d.pop("type"))
        if type_ != "per_item":
            raise ValueError(f"type must match const 'per_item', got '{type_}'")

        points = d.pop("points")

        lines = LineMatch.from_dict(d.pop("lines"))

        per_item = cls(
            type_=type_,
            points=points,
            lines=lines,
        )

        return per_item
