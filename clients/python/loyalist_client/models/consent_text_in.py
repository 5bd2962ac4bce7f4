from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.locale import Locale

T = TypeVar("T", bound="ConsentTextIn")


@_attrs_define
class ConsentTextIn:
    """
    Attributes:
        purpose (str):
        locale (Locale):
        text (str):
    """

    purpose: str
    locale: Locale
    text: str

    def to_dict(self) -> dict[str, Any]:
        purpose = self.purpose

        locale = self.locale.value

        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "purpose": purpose,
                "locale": locale,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        purpose = d.pop("purpose")

        locale = Locale(d.pop("locale"))

        text = d.pop("text")

        consent_text_in = cls(
            purpose=purpose,
            locale=locale,
            text=text,
        )

        return consent_text_in
