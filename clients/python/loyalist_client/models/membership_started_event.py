from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.membership_period_data import MembershipPeriodData


T = TypeVar("T", bound="MembershipStartedEvent")


@_attrs_define
class MembershipStartedEvent:
    """An event of type `membership.started`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['membership.started']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (MembershipPeriodData): ``membership.started`` / ``membership.renewed``: a paid period of a plan.
    """

    id: str
    type_: Literal["membership.started"]
    member_id: str
    occurred_at: datetime.datetime
    data: MembershipPeriodData

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        member_id = self.member_id

        occurred_at = self.occurred_at.isoformat()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "member_id": member_id,
                "occurred_at": occurred_at,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.membership_period_data import MembershipPeriodData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["membership.started"], d.pop("type"))
        if type_ != "membership.started":
            raise ValueError(f"type must match const 'membership.started', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        data = MembershipPeriodData.from_dict(d.pop("data"))

        membership_started_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return membership_started_event
