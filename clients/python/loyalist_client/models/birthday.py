from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.birthday_channels_item import BirthdayChannelsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="Birthday")


@_attrs_define
class Birthday:
    """
    Attributes:
        enabled (bool | Unset):  Default: False.
        channels (list[BirthdayChannelsItem] | Unset):
        gift_rule (None | str | Unset): the rule whose gift is sent
    """

    enabled: bool | Unset = False
    channels: list[BirthdayChannelsItem] | Unset = UNSET
    gift_rule: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        gift_rule: None | str | Unset
        if isinstance(self.gift_rule, Unset):
            gift_rule = UNSET
        else:
            gift_rule = self.gift_rule

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if gift_rule is not UNSET:
            field_dict["gift_rule"] = gift_rule

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[BirthdayChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = BirthdayChannelsItem(channels_item_data)

                channels.append(channels_item)

        def _parse_gift_rule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gift_rule = _parse_gift_rule(d.pop("gift_rule", UNSET))

        birthday = cls(
            enabled=enabled,
            channels=channels,
            gift_rule=gift_rule,
        )

        return birthday
