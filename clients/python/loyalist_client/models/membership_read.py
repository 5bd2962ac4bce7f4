from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MembershipRead")


@_attrs_define
class MembershipRead:
    """
    Attributes:
        membership_id (str):
        plan (str):
        tier (None | str):
        status (str):
        period_end (datetime.datetime):
        ends_at (datetime.datetime):
    """

    membership_id: str
    plan: str
    tier: None | str
    status: str
    period_end: datetime.datetime
    ends_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        membership_id = self.membership_id

        plan = self.plan

        tier: None | str
        tier = self.tier

        status = self.status

        period_end = self.period_end.isoformat()

        ends_at = self.ends_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "membership_id": membership_id,
                "plan": plan,
                "tier": tier,
                "status": status,
                "period_end": period_end,
                "ends_at": ends_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        membership_id = d.pop("membership_id")

        plan = d.pop("plan")

        def _parse_tier(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tier = _parse_tier(d.pop("tier"))

        status = d.pop("status")

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))

        membership_read = cls(
            membership_id=membership_id,
            plan=plan,
            tier=tier,
            status=status,
            period_end=period_end,
            ends_at=ends_at,
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
