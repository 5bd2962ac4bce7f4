from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.enrolment_data import EnrolmentData


T = TypeVar("T", bound="MemberEnrolledEvent")


@_attrs_define
class MemberEnrolledEvent:
    """An event of type `member.enrolled`, with its `data`.

    Attributes:
        id (str):
        type_ (Literal['member.enrolled']):
        member_id (str):
        occurred_at (datetime.datetime):
        data (EnrolmentData | Unset): ``member.enrolled``: the profile, and the referral and signals of the sign-up.
    """

    id: str
    type_: Literal["member.enrolled"]
    member_id: str
    occurred_at: datetime.datetime
    data: EnrolmentData | Unset = UNSET

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
        from ..models.enrolment_data import EnrolmentData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["member.enrolled"], d.pop("type"))
        if type_ != "member.enrolled":
            raise ValueError(f"type must match const 'member.enrolled', got '{type_}'")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        _data = d.pop("data", UNSET)
        data: EnrolmentData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = EnrolmentData.from_dict(_data)

        member_enrolled_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return member_enrolled_event
