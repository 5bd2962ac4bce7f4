from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.membership_end_data import MembershipEndData


T = TypeVar("T", bound="MembershipExpiredEvent")


@_attrs_define
class MembershipExpiredEvent:
    """An event of type `membership.expired`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['membership.expired']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (MembershipEndData): ``membership.cancelled`` (no renewal; benefits last to the paid end unless
            ``ends_at``)
            and ``membership.expired`` (benefits end now).
    """

    id: str
    type_: Literal["membership.expired"]
    member_id: str
    occurred_at: datetime.datetime
    data: MembershipEndData

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
        from ..models.membership_end_data import MembershipEndData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["membership.expired"], d.pop("type"))
        if type_ != "membership.expired":
            raise ValueError(f"type must match const 'membership.expired', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        data = MembershipEndData.from_dict(d.pop("data"))

        membership_expired_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return membership_expired_event
