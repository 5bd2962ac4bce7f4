from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.second_order_bucket import SecondOrderBucket


T = TypeVar("T", bound="SecondOrderReport")


@_attrs_define
class SecondOrderReport:
    """
    Attributes:
        currency (None | str):
        customers (int): members with at least one order
        repeat_customers (int): members with at least two orders
        mean_days (float | None):
        p25_days (float | None):
        median_days (float | None):
        p75_days (float | None):
        histogram (list[SecondOrderBucket]):
    """

    currency: None | str
    customers: int
    repeat_customers: int
    mean_days: float | None
    p25_days: float | None
    median_days: float | None
    p75_days: float | None
    histogram: list[SecondOrderBucket]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency: None | str
        currency = self.currency

        customers = self.customers

        repeat_customers = self.repeat_customers

        mean_days: float | None
        mean_days = self.mean_days

        p25_days: float | None
        p25_days = self.p25_days

        median_days: float | None
        median_days = self.median_days

        p75_days: float | None
        p75_days = self.p75_days

        histogram = []
        for histogram_item_data in self.histogram:
            histogram_item = histogram_item_data.to_dict()
            histogram.append(histogram_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "customers": customers,
                "repeat_customers": repeat_customers,
                "mean_days": mean_days,
                "p25_days": p25_days,
                "median_days": median_days,
                "p75_days": p75_days,
                "histogram": histogram,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.second_order_bucket import SecondOrderBucket  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        customers = d.pop("customers")

        repeat_customers = d.pop("repeat_customers")

        def _parse_mean_days(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean_days = _parse_mean_days(d.pop("mean_days"))

        def _parse_p25_days(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p25_days = _parse_p25_days(d.pop("p25_days"))

        def _parse_median_days(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_days = _parse_median_days(d.pop("median_days"))

        def _parse_p75_days(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p75_days = _parse_p75_days(d.pop("p75_days"))

        histogram = []
        _histogram = d.pop("histogram")
        for histogram_item_data in _histogram:
            histogram_item = SecondOrderBucket.from_dict(histogram_item_data)

            histogram.append(histogram_item)

        second_order_report = cls(
            currency=currency,
            customers=customers,
            repeat_customers=repeat_customers,
            mean_days=mean_days,
            p25_days=p25_days,
            median_days=median_days,
            p75_days=p75_days,
            histogram=histogram,
        )

        second_order_report.additional_properties = d
        return second_order_report

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
