from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.order_channel import OrderChannel
from ..models.platform import Platform
from ..types import UNSET, Unset

T = TypeVar("T", bound="ConnectorCreate")


@_attrs_define
class ConnectorCreate:
    """A new connector: ``secret`` is what the platform signs its webhooks with (Shopify: the
    app's client secret; WooCommerce: the webhook's secret; Saleor: the app's secret key).
    It is stored encrypted and never shown again.

        Attributes:
            platform (Platform): A shop platform Loyalist has an adapter for (``adapters.PLATFORMS``).
            key (str): the last segment of the webhook URL: lower case letters, digits, - and _
            secret (str): write-only. Shopify: the app's client secret; WooCommerce: the webhook's secret; Saleor: the JWKS,
                a PEM public key, or the webhook's secret key
            currency (str | Unset): of an order that states none Default: 'EUR'.
            channel (OrderChannel | Unset):
            store (None | str | Unset): the Loyalist store orders go to
    """

    platform: Platform
    key: str
    secret: str
    currency: str | Unset = "EUR"
    channel: OrderChannel | Unset = UNSET
    store: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        platform = self.platform.value

        key = self.key

        secret = self.secret

        currency = self.currency

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value

        store: None | str | Unset
        if isinstance(self.store, Unset):
            store = UNSET
        else:
            store = self.store

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "platform": platform,
                "key": key,
                "secret": secret,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency
        if channel is not UNSET:
            field_dict["channel"] = channel
        if store is not UNSET:
            field_dict["store"] = store

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        platform = Platform(d.pop("platform"))

        key = d.pop("key")

        secret = d.pop("secret")

        currency = d.pop("currency", UNSET)

        _channel = d.pop("channel", UNSET)
        channel: OrderChannel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = OrderChannel(_channel)

        def _parse_store(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store = _parse_store(d.pop("store", UNSET))

        connector_create = cls(
            platform=platform,
            key=key,
            secret=secret,
            currency=currency,
            channel=channel,
            store=store,
        )

        return connector_create
