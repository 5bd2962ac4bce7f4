from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TemplateVersionRead")


@_attrs_define
class TemplateVersionRead:
    """
    Attributes:
        key (str):
        locale (str):
        version (int): 0: the shipped default (no version stored)
        subject (None | str):
        text (None | str):
        html (None | str):
        short (None | str):
        created_at (datetime.datetime | None):
        created_by (None | str):
    """

    key: str
    locale: str
    version: int
    subject: None | str
    text: None | str
    html: None | str
    short: None | str
    created_at: datetime.datetime | None
    created_by: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        locale = self.locale

        version = self.version

        subject: None | str
        subject = self.subject

        text: None | str
        text = self.text

        html: None | str
        html = self.html

        short: None | str
        short = self.short

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        created_by: None | str
        created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "locale": locale,
                "version": version,
                "subject": subject,
                "text": text,
                "html": html,
                "short": short,
                "created_at": created_at,
                "created_by": created_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        locale = d.pop("locale")

        version = d.pop("version")

        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))

        def _parse_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        text = _parse_text(d.pop("text"))

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

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))

        def _parse_created_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_by = _parse_created_by(d.pop("created_by"))

        template_version_read = cls(
            key=key,
            locale=locale,
            version=version,
            subject=subject,
            text=text,
            html=html,
            short=short,
            created_at=created_at,
            created_by=created_by,
        )

        template_version_read.additional_properties = d
        return template_version_read

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
