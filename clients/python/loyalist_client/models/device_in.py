from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.push_platform import PushPlatform

T = TypeVar("T", bound="DeviceIn")


@_attrs_define
class DeviceIn:
    """A device that takes push messages: the token its push service gave the app (FCM's
    registration token, RuStore's push token) and that service.

        Attributes:
            token (str):
            platform (PushPlatform): The push service a device token belongs to (the configured provider sends to its
                own: FCM to ``fcm``, RuStore to ``rustore``, the generic JSON provider to any).
    """

    token: str
    platform: PushPlatform

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        platform = self.platform.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "token": token,
                "platform": platform,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        platform = PushPlatform(d.pop("platform"))

        device_in = cls(
            token=token,
            platform=platform,
        )

        return device_in
