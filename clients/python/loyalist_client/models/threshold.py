from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Threshold")


@_attrs_define
class Threshold:
    """Any one metric reached qualifies; at least one is set. ``spend`` is in minor units of
    the program's ``currency``.

        Attributes:
            points (int | None | Unset):
            spend (int | None | Unset):
            orders (int | None | Unset):
    """

    points: int | None | Unset = UNSET
    spend: int | None | Unset = UNSET
    orders: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        points: int | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        else:
            points = self.points

        spend: int | None | Unset
        if isinstance(self.spend, Unset):
            spend = UNSET
        else:
            spend = self.spend

        orders: int | None | Unset
        if isinstance(self.orders, Unset):
            orders = UNSET
        else:
            orders = self.orders

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if points is not UNSET:
            field_dict["points"] = points
        if spend is not UNSET:
            field_dict["spend"] = spend
        if orders is not UNSET:
            field_dict["orders"] = orders

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        points = _parse_points(d.pop("points", UNSET))

        def _parse_spend(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        spend = _parse_spend(d.pop("spend", UNSET))

        def _parse_orders(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        orders = _parse_orders(d.pop("orders", UNSET))

        threshold = cls(
            points=points,
            spend=spend,
            orders=orders,
        )

        return threshold
