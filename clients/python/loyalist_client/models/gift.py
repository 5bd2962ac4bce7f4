from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.text import Text


T = TypeVar("T", bound="Gift")


@_attrs_define
class Gift:
    """A gift or free sample the shop adds to the order; no money off.

    Attributes:
        type_ (Literal['gift']):
        description (Text): A text members read, in English and Russian.
        sku (None | str | Unset):
    """

    type_: Literal["gift"]
    description: Text
    sku: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        description = self.description.to_dict()

        sku: None | str | Unset
        if isinstance(self.sku, Unset):
            sku = UNSET
        else:
            sku = self.sku

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "description": description,
            }
        )
        if sku is not UNSET:
            field_dict["sku"] = sku

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.text import Text  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["gift"], d.pop("type"))
        if type_ != "gift":
            raise ValueError(f"type must match const 'gift', got '{type_}'")

        description = Text.from_dict(d.pop("description"))

        def _parse_sku(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sku = _parse_sku(d.pop("sku", UNSET))

        gift = cls(
            type_=type_,
            description=description,
            sku=sku,
        )

        return gift
