from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.order_channel import OrderChannel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.order_line_in import OrderLineIn
    from ..models.referral_ref import ReferralRef
    from ..models.signals import Signals


T = TypeVar("T", bound="OrderData")


@_attrs_define
class OrderData:
    """A full order: money in minor units; ``total`` = lines − discounts + shipping + tax.

    Attributes:
        order_id (str):
        currency (str):
        lines (list[OrderLineIn]):
        total (int):
        channel (OrderChannel | Unset):
        store (None | str | Unset):
        shipping (int | Unset):  Default: 0.
        tax (int | Unset):  Default: 0.
        checkout_id (None | str | Unset): the checkout hold this order pays with; `order.paid` confirms it
        referral (None | ReferralRef | Unset):
        signals (None | Signals | Unset):
    """

    order_id: str
    currency: str
    lines: list[OrderLineIn]
    total: int
    channel: OrderChannel | Unset = UNSET
    store: None | str | Unset = UNSET
    shipping: int | Unset = 0
    tax: int | Unset = 0
    checkout_id: None | str | Unset = UNSET
    referral: None | ReferralRef | Unset = UNSET
    signals: None | Signals | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.referral_ref import ReferralRef  # noqa: PLC0415
        from ..models.signals import Signals  # noqa: PLC0415

        order_id = self.order_id

        currency = self.currency

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        total = self.total

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel.value

        store: None | str | Unset
        if isinstance(self.store, Unset):
            store = UNSET
        else:
            store = self.store

        shipping = self.shipping

        tax = self.tax

        checkout_id: None | str | Unset
        if isinstance(self.checkout_id, Unset):
            checkout_id = UNSET
        else:
            checkout_id = self.checkout_id

        referral: dict[str, Any] | None | Unset
        if isinstance(self.referral, Unset):
            referral = UNSET
        elif isinstance(self.referral, ReferralRef):
            referral = self.referral.to_dict()
        else:
            referral = self.referral

        signals: dict[str, Any] | None | Unset
        if isinstance(self.signals, Unset):
            signals = UNSET
        elif isinstance(self.signals, Signals):
            signals = self.signals.to_dict()
        else:
            signals = self.signals

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "order_id": order_id,
                "currency": currency,
                "lines": lines,
                "total": total,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if store is not UNSET:
            field_dict["store"] = store
        if shipping is not UNSET:
            field_dict["shipping"] = shipping
        if tax is not UNSET:
            field_dict["tax"] = tax
        if checkout_id is not UNSET:
            field_dict["checkout_id"] = checkout_id
        if referral is not UNSET:
            field_dict["referral"] = referral
        if signals is not UNSET:
            field_dict["signals"] = signals

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_line_in import OrderLineIn  # noqa: PLC0415
        from ..models.referral_ref import ReferralRef  # noqa: PLC0415
        from ..models.signals import Signals  # noqa: PLC0415

        d = dict(src_dict)
        order_id = d.pop("order_id")

        currency = d.pop("currency")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = OrderLineIn.from_dict(lines_item_data)

            lines.append(lines_item)

        total = d.pop("total")

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

        shipping = d.pop("shipping", UNSET)

        tax = d.pop("tax", UNSET)

        def _parse_checkout_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        checkout_id = _parse_checkout_id(d.pop("checkout_id", UNSET))

        def _parse_referral(data: object) -> None | ReferralRef | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                referral_type_0 = ReferralRef.from_dict(data)

                return referral_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReferralRef | Unset, data)

        referral = _parse_referral(d.pop("referral", UNSET))

        def _parse_signals(data: object) -> None | Signals | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                signals_type_0 = Signals.from_dict(data)

                return signals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Signals | Unset, data)

        signals = _parse_signals(d.pop("signals", UNSET))

        order_data = cls(
            order_id=order_id,
            currency=currency,
            lines=lines,
            total=total,
            channel=channel,
            store=store,
            shipping=shipping,
            tax=tax,
            checkout_id=checkout_id,
            referral=referral,
            signals=signals,
        )

        return order_data
