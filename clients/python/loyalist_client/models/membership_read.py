from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="MembershipRead")


@_attrs_define
class MembershipRead:
    """
    Attributes:
        membership_id (str):
        plan (str):
        status (str):
        period_end (datetime.datetime):
        ends_at (datetime.datetime):
        tier (None | str | Unset):
    """

    membership_id: str
    plan: str
    status: str
    period_end: datetime.datetime
    ends_at: datetime.datetime
    tier: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        membership_id = self.membership_id

        plan = self.plan

        status = self.status

        period_end = self.period_end.isoformat()

        ends_at = self.ends_at.isoformat()

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        else:
            tier = self.tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "membership_id": membership_id,
                "plan": plan,
                "status": status,
                "period_end": period_end,
                "ends_at": ends_at,
            }
        )
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        membership_id = d.pop("membership_id")

        plan = d.pop("plan")

        status = d.pop("status")

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        def _parse_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))

        membership_read = cls(
            membership_id=membership_id,
            plan=plan,
            status=status,
            period_end=period_end,
            ends_at=ends_at,
            tier=tier,
        )

        membership_read.additional_properties = d
        return membership_read

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
