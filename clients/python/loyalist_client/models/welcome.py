from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.welcome_channels_item import WelcomeChannelsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="Welcome")


@_attrs_define
class Welcome:
    """
    Attributes:
        enabled (bool | Unset):  Default: False.
        channels (list[WelcomeChannelsItem] | Unset):
        delay_hours (int | Unset): 0: at enrolment Default: 0.
    """

    enabled: bool | Unset = False
    channels: list[WelcomeChannelsItem] | Unset = UNSET
    delay_hours: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        delay_hours = self.delay_hours

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if delay_hours is not UNSET:
            field_dict["delay_hours"] = delay_hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[WelcomeChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = WelcomeChannelsItem(channels_item_data)

                channels.append(channels_item)

        delay_hours = d.pop("delay_hours", UNSET)

        welcome = cls(
            enabled=enabled,
            channels=channels,
            delay_hours=delay_hours,
        )

        return welcome
