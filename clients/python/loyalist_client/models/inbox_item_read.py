from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_kind import MessageKind

T = TypeVar("T", bound="InboxItemRead")


@_attrs_define
class InboxItemRead:
    """
    Attributes:
        id (str):
        kind (MessageKind): ``transactional`` needs no consent and is never held or capped; ``marketing`` is.
        journey (str):
        subject (str):
        text (str):
        html (None | str):
        received_at (datetime.datetime):
        read_at (datetime.datetime | None):
    """

    id: str
    kind: MessageKind
    journey: str
    subject: str
    text: str
    html: None | str
    received_at: datetime.datetime
    read_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        journey = self.journey

        subject = self.subject

        text = self.text

        html: None | str
        html = self.html

        received_at = self.received_at.isoformat()

        read_at: None | str
        if isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "journey": journey,
                "subject": subject,
                "text": text,
                "html": html,
                "received_at": received_at,
                "read_at": read_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = MessageKind(d.pop("kind"))

        journey = d.pop("journey")

        subject = d.pop("subject")

        text = d.pop("text")

        def _parse_html(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        html = _parse_html(d.pop("html"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        def _parse_read_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)

                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        read_at = _parse_read_at(d.pop("read_at"))

        inbox_item_read = cls(
            id=id,
            kind=kind,
            journey=journey,
            subject=subject,
            text=text,
            html=html,
            received_at=received_at,
            read_at=read_at,
        )

        inbox_item_read.additional_properties = d
        return inbox_item_read

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
