from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AwardOutcome")


@_attrs_define
class AwardOutcome:
    """Points the event would award, and when they become available.

    Attributes:
        points (int):
        reason (str):
        rule_version_id (int | None | Unset):
        available_at (datetime.datetime | None | Unset):
    """

    points: int
    reason: str
    rule_version_id: int | None | Unset = UNSET
    available_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        points = self.points

        reason = self.reason

        rule_version_id: int | None | Unset
        if isinstance(self.rule_version_id, Unset):
            rule_version_id = UNSET
        else:
            rule_version_id = self.rule_version_id

        available_at: None | str | Unset
        if isinstance(self.available_at, Unset):
            available_at = UNSET
        elif isinstance(self.available_at, datetime.datetime):
            available_at = self.available_at.isoformat()
        else:
            available_at = self.available_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "points": points,
                "reason": reason,
            }
        )
        if rule_version_id is not UNSET:
            field_dict["rule_version_id"] = rule_version_id
        if available_at is not UNSET:
            field_dict["available_at"] = available_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        points = d.pop("points")

        reason = d.pop("reason")

        def _parse_rule_version_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rule_version_id = _parse_rule_version_id(d.pop("rule_version_id", UNSET))

        def _parse_available_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                available_at_type_0 = datetime.datetime.fromisoformat(data)

                return available_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        available_at = _parse_available_at(d.pop("available_at", UNSET))

        award_outcome = cls(
            points=points,
            reason=reason,
            rule_version_id=rule_version_id,
            available_at=available_at,
        )

        award_outcome.additional_properties = d
        return award_outcome

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
