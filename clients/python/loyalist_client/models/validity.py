from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.validity_days_of_week_item import ValidityDaysOfWeekItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.hours_window import HoursWindow


T = TypeVar("T", bound="Validity")


@_attrs_define
class Validity:
    """
    Attributes:
        starts_at (datetime.datetime | None | Unset):
        ends_at (datetime.datetime | None | Unset):
        days_of_week (list[ValidityDaysOfWeekItem] | Unset):
        hours (list[HoursWindow] | Unset):
    """

    starts_at: datetime.datetime | None | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    days_of_week: list[ValidityDaysOfWeekItem] | Unset = UNSET
    hours: list[HoursWindow] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        days_of_week: list[str] | Unset = UNSET
        if not isinstance(self.days_of_week, Unset):
            days_of_week = []
            for days_of_week_item_data in self.days_of_week:
                days_of_week_item = days_of_week_item_data.value
                days_of_week.append(days_of_week_item)

        hours: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.hours, Unset):
            hours = []
            for hours_item_data in self.hours:
                hours_item = hours_item_data.to_dict()
                hours.append(hours_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if days_of_week is not UNSET:
            field_dict["days_of_week"] = days_of_week
        if hours is not UNSET:
            field_dict["hours"] = hours

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.hours_window import HoursWindow  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)

                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("starts_at", UNSET))

        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("ends_at", UNSET))

        _days_of_week = d.pop("days_of_week", UNSET)
        days_of_week: list[ValidityDaysOfWeekItem] | Unset = UNSET
        if _days_of_week is not UNSET:
            days_of_week = []
            for days_of_week_item_data in _days_of_week:
                days_of_week_item = ValidityDaysOfWeekItem(days_of_week_item_data)

                days_of_week.append(days_of_week_item)

        _hours = d.pop("hours", UNSET)
        hours: list[HoursWindow] | Unset = UNSET
        if _hours is not UNSET:
            hours = []
            for hours_item_data in _hours:
                hours_item = HoursWindow.from_dict(hours_item_data)

                hours.append(hours_item)

        validity = cls(
            starts_at=starts_at,
            ends_at=ends_at,
            days_of_week=days_of_week,
            hours=hours,
        )

        return validity
