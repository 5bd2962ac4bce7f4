from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.locale import Locale

T = TypeVar("T", bound="ConsentTextRead")


@_attrs_define
class ConsentTextRead:
    """
    Attributes:
        purpose (str):
        locale (Locale):
        version (int):
        text (str):
        sha256 (str): SHA-256 (hex) of the text's UTF-8 bytes
        published_at (datetime.datetime):
        published_by (None | str):
    """

    purpose: str
    locale: Locale
    version: int
    text: str
    sha256: str
    published_at: datetime.datetime
    published_by: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        purpose = self.purpose

        locale = self.locale.value

        version = self.version

        text = self.text

        sha256 = self.sha256

        published_at = self.published_at.isoformat()

        published_by: None | str
        published_by = self.published_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "purpose": purpose,
                "locale": locale,
                "version": version,
                "text": text,
                "sha256": sha256,
                "published_at": published_at,
                "published_by": published_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        purpose = d.pop("purpose")

        locale = Locale(d.pop("locale"))

        version = d.pop("version")

        text = d.pop("text")

        sha256 = d.pop("sha256")

        published_at = datetime.datetime.fromisoformat(d.pop("published_at"))

        def _parse_published_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        published_by = _parse_published_by(d.pop("published_by"))

        consent_text_read = cls(
            purpose=purpose,
            locale=locale,
            version=version,
            text=text,
            sha256=sha256,
            published_at=published_at,
            published_by=published_by,
        )

        consent_text_read.additional_properties = d
        return consent_text_read

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
