from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="FixedDiscount")


@_attrs_define
class FixedDiscount:
    """An amount off the eligible lines (never more than they cost).

    Attributes:
        type_ (Literal['fixed']):
        amount (int):
        currency (str):
    """

    type_: Literal["fixed"]
    amount: int
    currency: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        amount = self.amount

        currency = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "amount": amount,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["fixed"], d.pop("type"))
        if type_ != "fixed":
            raise ValueError(f"type must match const 'fixed', got '{type_}'")

        amount = d.pop("amount")

        currency = d.pop("currency")

        fixed_discount = cls(
            type_=type_,
            amount=amount,
            currency=currency,
        )

        return fixed_discount
