from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.rewards_referrals_channels_item import RewardsReferralsChannelsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="RewardsReferrals")


@_attrs_define
class RewardsReferrals:
    """
    Attributes:
        enabled (bool | Unset):  Default: False.
        channels (list[RewardsReferralsChannelsItem] | Unset):
        reward_issued (bool | Unset):  Default: True.
        referral_converted (bool | Unset):  Default: True.
        friend_welcome (bool | Unset):  Default: True.
    """

    enabled: bool | Unset = False
    channels: list[RewardsReferralsChannelsItem] | Unset = UNSET
    reward_issued: bool | Unset = True
    referral_converted: bool | Unset = True
    friend_welcome: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        reward_issued = self.reward_issued

        referral_converted = self.referral_converted

        friend_welcome = self.friend_welcome

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if reward_issued is not UNSET:
            field_dict["reward_issued"] = reward_issued
        if referral_converted is not UNSET:
            field_dict["referral_converted"] = referral_converted
        if friend_welcome is not UNSET:
            field_dict["friend_welcome"] = friend_welcome

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[RewardsReferralsChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = RewardsReferralsChannelsItem(channels_item_data)

                channels.append(channels_item)

        reward_issued = d.pop("reward_issued", UNSET)

        referral_converted = d.pop("referral_converted", UNSET)

        friend_welcome = d.pop("friend_welcome", UNSET)

        rewards_referrals = cls(
            enabled=enabled,
            channels=channels,
            reward_issued=reward_issued,
            referral_converted=referral_converted,
            friend_welcome=friend_welcome,
        )

        return rewards_referrals
