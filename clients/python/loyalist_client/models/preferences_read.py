from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.channel_preference_read import ChannelPreferenceRead
    from ..models.preference_change_read import PreferenceChangeRead
    from ..models.topic_preference_read import TopicPreferenceRead


T = TypeVar("T", bound="PreferencesRead")


@_attrs_define
class PreferencesRead:
    """What a member receives: marketing consent per channel and their choice per topic
    (transactional messages have no topic and are always sent).

        Attributes:
            member_id (str):
            channels (list[ChannelPreferenceRead]):
            topics (list[TopicPreferenceRead]):
            history (list[PreferenceChangeRead]): newest first, up to 100
    """

    member_id: str
    channels: list[ChannelPreferenceRead]
    topics: list[TopicPreferenceRead]
    history: list[PreferenceChangeRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        channels = []
        for channels_item_data in self.channels:
            channels_item = channels_item_data.to_dict()
            channels.append(channels_item)

        topics = []
        for topics_item_data in self.topics:
            topics_item = topics_item_data.to_dict()
            topics.append(topics_item)

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "channels": channels,
                "topics": topics,
                "history": history,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_preference_read import ChannelPreferenceRead  # noqa: PLC0415
        from ..models.preference_change_read import PreferenceChangeRead  # noqa: PLC0415
        from ..models.topic_preference_read import TopicPreferenceRead  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        channels = []
        _channels = d.pop("channels")
        for channels_item_data in _channels:
            channels_item = ChannelPreferenceRead.from_dict(channels_item_data)

            channels.append(channels_item)

        topics = []
        _topics = d.pop("topics")
        for topics_item_data in _topics:
            topics_item = TopicPreferenceRead.from_dict(topics_item_data)

            topics.append(topics_item)

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = PreferenceChangeRead.from_dict(history_item_data)

            history.append(history_item)

        preferences_read = cls(
            member_id=member_id,
            channels=channels,
            topics=topics,
            history=history,
        )

        preferences_read.additional_properties = d
        return preferences_read

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
