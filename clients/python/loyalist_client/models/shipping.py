from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.shipping_channels_item import ShippingChannelsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="Shipping")


@_attrs_define
class Shipping:
    """
    Attributes:
        enabled (bool | Unset):  Default: True.
        channels (list[ShippingChannelsItem] | Unset):
        cross_sell (int | Unset): related products shown Default: 3.
        thank_you_on_delivery (bool | Unset):  Default: True.
    """

    enabled: bool | Unset = True
    channels: list[ShippingChannelsItem] | Unset = UNSET
    cross_sell: int | Unset = 3
    thank_you_on_delivery: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        cross_sell = self.cross_sell

        thank_you_on_delivery = self.thank_you_on_delivery

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if cross_sell is not UNSET:
            field_dict["cross_sell"] = cross_sell
        if thank_you_on_delivery is not UNSET:
            field_dict["thank_you_on_delivery"] = thank_you_on_delivery

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[ShippingChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = ShippingChannelsItem(channels_item_data)

                channels.append(channels_item)

        cross_sell = d.pop("cross_sell", UNSET)

        thank_you_on_delivery = d.pop("thank_you_on_delivery", UNSET)

        shipping = cls(
            enabled=enabled,
            channels=channels,
            cross_sell=cross_sell,
            thank_you_on_delivery=thank_you_on_delivery,
        )

        return shipping
