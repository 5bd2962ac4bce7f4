from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_event_data import CustomEventData


T = TypeVar("T", bound="CustomEvent")


@_attrs_define
class CustomEvent:
    """A shop's own event, ``x.<name>``: any JSON object as ``data`` (rules may match it).

    Attributes:
        id (str):
        type_ (str):
        member_id (str):
        occurred_at (datetime.datetime):
        data (CustomEventData | Unset):
    """

    id: str
    type_: str
    member_id: str
    occurred_at: datetime.datetime
    data: CustomEventData | Unset = UNSET

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
        from ..models.custom_event_data import CustomEventData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        member_id = d.pop("member_id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        _data = d.pop("data", UNSET)
        data: CustomEventData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = CustomEventData.from_dict(_data)

        custom_event = cls(
            id=id,
            type_=type_,
            member_id=member_id,
            occurred_at=occurred_at,
            data=data,
        )

        return custom_event
