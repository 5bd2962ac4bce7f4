from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.member_profile import MemberProfile


T = TypeVar("T", bound="MemberUpdatedEvent")


@_attrs_define
class MemberUpdatedEvent:
    """An event of type `member.updated`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['member.updated']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (MemberProfile | Unset): Profile fields; on update only the fields present are changed (``null`` clears
            one).
    """

    id: str
    type_: Literal["member.updated"]
    member_id: str
    occurred_at: datetime.datetime
    data: MemberProfile | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        member_id = self.member_id

        occurred_at = self.occurred_at.isoformat()

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "member_id": member_id,
                "occurred_at": occurred_at,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_profile import MemberProfile  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["member.updated"], d.pop("type"))
        if type_ != "member.updated":
            raise ValueError(f"type must match const 'member.updated', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        _data = d.pop("data", UNSET)
        data: MemberProfile | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = MemberProfile.from_dict(_data)

        member_updated_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return member_updated_event
