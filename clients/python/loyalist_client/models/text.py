from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Text")


@_attrs_define
class Text:
    """A text members read, in English and Russian.

    Attributes:
        en (str):
        ru (str):
    """

    en: str
    ru: str

    def to_dict(self) -> dict[str, Any]:
        en = self.en

        ru = self.ru

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "en": en,
                "ru": ru,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        en = d.pop("en")

        ru = d.pop("ru")

        text = cls(
            en=en,
            ru=ru,
        )

        return text
