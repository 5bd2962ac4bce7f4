from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.template_list_item_locales import TemplateListItemLocales


T = TypeVar("T", bound="TemplateListItem")


@_attrs_define
class TemplateListItem:
    """
    Attributes:
        key (str):
        parts (list[str]):
        locales (TemplateListItemLocales): per locale (en, ru)
    """

    key: str
    parts: list[str]
    locales: TemplateListItemLocales
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        parts = self.parts

        locales = self.locales.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "parts": parts,
                "locales": locales,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_list_item_locales import TemplateListItemLocales  # noqa: PLC0415

        d = dict(src_dict)
        key = d.pop("key")

        parts = cast(list[str], d.pop("parts"))

        locales = TemplateListItemLocales.from_dict(d.pop("locales"))

        template_list_item = cls(
            key=key,
            parts=parts,
            locales=locales,
        )

        template_list_item.additional_properties = d
        return template_list_item

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
