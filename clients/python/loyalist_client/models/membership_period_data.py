from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MembershipPeriodData")


@_attrs_define
class MembershipPeriodData:
    """``membership.started`` / ``membership.renewed``: a paid period of a plan.

    Attributes:
        membership_id (str):
        plan (str):
        period_end (datetime.datetime): The paid period ends at this instant.
        tier (None | str | Unset): The tier the plan grants; the program's plan maps it if absent.
    """

    membership_id: str
    plan: str
    period_end: datetime.datetime
    tier: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        membership_id = self.membership_id

        plan = self.plan

        period_end = self.period_end.isoformat()

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        else:
            tier = self.tier

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "membership_id": membership_id,
                "plan": plan,
                "period_end": period_end,
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

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        def _parse_tier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))

        membership_period_data = cls(
            membership_id=membership_id,
            plan=plan,
            period_end=period_end,
            tier=tier,
        )

        return membership_period_data
