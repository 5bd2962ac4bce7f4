from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.text import Text


T = TypeVar("T", bound="Tip")


@_attrs_define
class Tip:
    """A product-usage tip for the buyers of a category.

    Attributes:
        category (str):
        title (Text): A text members read, in English and Russian.
        body (Text): A text members read, in English and Russian.
    """

    category: str
    title: Text
    body: Text

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        title = self.title.to_dict()

        body = self.body.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "title": title,
                "body": body,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        category = d.pop("category")

        title = Text.from_dict(d.pop("title"))

        body = Text.from_dict(d.pop("body"))

        tip = cls(
            category=category,
            title=title,
            body=body,
        )

        return tip
