from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ShareRead")


@_attrs_define
class ShareRead:
    """A share recorded for the funnel.

    Attributes:
        id (int):
        member_id (str):
        channel (str):
        shared_at (datetime.datetime):
    """

    id: int
    member_id: str
    channel: str
    shared_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        member_id = self.member_id

        channel = self.channel

        shared_at = self.shared_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "member_id": member_id,
                "channel": channel,
                "shared_at": shared_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        member_id = d.pop("member_id")

        channel = d.pop("channel")

        shared_at = datetime.datetime.fromisoformat(d.pop("shared_at"))

        share_read = cls(
            id=id,
            member_id=member_id,
            channel=channel,
            shared_at=shared_at,
        )

        share_read.additional_properties = d
        return share_read

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
