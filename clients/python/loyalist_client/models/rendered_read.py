from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RenderedRead")


@_attrs_define
class RenderedRead:
    """
    Attributes:
        subject (str):
        text (str):
        html (None | str): the email's HTML in the brand layout, CSS inlined
        short (None | str): the SMS/push text, for templates that have one
    """

    subject: str
    text: str
    html: None | str
    short: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        text = self.text

        html: None | str
        html = self.html

        short: None | str
        short = self.short

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subject": subject,
                "text": text,
                "html": html,
                "short": short,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = d.pop("subject")

        text = d.pop("text")

        def _parse_html(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        html = _parse_html(d.pop("html"))

        def _parse_short(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        short = _parse_short(d.pop("short"))

        rendered_read = cls(
            subject=subject,
            text=text,
            html=html,
            short=short,
        )

        rendered_read.additional_properties = d
        return rendered_read

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
