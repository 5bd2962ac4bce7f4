from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.webhook_event import WebhookEvent
from ..types import UNSET, Unset

T = TypeVar("T", bound="EndpointIn")


@_attrs_define
class EndpointIn:
    """
    Attributes:
        url (str): http(s); loopback and private addresses are refused unless the server allows them
            (LOYALIST_MESSAGES__WEBHOOK_ALLOW_PRIVATE)
        event_types (list[WebhookEvent]):
        description (str | Unset):  Default: ''.
    """

    url: str
    event_types: list[WebhookEvent]
    description: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        event_types = []
        for event_types_item_data in self.event_types:
            event_types_item = event_types_item_data.value
            event_types.append(event_types_item)

        description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "event_types": event_types,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        event_types = []
        _event_types = d.pop("event_types")
        for event_types_item_data in _event_types:
            event_types_item = WebhookEvent(event_types_item_data)

            event_types.append(event_types_item)

        description = d.pop("description", UNSET)

        endpoint_in = cls(
            url=url,
            event_types=event_types,
            description=description,
        )

        return endpoint_in
