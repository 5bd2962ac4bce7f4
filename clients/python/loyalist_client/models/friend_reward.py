from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.friend_reward_on import FriendRewardOn
from ..types import UNSET, Unset

T = TypeVar("T", bound="FriendReward")


@_attrs_define
class FriendReward:
    """The friend's welcome: on sign-up (available at once) or with the first qualifying
    order (points pending like the order's own, maturing with it).

        Attributes:
            points (int | None | Unset):
            coupon_campaign (None | str | Unset):
            on (FriendRewardOn | Unset):  Default: FriendRewardOn.ENROLLED.
    """

    points: int | None | Unset = UNSET
    coupon_campaign: None | str | Unset = UNSET
    on: FriendRewardOn | Unset = FriendRewardOn.ENROLLED

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

        on: str | Unset = UNSET
        if not isinstance(self.on, Unset):
            on = self.on.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if points is not UNSET:
            field_dict["points"] = points
        if coupon_campaign is not UNSET:
            field_dict["coupon_campaign"] = coupon_campaign
        if on is not UNSET:
            field_dict["on"] = on

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

        _on = d.pop("on", UNSET)
        on: FriendRewardOn | Unset
        if isinstance(_on, Unset):
            on = UNSET
        else:
            on = FriendRewardOn(_on)

        friend_reward = cls(
            points=points,
            coupon_campaign=coupon_campaign,
            on=on,
        )

        return friend_reward
