from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.order_confirmation_channels_item import OrderConfirmationChannelsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderConfirmation")


@_attrs_define
class OrderConfirmation:
    """
    Attributes:
        enabled (bool | Unset):  Default: True.
        channels (list[OrderConfirmationChannelsItem] | Unset):
        delay_minutes (int | Unset): 0: when paid Default: 0.
        recommendations (int | Unset): products shown Default: 3.
    """

    enabled: bool | Unset = True
    channels: list[OrderConfirmationChannelsItem] | Unset = UNSET
    delay_minutes: int | Unset = 0
    recommendations: int | Unset = 3

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        delay_minutes = self.delay_minutes

        recommendations = self.recommendations

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if delay_minutes is not UNSET:
            field_dict["delay_minutes"] = delay_minutes
        if recommendations is not UNSET:
            field_dict["recommendations"] = recommendations

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[OrderConfirmationChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = OrderConfirmationChannelsItem(channels_item_data)

                channels.append(channels_item)

        delay_minutes = d.pop("delay_minutes", UNSET)

        recommendations = d.pop("recommendations", UNSET)

        order_confirmation = cls(
            enabled=enabled,
            channels=channels,
            delay_minutes=delay_minutes,
            recommendations=recommendations,
        )

        return order_confirmation
