from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_channel import OrderChannel
from ..models.platform import Platform

T = TypeVar("T", bound="ConnectorRead")


@_attrs_define
class ConnectorRead:
    """A connector as shown (never its secret) and the URL path the platform posts to.

    Attributes:
        key (str):
        platform (Platform): A shop platform Loyalist has an adapter for (``adapters.PLATFORMS``).
        webhook_path (str): where the platform sends its webhooks
        currency (str):
        channel (OrderChannel):
        store (None | str):
        is_enabled (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    key: str
    platform: Platform
    webhook_path: str
    currency: str
    channel: OrderChannel
    store: None | str
    is_enabled: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        platform = self.platform.value

        webhook_path = self.webhook_path

        currency = self.currency

        channel = self.channel.value

        store: None | str
        store = self.store

        is_enabled = self.is_enabled

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "platform": platform,
                "webhook_path": webhook_path,
                "currency": currency,
                "channel": channel,
                "store": store,
                "is_enabled": is_enabled,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        platform = Platform(d.pop("platform"))

        webhook_path = d.pop("webhook_path")

        currency = d.pop("currency")

        channel = OrderChannel(d.pop("channel"))

        def _parse_store(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        store = _parse_store(d.pop("store"))

        is_enabled = d.pop("is_enabled")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        connector_read = cls(
            key=key,
            platform=platform,
            webhook_path=webhook_path,
            currency=currency,
            channel=channel,
            store=store,
            is_enabled=is_enabled,
            created_at=created_at,
            updated_at=updated_at,
        )

        connector_read.additional_properties = d
        return connector_read

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
