from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_in_data import EventInData


T = TypeVar("T", bound="EventIn")


@_attrs_define
class EventIn:
    """One activity: ``{id, type, member_id, occurred_at, data}``.

    Attributes:
        id (str):
        type_ (str):
        member_id (str):
        occurred_at (datetime.datetime):
        data (EventInData | Unset):
    """

    id: str
    type_: str
    member_id: str
    occurred_at: datetime.datetime
    data: EventInData | Unset = UNSET

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
        from ..models.event_in_data import EventInData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        _data = d.pop("data", UNSET)
        data: EventInData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = EventInData.from_dict(_data)

        event_in = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return event_in
