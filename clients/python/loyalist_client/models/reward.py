from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Reward")


@_attrs_define
class Reward:
    """Points (available at once) or a personal coupon of a campaign: exactly one.

    Attributes:
        points (int | None | Unset):
        coupon_campaign (None | str | Unset):
    """

    points: int | None | Unset = UNSET
    coupon_campaign: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        points: int | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        else:
            points = self.points

        coupon_campaign: None | str | Unset
        if isinstance(self.coupon_campaign, Unset):
            coupon_campaign = UNSET
        else:
            coupon_campaign = self.coupon_campaign

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if points is not UNSET:
            field_dict["points"] = points
        if coupon_campaign is not UNSET:
            field_dict["coupon_campaign"] = coupon_campaign

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

        def _parse_coupon_campaign(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        coupon_campaign = _parse_coupon_campaign(d.pop("coupon_campaign", UNSET))

        reward = cls(
            points=points,
            coupon_campaign=coupon_campaign,
        )

        return reward
