from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.revenue_difference import RevenueDifference


T = TypeVar("T", bound="HoldoutUplift")


@_attrs_define
class HoldoutUplift:
    """The rest of the members against the global holdout: what marketing adds.

    Attributes:
        absolute (float | None):
        low (float | None):
        high (float | None):
        relative (float | None):
        p_value (float | None):
        revenue_per_member (RevenueDifference): Revenue per member of the arm minus the control group's (minor units),
            with
            Welch's 95% interval and its p-value.
    """

    absolute: float | None
    low: float | None
    high: float | None
    relative: float | None
    p_value: float | None
    revenue_per_member: RevenueDifference
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        absolute: float | None
        absolute = self.absolute

        low: float | None
        low = self.low

        high: float | None
        high = self.high

        relative: float | None
        relative = self.relative

        p_value: float | None
        p_value = self.p_value

        revenue_per_member = self.revenue_per_member.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "absolute": absolute,
                "low": low,
                "high": high,
                "relative": relative,
                "p_value": p_value,
                "revenue_per_member": revenue_per_member,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.revenue_difference import RevenueDifference  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_absolute(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        absolute = _parse_absolute(d.pop("absolute"))

        def _parse_low(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        low = _parse_low(d.pop("low"))

        def _parse_high(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        high = _parse_high(d.pop("high"))

        def _parse_relative(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        relative = _parse_relative(d.pop("relative"))

        def _parse_p_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p_value = _parse_p_value(d.pop("p_value"))

        revenue_per_member = RevenueDifference.from_dict(d.pop("revenue_per_member"))

        holdout_uplift = cls(
            absolute=absolute,
            low=low,
            high=high,
            relative=relative,
            p_value=p_value,
            revenue_per_member=revenue_per_member,
        )

        holdout_uplift.additional_properties = d
        return holdout_uplift

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
