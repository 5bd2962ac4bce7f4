from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel import Channel
from ..models.purpose_kind import PurposeKind

T = TypeVar("T", bound="PurposeRead")


@_attrs_define
class PurposeRead:
    """
    Attributes:
        code (str):
        kind (PurposeKind): What a consent is for: the processing of personal data itself (152-FZ art. 9),
            marketing on one channel, or the transfer of personal data to a named processor.
        channel (Channel | None):
        processor (None | str):
        title (str):
        is_builtin (bool):
    """

    code: str
    kind: PurposeKind
    channel: Channel | None
    processor: None | str
    title: str
    is_builtin: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        kind = self.kind.value

        channel: None | str
        if isinstance(self.channel, Channel):
            channel = self.channel.value
        else:
            channel = self.channel

        processor: None | str
        processor = self.processor

        title = self.title

        is_builtin = self.is_builtin

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "kind": kind,
                "channel": channel,
                "processor": processor,
                "title": title,
                "is_builtin": is_builtin,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        kind = PurposeKind(d.pop("kind"))

        def _parse_channel(data: object) -> Channel | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                channel_type_0 = Channel(data)

                return channel_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Channel | None, data)

        channel = _parse_channel(d.pop("channel"))

        def _parse_processor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        processor = _parse_processor(d.pop("processor"))

        title = d.pop("title")

        is_builtin = d.pop("is_builtin")

        purpose_read = cls(
            code=code,
            kind=kind,
            channel=channel,
            processor=processor,
            title=title,
            is_builtin=is_builtin,
        )

        purpose_read.additional_properties = d
        return purpose_read

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
