from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.topic import Topic

T = TypeVar("T", bound="TopicPreferenceRead")


@_attrs_define
class TopicPreferenceRead:
    """
    Attributes:
        topic (Topic): What a marketing message is about; a member may switch each topic off (``statement``
            is opt-in: off until the member switches it on). ``policy.topic_of`` maps journeys.
        is_subscribed (bool):
        is_opt_in (bool): off until the member switches it on (statement)
        changed_at (datetime.datetime | None): None: the topic's default
        source (None | str):
    """

    topic: Topic
    is_subscribed: bool
    is_opt_in: bool
    changed_at: datetime.datetime | None
    source: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        topic = self.topic.value

        is_subscribed = self.is_subscribed

        is_opt_in = self.is_opt_in

        changed_at: None | str
        if isinstance(self.changed_at, datetime.datetime):
            changed_at = self.changed_at.isoformat()
        else:
            changed_at = self.changed_at

        source: None | str
        source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "topic": topic,
                "is_subscribed": is_subscribed,
                "is_opt_in": is_opt_in,
                "changed_at": changed_at,
                "source": source,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        topic = Topic(d.pop("topic"))

        is_subscribed = d.pop("is_subscribed")

        is_opt_in = d.pop("is_opt_in")

        def _parse_changed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                changed_at_type_0 = datetime.datetime.fromisoformat(data)

                return changed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        changed_at = _parse_changed_at(d.pop("changed_at"))

        def _parse_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        source = _parse_source(d.pop("source"))

        topic_preference_read = cls(
            topic=topic,
            is_subscribed=is_subscribed,
            is_opt_in=is_opt_in,
            changed_at=changed_at,
            source=source,
        )

        topic_preference_read.additional_properties = d
        return topic_preference_read

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
