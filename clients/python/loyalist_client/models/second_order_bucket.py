from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SecondOrderBucket")


@_attrs_define
class SecondOrderBucket:
    """
    Attributes:
        lower (int): days, included
        upper (int | None): days, excluded; null: no bound
        customers (int):
        share (float | None): of repeat customers, 4 decimals
    """

    lower: int
    upper: int | None
    customers: int
    share: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lower = self.lower

        upper: int | None
        upper = self.upper

        customers = self.customers

        share: float | None
        share = self.share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lower": lower,
                "upper": upper,
                "customers": customers,
                "share": share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        lower = d.pop("lower")

        def _parse_upper(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        upper = _parse_upper(d.pop("upper"))

        customers = d.pop("customers")

        def _parse_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        share = _parse_share(d.pop("share"))

        second_order_bucket = cls(
            lower=lower,
            upper=upper,
            customers=customers,
            share=share,
        )

        second_order_bucket.additional_properties = d
        return second_order_bucket

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
