from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.coupon_offer_by_favourite_category import CouponOfferByFavouriteCategory


T = TypeVar("T", bound="CouponOffer")


@_attrs_define
class CouponOffer:
    """A personal single-use code per recipient from coupon campaign ``campaign`` (its
    discount and conditions), issued when the audience is written; a member whose
    favourite category is a key of ``by_favourite_category`` gets a code of that coupon
    campaign instead (e.g. −15% on their favourite category).

        Attributes:
            campaign (str):
            by_favourite_category (CouponOfferByFavouriteCategory | Unset):
    """

    campaign: str
    by_favourite_category: CouponOfferByFavouriteCategory | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        campaign = self.campaign

        by_favourite_category: dict[str, Any] | Unset = UNSET
        if not isinstance(self.by_favourite_category, Unset):
            by_favourite_category = self.by_favourite_category.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "campaign": campaign,
            }
        )
        if by_favourite_category is not UNSET:
            field_dict["by_favourite_category"] = by_favourite_category

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.coupon_offer_by_favourite_category import CouponOfferByFavouriteCategory  # noqa: PLC0415

        d = dict(src_dict)
        campaign = d.pop("campaign")

        _by_favourite_category = d.pop("by_favourite_category", UNSET)
        by_favourite_category: CouponOfferByFavouriteCategory | Unset
        if isinstance(_by_favourite_category, Unset):
            by_favourite_category = UNSET
        else:
            by_favourite_category = CouponOfferByFavouriteCategory.from_dict(_by_favourite_category)

        coupon_offer = cls(
            campaign=campaign,
            by_favourite_category=by_favourite_category,
        )

        return coupon_offer
