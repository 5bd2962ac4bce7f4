from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.order_channel import OrderChannel
from ..types import UNSET, Unset

T = TypeVar("T", bound="ConnectorUpdate")


@_attrs_define
class ConnectorUpdate:
    """The fields sent change; a new ``secret`` replaces the old one at once.

    Attributes:
        secret (None | str | Unset): write-only. Shopify: the app's client secret; WooCommerce: the webhook's secret;
            Saleor: the JWKS, a PEM public key, or the webhook's secret key
        currency (None | str | Unset):
        channel (None | OrderChannel | Unset):
        store (None | str | Unset):
        is_enabled (bool | None | Unset):
    """

    secret: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    channel: None | OrderChannel | Unset = UNSET
    store: None | str | Unset = UNSET
    is_enabled: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        secret: None | str | Unset
        if isinstance(self.secret, Unset):
            secret = UNSET
        else:
            secret = self.secret

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        elif isinstance(self.channel, OrderChannel):
            channel = self.channel.value
        else:
            channel = self.channel

        store: None | str | Unset
        if isinstance(self.store, Unset):
            store = UNSET
        else:
            store = self.store

        is_enabled: bool | None | Unset
        if isinstance(self.is_enabled, Unset):
            is_enabled = UNSET
        else:
            is_enabled = self.is_enabled

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if secret is not UNSET:
            field_dict["secret"] = secret
        if currency is not UNSET:
            field_dict["currency"] = currency
        if channel is not UNSET:
            field_dict["channel"] = channel
        if store is not UNSET:
            field_dict["store"] = store
        if is_enabled is not UNSET:
            field_dict["is_enabled"] = is_enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret = _parse_secret(d.pop("secret", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_channel(data: object) -> None | OrderChannel | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = OrderChannel(data)

                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OrderChannel | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_store(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store = _parse_store(d.pop("store", UNSET))

        def _parse_is_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_enabled = _parse_is_enabled(d.pop("is_enabled", UNSET))

        connector_update = cls(
            secret=secret,
            currency=currency,
            channel=channel,
            store=store,
            is_enabled=is_enabled,
        )

        return connector_update
