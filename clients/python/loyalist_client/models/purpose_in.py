from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PurposeIn")


@_attrs_define
class PurposeIn:
    """A transfer purpose: consent to hand personal data to a named processor (its code
    becomes ``transfer.<processor>``).

        Attributes:
            processor (str):
            title (str):
    """

    processor: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        processor = self.processor

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "processor": processor,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        processor = d.pop("processor")

        title = d.pop("title")

        purpose_in = cls(
            processor=processor,
            title=title,
        )

        return purpose_in
