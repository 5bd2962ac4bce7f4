from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FreeShipping")


@_attrs_define
class FreeShipping:
    """Shipping off, optionally up to ``max_amount`` (in ``currency``).

    Attributes:
        type_ (Literal['free_shipping']):
        max_amount (int | None | Unset):
        currency (None | str | Unset):
    """

    type_: Literal["free_shipping"]
    max_amount: int | None | Unset = UNSET
    currency: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        max_amount: int | None | Unset
        if isinstance(self.max_amount, Unset):
            max_amount = UNSET
        else:
            max_amount = self.max_amount

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if max_amount is not UNSET:
            field_dict["max_amount"] = max_amount
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["free_shipping"], d.pop("type"))
        if type_ != "free_shipping":
            raise ValueError(f"type must match const 'free_shipping', got '{type_}'")

        def _parse_max_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_amount = _parse_max_amount(d.pop("max_amount", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        free_shipping = cls(
            type_=type_,
            max_amount=max_amount,
            currency=currency,
        )

        return free_shipping
