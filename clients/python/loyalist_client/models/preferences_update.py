from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.preferences_update_channels import PreferencesUpdateChannels
    from ..models.preferences_update_topics import PreferencesUpdateTopics


T = TypeVar("T", bound="PreferencesUpdate")


@_attrs_define
class PreferencesUpdate:
    """Channels and topics to change (the ones left out keep their value).

    Attributes:
        channels (PreferencesUpdateChannels | Unset):
        topics (PreferencesUpdateTopics | Unset):
        source (str | Unset):  Default: 'api'.
    """

    channels: PreferencesUpdateChannels | Unset = UNSET
    topics: PreferencesUpdateTopics | Unset = UNSET
    source: str | Unset = "api"

    def to_dict(self) -> dict[str, Any]:
        channels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = self.channels.to_dict()

        topics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.topics, Unset):
            topics = self.topics.to_dict()

        source = self.source

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if channels is not UNSET:
            field_dict["channels"] = channels
        if topics is not UNSET:
            field_dict["topics"] = topics
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preferences_update_channels import PreferencesUpdateChannels  # noqa: PLC0415
        from ..models.preferences_update_topics import PreferencesUpdateTopics  # noqa: PLC0415

        d = dict(src_dict)
        _channels = d.pop("channels", UNSET)
        channels: PreferencesUpdateChannels | Unset
        if isinstance(_channels, Unset):
            channels = UNSET
        else:
            channels = PreferencesUpdateChannels.from_dict(_channels)

        _topics = d.pop("topics", UNSET)
        topics: PreferencesUpdateTopics | Unset
        if isinstance(_topics, Unset):
            topics = UNSET
        else:
            topics = PreferencesUpdateTopics.from_dict(_topics)

        source = d.pop("source", UNSET)

        preferences_update = cls(
            channels=channels,
            topics=topics,
            source=source,
        )

        return preferences_update
