from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.channel import Channel
from ..models.purpose_kind import PurposeKind

if TYPE_CHECKING:
    from ..models.text_ref import TextRef


T = TypeVar("T", bound="PurposeConsentRead")


@_attrs_define
class PurposeConsentRead:
    """A member's current consent for one purpose and the evidence of the change that set
    it (all None when the member never gave or withdrew it: not granted).

        Attributes:
            purpose (str):
            kind (PurposeKind): What a consent is for: the processing of personal data itself (152-FZ art. 9),
                marketing on one channel, or the transfer of personal data to a named processor.
            channel (Channel | None):
            processor (None | str):
            is_granted (bool):
            changed_at (datetime.datetime | None):
            source (None | str):
            ip (None | str):
            text (None | TextRef):
    """

    purpose: str
    kind: PurposeKind
    channel: Channel | None
    processor: None | str
    is_granted: bool
    changed_at: datetime.datetime | None
    source: None | str
    ip: None | str
    text: None | TextRef
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.text_ref import TextRef  # noqa: PLC0415

        purpose = self.purpose

        kind = self.kind.value

        channel: None | str
        if isinstance(self.channel, Channel):
            channel = self.channel.value
        else:
            channel = self.channel

        processor: None | str
        processor = self.processor

        is_granted = self.is_granted

        changed_at: None | str
        if isinstance(self.changed_at, datetime.datetime):
            changed_at = self.changed_at.isoformat()
        else:
            changed_at = self.changed_at

        source: None | str
        source = self.source

        ip: None | str
        ip = self.ip

        text: dict[str, Any] | None
        if isinstance(self.text, TextRef):
            text = self.text.to_dict()
        else:
            text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "purpose": purpose,
                "kind": kind,
                "channel": channel,
                "processor": processor,
                "is_granted": is_granted,
                "changed_at": changed_at,
                "source": source,
                "ip": ip,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text_ref import TextRef  # noqa: PLC0415

        d = dict(src_dict)
        purpose = d.pop("purpose")

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

        is_granted = d.pop("is_granted")

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

        def _parse_ip(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip = _parse_ip(d.pop("ip"))

        def _parse_text(data: object) -> None | TextRef:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                text_type_0 = TextRef.from_dict(data)

                return text_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TextRef, data)

        text = _parse_text(d.pop("text"))

        purpose_consent_read = cls(
            purpose=purpose,
            kind=kind,
            channel=channel,
            processor=processor,
            is_granted=is_granted,
            changed_at=changed_at,
            source=source,
            ip=ip,
            text=text,
        )

        purpose_consent_read.additional_properties = d
        return purpose_consent_read

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
