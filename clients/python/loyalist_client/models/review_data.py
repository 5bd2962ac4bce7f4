from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewData")


@_attrs_define
class ReviewData:
    """
    Attributes:
        review_id (str):
        sku (str):
        rating (int):
        text_length (int | Unset):  Default: 0.
        has_photo (bool | Unset):  Default: False.
        order_id (None | str | Unset):
    """

    review_id: str
    sku: str
    rating: int
    text_length: int | Unset = 0
    has_photo: bool | Unset = False
    order_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        review_id = self.review_id

        sku = self.sku

        rating = self.rating

        text_length = self.text_length

        has_photo = self.has_photo

        order_id: None | str | Unset
        if isinstance(self.order_id, Unset):
            order_id = UNSET
        else:
            order_id = self.order_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "review_id": review_id,
                "sku": sku,
                "rating": rating,
            }
        )
        if text_length is not UNSET:
            field_dict["text_length"] = text_length
        if has_photo is not UNSET:
            field_dict["has_photo"] = has_photo
        if order_id is not UNSET:
            field_dict["order_id"] = order_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        review_id = d.pop("review_id")

        sku = d.pop("sku")

        rating = d.pop("rating")

        text_length = d.pop("text_length", UNSET)

        has_photo = d.pop("has_photo", UNSET)

        def _parse_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        order_id = _parse_order_id(d.pop("order_id", UNSET))

        review_data = cls(
            review_id=review_id,
            sku=sku,
            rating=rating,
            text_length=text_length,
            has_photo=has_photo,
            order_id=order_id,
        )

        return review_data
