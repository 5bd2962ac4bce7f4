from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.holdout_group_report import HoldoutGroupReport
    from ..models.holdout_uplift import HoldoutUplift


T = TypeVar("T", bound="HoldoutReport")


@_attrs_define
class HoldoutReport:
    """
    Attributes:
        from_ (datetime.date):
        to (datetime.date):
        timezone (str):
        currency (str):
        holdout_percent (float):
        groups (list[HoldoutGroupReport]):
        uplift (HoldoutUplift): The rest of the members against the global holdout: what marketing adds.
    """

    from_: datetime.date
    to: datetime.date
    timezone: str
    currency: str
    holdout_percent: float
    groups: list[HoldoutGroupReport]
    uplift: HoldoutUplift
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        timezone = self.timezone

        currency = self.currency

        holdout_percent = self.holdout_percent

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)

        uplift = self.uplift.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "timezone": timezone,
                "currency": currency,
                "holdout_percent": holdout_percent,
                "groups": groups,
                "uplift": uplift,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.holdout_group_report import HoldoutGroupReport  # noqa: PLC0415
        from ..models.holdout_uplift import HoldoutUplift  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        timezone = d.pop("timezone")

        currency = d.pop("currency")

        holdout_percent = d.pop("holdout_percent")

        groups = []
        _groups = d.pop("groups")
        for groups_item_data in _groups:
            groups_item = HoldoutGroupReport.from_dict(groups_item_data)

            groups.append(groups_item)

        uplift = HoldoutUplift.from_dict(d.pop("uplift"))

        holdout_report = cls(
            from_=from_,
            to=to,
            timezone=timezone,
            currency=currency,
            holdout_percent=holdout_percent,
            groups=groups,
            uplift=uplift,
        )

        holdout_report.additional_properties = d
        return holdout_report

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
