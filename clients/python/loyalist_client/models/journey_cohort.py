from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JourneyCohort")


@_attrs_define
class JourneyCohort:
    """
    Attributes:
        cohort (str): month of enrolment, 2026-01
        cohort_start (datetime.date):
        enrolled (int):
        first_order (int):
        first_order_share (float):
        days_to_first_order (float | None): median days from enrolment
        second_order (int):
        second_order_share (float):
        days_to_second_order (float | None): median days from the first order
        third_order (int):
        third_order_share (float):
        days_to_third_order (float | None): median days from the second order
    """

    cohort: str
    cohort_start: datetime.date
    enrolled: int
    first_order: int
    first_order_share: float
    days_to_first_order: float | None
    second_order: int
    second_order_share: float
    days_to_second_order: float | None
    third_order: int
    third_order_share: float
    days_to_third_order: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cohort = self.cohort

        cohort_start = self.cohort_start.isoformat()

        enrolled = self.enrolled

        first_order = self.first_order

        first_order_share = self.first_order_share

        days_to_first_order: float | None
        days_to_first_order = self.days_to_first_order

        second_order = self.second_order

        second_order_share = self.second_order_share

        days_to_second_order: float | None
        days_to_second_order = self.days_to_second_order

        third_order = self.third_order

        third_order_share = self.third_order_share

        days_to_third_order: float | None
        days_to_third_order = self.days_to_third_order

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cohort": cohort,
                "cohort_start": cohort_start,
                "enrolled": enrolled,
                "first_order": first_order,
                "first_order_share": first_order_share,
                "days_to_first_order": days_to_first_order,
                "second_order": second_order,
                "second_order_share": second_order_share,
                "days_to_second_order": days_to_second_order,
                "third_order": third_order,
                "third_order_share": third_order_share,
                "days_to_third_order": days_to_third_order,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cohort = d.pop("cohort")

        cohort_start = datetime.date.fromisoformat(d.pop("cohort_start"))

        enrolled = d.pop("enrolled")

        first_order = d.pop("first_order")

        first_order_share = d.pop("first_order_share")

        def _parse_days_to_first_order(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        days_to_first_order = _parse_days_to_first_order(d.pop("days_to_first_order"))

        second_order = d.pop("second_order")

        second_order_share = d.pop("second_order_share")

        def _parse_days_to_second_order(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        days_to_second_order = _parse_days_to_second_order(d.pop("days_to_second_order"))

        third_order = d.pop("third_order")

        third_order_share = d.pop("third_order_share")

        def _parse_days_to_third_order(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        days_to_third_order = _parse_days_to_third_order(d.pop("days_to_third_order"))

        journey_cohort = cls(
            cohort=cohort,
            cohort_start=cohort_start,
            enrolled=enrolled,
            first_order=first_order,
            first_order_share=first_order_share,
            days_to_first_order=days_to_first_order,
            second_order=second_order,
            second_order_share=second_order_share,
            days_to_second_order=days_to_second_order,
            third_order=third_order,
            third_order_share=third_order_share,
            days_to_third_order=days_to_third_order,
        )

        journey_cohort.additional_properties = d
        return journey_cohort

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
