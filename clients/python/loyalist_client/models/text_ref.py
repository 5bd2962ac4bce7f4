from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.locale import Locale

T = TypeVar("T", bound="TextRef")


@_attrs_define
class TextRef:
    """The consent text a grant or withdrawal was made on.

    Attributes:
        locale (Locale):
        version (int):
        sha256 (str):
    """

    locale: Locale
    version: int
    sha256: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        locale = self.locale.value

        version = self.version

        sha256 = self.sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "locale": locale,
                "version": version,
                "sha256": sha256,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        locale = Locale(d.pop("locale"))

        version = d.pop("version")

        sha256 = d.pop("sha256")

        text_ref = cls(
            locale=locale,
            version=version,
            sha256=sha256,
        )

        text_ref.additional_properties = d
        return text_ref

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
