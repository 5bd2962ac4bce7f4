from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CouponUse")


@_attrs_define
class CouponUse:
    """When the issued coupon applies at checkout: minimum order (goods after the shop's
    discounts, in ``currency``) and eligible lines (any listed SKU or category; none listed
    = every line). Who may take the reward is the reward's own ``tiers``/``segments``: the
    coupon is personal, so it needs no audience of its own.

        Attributes:
            min_order (int | None | Unset):
            currency (None | str | Unset):
            skus (list[str] | Unset):
            categories (list[str] | Unset):
    """

    min_order: int | None | Unset = UNSET
    currency: None | str | Unset = UNSET
    skus: list[str] | Unset = UNSET
    categories: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        min_order: int | None | Unset
        if isinstance(self.min_order, Unset):
            min_order = UNSET
        else:
            min_order = self.min_order

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        skus: list[str] | Unset = UNSET
        if not isinstance(self.skus, Unset):
            skus = self.skus

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if min_order is not UNSET:
            field_dict["min_order"] = min_order
        if currency is not UNSET:
            field_dict["currency"] = currency
        if skus is not UNSET:
            field_dict["skus"] = skus
        if categories is not UNSET:
            field_dict["categories"] = categories

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_min_order(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_order = _parse_min_order(d.pop("min_order", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        skus = cast(list[str], d.pop("skus", UNSET))

        categories = cast(list[str], d.pop("categories", UNSET))

        coupon_use = cls(
            min_order=min_order,
            currency=currency,
            skus=skus,
            categories=categories,
        )

        return coupon_use
