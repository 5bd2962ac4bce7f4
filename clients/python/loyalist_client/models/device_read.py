from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.push_platform import PushPlatform

T = TypeVar("T", bound="DeviceRead")


@_attrs_define
class DeviceRead:
    """A registered device (its token is never shown again).

    Attributes:
        id (str):
        platform (PushPlatform): The push service a device token belongs to (the configured provider sends to its
            own: FCM to ``fcm``, RuStore to ``rustore``, the generic JSON provider to any).
        registered_at (datetime.datetime):
    """

    id: str
    platform: PushPlatform
    registered_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        platform = self.platform.value

        registered_at = self.registered_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "platform": platform,
                "registered_at": registered_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        platform = PushPlatform(d.pop("platform"))

        registered_at = datetime.datetime.fromisoformat(d.pop("registered_at"))

        device_read = cls(
            id=id,
            platform=platform,
            registered_at=registered_at,
        )

        device_read.additional_properties = d
        return device_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
