from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.points_channels_item import PointsChannelsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="Points")


@_attrs_define
class Points:
    """
    Attributes:
        enabled (bool | Unset):  Default: False.
        channels (list[PointsChannelsItem] | Unset):
        matured (bool | Unset):  Default: True.
        expiring_days (list[int] | Unset):
        statement (bool | Unset): monthly, for members who opted in Default: True.
    """

    enabled: bool | Unset = False
    channels: list[PointsChannelsItem] | Unset = UNSET
    matured: bool | Unset = True
    expiring_days: list[int] | Unset = UNSET
    statement: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        channels: list[str] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = []
            for channels_item_data in self.channels:
                channels_item = channels_item_data.value
                channels.append(channels_item)

        matured = self.matured

        expiring_days: list[int] | Unset = UNSET
        if not isinstance(self.expiring_days, Unset):
            expiring_days = self.expiring_days

        statement = self.statement

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if channels is not UNSET:
            field_dict["channels"] = channels
        if matured is not UNSET:
            field_dict["matured"] = matured
        if expiring_days is not UNSET:
            field_dict["expiring_days"] = expiring_days
        if statement is not UNSET:
            field_dict["statement"] = statement

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        _channels = d.pop("channels", UNSET)
        channels: list[PointsChannelsItem] | Unset = UNSET
        if _channels is not UNSET:
            channels = []
            for channels_item_data in _channels:
                channels_item = PointsChannelsItem(channels_item_data)

                channels.append(channels_item)

        matured = d.pop("matured", UNSET)

        expiring_days = cast(list[int], d.pop("expiring_days", UNSET))

        statement = d.pop("statement", UNSET)

        points = cls(
            enabled=enabled,
            channels=channels,
            matured=matured,
            expiring_days=expiring_days,
            statement=statement,
        )

        return points
