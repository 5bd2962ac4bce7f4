from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.win_back_channels_item import WinBackChannelsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="WinBack")


@_attrs_define
class WinBack:
    """
    Attributes:
        enabled (bool | Unset):  Default: False.
        channels (list[WinBackChannelsItem] | Unset):
        segments (list[str] | Unset):
        churn_risk_at_least (float | Unset):  Default: 0.7.
        coupon_campaign (None | str | Unset): issues the personal coupon
        cooldown_days (int | Unset):  Default: 90.
    """

    enabled: bool | Unset = False
    channels: list[WinBackChannelsItem] | Unset = UNSET
    segments: list[str] | Unset = UNSET
    churn_risk_at_least: float | Unset = 0.7
    coupon_campaign: None | str | Unset = UNSET
    cooldown_days: int | Unset = 90

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        segments: list[str] | Unset = UNSET
        if not isinstance(self.segments, Unset):
            segments = self.segments

        churn_risk_at_least = self.churn_risk_at_least

        coupon_campaign: None | str | Unset
        if isinstance(self.coupon_campaign, Unset):
            coupon_campaign = UNSET
        else:
            coupon_campaign = self.coupon_campaign

        cooldown_days = self.cooldown_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if segments is not UNSET:
            field_dict["segments"] = segments
        if churn_risk_at_least is not UNSET:
            field_dict["churn_risk_at_least"] = churn_risk_at_least
        if coupon_campaign is not UNSET:
            field_dict["coupon_campaign"] = coupon_campaign
        if cooldown_days is not UNSET:
            field_dict["cooldown_days"] = cooldown_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[WinBackChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = WinBackChannelsItem(channels_item_data)

                channels.append(channels_item)

        segments = cast(list[str], d.pop("segments", UNSET))

        churn_risk_at_least = d.pop("churn_risk_at_least", UNSET)

        def _parse_coupon_campaign(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        coupon_campaign = _parse_coupon_campaign(d.pop("coupon_campaign", UNSET))

        cooldown_days = d.pop("cooldown_days", UNSET)

        win_back = cls(
            enabled=enabled,
            channels=channels,
            segments=segments,
            churn_risk_at_least=churn_risk_at_least,
            coupon_campaign=coupon_campaign,
            cooldown_days=cooldown_days,
        )

        return win_back
