from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.text_ref import TextRef


T = TypeVar("T", bound="ConsentChangeRead")


@_attrs_define
class ConsentChangeRead:
    """One grant or withdrawal in the consent trail, with its evidence.

    Attributes:
        purpose (str):
        is_granted (bool):
        changed_at (datetime.datetime):
        source (str):
        ip (None | str):
        text (None | TextRef):
    """

    purpose: str
    is_granted: bool
    changed_at: datetime.datetime
    source: str
    ip: None | str
    text: None | TextRef
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.text_ref import TextRef  # noqa: PLC0415

        purpose = self.purpose

        is_granted = self.is_granted

        changed_at = self.changed_at.isoformat()

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

        is_granted = d.pop("is_granted")

        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))

        source = d.pop("source")

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

        consent_change_read = cls(
            purpose=purpose,
            is_granted=is_granted,
            changed_at=changed_at,
            source=source,
            ip=ip,
            text=text,
        )

        consent_change_read.additional_properties = d
        return consent_change_read

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
