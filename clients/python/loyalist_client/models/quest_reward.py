from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="QuestReward")


@_attrs_define
class QuestReward:
    """What completing the quest gives, once per member and period.

    Attributes:
        points (int | None | Unset):
        coupon (None | str | Unset): A coupon campaign's key.
        badge (None | str | Unset): A badge's key.
    """

    points: int | None | Unset = UNSET
    coupon: None | str | Unset = UNSET
    badge: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        points: int | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        else:
            points = self.points

        coupon: None | str | Unset
        if isinstance(self.coupon, Unset):
            coupon = UNSET
        else:
            coupon = self.coupon

        badge: None | str | Unset
        if isinstance(self.badge, Unset):
            badge = UNSET
        else:
            badge = self.badge

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if points is not UNSET:
            field_dict["points"] = points
        if coupon is not UNSET:
            field_dict["coupon"] = coupon
        if badge is not UNSET:
            field_dict["badge"] = badge

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

        def _parse_coupon(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        coupon = _parse_coupon(d.pop("coupon", UNSET))

        def _parse_badge(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        badge = _parse_badge(d.pop("badge", UNSET))

        quest_reward = cls(
            points=points,
            coupon=coupon,
            badge=badge,
        )

        return quest_reward
