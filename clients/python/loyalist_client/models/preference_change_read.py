from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel import Channel
from ..models.topic import Topic
from ..types import UNSET, Unset

T = TypeVar("T", bound="PreferenceChangeRead")


@_attrs_define
class PreferenceChangeRead:
    """One change in the audit trail: a channel's consent or a topic.

    Attributes:
        value (bool):
        changed_at (datetime.datetime):
        source (str):
        channel (Channel | None | Unset):
        topic (None | Topic | Unset):
    """

    value: bool
    changed_at: datetime.datetime
    source: str
    channel: Channel | None | Unset = UNSET
    topic: None | Topic | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        value = self.value

        changed_at = self.changed_at.isoformat()

        source = self.source

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        elif isinstance(self.channel, Channel):
            channel = self.channel.value
        else:
            channel = self.channel

        topic: None | str | Unset
        if isinstance(self.topic, Unset):
            topic = UNSET
        elif isinstance(self.topic, Topic):
            topic = self.topic.value
        else:
            topic = self.topic

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "value": value,
                "changed_at": changed_at,
                "source": source,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if topic is not UNSET:
            field_dict["topic"] = topic

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        value = d.pop("value")

        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))

        source = d.pop("source")

        def _parse_channel(data: object) -> Channel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = Channel(data)

                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Channel | None | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_topic(data: object) -> None | Topic | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                topic_type_0 = Topic(data)

                return topic_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Topic | Unset, data)

        topic = _parse_topic(d.pop("topic", UNSET))

        preference_change_read = cls(
            value=value,
            changed_at=changed_at,
            source=source,
            channel=channel,
            topic=topic,
        )

        preference_change_read.additional_properties = d
        return preference_change_read

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
