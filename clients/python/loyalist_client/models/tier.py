from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.tier_channels_item import TierChannelsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="Tier")


@_attrs_define
class Tier:
    """
    Attributes:
        enabled (bool | Unset):  Default: False.
        channels (list[TierChannelsItem] | Unset):
        upgrade (bool | Unset):  Default: True.
        downgrade_warning_days (int | Unset):  Default: 30.
        renewal_reminder_days (int | Unset):  Default: 14.
    """

    enabled: bool | Unset = False
    channels: list[TierChannelsItem] | Unset = UNSET
    upgrade: bool | Unset = True
    downgrade_warning_days: int | Unset = 30
    renewal_reminder_days: int | Unset = 14

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        upgrade = self.upgrade

        downgrade_warning_days = self.downgrade_warning_days

        renewal_reminder_days = self.renewal_reminder_days

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if upgrade is not UNSET:
            field_dict["upgrade"] = upgrade
        if downgrade_warning_days is not UNSET:
            field_dict["downgrade_warning_days"] = downgrade_warning_days
        if renewal_reminder_days is not UNSET:
            field_dict["renewal_reminder_days"] = renewal_reminder_days

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[TierChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = TierChannelsItem(channels_item_data)

                channels.append(channels_item)

        upgrade = d.pop("upgrade", UNSET)

        downgrade_warning_days = d.pop("downgrade_warning_days", UNSET)

        renewal_reminder_days = d.pop("renewal_reminder_days", UNSET)

        tier = cls(
            enabled=enabled,
            channels=channels,
            upgrade=upgrade,
            downgrade_warning_days=downgrade_warning_days,
            renewal_reminder_days=renewal_reminder_days,
        )

        return tier
