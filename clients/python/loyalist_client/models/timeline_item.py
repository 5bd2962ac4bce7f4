from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.timeline_item_data import TimelineItemData


T = TypeVar("T", bound="TimelineItem")


@_attrs_define
class TimelineItem:
    """One thing that happened to the member; ``data`` depends on ``type`` (see the
    operation's description). Clients ignore types they do not know.

        Attributes:
            id (str):
            type_ (str): an activity's event type, or message, tier, points, …
            occurred_at (datetime.datetime):
            received_at (datetime.datetime):
            data (TimelineItemData):
    """

    id: str
    type_: str
    occurred_at: datetime.datetime
    received_at: datetime.datetime
    data: TimelineItemData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        occurred_at = self.occurred_at.isoformat()

        received_at = self.received_at.isoformat()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "occurred_at": occurred_at,
                "received_at": received_at,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_item_data import TimelineItemData  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        data = TimelineItemData.from_dict(d.pop("data"))

        timeline_item = cls(
            id=id,
            type_=type_,
            occurred_at=occurred_at,
            received_at=received_at,
            data=data,
        )

        timeline_item.additional_properties = d
        return timeline_item

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
