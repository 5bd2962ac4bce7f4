from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.favourite_category_read import FavouriteCategoryRead
    from ..models.favourite_product_read import FavouriteProductRead


T = TypeVar("T", bound="FavouritesRead")


@_attrs_define
class FavouritesRead:
    """
    Attributes:
        member_id (str):
        currency (str):
        half_life_days (float | None):
        products (list[FavouriteProductRead]):
        categories (list[FavouriteCategoryRead]):
    """

    member_id: str
    currency: str
    half_life_days: float | None
    products: list[FavouriteProductRead]
    categories: list[FavouriteCategoryRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        currency = self.currency

        half_life_days: float | None
        half_life_days = self.half_life_days

        products = []
        for products_item_data in self.products:
            products_item = products_item_data.to_dict()
            products.append(products_item)

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "member_id": member_id,
                "currency": currency,
                "half_life_days": half_life_days,
                "products": products,
                "categories": categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.favourite_category_read import FavouriteCategoryRead  # noqa: PLC0415
        from ..models.favourite_product_read import FavouriteProductRead  # noqa: PLC0415

        d = dict(src_dict)
        member_id = d.pop("member_id")

        currency = d.pop("currency")

        def _parse_half_life_days(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        half_life_days = _parse_half_life_days(d.pop("half_life_days"))

        products = []
        _products = d.pop("products")
        for products_item_data in _products:
            products_item = FavouriteProductRead.from_dict(products_item_data)

            products.append(products_item)

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = FavouriteCategoryRead.from_dict(categories_item_data)

            categories.append(categories_item)

        favourites_read = cls(
            member_id=member_id,
            currency=currency,
            half_life_days=half_life_days,
            products=products,
            categories=categories,
        )

        favourites_read.additional_properties = d
        return favourites_read

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
