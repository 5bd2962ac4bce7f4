from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cohort_cell import CohortCell


T = TypeVar("T", bound="Cohort")


@_attrs_define
class Cohort:
    """
    Attributes:
        cohort (str): month of the first order, 2026-01
        cohort_start (datetime.date):
        size (int):
        months (list[CohortCell]):
    """

    cohort: str
    cohort_start: datetime.date
    size: int
    months: list[CohortCell]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cohort = self.cohort

        cohort_start = self.cohort_start.isoformat()

        size = self.size

        months = []
        for months_item_data in self.months:
            months_item = months_item_data.to_dict()
            months.append(months_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cohort": cohort,
                "cohort_start": cohort_start,
                "size": size,
                "months": months,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cohort_cell import CohortCell  # noqa: PLC0415

        d = dict(src_dict)
        cohort = d.pop("cohort")

        cohort_start = datetime.date.fromisoformat(d.pop("cohort_start"))

        size = d.pop("size")

        months = []
        _months = d.pop("months")
        for months_item_data in _months:
            months_item = CohortCell.from_dict(months_item_data)

            months.append(months_item)

        cohort = cls(
            cohort=cohort,
            cohort_start=cohort_start,
            size=size,
            months=months,
        )

        cohort.additional_properties = d
        return cohort

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
